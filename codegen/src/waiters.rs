//! Waiter tables: which operations to poll, and until what (`spec/waiters.toml` for
//! MongoDB's specs). Entries are keyed by method and path template, never by `operationId`,
//! which publishers rename. The caller parses the table (TOML in the command line); this
//! module holds its shape and checks each entry against the document.

use serde::Deserialize;

use crate::ir::{Diagnostic, NoteKind, SuccessBody, Tag};

/// A waiter table: `[[waiter]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterTable {
    /// The waiters.
    #[serde(default, rename = "waiter")]
    pub waiters: Vec<WaiterEntry>,
}

/// One waiter: `wait_until_<name>` on the tag of the operation at `method` and `path`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterEntry {
    /// `cluster_ready` → `wait_until_cluster_ready`.
    pub name: String,
    /// The HTTP method of the operation polled (`GET`).
    pub method: String,
    /// Its path template, as the document writes it.
    pub path: String,
    /// The first (and least) delay between polls, in seconds (default 2).
    #[serde(default)]
    pub min_delay_seconds: Option<f64>,
    /// The longest delay between polls, in seconds (default 60).
    #[serde(default)]
    pub max_delay_seconds: Option<f64>,
    /// How long to wait in all, in seconds (default 1800).
    #[serde(default)]
    pub timeout_seconds: Option<f64>,
    /// The rules, in order: the first that matches decides.
    #[serde(rename = "acceptor")]
    pub acceptors: Vec<AcceptorEntry>,
}

/// One rule: an outcome, and a status, an error's `errorCode`, or a field of the body with
/// its values.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptorEntry {
    /// `success`, `failure` or `retry`.
    pub outcome: OutcomeName,
    /// A status (a success or an error status).
    #[serde(default)]
    pub status: Option<u16>,
    /// The `errorCode` of an error response's body (`CLUSTER_NOT_FOUND`).
    #[serde(default)]
    pub error_code: Option<String>,
    /// A JSON pointer into the success body (`/stateName`).
    #[serde(default)]
    pub field: Option<String>,
    /// The values of `field` that match.
    #[serde(default)]
    pub values: Vec<String>,
}

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeName {
    /// Done.
    Success,
    /// Failed.
    Failure,
    /// Not yet.
    Retry,
}

/// A waiter checked against the document: where it goes and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The method's name, `wait_until_<name>`.
    pub fn_name: String,
    /// The entry's name.
    pub name: String,
    /// The operation polled: its index in its tag's operations.
    pub operation: usize,
    /// The entry.
    pub entry: WaiterEntry,
}

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
        // The waiter decodes the body it ends on as JSON, as the operation's `send` does.
        if let Some((tag, at)) = &found {
            let body = &tag.operations[*at].success.body;
            if !matches!(body, SuccessBody::Json(_) | SuccessBody::OptionalJson(_)) {
                diagnostics.push(note(format!(
                    "waiter `{}`: `{} {}` does not answer with a JSON body to poll; not generated",
                    entry.name,
                    entry.method.to_ascii_uppercase(),
                    entry.path
                )));
                continue;
            }
        }
        let Some((tag, operation)) = found else {
            diagnostics.push(note(format!(
                "waiter `{}` polls `{} {}`, which the document does not have; not generated",
                entry.name,
                entry.method.to_ascii_uppercase(),
                entry.path
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
            (Some(_), None, None) | (None, Some(_), None) if acceptor.values.is_empty() => {}
            (None, None, Some(field)) if field.starts_with('/') && !acceptor.values.is_empty() => {}
            _ => {
                return Some(format!(
                    "acceptor {i} needs one of a `status`, an `error_code`, or a `field` (a JSON pointer such as `/stateName`) with `values`"
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
