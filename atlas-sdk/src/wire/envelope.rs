//! Atlas's envelope: with `envelope=true`, a response is `{"status": …, "content": …}`
//! with HTTP status 200 whatever happened; the SDK takes it off so callers get the same
//! types either way.

use reqwest::StatusCode;

/// `{"status": 200, "content": …}` → (status, content); `None` when the body is not an
/// envelope, in which case it is decoded as it is.
pub(crate) fn unwrap_envelope(body: &[u8]) -> Option<(StatusCode, serde_json::Value)> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        status: u16,
        #[serde(default)]
        content: serde_json::Value,
    }
    let envelope: Envelope = serde_json::from_slice(body).ok()?;
    let status = StatusCode::from_u16(envelope.status).ok()?;
    Some((status, envelope.content))
}
