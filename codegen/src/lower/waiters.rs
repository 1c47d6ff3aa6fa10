//! The waiter table's entries checked against the document and attached to the tags whose
//! operations they poll.

use crate::ir::{Diagnostic, NoteKind, SuccessBody, Tag};
use crate::waiters::{Waiter, WaiterEntry, WaiterTable};

/// Attaches each entry of `table` to the tag whose operation it polls; an entry that names
/// no operation of the document, or is malformed, is a located note and is left out.
pub(crate) fn attach(table: &WaiterTable, tags: &mut [Tag], diagnostics: &mut Vec<Diagnostic>) {
    for (index, entry) in table.waiters.iter().enumerate() {
        let pointer = format!("waiters#/waiter/{index}");
        let note = |message: String| Diagnostic {
            pointer: pointer.clone(),
            message,
            kind: NoteKind::Unused,
        };
        if let Some(problem) = malformed(entry) {
            diagnostics.push(note(format!(
                "waiter `{}`: {problem}; not generated",
                entry.name
            )));
            continue;
        }
        let found = tags.iter_mut().find_map(|tag| {
            let at = tag.operations.iter().position(|op| {
                op.method.eq_ignore_ascii_case(&entry.method) && op.path == entry.path
            })?;
            Some((tag, at))
        });
        let polled = format!("`{} {}`", entry.method.to_ascii_uppercase(), entry.path);
        // The waiter decodes the body it ends on as JSON, as the operation's `send` does.
        if let Some((tag, at)) = &found {
            let body = &tag.operations[*at].success.body;
            if !matches!(body, SuccessBody::Json(_) | SuccessBody::OptionalJson(_)) {
                diagnostics.push(note(format!(
                    "waiter `{}`: {polled} does not answer with a JSON body to poll; not generated",
                    entry.name,
                )));
                continue;
            }
        }
        let Some((tag, operation)) = found else {
            diagnostics.push(note(format!(
                "waiter `{}` polls {polled}, which the document does not have; not generated",
                entry.name,
            )));
            continue;
        };
        let fn_name = format!("wait_until_{}", entry.name);
        let taken = tag.operations.iter().any(|op| op.fn_name == fn_name)
            || tag.waiters.iter().any(|w| w.fn_name == fn_name);
        if taken {
            diagnostics.push(note(format!(
                "waiter `{}`: the tag already has a method `{fn_name}`; not generated",
                entry.name
            )));
            continue;
        }
        tag.waiters.push(Waiter {
            fn_name,
            name: entry.name.clone(),
            operation,
            entry: entry.clone(),
        });
    }
}

/// What is wrong with `entry`, if anything.
fn malformed(entry: &WaiterEntry) -> Option<String> {
    let name_ok = entry.name.starts_with(|c: char| c.is_ascii_lowercase())
        && entry
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !name_ok {
        return Some("a name is lower-case letters, digits and `_`".to_owned());
    }
    if entry.acceptors.is_empty() {
        return Some("no acceptor".to_owned());
    }
    for (i, acceptor) in entry.acceptors.iter().enumerate() {
        match (&acceptor.status, &acceptor.error_code, &acceptor.field) {
            (Some(_), None, None) | (None, Some(_), None)
                if acceptor.values.is_empty() && !acceptor.present => {}
            (None, None, Some(field))
                if field.starts_with('/') && acceptor.values.is_empty() == acceptor.present => {}
            _ => {
                return Some(format!(
                    "acceptor {i} needs one of a `status`, an `error_code`, or a `field` (a JSON pointer such as `/stateName`) with `values` or `present = true`"
                ));
            }
        }
    }
    let seconds = [
        entry.min_delay_seconds,
        entry.max_delay_seconds,
        entry.timeout_seconds,
    ];
    if seconds
        .into_iter()
        .flatten()
        .any(|s| !s.is_finite() || !(0.001..=86_400.0 * 7.0).contains(&s))
    {
        return Some("delays and the timeout are seconds from 0.001 to a week".to_owned());
    }
    None
}
