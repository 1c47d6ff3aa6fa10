//! The names a previous document gave operations and types that the new one renamed: what a
//! crate generated with them keeps as deprecated aliases, so that a rename (MongoDB renamed
//! 317 operations in four days) breaks no caller for a release.

use std::collections::{BTreeMap, BTreeSet};

use super::Diff;
use crate::ir::{Api, FormerNames, Renames};
use crate::{Error, Options, Spec};

/// The renames from `old` to `new`: operations paired by method and path (then by id), types
/// by shape, as the diff pairs them.
pub fn renames(old: &Api, new: &Api) -> Renames {
    let mut diff = Diff::new(old, new);
    diff.types();
    let pairing = super::operations::pair(old, new);
    // An alias lives on the operation's tag now: it serves old code only if the tag is the
    // one the old code reached it through.
    let old_tags: BTreeMap<&str, &str> = old
        .tags
        .iter()
        .flat_map(|t| {
            t.operations
                .iter()
                .map(|o| (o.id.as_str(), t.module.as_str()))
        })
        .collect();
    let mut operations = BTreeMap::new();
    for tag in &new.tags {
        // A former name is kept only where nothing of the tag has it now.
        let taken: BTreeSet<&str> = tag
            .operations
            .iter()
            .flat_map(|o| [o.fn_name.as_str(), o.builder_name.as_str()])
            .collect();
        for now in &tag.operations {
            let Some(before) = pairing.former(now) else {
                continue;
            };
            if before.fn_name == now.fn_name
                || old_tags.get(before.id.as_str()) != Some(&tag.module.as_str())
                || taken.contains(before.fn_name.as_str())
                || taken.contains(before.builder_name.as_str())
            {
                continue;
            }
            operations.insert(
                now.id.clone(),
                FormerNames {
                    id: before.id.clone(),
                    fn_name: before.fn_name.clone(),
                    builder_name: before.builder_name.clone(),
                },
            );
        }
    }
    Renames {
        operations,
        types: diff.renamed,
    }
}

/// [`renames`] between two documents, each lowered with `options`.
///
/// # Errors
/// When either document cannot be lowered.
pub fn renames_between(old: &Spec, new: &Spec, options: &Options) -> Result<Renames, Error> {
    let options = Options {
        former_names: None,
        ..options.clone()
    };
    let old_api = crate::lower(old, &options)?;
    let new_api = crate::lower(new, &options)?;
    Ok(renames(&old_api, &new_api))
}
