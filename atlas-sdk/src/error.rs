//! The one error type of the SDK, and the pieces it carries.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong when calling Atlas through this SDK.
///
/// The common checks are one call away: [`Error::status`], [`Error::error_code`] and
/// [`Error::api_error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter broke one of the rules the API specification states for it. Nothing was
    /// sent.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] InvalidParameter),
    /// The [`ClientBuilder`](crate::ClientBuilder) was given settings it cannot use.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Credentials were rejected, or a service-account token could not be obtained.
    #[error("{0}")]
    Authentication(Box<AuthenticationError>),
    /// The request, or reading its response, took longer than the configured timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The request could not be sent or its response could not be read (DNS, TCP, TLS, HTTP).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// Atlas answered with an error status the operation documents, and an [`ApiError`] body.
    #[error("{0}")]
    Api(Box<ApiErrorResponse>),
    /// Atlas answered with a status the operation does not document, or an error status whose
    /// body is not an [`ApiError`]. The raw body is kept.
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

impl Error {
    /// HTTP status of the response behind this error, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Authentication(e) => e.status,
            Error::Timeout(e) | Error::Transport(e) => e.status(),
            Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::WaitFailed(_)
            | Error::WaitTimedOut(_) => None,
        }
    }

    /// The decoded Atlas error body. For an undocumented status this decodes the raw body on
    /// demand, so `error_code()` works for every error Atlas sends.
    pub fn api_error(&self) -> Option<ApiError> {
        match self {
            Error::Api(e) => Some(e.error.clone()),
            Error::UnexpectedStatus(e) => ApiError::from_body(&e.body),
            Error::Authentication(e) => ApiError::from_body(&e.body),
            _ => None,
        }
    }

    /// Atlas' machine-readable error code, such as `RESOURCE_NOT_FOUND` or `RATE_LIMITED`.
    pub fn error_code(&self) -> Option<String> {
        self.api_error().and_then(|e| e.error_code)
    }

    /// Response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedStatus(e) => Some(&e.headers),
            Error::Decode(e) => Some(&e.headers),
            Error::Authentication(e) => Some(&e.headers),
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
        matches!(self, Error::InvalidRequest(_))
    }

    /// Whether credentials were rejected or a token could not be obtained.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Error::Authentication(_))
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }
}

/// Error body Atlas sends with every error status; also Google's `google.rpc.Status`
/// (`code`, `message`, `details`), which gRPC gateways (grpc-gateway, Envoy's transcoder) and
/// Google-style APIs send.
///
/// Written by hand rather than generated: the specification types `parameters` as objects,
/// but Atlas sends strings and numbers there, and later API versions add `badRequestDetail`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code of the response.
    pub error: Option<i32>,
    /// Machine-readable error code, for example `RESOURCE_NOT_FOUND`.
    pub error_code: Option<String>,
    /// Explanation of the error.
    pub detail: Option<String>,
    /// Reason phrase of the HTTP status.
    pub reason: Option<String>,
    /// Values that give more information about the error (strings and numbers in practice).
    pub parameters: Vec<serde_json::Value>,
    /// Details about a malformed request, in API versions that send them.
    pub bad_request_detail: Option<serde_json::Value>,
    /// `google.rpc.Status`'s `code`: the gRPC status code (5 is `NOT_FOUND`). Read only when
    /// it is an integer (other APIs send a string `code`; that is not this).
    pub code: Option<i32>,
    /// `google.rpc.Status`'s `message`: the explanation, for the developer.
    pub message: Option<String>,
    /// `google.rpc.Status`'s `details`: typed messages (`@type` names each) with more.
    pub details: Vec<serde_json::Value>,
}

// Serde by hand, so that the SDK needs no `serde_derive` (every user would compile it, and
// serde would wait for it): absent and `null` fields are `None` (or empty), unknown ones are
// ignored, as the derive with `default` did.
impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        if let Some(code) = &self.error_code {
            map.serialize_entry("errorCode", code)?;
        }
        if let Some(detail) = &self.detail {
            map.serialize_entry("detail", detail)?;
        }
        if let Some(reason) = &self.reason {
            map.serialize_entry("reason", reason)?;
        }
        if !self.parameters.is_empty() {
            map.serialize_entry("parameters", &self.parameters)?;
        }
        if let Some(detail) = &self.bad_request_detail {
            map.serialize_entry("badRequestDetail", detail)?;
        }
        if let Some(code) = &self.code {
            map.serialize_entry("code", code)?;
        }
        if let Some(message) = &self.message {
            map.serialize_entry("message", message)?;
        }
        if !self.details.is_empty() {
            map.serialize_entry("details", &self.details)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for ApiError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        fn typed<T: serde::de::DeserializeOwned, E: serde::de::Error>(
            key: &str,
            value: Option<serde_json::Value>,
        ) -> Result<Option<T>, E> {
            value
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| E::custom(format!("`{key}`: {e}")))
        }
        let serde_json::Value::Object(mut map) = serde::Deserialize::deserialize(deserializer)?
        else {
            return Err(D::Error::custom("an Atlas error body is a JSON object"));
        };
        let mut take = |key: &str| map.remove(key).filter(|v| !v.is_null());
        Ok(ApiError {
            // grpc-gateway v1 sends its message as a string `error` beside `code` and
            // `message`; only Atlas's integer status is this field.
            error: take("error")
                .filter(serde_json::Value::is_number)
                .map(|v| typed::<i32, D::Error>("error", Some(v)))
                .transpose()?
                .flatten(),
            error_code: typed("errorCode", take("errorCode"))?,
            detail: typed("detail", take("detail"))?,
            reason: typed("reason", take("reason"))?,
            parameters: typed("parameters", take("parameters"))?.unwrap_or_default(),
            bad_request_detail: take("badRequestDetail"),
            // Lenient: `code` and `message` of other shapes belong to other error formats.
            code: take("code")
                .and_then(|v| v.as_i64())
                .and_then(|n| i32::try_from(n).ok()),
            message: take("message").and_then(|v| v.as_str().map(str::to_owned)),
            details: match take("details") {
                Some(serde_json::Value::Array(details)) => details,
                _ => Vec::new(),
            },
        })
    }
}

/// Rejected credentials, or a failed service-account token request. Never contains the
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

impl ApiError {
    /// Decodes an error body, taking off an `{"status", "content"}` envelope if there is one.
    /// `None` unless it is an Atlas error or a `google.rpc.Status`: every field is optional
    /// for leniency, so a body must carry `error` or `errorCode`, or both `code` and
    /// `message`, to count (any JSON object would decode otherwise).
    pub(crate) fn from_body(body: &[u8]) -> Option<Self> {
        match crate::wire::envelope::unwrap_envelope(body) {
            Some((_, content)) => Self::from_value(content),
            None => Self::from_value(serde_json::from_slice(body).ok()?),
        }
    }

    /// Decodes an already-parsed error body; `None` unless it carries `error` or `errorCode`
    /// (Atlas), or both `code` and `message` (`google.rpc.Status`).
    pub(crate) fn from_value(value: serde_json::Value) -> Option<Self> {
        serde_json::from_value::<Self>(value).ok().filter(|e| {
            e.error.is_some() || e.error_code.is_some() || (e.code.is_some() && e.message.is_some())
        })
    }
}

/// A documented error status with its decoded [`ApiError`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiErrorResponse {
    /// The operation that failed (its `operationId`).
    pub operation_id: &'static str,
    /// HTTP status (the envelope's `status` when the response was enveloped).
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded error body.
    pub error: ApiError,
}

impl std::fmt::Display for ApiErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with {}", self.operation_id, self.status)?;
        if let Some(code) = &self.error.error_code {
            write!(f, " {code}")?;
        }
        if let Some(detail) = self.error.detail.as_ref().or(self.error.message.as_ref()) {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

/// A status the operation does not document, or an error body that is not an [`ApiError`].
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

#[cfg(test)]
mod tests {
    use super::ApiError;

    #[test]
    fn api_errors_read_leniently_and_write_only_what_is_set() {
        let error: ApiError = serde_json::from_value(serde_json::json!({
            "error": 404, "errorCode": "NOT_FOUND", "detail": "d", "reason": "Not Found",
            "parameters": ["AWS", 3], "badRequestDetail": {"fields": []}, "future": true
        }))
        .unwrap();
        assert_eq!(error.error, Some(404));
        assert_eq!(error.error_code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(
            error.parameters,
            [serde_json::json!("AWS"), serde_json::json!(3)]
        );
        assert_eq!(
            error.bad_request_detail,
            Some(serde_json::json!({"fields": []}))
        );
        let empty: ApiError = serde_json::from_value(serde_json::json!({"detail": null})).unwrap();
        assert_eq!(empty, ApiError::default());
        assert_eq!(serde_json::to_value(&empty).unwrap(), serde_json::json!({}));
        assert_eq!(
            serde_json::to_value(ApiError {
                error_code: Some("X".to_owned()),
                ..ApiError::default()
            })
            .unwrap(),
            serde_json::json!({"errorCode": "X"})
        );
        // google.rpc.Status, as grpc-gateway sends it; a string `code` is another format's.
        let status = ApiError::from_value(serde_json::json!({
            "code": 5, "message": "no such channel",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X"}]
        }))
        .unwrap();
        assert_eq!(status.code, Some(5));
        assert_eq!(status.message.as_deref(), Some("no such channel"));
        assert_eq!(status.details.len(), 1);
        assert_eq!(
            serde_json::to_value(&status).unwrap()["message"],
            "no such channel"
        );
        assert_eq!(
            ApiError::from_value(serde_json::json!({"code": "invalid", "message": "m"})),
            None
        );
        assert_eq!(ApiError::from_value(serde_json::json!({"code": 5})), None);
        // grpc-gateway v1: a string `error` beside the Status fields.
        let v1 = ApiError::from_value(
            serde_json::json!({"error": "not found", "code": 5, "message": "not found"}),
        )
        .unwrap();
        assert_eq!((v1.error, v1.code), (None, Some(5)));
        assert_eq!(
            ApiError::from_value(serde_json::json!({"error": "four"})),
            None
        );
        let wrong = serde_json::from_value::<ApiError>(serde_json::json!({"error": 1e12}));
        assert!(wrong.unwrap_err().to_string().contains("`error`"));
        assert!(serde_json::from_value::<ApiError>(serde_json::json!([1])).is_err());
    }
}
