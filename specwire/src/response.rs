//! What a successful call hands back: a typed body with its status and headers, or the raw,
//! streamable response.

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Error;
use crate::error::map_transport_error;
use crate::wire::headers::FromHeaders;

/// A decoded body together with the response's status and headers.
///
/// `H` is the operation's `ResponseHeaders` when the specification documents response
/// headers (such as `RateLimit-Remaining` or `Location`), decoded into typed fields; `()`
/// otherwise.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T, H = ()> {
    /// HTTP status (the envelope's `status` when the response was enveloped).
    pub status: StatusCode,
    /// Response headers, as sent.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
    /// The headers the specification documents, typed (absent or malformed ones are `None`).
    pub typed_headers: H,
    /// Optional fields of the body whose value did not decode as their type (a date-time
    /// sent as `""`, a word where a number belongs): each is `None` in [`body`](Self::body)
    /// and kept here, raw, with its path. Empty when the body decoded as it is.
    pub unparsed: Vec<Unparsed>,
}

/// An optional field of a success body whose value did not decode as its type, so that it
/// reads as absent: a server built from a document that declares `createdAt` a date-time
/// with `default: ""` sends `""`, which would otherwise fail the whole response. Required
/// fields get no such leniency (a malformed one is [`Error::Decode`]), nor do requests.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Unparsed {
    /// Where it is in the body, as [`Error::Decode`] names places: `member[0].createdAt`.
    pub path: String,
    /// The value as the server sent it.
    pub value: serde_json::Value,
    /// Why it did not decode.
    pub message: String,
}

impl<T, H: FromHeaders> Response<T, H> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        let typed_headers = H::from_headers(&headers);
        Self {
            status,
            headers,
            body,
            typed_headers,
            unparsed: Vec::new(),
        }
    }
}

impl<T, H> Response<T, H> {
    /// What the server says about the operation's future: its `Deprecation` and `Sunset`
    /// headers (RFC 9745, RFC 8594), `None` when it sent neither. The first such response
    /// an operation gets in a process is also logged as a `tracing` warning.
    pub fn deprecation(&self) -> Option<crate::Deprecation> {
        crate::Deprecation::from_headers(&self.headers)
    }

    /// Drops status and headers, keeping the body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body replaced by `f(body)`.
    pub(crate) fn map_body<U>(self, f: impl FnOnce(T) -> U) -> Response<U, H> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            typed_headers: self.typed_headers,
            unparsed: self.unparsed,
        }
    }
}

/// An undecoded response whose body has not been read yet: read it whole, or stream it.
///
/// What other SDKs offer as `skip_deserialization` and `stream`. The body is
/// exactly what the server sent: with `envelope(true)` it is still wrapped in
/// `{"status", "content"}`.
#[derive(Debug)]
pub struct RawResponse {
    inner: reqwest::Response,
}

impl RawResponse {
    pub(crate) fn new(inner: reqwest::Response) -> Self {
        Self { inner }
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The `Deprecation` and `Sunset` headers, as [`Response::deprecation`] reads them.
    pub fn deprecation(&self) -> Option<crate::Deprecation> {
        crate::Deprecation::from_headers(self.inner.headers())
    }

    /// `Content-Type` of the body, if the server sent one.
    pub fn content_type(&self) -> Option<&str> {
        self.inner
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// Reads the whole body.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        self.inner.bytes().await.map_err(map_transport_error)
    }

    /// Reads the whole body as text (decoded with the charset the server names, UTF-8 by
    /// default).
    pub async fn text(self) -> Result<String, Error> {
        self.inner.text().await.map_err(map_transport_error)
    }

    /// Reads the next chunk of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.inner.chunk().await.map_err(map_transport_error)
    }

    /// The body as a stream of chunks.
    pub fn bytes_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
        use futures_util::StreamExt as _;
        self.inner
            .bytes_stream()
            .map(|chunk| chunk.map_err(map_transport_error))
    }

    /// The underlying `reqwest::Response`.
    pub fn into_inner(self) -> reqwest::Response {
        self.inner
    }
}
