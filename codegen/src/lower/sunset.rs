//! `x-sunset`: the date after which the API no longer serves an operation (MongoDB's Atlas
//! specs mark their deprecated operations with it), and the operation that replaces it,
//! when the description names one.

use std::collections::BTreeMap;

use crate::ir::{Diagnostic, NoteKind, Replacement, Tag};

use super::media::parse_date;

/// The operation's sunset date, when it has a well-formed one (`YYYY-MM-DD`); anything else
/// is noted and ignored, since the operation still works.
pub(super) fn date(
    operation: &openapiv3::Operation,
    at: &str,
    notes: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = operation.extensions.get("x-sunset")?;
    match value.as_str().filter(|d| parse_date(d).is_some()) {
        Some(date) => Some(date.to_owned()),
        None => {
            notes.push(Diagnostic {
                kind: NoteKind::Version,
                pointer: format!("{at}/x-sunset"),
                message: format!("`x-sunset` is not a date (YYYY-MM-DD): {value}; ignored"),
            });
            None
        }
    }
}

/// Sets the replacement of every sunset operation whose description names another
/// operation: by its operationId (MongoDB writes "use the downloadFlexBackup endpoint
/// instead", or links `#tag/…/operation/addUserToTeam`), or by its summary after "Use"
/// ("Use Return One MongoDB Cloud User in One Organization to …"). Sunset operations never
/// replace one another.
pub(super) fn find_replacements(tags: &mut [Tag]) {
    let mut by_id = BTreeMap::new();
    let mut by_summary = BTreeMap::new();
    for tag in tags.iter() {
        for op in tag.operations.iter().filter(|op| op.sunset.is_none()) {
            let replacement = Replacement {
                id: op.id.clone(),
                fn_name: op.fn_name.clone(),
                tag_module: tag.module.clone(),
            };
            if let Some(summary) = op.summary.as_deref().filter(|s| s.len() > 8) {
                by_summary.insert(summary.to_owned(), replacement.clone());
            }
            by_id.insert(op.id.clone(), replacement);
        }
    }
    for op in tags.iter_mut().flat_map(|t| t.operations.iter_mut()) {
        let (Some(sunset), Some(description)) = (op.sunset.as_mut(), op.description.as_deref())
        else {
            continue;
        };
        sunset.replacement = named_by_id(description, &by_id)
            .or_else(|| named_by_summary(description, &by_summary))
            .cloned();
    }
}

/// The first operationId in a sentence that points elsewhere: one that says "instead", or
/// starts with "Use" or "Please use". Other sentences name operations for other reasons
/// ("clusters created with the createCluster endpoint").
fn named_by_id<'a>(
    description: &str,
    by_id: &'a BTreeMap<String, Replacement>,
) -> Option<&'a Replacement> {
    description
        .split(". ")
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|s| s.contains("instead") || s.starts_with("Use ") || s.starts_with("Please use "))
        .flat_map(|s| s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .find_map(|word| by_id.get(word))
}

/// The longest summary written right after a "Use " in the description.
fn named_by_summary<'a>(
    description: &str,
    by_summary: &'a BTreeMap<String, Replacement>,
) -> Option<&'a Replacement> {
    description
        .match_indices("Use ")
        .filter_map(|(at, use_)| {
            let after = &description[at + use_.len()..];
            by_summary
                .iter()
                .filter(|(summary, _)| after.starts_with(summary.as_str()))
                .max_by_key(|(summary, _)| summary.len())
        })
        .map(|(_, replacement)| replacement)
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replacement(id: &str) -> Replacement {
        Replacement {
            id: id.to_owned(),
            fn_name: id.to_owned(),
            tag_module: "t".to_owned(),
        }
    }

    #[test]
    fn a_replacement_is_found_by_id_or_by_summary() {
        let by_id = BTreeMap::from([("downloadFlexBackup".to_owned(), replacement("a"))]);
        let found = named_by_id(
            "until January 2026. Please use the downloadFlexBackup endpoint instead.",
            &by_id,
        );
        assert_eq!(found.map(|r| r.id.as_str()), Some("a"));
        let found = named_by_id("Use [it](#tag/X/operation/downloadFlexBackup).", &by_id);
        assert_eq!(found.map(|r| r.id.as_str()), Some("a"));
        assert_eq!(named_by_id("Use downloadFlexBackups", &by_id), None);
        let text = "Made with the downloadFlexBackup endpoint. It ends in 2026.";
        assert_eq!(named_by_id(text, &by_id), None);

        let by_summary = BTreeMap::from([
            ("Return One MongoDB Cloud User".to_owned(), replacement("b")),
            (
                "Return One MongoDB Cloud User in One Organization".to_owned(),
                replacement("c"),
            ),
        ]);
        let text = "Note: Use Return One MongoDB Cloud User in One Organization to return one.";
        let found = named_by_summary(text, &by_summary);
        assert_eq!(found.map(|r| r.id.as_str()), Some("c"));
        assert_eq!(
            named_by_summary("Return One MongoDB Cloud User", &by_summary),
            None
        );
    }
}
