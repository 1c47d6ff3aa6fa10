//! What a `$ref` names, following chains of them, and everything a part of a document
//! reaches through them: the one reader of references.
//!
//! - The upgrade's resolver (`upgrade/refs.rs`) reads each reference with [`Target::of`] and
//!   rewrites it into a direct component reference.
//! - Lowering follows component chains (`A: {$ref: B}`) with `component`, and limits a
//!   tag-filtered crate to what its operations [`reach`].
//! - The conformance programs [`follow`] references in the JSON form.
//! - The command's bundler splits file references with [`Target::of`], and the benchmark's
//!   subset cutter keeps what the chosen operations [`reach`].
//!
//! Which positions hold references is the structural walk's to know ([`crate::walk`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::walk::{Dialect, Position, Read, read_at};

/// References followed in one chain before giving up: real chains are one or two long, and
/// a cycle of references must not loop forever.
pub const MAX_CHAIN: usize = 32;

/// What a `$ref` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A JSON pointer into the same document, without its `#` (`/components/schemas/Pet`;
    /// empty for the whole document).
    Local(&'a str),
    /// A plain-name fragment (`#pet`): an `$anchor` of the same document.
    Anchor(&'a str),
    /// Another file, relative to the one the reference is written in, and the fragment
    /// within it (empty for the whole file).
    File {
        /// The file's path as written.
        path: &'a str,
        /// What follows `#`, or empty.
        fragment: &'a str,
    },
    /// A URL: never fetched.
    Url(&'a str),
}

impl<'a> Target<'a> {
    /// Reads a reference as written.
    pub fn of(reference: &'a str) -> Self {
        if reference.contains("://") {
            return Self::Url(reference);
        }
        match reference.split_once('#') {
            Some(("", fragment)) if fragment.is_empty() || fragment.starts_with('/') => {
                Self::Local(fragment)
            }
            Some(("", anchor)) => Self::Anchor(anchor),
            Some((path, fragment)) => Self::File { path, fragment },
            None => Self::File {
                path: reference,
                fragment: "",
            },
        }
    }
}

/// The section and name of a direct component reference (`#/components/<section>/<name>`),
/// the name unescaped; `None` for any other reference.
pub fn component_name(reference: &str) -> Option<(&str, String)> {
    let (section, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    (!name.contains('/') && !name.is_empty()).then(|| (section, unescape(name)))
}

/// The name a direct reference to `#/components/<section>/…` gives, unescaped; `None` for
/// a reference to anything else.
pub fn name_in(section: &str, reference: &str) -> Option<String> {
    component_name(reference).and_then(|(named, name)| (named == section).then_some(name))
}

/// What a local reference (`#/…`, or `#` for the whole document) points to in `root`.
pub fn local<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    match Target::of(reference) {
        Target::Local(pointer) => root.pointer(pointer),
        _ => None,
    }
}

/// A name as a JSON pointer token (`/` is `~1`, `~` is `~0`).
pub fn escape(name: &str) -> String {
    crate::error::escape_token(name)
}

/// A JSON pointer token as the name it stands for (`~1` is `/`, `~0` is `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Follows a chain of references from `start`: `next` gives what the reference `start`
/// holds names (with the reference), or `None` when it holds none or it names nothing. At
/// most [`MAX_CHAIN`] links are followed. Returns where the chain stopped and the last
/// reference followed (`None` when `start` is no reference).
fn chain<'a, T: Copy>(start: T, next: impl Fn(T) -> Option<(&'a str, T)>) -> (T, Option<&'a str>) {
    let mut current = start;
    let mut followed = None;
    for _ in 0..MAX_CHAIN {
        let Some((reference, target)) = next(current) else {
            break;
        };
        followed = Some(reference);
        current = target;
    }
    (current, followed)
}

/// `value` with its local `$ref`s followed within the document `root`, and the last
/// reference followed (`None` when `value` is no reference). A reference that points
/// nowhere stops the chain where it is: `validate` reports those.
pub fn follow<'a>(root: &'a Value, value: &'a Value) -> (&'a Value, Option<&'a str>) {
    chain(value, |value| {
        let reference = value.get("$ref")?.as_str()?;
        Some((reference, local(root, reference)?))
    })
}

/// The component a direct reference to `#/components/<section>/…` names in `entries` (that
/// section of the typed document), following components that are references themselves
/// (`A: {$ref: B}`), with the reference of the component it ends at. `None` when it names
/// no entry there, or the chain is a cycle.
pub(crate) fn component<'a: 'r, 'r, T>(
    entries: &'a indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>,
    section: &str,
    reference: &'r str,
) -> Option<(&'a T, &'r str)> {
    let entry = |reference: &str| entries.get(&name_in(section, reference)?);
    let (end, followed) = chain(entry(reference)?, |item| match item {
        openapiv3::ReferenceOr::Reference { reference } => {
            Some((reference.as_str() as &'r str, entry(reference)?))
        }
        openapiv3::ReferenceOr::Item(_) => None,
    });
    match end {
        openapiv3::ReferenceOr::Item(item) => Some((item, followed.unwrap_or(reference))),
        openapiv3::ReferenceOr::Reference { .. } => None,
    }
}

/// The references a value at `position` makes itself (not those of the positions inside
/// it): its `$ref`, and a schema's discriminator mapping, whose values name schemas by
/// reference or (OpenAPI 3.0) by bare name.
pub fn named_by(position: Position, value: &Value) -> Vec<String> {
    let mut named: Vec<String> = value
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect();
    if position == Position::Schema
        && let Some(Value::Object(mapping)) =
            value.get("discriminator").and_then(|d| d.get("mapping"))
    {
        named.extend(mapping.values().filter_map(Value::as_str).map(|target| {
            if target.starts_with('#') || target.contains('/') {
                target.to_owned()
            } else {
                format!(
                    "#/components/schemas/{}",
                    crate::error::escape_token(target)
                )
            }
        }));
    }
    named
}

/// What the parts of a document reach through their references.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reach {
    /// Each local reference reached (as written, `#/components/schemas/Pet`), with the
    /// position it was reached from, which is what it holds.
    pub reached: BTreeMap<String, Position>,
    /// Local references that point to nothing in the document.
    pub dangling: BTreeSet<String>,
    /// References to other files and URLs, which are not followed.
    pub elsewhere: BTreeSet<String>,
}

impl Reach {
    /// The names of the component schemas reached.
    pub fn schemas(&self) -> BTreeSet<String> {
        self.reached
            .keys()
            .filter_map(|reference| component_name(reference))
            .filter(|(section, _)| *section == "schemas")
            .map(|(_, name)| name)
            .collect()
    }
}

/// Everything the `roots` (parts of the document `root`, each at its position) reach
/// through references, transitively. Only positions the structural walk knows are read:
/// examples and extensions are data.
pub fn reach<'a>(root: &Value, roots: impl IntoIterator<Item = (Position, &'a Value)>) -> Reach {
    let dialect = Dialect::of(root);
    let mut found = Found(Vec::new());
    for (position, value) in roots {
        read_at(value, position, "#", dialect, &mut found);
    }
    let mut reach = Reach::default();
    while let Some((position, reference)) = found.0.pop() {
        if reach.reached.contains_key(&reference)
            || reach.dangling.contains(&reference)
            || reach.elsewhere.contains(&reference)
        {
            continue;
        }
        let Target::Local(pointer) = Target::of(&reference) else {
            reach.elsewhere.insert(reference);
            continue;
        };
        match root.pointer(pointer) {
            Some(target) => {
                read_at(target, position, &reference, dialect, &mut found);
                reach.reached.insert(reference, position);
            }
            None => {
                reach.dangling.insert(reference);
            }
        }
    }
    reach
}

/// Gathers the references each position makes.
struct Found(Vec<(Position, String)>);

impl Read for Found {
    fn enter(&mut self, position: Position, value: &Value, _at: &str) -> bool {
        for reference in named_by(position, value) {
            self.0.push((position, reference));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_are_read_as_what_they_name() {
        assert_eq!(
            Target::of("#/components/schemas/A"),
            Target::Local("/components/schemas/A")
        );
        assert_eq!(Target::of("#"), Target::Local(""));
        assert_eq!(Target::of("#pet"), Target::Anchor("pet"));
        assert_eq!(
            Target::of("common.yaml#/Error"),
            Target::File {
                path: "common.yaml",
                fragment: "/Error"
            }
        );
        assert_eq!(
            Target::of("pet.json"),
            Target::File {
                path: "pet.json",
                fragment: ""
            }
        );
        assert_eq!(
            Target::of("https://example.com/s.json#/A"),
            Target::Url("https://example.com/s.json#/A")
        );
        assert_eq!(
            component_name("#/components/schemas/a~1b"),
            Some(("schemas", "a/b".to_owned()))
        );
        assert_eq!(component_name("#/components/schemas/A/properties/b"), None);
        assert_eq!(component_name("#/definitions/A"), None);
    }

    #[test]
    fn a_chain_is_followed_to_its_end_and_a_cycle_stops() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Gone": {"$ref": "#/components/schemas/Nothing"}
        }}});
        let start = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(
            follow(&doc, &start),
            (&json!({"type": "string"}), Some("#/components/schemas/B"))
        );
        let plain = json!({"type": "integer"});
        assert_eq!(follow(&doc, &plain), (&plain, None));
        let gone = json!({"$ref": "#/components/schemas/Gone"});
        assert_eq!(
            follow(&doc, &gone).1,
            Some("#/components/schemas/Gone"),
            "a dangling link stops where it is"
        );

        let typed: openapiv3::Components =
            serde_json::from_value(doc["components"].clone()).expect("components");
        let schemas = &typed.schemas;
        let (b, at) = component(schemas, "schemas", "#/components/schemas/A").expect("A");
        assert_eq!(at, "#/components/schemas/B");
        assert!(matches!(
            b.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
        assert!(component(schemas, "schemas", "#/components/schemas/Loop").is_none());
        assert!(component(schemas, "schemas", "#/components/schemas/Gone").is_none());
        assert!(component(schemas, "responses", "#/components/schemas/B").is_none());
    }

    #[test]
    fn what_an_operation_reaches_includes_mappings_and_skips_data() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P"}],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"},
                    "example": {"$ref": "#/components/schemas/NotRead"}
                }}}}
            }}},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/Id"}}},
                "schemas": {
                    "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                            "discriminator": {"propertyName": "kind", "mapping": {"dog": "Dog", "bird": "#/components/schemas/Gone"}}},
                    "Cat": {"properties": {"self": {"$ref": "#/components/schemas/Cat"}}},
                    "Dog": {"type": "object"},
                    "Id": {"type": "string"},
                    "NotRead": {"type": "string"}
                }
            }
        });
        let get = &doc["paths"]["/a"]["get"];
        let reach = reach(&doc, [(Position::Operation, get)]);
        assert_eq!(
            reach.schemas().into_iter().collect::<Vec<_>>(),
            ["Cat", "Dog", "Id", "Pet"]
        );
        assert_eq!(
            reach.reached.get("#/components/parameters/P"),
            Some(&Position::Parameter)
        );
        assert_eq!(
            reach.dangling.into_iter().collect::<Vec<_>>(),
            ["#/components/schemas/Gone"]
        );
    }
}
