//! Parameters that several operations declare alike get one type, in the `parameters`
//! module beside those of `#/components/parameters`; each operation's module re-exports it
//! under the name it had.
//!
//! Documents repeat parameters inline: MongoDB's declares `clusterName`, with the same pattern,
//! in 39 operations, and its 454 operations have 430 inline scalar parameters of 111 kinds.
//! Each parameter type costs the crate about ten small bodies to compile (its newtype, checks,
//! conversions and derives). Nothing a user writes changes: the operation's module still
//! names the type as before, the builder's setter keeps the operation's own description, and
//! the type keeps its rules.
//!
//! Alike means the same type in every respect but the description: the same wire name,
//! place, requirement, style and rules. A shared type keeps the description only when every
//! operation gives the same one; otherwise its docs are its rules.

use std::collections::BTreeMap;

use crate::ir::{Param, Tag};
use crate::naming::Namer;

/// Gives the parameters of `tags` that two or more operations declare alike (and that are not
/// shared already) one type in `shared`, which stays ordered by name.
pub(crate) fn hoist(tags: &mut [Tag], shared: &mut Vec<Param>) {
    let mut lists: Vec<&mut [Param]> = tags
        .iter_mut()
        .flat_map(|tag| tag.operations.iter_mut())
        .map(|op| op.params.as_mut_slice())
        .collect();
    hoist_lists(&mut lists, shared);
}

/// [`hoist`] over each operation's parameters.
fn hoist_lists(lists: &mut [&mut [Param]], shared: &mut Vec<Param>) {
    let groups = alike(lists);
    let mut namer = Namer::with_reserved(shared.iter().map(|p| p.type_name.as_str()));
    // The kind most operations use gets its parameters' own name; others with the same
    // name are numbered after it.
    let mut order: Vec<&Group> = groups.iter().filter(|g| g.users.len() > 1).collect();
    order.sort_by(|a, b| {
        (&a.kind.type_name, std::cmp::Reverse(a.users.len()))
            .cmp(&(&b.kind.type_name, std::cmp::Reverse(b.users.len())))
    });
    let mut hoisted = Vec::new();
    for group in order {
        let name = namer.claim(&group.kind.type_name);
        for &(list, param) in &group.users {
            if let Some(param) = lists.get_mut(list).and_then(|l| l.get_mut(param)) {
                param.shared = Some(name.clone());
            }
        }
        hoisted.push(Param {
            type_name: name,
            description: group.description.clone(),
            ..group.kind.clone()
        });
    }
    shared.extend(hoisted);
    shared.sort_by(|a, b| a.type_name.cmp(&b.type_name));
}

/// Parameters of one kind: every field but the description alike.
struct Group {
    /// The first user's parameter, without its description and setter name.
    kind: Param,
    /// The description every user gives, when they agree.
    description: Option<String>,
    /// Where each user's parameter sits: the operation's and the parameter's index.
    users: Vec<(usize, usize)>,
}

/// The kinds of the parameters of `lists` not shared already, in the order first met.
fn alike(lists: &[&mut [Param]]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    // By type name first: parameters of one kind are named alike, and comparing within a
    // name keeps this linear in the parameters for documents with thousands.
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (o, list) in lists.iter().enumerate() {
        for (p, param) in list.iter().enumerate() {
            if param.shared.is_some() {
                continue;
            }
            let kind = kind_of(param);
            let candidates = by_name.entry(param.type_name.as_str()).or_default();
            match candidates.iter().find(|&&g| groups[g].kind == kind) {
                Some(&g) => {
                    let group = &mut groups[g];
                    if group.description != param.description {
                        group.description = None;
                    }
                    group.users.push((o, p));
                }
                None => {
                    candidates.push(groups.len());
                    groups.push(Group {
                        kind,
                        description: param.description.clone(),
                        users: vec![(o, p)],
                    });
                }
            }
        }
    }
    groups
}

/// What makes two parameters the same type: everything but what only their operation shows
/// (the description, the setter's name).
fn kind_of(param: &Param) -> Param {
    Param {
        rust_name: String::new(),
        description: None,
        ..param.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ParamLocation, ParamSchema, ParamStyle};

    fn param(wire: &str, description: &str, pattern: Option<&str>) -> Param {
        Param {
            wire_name: wire.to_owned(),
            rust_name: crate::naming::snake_name(wire),
            type_name: crate::naming::type_name_with(wire, "Schema"),
            location: ParamLocation::Path,
            required: true,
            description: Some(description.to_owned()),
            deprecated: false,
            style: ParamStyle::Simple,
            explode: false,
            allow_reserved: false,
            delimiter: None,
            schema: ParamSchema::String {
                min_length: None,
                max_length: None,
                pattern: pattern.map(str::to_owned),
                format: None,
                default: None,
            },
            shared: None,
        }
    }

    fn hoisted(mut ops: Vec<Vec<Param>>, shared: &mut Vec<Param>) -> Vec<Vec<Param>> {
        let mut lists: Vec<&mut [Param]> = ops.iter_mut().map(Vec::as_mut_slice).collect();
        hoist_lists(&mut lists, shared);
        ops
    }

    #[test]
    fn parameters_alike_but_for_their_description_share_a_type() {
        let pattern = Some("^[a-z]+$");
        let mut shared = Vec::new();
        let ops = hoisted(
            vec![
                vec![param("clusterName", "The cluster.", pattern)],
                vec![param("clusterName", "Its cluster.", pattern)],
                vec![param("clusterName", "Another rule.", Some("^[0-9]+$"))],
                vec![param(
                    "clusterName",
                    "Another rule, again.",
                    Some("^[0-9]+$"),
                )],
                vec![param("clusterName", "Alone.", Some("^x$"))],
            ],
            &mut shared,
        );
        let names: Vec<_> = ops.iter().map(|op| op[0].shared.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("ClusterNameSchema"),
                Some("ClusterNameSchema"),
                Some("ClusterNameSchema2"),
                Some("ClusterNameSchema2"),
                None,
            ]
        );
        assert_eq!(shared.len(), 2);
        assert_eq!(shared[0].description, None, "the descriptions differ");
        assert_eq!(shared[0].type_name, "ClusterNameSchema");
    }

    #[test]
    fn an_agreed_description_stays_and_component_names_are_kept_free() {
        let mut component = param("other", "From the components.", None);
        component.type_name = "EnvelopeSchema".to_owned();
        let mut shared = vec![component];
        let ops = hoisted(
            vec![
                vec![param("envelope", "Wraps it.", None)],
                vec![param("envelope", "Wraps it.", None)],
            ],
            &mut shared,
        );
        let hoisted = &shared[1];
        assert_eq!(hoisted.type_name, "EnvelopeSchema2");
        assert_eq!(hoisted.description.as_deref(), Some("Wraps it."));
        assert_eq!(ops[1][0].shared.as_deref(), Some("EnvelopeSchema2"));
    }
}
