//! What a generated request builder stands for: its operation and the body a success
//! carries, and how a server would send that body (read-only fields included). Typed mocks (`specwire::mock`, feature
//! `mock`) key their rules by it and answer with it; it is always there, so that a crate
//! generated once works with mocks on or off.

use bytes::Bytes;
use serde::Serialize;

use super::{Lines, Operation};
use crate::Error;

/// Implemented by every generated request builder.
pub trait Endpoint {
    /// What a success carries, decoded: the model `send()` returns (`()` for no body,
    /// `String` for text, `Vec<u8>` for bytes, the items of a stream).
    type Body;
    /// The operation the builder sends.
    const OPERATION: &'static Operation;
    /// The request the builder holds, ready to send (what its `send` methods send; a
    /// waiter sends a clone of the builder each poll).
    fn into_prepared(self) -> super::Prepared;
    /// `body` as the server would send it.
    ///
    /// # Errors
    /// [`Error::Config`] when the body does not serialize (a map with non-string keys).
    fn encode(body: &Self::Body) -> Result<Bytes, Error>;
}

fn serialize_error(error: serde_json::Error) -> Error {
    Error::Config(format!("the body does not serialize as JSON: {error}"))
}

/// `item` as JSON, as a server writes it: read-only fields included
/// ([`as_response`](super::object::as_response)).
fn to_json<T: Serialize + ?Sized>(item: &T) -> Result<Vec<u8>, Error> {
    super::object::as_response(|| serde_json::to_vec(item)).map_err(serialize_error)
}

/// A JSON body.
pub fn encode_json<T: Serialize + ?Sized>(body: &T) -> Result<Bytes, Error> {
    to_json(body).map(Bytes::from)
}

/// An optional JSON body: nothing for `None`.
pub fn encode_optional_json<T: Serialize>(body: &Option<T>) -> Result<Bytes, Error> {
    match body {
        Some(body) => encode_json(body),
        None => Ok(Bytes::new()),
    }
}

/// No body.
pub fn encode_empty(_: &()) -> Result<Bytes, Error> {
    Ok(Bytes::new())
}

/// A text body.
pub fn encode_text(body: &str) -> Result<Bytes, Error> {
    Ok(Bytes::copy_from_slice(body.as_bytes()))
}

/// A binary body.
pub fn encode_bytes(body: &[u8]) -> Result<Bytes, Error> {
    Ok(Bytes::copy_from_slice(body))
}

/// A stream of JSON items, each framed as `lines` says.
pub fn encode_lines<T: Serialize>(items: &[T], lines: Lines) -> Result<Bytes, Error> {
    let mut out = Vec::new();
    for item in items {
        if lines == Lines::RecordSeparator {
            out.push(0x1e);
        }
        out.extend(to_json(item)?);
        out.push(b'\n');
    }
    Ok(Bytes::from(out))
}

/// Server-sent events, one per item, its `data` the item as JSON.
pub fn encode_events_json<T: Serialize>(items: &[T]) -> Result<Bytes, Error> {
    let mut out = String::new();
    for item in items {
        out.push_str("data: ");
        out.push_str(&String::from_utf8_lossy(&to_json(item)?));
        out.push_str("\n\n");
    }
    Ok(Bytes::from(out))
}

/// Server-sent events, one per item, its `data` the text (one `data:` line per line).
pub fn encode_events_text(items: &[String]) -> Result<Bytes, Error> {
    let mut out = String::new();
    for item in items {
        for line in item.split('\n') {
            out.push_str(&format!("data: {line}\n"));
        }
        out.push('\n');
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_framed_as_a_server_sends_them() {
        let items = [serde_json::json!({"a": 1}), serde_json::json!(2)];
        assert_eq!(
            encode_lines(&items, Lines::Newline).unwrap(),
            Bytes::from_static(b"{\"a\":1}\n2\n")
        );
        assert_eq!(
            encode_lines(&items, Lines::RecordSeparator).unwrap(),
            Bytes::from_static(b"\x1e{\"a\":1}\n\x1e2\n")
        );
        assert_eq!(
            encode_events_json(&items).unwrap(),
            Bytes::from_static(b"data: {\"a\":1}\n\ndata: 2\n\n")
        );
        assert_eq!(
            encode_events_text(&["one\ntwo".to_owned()]).unwrap(),
            Bytes::from_static(b"data: one\ndata: two\n\n")
        );
        assert_eq!(encode_optional_json::<u8>(&None).unwrap(), Bytes::new());
    }
}
