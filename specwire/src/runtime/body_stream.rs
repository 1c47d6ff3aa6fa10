//! Request bodies streamed from the caller (a file, a pipe) instead of held in memory.

use std::sync::Mutex;

use bytes::Bytes;

/// A request body read from a stream as it is sent.
///
/// A stream can be sent once: a request with one is not retried, and an authentication
/// challenge on it (HTTP Digest's first call, before a nonce is known) fails with
/// [`Error::Config`](crate::Error::Config) instead of sending it again. Make one small call
/// first with Digest, or send bytes when retries matter more than memory.
pub struct BodyStream {
    body: Mutex<Option<reqwest::Body>>,
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyStream")
    }
}

impl BodyStream {
    /// Wraps a stream of byte chunks.
    pub fn new<S, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Self {
            body: Mutex::new(Some(reqwest::Body::wrap_stream(stream))),
        }
    }

    /// The body, the first time; `None` once it was sent.
    pub(crate) fn take(&self) -> Option<reqwest::Body> {
        self.body
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl Clone for BodyStream {
    /// A clone of a builder carries no stream: only one of them can send it.
    fn clone(&self) -> Self {
        Self {
            body: Mutex::new(None),
        }
    }
}
