//! Reading the requests an API sends to its callers (OpenAPI's `webhooks`): a generated
//! function per webhook decodes the request body into its documented type, with the same
//! leniency as responses (unknown enum values kept, unknown fields skipped) and an error that
//! says where decoding failed.

use bytes::Bytes;
use serde::de::DeserializeOwned;

/// A webhook request body that does not decode into the documented type.
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not decode the body of the `{webhook}` webhook at `{path}`: {message}")]
#[non_exhaustive]
pub struct WebhookError {
    /// The webhook's name in the specification.
    pub webhook: &'static str,
    /// The undecoded body.
    pub body: Bytes,
    /// Where in the body decoding failed, as a serde path such as `items[3].id` (`.` for
    /// the whole body).
    pub path: String,
    /// What was wrong there.
    pub message: String,
}

/// Decodes the JSON body of the webhook `webhook` into `T`.
///
/// # Errors
/// [`WebhookError`] when the body is not JSON of that type.
pub fn decode<T: DeserializeOwned>(webhook: &'static str, body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).or_else(|_| {
        let mut de = serde_json::Deserializer::from_slice(body);
        let decoded = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
            .and_then(|value| {
                de.end()
                    .map(|()| value)
                    .map_err(|e| (".".to_owned(), e.to_string()))
            });
        decoded.map_err(|(path, message)| WebhookError {
            webhook,
            body: Bytes::copy_from_slice(body),
            path,
            message,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_decodes_or_says_where_it_does_not() {
        let ok: Vec<u32> = decode("numbers", b"[1, 2]").unwrap();
        assert_eq!(ok, [1, 2]);
        let error = decode::<Vec<u32>>("numbers", b"[1, \"two\"]").unwrap_err();
        assert_eq!(error.path, "[1]");
        assert_eq!(
            error.to_string(),
            "could not decode the body of the `numbers` webhook at `[1]`: invalid type: string \"two\", expected u32 at line 1 column 9"
        );
        assert_eq!(error.body, Bytes::from_static(b"[1, \"two\"]"));
        let trailing = decode::<Vec<u32>>("numbers", b"[1] x").unwrap_err();
        assert_eq!(trailing.path, ".");
    }
}
