//! The machinery generated operations call: request assembly, sending, status mapping and
//! decoding. Generated code stays thin by delegating here.
//!
//! Public because generated code must reach it (this crate's own, and crates generated with
//! `cargo xtask codegen --out` for other specs), but hidden from the documentation: it is the
//! contract between the generator and this crate, not an API for applications. It follows
//! semver with the rest of the crate, because `--out` crates depend on the SDK by version:
//! changing it incompatibly makes a breaking release (see ARCHITECTURE.md).

mod body_stream;
pub mod check;
mod decode;
mod draft;
mod endpoint;
mod error_schema;
mod lenient;
pub mod object;
mod paginate;
mod prepared;
mod rules;
mod scalar_param;
mod send;
mod streamed;
mod string_enum;
mod transport;
mod wait;

pub use self::decode::{
    VariantFit, candidates, decode_variant, fits, has_properties, nullable_field, single_as_list,
    single_as_list_nullable, single_as_list_option,
};
pub use self::draft::{Draft, ParamInput, ParamSpec, PathPiece, Placement};
pub use self::endpoint::{
    Endpoint, encode_bytes, encode_empty, encode_events_json, encode_events_text, encode_json,
    encode_lines, encode_optional_json, encode_text,
};
pub use self::paginate::{ItemStream, Page, PageStream, paginate, paginate_prepared};
pub use self::prepared::PreparedRequest;
use self::send::raw;
pub use self::send::{body_of, send_empty, send_json, send_optional_json, send_raw, send_text};
pub use self::streamed::{
    EventParser, LineParser, Lines, RawEvent, ResponseStream, ServerEvent, event_json, event_text,
    send_events, send_lines,
};
pub use self::wait::{Acceptor, Matcher, Outcome, WaitSpec, Waiter};

/// What a generated crate's accessor for a tag returns when the tag's Cargo feature is off:
/// nothing can be called on it. The accessor is also deprecated, with a note naming the
/// feature, so that the compiler's message says what to enable rather than only that the
/// method is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureDisabled;
/// Defines a scalar parameter type (see its definition).
pub use crate::__scalar_param as scalar_param;
/// Implements the traits of a generated string enum (see its definition).
pub use crate::__string_enum as string_enum;
/// The stream trait list operations' `into_stream` returns.
pub use futures_core::Stream;

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

pub use self::body_stream::BodyStream;
pub use self::check::Pattern;
pub use self::error_schema::{ErrorCase, ErrorSchema, error_schema};
pub use self::rules::{Checked, Rules};
use self::transport::dispatch;
pub use crate::error::IntoRuntimeError;
use crate::error::map_transport_error;
use crate::error::{ApiErrorResponse, DecodeError, Error, UnexpectedStatus};
pub use crate::wire::headers::{FromHeaders, HeaderDecode, header_value};
pub use crate::wire::query::ParamValue;
pub use crate::wire::style::{
    FieldEncoding, ParamParts, Style, StyleKind, cookie_pairs, form_body, form_parts, header_text,
    path_text, query_pairs, value_parts,
};
use crate::{Client, RawResponse, Response, Unparsed};
/// The byte buffer of binary request bodies (re-exported so generated code needs no direct
/// `bytes` dependency).
pub use bytes::Bytes;
pub use reqwest::Method;
pub use reqwest::header::HeaderMap;
/// Re-exported so generated code needs no direct `serde` dependency.
pub use serde;
/// Re-exported so generated code needs no direct `serde_json` dependency.
pub use serde_json;

/// What the specification says about one operation, as far as sending it is concerned.
#[derive(Debug)]
pub struct Operation {
    /// The `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// A method `Method` has no constant for (OpenAPI 3.2's `QUERY`, or an
    /// `additionalOperations` entry such as `COPY`), sent as written instead of `method`.
    pub extension_method: Option<&'static str>,
    /// The path template, e.g. `/v1/stores/{storeId}` (for tracing and interceptors).
    pub path: &'static str,
    /// The media type sent in `Accept` (the operation's versioned type).
    pub accept: &'static str,
    /// Error statuses the operation documents: their responses are [`Error::Api`] when the
    /// body reads as documented.
    pub error_statuses: &'static [u16],
    /// Classes of error statuses it documents (`4` for `4XX`).
    pub error_classes: &'static [u16],
    /// Whether it documents a `default` error response (every other error status).
    pub default_error: bool,
    /// The schemas of its documented error responses, which their bodies decode as.
    pub error_schemas: &'static [ErrorSchema],
    /// Whether redirects (3xx) are its successes: the operation documents nothing else, so a
    /// 3xx is returned with its headers (`Location`), never followed.
    pub redirect_success: bool,
    /// Its parameters, in the specification's order: where and how each is written.
    pub params: &'static [ParamSpec],
    /// Its path: the template's text, and the parameters (indexes into `params`) between.
    pub path_parts: &'static [PathPiece],
}

impl Operation {
    /// The values generated operations leave as they are.
    pub const DEFAULT: Operation = Operation {
        operation_id: "",
        method: Method::GET,
        extension_method: None,
        path: "",
        accept: "application/json",
        error_statuses: &[],
        error_classes: &[],
        default_error: false,
        error_schemas: &[],
        redirect_success: false,
        params: &[],
        path_parts: &[],
    };

    /// The method sent: [`Operation::extension_method`] when there is one.
    pub fn http_method(&self) -> Result<Method, Error> {
        match self.extension_method {
            None => Ok(self.method.clone()),
            // The generator checks the token; a hand-written `Operation` may not have.
            Some(name) => Method::from_bytes(name.as_bytes()).map_err(|_| {
                Error::Config(format!(
                    "operation `{}` has the method `{name}`, which is not an HTTP method token",
                    self.operation_id
                ))
            }),
        }
    }

    /// The method's name, for logs and spans.
    pub fn method_name(&self) -> &str {
        self.extension_method.unwrap_or(self.method.as_str())
    }

    /// Whether `status` is a success of this operation.
    fn is_success(&self, status: StatusCode) -> bool {
        status.is_success() || self.redirect_success && status.is_redirection()
    }

    /// Whether the operation documents `status` as an error.
    fn documents_error(&self, status: StatusCode) -> bool {
        let code = status.as_u16();
        self.error_statuses.contains(&code)
            || self.error_classes.contains(&(code / 100))
            || self.default_error
    }
}

/// Per-request settings every operation builder offers.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    accept: Option<String>,
    raw_body: Option<(String, Bytes)>,
    stream_body: Option<std::sync::Arc<BodyStream>>,
    headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// Overrides the client's total timeout for this request.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Overrides the `Accept` header (for example to ask for another API version).
    pub fn set_accept(&mut self, accept: String) {
        self.accept = Some(accept);
    }

    /// Sends `body` with `content_type` instead of the typed body.
    pub fn set_raw_body(&mut self, content_type: String, body: Bytes) {
        self.raw_body = Some((content_type, body));
    }

    /// Adds a header to the request (checked when it is sent).
    pub fn add_header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    /// Streams `body` as the request body, with the operation's media type (or the one a
    /// raw body names). Such a request is sent once: it is never retried.
    pub fn set_stream_body(&mut self, body: BodyStream) {
        self.stream_body = Some(std::sync::Arc::new(body));
    }

    /// The streamed body, if the request has one.
    pub(crate) fn stream_body(&self) -> Option<&BodyStream> {
        self.stream_body.as_deref()
    }
}

/// A response read whole, with the envelope (if any) taken off.
struct ReadResponse {
    operation: &'static Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The envelope's `content`, when the request asked for an envelope and got one.
    enveloped: Option<serde_json::Value>,
}

async fn read(client: &Client, request: PreparedRequest) -> Result<ReadResponse, Error> {
    let operation = request.operation;
    let envelope = client
        .envelope()
        .filter(|envelope| envelope.requested(&request.query))
        .map(|envelope| envelope.unwrap);
    let mut response = dispatch(client, &request).await?;
    let mut status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(map_transport_error)?;
    let mut enveloped = None;
    if let Some(unwrap) = envelope
        && let Some((inner_status, content)) = unwrap(&body)
    {
        status = inner_status;
        enveloped = Some(content);
    }
    Ok(ReadResponse {
        operation,
        status,
        headers,
        body,
        enveloped,
    })
}

/// Decodes a JSON success body the way every operation does; on failure, the path where the
/// body broke (`.` for the whole of it) and the reason. A malformed optional value reads as
/// absent (logged; see [`decode_json_reporting`] for the values).
///
/// # Errors
/// The path and the reason, when the body does not decode even so.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    decode_json_reporting(body).map(|(decoded, _)| decoded)
}

/// [`decode_json`], with the optional fields whose malformed value read as absent.
///
/// Plain `serde_json` first: tracking the path costs a copy of every object key (about a
/// quarter of the decoding time of a large list) and is only needed to say where a broken
/// body broke, so only a failure is decoded again with it, and then leniently
/// (the private `lenient` module), which reports the strict error when it fails too.
///
/// # Errors
/// As [`decode_json`].
pub fn decode_json_reporting<T: DeserializeOwned>(
    body: &[u8],
) -> Result<(T, Vec<Unparsed>), (String, String)> {
    if let Ok(decoded) = serde_json::from_slice(body) {
        return Ok((decoded, Vec::new()));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let strict = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
        // Trailing bytes after the JSON value are a broken body too.
        .and_then(|value| {
            de.end()
                .map(|()| value)
                .map_err(|e| (".".to_owned(), e.to_string()))
        });
    match strict {
        Ok(decoded) => Ok((decoded, Vec::new())),
        Err(strict) => serde_json::from_slice(body)
            .ok()
            .and_then(lenient::decode)
            .ok_or(strict),
    }
}

impl ReadResponse {
    /// Maps an error status to the right [`Error`]; `Ok` for success statuses.
    fn check_status(self) -> Result<Self, Error> {
        if self.operation.is_success(self.status) {
            Ok(self)
        } else {
            Err(self.into_error())
        }
    }

    /// The [`Error`] for a response with an error status: [`Error::Api`] when the operation
    /// documents the status and the body reads as its schema (or as JSON, when it documents
    /// none), [`Error::UnexpectedStatus`] otherwise.
    fn into_error(self) -> Error {
        let operation = self.operation;
        let error = if operation.documents_error(self.status) {
            let json = match self.enveloped {
                Some(content) => Some(content),
                None => serde_json::from_slice(&self.body).ok(),
            };
            self::error_schema::read_documented(operation.error_schemas, self.status.as_u16(), json)
        } else {
            None
        };
        match error {
            Some(error) => Error::Api(Box::new(ApiErrorResponse {
                operation_id: operation.operation_id,
                status: self.status,
                headers: self.headers,
                error,
                body: self.body,
            })),
            None => Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                operation_id: operation.operation_id,
                status: self.status,
                headers: self.headers,
                body: self.body,
            })),
        }
    }

    fn decode<T: DeserializeOwned, H: FromHeaders>(self) -> Result<Response<T, H>, Error> {
        let decoded = match self.enveloped {
            Some(content) => T::deserialize(&content)
                .map(|decoded| (decoded, Vec::new()))
                .or_else(|_| {
                    let strict = serde_path_to_error::deserialize(&content)
                        .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))?;
                    Ok((strict, Vec::new()))
                })
                .or_else(|strict| lenient::decode(content).ok_or(strict)),
            None => decode_json_reporting(&self.body),
        };
        match decoded {
            Ok((body, unparsed)) => Ok(Response {
                unparsed,
                ..Response::new(self.status, self.headers, body)
            }),
            Err((path, message)) => Err(Error::Decode(Box::new(DecodeError {
                operation_id: self.operation.operation_id,
                status: self.status,
                headers: self.headers,
                path,
                message,
                body: self.body,
            }))),
        }
    }
}

/// What a generated builder hands the `send_*` functions: the client and the assembled
/// request, or the error a parameter raised while building it (reported when awaited, before
/// anything is sent).
///
/// Generated `send` methods are plain functions returning these functions' futures rather
/// than `async fn`s of their own: 1,300 generated state machines cost the generated crate
/// seconds of compile time, and one generic future here costs nothing per operation.
pub type Prepared = Result<(Client, PreparedRequest), Error>;

/// Deserializes a string into a generated string enum (unknown values are kept).
pub fn deserialize_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    Ok(T::from(&text))
}
