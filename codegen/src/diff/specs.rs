//! Comparing two specs end to end, optionally tag by tag so that tags the generator cannot
//! lower yet are listed as not compared instead of failing the whole report.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Report, diff};
use crate::{Error, Options, Spec};

/// A tag left out of a report, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCompared {
    /// The tag.
    pub tag: String,
    /// The generator's error for it.
    pub reason: String,
}

/// The first tag of every operation in `spec` (operations without tags count as `Default`).
fn tags(spec: &Spec) -> BTreeSet<String> {
    spec.openapi
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op.tags.first().cloned()))
        .map(|tag| tag.unwrap_or_else(|| crate::lower::UNTAGGED.to_owned()))
        .collect()
}

/// Compares `old` and `new` under `options`. With `skip_unsupported`, each tag is tried alone
/// first; tags that either spec cannot lower are left out of both sides and listed in
/// [`Report::not_compared`]. Without it, the first error ends the comparison.
pub fn diff_specs(
    old: &Spec,
    new: &Spec,
    options: &Options,
    skip_unsupported: bool,
) -> Result<Report, Error> {
    let mut options = options.clone();
    let mut not_compared = Vec::new();
    if skip_unsupported {
        let wanted: BTreeSet<String> = match &options.tags {
            Some(tags) => tags.clone(),
            None => tags(old).union(&tags(new)).cloned().collect(),
        };
        let mut comparable = BTreeSet::new();
        for tag in wanted {
            let alone = Options {
                tags: Some(BTreeSet::from([tag.clone()])),
                ..options.clone()
            };
            match crate::lower(old, &alone).and_then(|_| crate::lower(new, &alone)) {
                Ok(_) => {
                    comparable.insert(tag);
                }
                Err(error) => not_compared.push(NotCompared {
                    tag,
                    reason: error.to_string(),
                }),
            }
        }
        options.tags = Some(comparable);
    }
    let old_api = crate::lower(old, &options)?;
    let new_api = crate::lower(new, &options)?;
    let mut report = diff(&old.file, &old_api, &new.file, &new_api);
    report.not_compared = not_compared;
    if skip_unsupported {
        report.compared_tags = options.tags;
    }
    Ok(report)
}
