//! Atlas's envelope: with `envelope=true`, a response is `{"status": …, "content": …}`
//! with HTTP status 200 whatever happened; the SDK takes it off so callers get the same
//! types either way.

use reqwest::StatusCode;

/// Atlas's envelope, as the runtime's client takes it off.
pub(crate) const ENVELOPE: specwire::Envelope = specwire::Envelope {
    query_parameter: "envelope",
    unwrap: unwrap_envelope,
};

/// `{"status": 200, "content": …}` → (status, content); `None` when the body is not an
/// envelope, in which case it is decoded as it is.
pub(crate) fn unwrap_envelope(body: &[u8]) -> Option<(StatusCode, serde_json::Value)> {
    let serde_json::Value::Object(mut envelope) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let status = u16::try_from(envelope.get("status")?.as_u64()?).ok()?;
    let status = StatusCode::from_u16(status).ok()?;
    let content = envelope
        .remove("content")
        .unwrap_or(serde_json::Value::Null);
    Some((status, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_with_a_valid_status_is_an_envelope() {
        let (status, content) =
            unwrap_envelope(br#"{"status": 404, "content": {"a": 1}}"#).unwrap();
        assert_eq!(
            (status.as_u16(), content),
            (404, serde_json::json!({"a": 1}))
        );
        let (_, content) = unwrap_envelope(br#"{"status": 204}"#).unwrap();
        assert_eq!(content, serde_json::Value::Null);
        for body in [
            &br#"[1]"#[..],
            br#"{"content": 1}"#,
            br#"{"status": "200"}"#,
            br#"{"status": 70000}"#,
            b"not json",
        ] {
            assert_eq!(
                unwrap_envelope(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
