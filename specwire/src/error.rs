//! The one error type of the runtime, and the pieces it carries.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub use crate::error_body::{ErrorBody, ErrorFormat, ErrorSummary};

/// Everything that can go wrong when calling an API through a generated client.
///
/// `E` is how an error status's body reads: by default [`ErrorBody`], which holds the body
/// decoded as the schema the operation documents for that status (see [`Error::body`]). A
/// hand-written SDK on this runtime can name its own [`ErrorFormat`] instead (one error
/// shape the whole API shares): the runtime's errors convert into it with `?`.
///
/// The common checks are one call away: [`Error::status`], [`Error::error_code`] and
/// [`Error::api_error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = ErrorBody> {
    /// A parameter broke one of the rules the API specification states for it. Nothing was
    /// sent.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] InvalidParameter),
    /// The [`ClientBuilder`](crate::ClientBuilder) was given settings it cannot use.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Credentials were rejected, or an access token could not be obtained.
    #[error("{0}")]
    Authentication(Box<AuthenticationError>),
    /// The request, or reading its response, took longer than the configured timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The request could not be sent or its response could not be read (DNS, TCP, TLS, HTTP).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with an error status the operation documents, and a body that
    /// reads as the documented error.
    #[error("{0}")]
    Api(Box<ApiErrorResponse<E>>),
    /// The server answered with a status the operation does not document, or an error status
    /// whose body is not the documented error. The raw body is kept.
    #[error("{0}")]
    UnexpectedStatus(Box<UnexpectedStatus>),
    /// A successful response whose body does not match the documented type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A waiter (`wait_until_…`) reached a state it fails on.
    #[error("{0} reached a failure state")]
    WaitFailed(Box<WaitError>),
    /// A waiter's deadline passed before a state it succeeds or fails on.
    #[error("{0} did not finish before its deadline")]
    WaitTimedOut(Box<WaitError>),
}

/// Where a waiter stopped.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WaitError {
    /// The waiter, e.g. `cluster_ready`.
    pub waiter: &'static str,
    /// The operation it polls (its `operationId`).
    pub operation_id: &'static str,
    /// The last state seen: the polled field's value, or `status 404` (`None` before any
    /// response).
    pub state: Option<String>,
    /// How many requests it made.
    pub attempts: u32,
    /// How long it waited.
    pub elapsed: std::time::Duration,
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "waiter `{}` ({}, {} attempt(s) in {:.0?}",
            self.waiter, self.operation_id, self.attempts, self.elapsed
        )?;
        match &self.state {
            Some(state) => write!(f, ", last state {state})"),
            None => write!(f, ", no response)"),
        }
    }
}

impl<E> Error<E> {
    /// HTTP status of the response behind this error, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::UnexpectedStatus(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
            Self::Authentication(e) => e.status,
            Self::Timeout(e) | Self::Transport(e) => e.status(),
            Self::InvalidRequest(_)
            | Self::Config(_)
            | Self::WaitFailed(_)
            | Self::WaitTimedOut(_) => None,
        }
    }

    /// Response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(e) => Some(&e.headers),
            Self::UnexpectedStatus(e) => Some(&e.headers),
            Self::Decode(e) => Some(&e.headers),
            Self::Authentication(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// The undecoded body of the error response, when one was received.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Self::Api(e) => Some(&e.body),
            Self::UnexpectedStatus(e) => Some(&e.body),
            Self::Decode(e) => Some(&e.body),
            Self::Authentication(e) => Some(&e.body),
            _ => None,
        }
    }

    /// How long the server asked callers to wait (`Retry-After`, as seconds or an HTTP date),
    /// typically on a 429 or 503.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.headers().and_then(crate::retry::retry_after)
    }

    /// The response header `name` decoded as its documented type (`i64` for
    /// `RateLimit-Remaining`, …); `None` when absent or not in that form.
    pub fn header<T: crate::wire::headers::HeaderDecode>(&self, name: &'static str) -> Option<T> {
        self.headers()
            .and_then(|headers| crate::wire::headers::header_value(headers, name))
    }

    /// Whether the request was rejected before anything was sent.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, Self::InvalidRequest(_))
    }

    /// Whether credentials were rejected or a token could not be obtained.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Self::Authentication(_))
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// The same error with its API body read by `read` (`None`: it is not that format, and
    /// the error becomes [`Self::UnexpectedStatus`], keeping the raw body).
    fn map_body<F>(self, read: impl FnOnce(&E, &Bytes) -> Option<F>) -> Error<F> {
        match self {
            Error::Api(e) => match read(&e.error, &e.body) {
                Some(error) => Error::Api(Box::new(ApiErrorResponse {
                    operation_id: e.operation_id,
                    status: e.status,
                    headers: e.headers,
                    error,
                    body: e.body,
                })),
                None => Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                    operation_id: e.operation_id,
                    status: e.status,
                    headers: e.headers,
                    body: e.body,
                })),
            },
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
            Error::Config(e) => Error::Config(e),
            Error::Authentication(e) => Error::Authentication(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Transport(e) => Error::Transport(e),
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Error::Decode(e) => Error::Decode(e),
            Error::WaitFailed(e) => Error::WaitFailed(e),
            Error::WaitTimedOut(e) => Error::WaitTimedOut(e),
        }
    }
}

impl Error<ErrorBody> {
    /// The error response's body: for a documented status, decoded as the schema the
    /// operation documents; otherwise read on demand from the raw body (as JSON, untyped),
    /// so that [`error_code`](Self::error_code) works for every error a server sends.
    pub fn api_error(&self) -> Option<ErrorBody> {
        match self {
            Self::Api(e) => Some(e.error.clone()),
            Self::UnexpectedStatus(e) => ErrorBody::untyped(&e.body),
            Self::Authentication(e) => ErrorBody::untyped(&e.body),
            _ => None,
        }
    }

    /// The documented error body as its generated type `T` (`models::ValidationError`, …):
    /// `None` for another status, another type, or an undocumented body.
    ///
    /// ```no_run
    /// # #[derive(Debug)] struct ValidationError { fields: Vec<String> }
    /// # fn report(error: &specwire::Error) {
    /// if let Some(invalid) = error.body::<ValidationError>() {
    ///     eprintln!("rejected fields: {:?}", invalid.fields);
    /// }
    /// # }
    /// ```
    pub fn body<T: std::any::Any>(&self) -> Option<&T> {
        match self {
            Self::Api(e) => e.error.get::<T>(),
            _ => None,
        }
    }

    /// The machine-readable error code the body carries (`errorCode`, `code`, `error.code`
    /// or `type`, the first present), such as `RESOURCE_NOT_FOUND`.
    pub fn error_code(&self) -> Option<String> {
        self.api_error().and_then(|e| e.error_code())
    }
}

impl<F: ErrorFormat> Error<F> {
    /// The error body in the API's format. For an undocumented status this decodes the raw
    /// body on demand, so [`error_code`](Self::error_code) works for every error sent.
    pub fn api_error(&self) -> Option<F> {
        match self {
            Self::Api(e) => Some(e.error.clone()),
            Self::UnexpectedStatus(e) => F::from_body(&e.body),
            Self::Authentication(e) => F::from_body(&e.body),
            _ => None,
        }
    }

    /// The machine-readable error code of the API's format.
    pub fn error_code(&self) -> Option<String> {
        self.api_error().and_then(|e| e.error_code())
    }
}

/// An SDK's own error format from the runtime's: a documented error body that is not in the
/// format becomes [`Self::UnexpectedStatus`], as it would have been read directly.
impl<F: ErrorFormat> From<Error<ErrorBody>> for Error<F> {
    fn from(error: Error<ErrorBody>) -> Self {
        error.map_body(|body, raw| match body.json() {
            Some(json) => F::from_json(json),
            None => F::from_body(raw),
        })
    }
}

/// An error the runtime carries on with, such as a page's: its own, or an SDK's read again
/// untyped (generated `send()` methods return the SDK's).
pub trait IntoRuntimeError {
    /// The runtime's error.
    fn into_runtime_error(self) -> Error;
}

impl IntoRuntimeError for Error<ErrorBody> {
    fn into_runtime_error(self) -> Error {
        self
    }
}

impl<F: ErrorFormat> IntoRuntimeError for Error<F> {
    fn into_runtime_error(self) -> Error {
        self.map_body(|_, raw| Some(ErrorBody::untyped(raw).unwrap_or_default()))
    }
}

/// Rejected credentials, or a failed access-token request. Never contains the
/// credentials themselves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthenticationError {
    /// What happened.
    pub message: String,
    /// HTTP status of the refusing response.
    pub status: Option<StatusCode>,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its undecoded body.
    pub body: Bytes,
}

impl std::fmt::Display for AuthenticationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "authentication failed: {}", self.message)
    }
}

/// A documented error status with its decoded body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiErrorResponse<E = ErrorBody> {
    /// The operation that failed (its `operationId`).
    pub operation_id: &'static str,
    /// HTTP status (the envelope's when the response was enveloped).
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded error body.
    pub error: E,
    /// The body as it was received.
    pub body: Bytes,
}

impl<E: ErrorSummary> std::fmt::Display for ApiErrorResponse<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with {}", self.operation_id, self.status)?;
        if let Some(code) = self.error.error_code() {
            write!(f, " {code}")?;
        }
        if let Some(message) = self.error.error_message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// A status the operation does not document, or an error body that is not the documented
/// error.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UnexpectedStatus {
    /// The operation that was called (its `operationId`).
    pub operation_id: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The undecoded body.
    pub body: Bytes,
}

impl std::fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} answered with unexpected status {} ({} body bytes)",
            self.operation_id,
            self.status,
            self.body.len()
        )
    }
}

/// A response body that does not decode into the documented type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation that was called (its `operationId`).
    pub operation_id: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The undecoded body.
    pub body: Bytes,
    /// Where in the body decoding failed, as a serde path such as `accessLogs[3].authResult`
    /// (`.` for the whole body).
    pub path: String,
    /// What was wrong there.
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not decode the {} response of {} at `{}`: {}",
            self.status, self.operation_id, self.path, self.message
        )
    }
}

/// A parameter value that breaks a rule of the API specification.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("parameter `{parameter}` {rule} (got {value})")]
#[non_exhaustive]
pub struct InvalidParameter {
    /// The parameter's name on the wire, for example `nLogs`.
    pub parameter: &'static str,
    /// The rule it broke.
    pub rule: Rule,
    /// The offending value, as text.
    pub value: String,
}

impl InvalidParameter {
    /// Builds the error for `parameter` breaking `rule` with `value`.
    pub fn new(parameter: &'static str, rule: Rule, value: impl std::fmt::Display) -> Self {
        Self {
            parameter,
            rule,
            value: value.to_string(),
        }
    }
}

/// A rule from the API specification, or from HTTP itself, that a value must follow.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rule {
    /// `minimum` (or `exclusiveMinimum` when `exclusive`).
    #[error("must be {} {limit}", if *.exclusive { "greater than" } else { "at least" })]
    Minimum {
        /// The bound.
        limit: Number,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// `maximum` (or `exclusiveMaximum` when `exclusive`).
    #[error("must be {} {limit}", if *.exclusive { "less than" } else { "at most" })]
    Maximum {
        /// The bound.
        limit: Number,
        /// Whether the bound itself is excluded.
        exclusive: bool,
    },
    /// `minLength`, in characters.
    #[error("must be at least {0} characters long")]
    MinLength(u64),
    /// `maxLength`, in characters.
    #[error("must be at most {0} characters long")]
    MaxLength(u64),
    /// `pattern`, a JavaScript regular expression.
    #[error("must match the pattern {0}")]
    Pattern(&'static str),
    /// `format: date-time`: the value must be expressible as an RFC 3339 timestamp.
    #[error("must be representable as an RFC 3339 date-time")]
    DateTime,
    /// A path parameter that would change the request path (empty, `.` or `..`).
    #[error("must not be empty, `.` or `..`: it is one segment of the request path")]
    PathSegment,
    /// A header value with characters HTTP does not allow (such as CR or LF).
    #[error("must be a valid HTTP header value")]
    HeaderValue,
}

/// A numeric bound from the specification, kept as the spec wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer bound.
    Int(i64),
    /// A fractional bound.
    Float(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(n) => write!(f, "{n}"),
        }
    }
}

/// Maps a `reqwest` failure to [`Error::Timeout`] or [`Error::Transport`].
pub(crate) fn map_transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout(error)
    } else {
        Error::Transport(error)
    }
}
