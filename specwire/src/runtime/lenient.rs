//! Reading a success body leniently: an optional field whose value does not decode as its
//! type (a date-time sent as `""` because the document declares `default: ""`) reads as
//! absent, kept raw with its path ([`Unparsed`], on [`Response::unparsed`]) and logged at
//! debug level, instead of failing the whole body. Required fields stay strict, and so does
//! every decoding that is not a success body's (a model read with `serde_json` directly,
//! which is what the codec twins compare with serde's derive).
//!
//! Only a body that failed to decode comes here, so a good body pays nothing. The body, as a
//! JSON value, is decoded again with its path tracked, while the field arms of generated
//! models ([`super::object::Optional`], [`super::object::Field`]) tell which field's value
//! failed: the innermost one, which claims the error first. When that field is optional and
//! the error sits at it, its value is taken out of the JSON (an absent optional field is
//! `None`), and with it the same value of the same field in every other item of the lists on
//! its path (a server sends the same `""` for every member: one more round, not one per
//! member); then the body is decoded again. Anything else gives up, and the caller reports
//! the strict decoding's error.
//!
//! [`Response::unparsed`]: crate::Response::unparsed

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::Unparsed;

/// Rounds of decoding before giving up: each takes out one malformed value (in every item
/// of the lists it sits in), so this many different ones.
const MAX_ROUNDS: usize = 64;

thread_local! {
    /// Whether a lenient pass is decoding on this thread (field arms only report then).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// The innermost field whose value failed in the current round.
    static CLAIM: RefCell<Claim> = const { RefCell::new(Claim::Open) };
}

#[derive(Debug, PartialEq)]
enum Claim {
    Open,
    Field { key: String, optional: bool },
}

/// A field arm decoded its value. An error an untagged union tried and dropped is no
/// longer the one to explain, so the claim opens again.
pub(crate) fn decoded() {
    if ACTIVE.get() {
        CLAIM.set(Claim::Open);
    }
}

/// A field arm's value failed to decode: the first (innermost) field to say so claims it.
pub(crate) fn failed(key: &str, optional: bool) {
    if ACTIVE.get() {
        CLAIM.with_borrow_mut(|claim| {
            if *claim == Claim::Open {
                *claim = Claim::Field {
                    key: key.to_owned(),
                    optional,
                };
            }
        });
    }
}

/// A lenient pass on this thread, for as long as it lives.
struct Pass {
    was: bool,
}

impl Pass {
    fn enter() -> Self {
        CLAIM.set(Claim::Open);
        Self {
            was: ACTIVE.replace(true),
        }
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        ACTIVE.set(self.was);
        CLAIM.set(Claim::Open);
    }
}

/// `body` decoded as `T` with its malformed optional values read as absent, and those
/// values; `None` when it does not decode so (the strict error is the one to report).
pub(crate) fn decode<T: DeserializeOwned>(mut body: Value) -> Option<(T, Vec<Unparsed>)> {
    let _pass = Pass::enter();
    let mut unparsed = Vec::new();
    for _ in 0..MAX_ROUNDS {
        CLAIM.set(Claim::Open);
        let error = match serde_path_to_error::deserialize::<_, T>(&body) {
            Ok(decoded) => return Some((decoded, unparsed)),
            Err(error) => error,
        };
        let Claim::Field {
            key,
            optional: true,
        } = CLAIM.replace(Claim::Open)
        else {
            return None;
        };
        let path: Vec<Segment> = error.path().iter().cloned().collect();
        // The error must be the optional field's own value, not something inside it.
        if !matches!(path.last(), Some(Segment::Map { key: last }) if *last == key) {
            return None;
        }
        let raw = value_at(&body, &path)?.clone();
        let message = error.into_inner().to_string();
        let mut taken = Vec::new();
        take_each(&mut body, &path, &raw, &mut Vec::new(), &mut taken);
        if taken.is_empty() {
            return None;
        }
        for at in taken {
            let path = show(&at);
            tracing::debug!(
                path = %path,
                value = %raw,
                error = %message,
                "an optional field's value does not decode as its type; read as absent"
            );
            unparsed.push(Unparsed {
                path,
                value: raw.clone(),
                message: message.clone(),
            });
        }
    }
    None
}

fn value_at<'a>(mut node: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    for segment in path {
        node = match segment {
            Segment::Map { key } => node.get(key.as_str())?,
            Segment::Seq { index } => node.get(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Takes `raw` out of `node` at `path`, and at the same place in every item of each list on
/// the way, pushing the path of each value taken to `taken`. The items of one list are of
/// one type, so the same value of the same field fails the same way in each.
///
/// Recursive over `path`, whose length is bounded by the depth `serde_json` parses (128).
fn take_each(
    node: &mut Value,
    path: &[Segment],
    raw: &Value,
    at: &mut Vec<Segment>,
    taken: &mut Vec<Vec<Segment>>,
) {
    match path {
        [Segment::Map { key }] => {
            if let Value::Object(map) = node
                && map.get(key) == Some(raw)
            {
                map.remove(key);
                at.push(Segment::Map { key: key.clone() });
                taken.push(at.clone());
                at.pop();
            }
        }
        [Segment::Map { key }, rest @ ..] => {
            if let Some(next) = node.get_mut(key.as_str()) {
                at.push(Segment::Map { key: key.clone() });
                take_each(next, rest, raw, at, taken);
                at.pop();
            }
        }
        [Segment::Seq { .. }, rest @ ..] => {
            if let Value::Array(items) = node {
                for (index, item) in items.iter_mut().enumerate() {
                    at.push(Segment::Seq { index });
                    take_each(item, rest, raw, at, taken);
                    at.pop();
                }
            }
        }
        _ => {}
    }
}

/// A path as `serde_path_to_error` writes one (and so [`crate::Error::Decode`]):
/// `member[0].createdAt`.
fn show(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        if !out.is_empty() && !matches!(segment, Segment::Seq { .. }) {
            out.push('.');
        }
        out.push_str(&segment.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_decode_errors_write_them() {
        let path = [
            Segment::Map {
                key: "member".to_owned(),
            },
            Segment::Seq { index: 0 },
            Segment::Map {
                key: "createdAt".to_owned(),
            },
        ];
        assert_eq!(show(&path), "member[0].createdAt");
    }

    #[test]
    fn the_same_value_is_taken_from_every_item_and_no_other() {
        let mut body = serde_json::json!({"member": [
            {"createdAt": ""}, {"createdAt": "2024-01-02T03:04:05Z"}, {"createdAt": ""}, 7
        ]});
        let path = [
            Segment::Map {
                key: "member".to_owned(),
            },
            Segment::Seq { index: 2 },
            Segment::Map {
                key: "createdAt".to_owned(),
            },
        ];
        let mut taken = Vec::new();
        take_each(
            &mut body,
            &path,
            &Value::from(""),
            &mut Vec::new(),
            &mut taken,
        );
        let taken: Vec<String> = taken.iter().map(|p| show(p)).collect();
        assert_eq!(taken, ["member[0].createdAt", "member[2].createdAt"]);
        assert_eq!(
            body,
            serde_json::json!({"member": [{}, {"createdAt": "2024-01-02T03:04:05Z"}, {}, 7]})
        );
    }

    #[test]
    fn arms_report_only_during_a_pass_and_the_innermost_claims() {
        failed("outside", true);
        assert_eq!(CLAIM.replace(Claim::Open), Claim::Open);
        let pass = Pass::enter();
        failed("inner", true);
        failed("outer", false);
        assert_eq!(
            CLAIM.replace(Claim::Open),
            Claim::Field {
                key: "inner".to_owned(),
                optional: true
            }
        );
        failed("tried", false);
        decoded();
        assert_eq!(CLAIM.replace(Claim::Open), Claim::Open);
        drop(pass);
        assert!(!ACTIVE.get());
    }
}
