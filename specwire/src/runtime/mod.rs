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
mod endpoint;
mod error_schema;
mod lenient;
pub mod object;
mod paginate;
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
pub use self::endpoint::{
    Endpoint, encode_bytes, encode_empty, encode_events_json, encode_events_text, encode_json,
    encode_lines, encode_optional_json, encode_text,
};
pub use self::paginate::{ItemStream, Page, PageStream, paginate, paginate_prepared};
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
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

pub use self::body_stream::BodyStream;
pub use self::check::Pattern;
pub use self::error_schema::{ErrorCase, ErrorSchema, error_schema};
pub use self::rules::{Checked, Rules};
use self::transport::dispatch;
pub use crate::error::IntoRuntimeError;
use crate::error::map_transport_error;
use crate::error::{
    ApiErrorResponse, DecodeError, Error, InvalidParameter, Rule, UnexpectedStatus,
};
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

/// Characters left as they are in a path segment: RFC 3986 "unreserved". Everything else is
/// percent-encoded, so no value can add a segment (`/`), start a query (`?`) or a fragment
/// (`#`).
const PATH_SEGMENT: &percent_encoding::AsciiSet = crate::wire::style::PATH_ITEM;

/// A request being assembled by a generated operation.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    operation: &'static Operation,
    path: String,
    /// `name=value` pairs, already encoded.
    query: Vec<String>,
    /// Header parameters.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie parameters' `name=value` pairs, already encoded; sent as one `Cookie` header.
    cookies: Vec<String>,
    /// Content type and bytes; kept whole so every attempt (retries, auth challenges) can
    /// send it again.
    body: Option<(HeaderValue, Bytes)>,
    options: RequestOptions,
}

impl PreparedRequest {
    /// Starts a request for `operation`.
    pub fn new(operation: &'static Operation, options: RequestOptions) -> Self {
        Self {
            operation,
            path: String::with_capacity(96),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            options,
        }
    }

    /// Appends a fixed part of the path template.
    pub fn push_literal(&mut self, literal: &'static str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter as exactly one segment, percent-encoded.
    pub fn push_segment(
        &mut self,
        parameter: &'static str,
        value: &dyn ParamValue,
    ) -> Result<(), InvalidParameter> {
        let text = value.to_param_string();
        // URL parsers resolve `.` and `..` (also percent-encoded) and collapse empty segments:
        // any of them would send the request to another resource.
        if text.is_empty() || text == "." || text == ".." {
            return Err(InvalidParameter::new(parameter, Rule::PathSegment, text));
        }
        self.path
            .extend(percent_encoding::utf8_percent_encode(&text, PATH_SEGMENT));
        Ok(())
    }

    /// Adds a query parameter in the default style (`form`, exploded: one `name=value` pair
    /// per item).
    pub fn push_query(&mut self, name: &'static str, value: &dyn ParamValue) {
        self.push_query_styled(name, value, Style::form(true));
    }

    /// Sets query parameter `name` (form style, exploded) to `value`: its pairs are replaced
    /// where the first stood, or added at the end when it has none.
    pub(crate) fn replace_query(&mut self, name: &str, value: &dyn ParamValue) {
        let prefix = format!("{}=", crate::wire::style::form_encode(name));
        let at = self.query.iter().position(|pair| pair.starts_with(&prefix));
        self.query.retain(|pair| !pair.starts_with(&prefix));
        let pairs = query_pairs(name, &value.parts(), Style::form(true));
        let at = at.unwrap_or(self.query.len());
        self.query.splice(at..at, pairs);
    }

    /// Adds a query parameter written as `style` says.
    pub fn push_query_styled(&mut self, name: &'static str, value: &dyn ParamValue, style: Style) {
        self.query.extend(query_pairs(name, &value.parts(), style));
    }

    /// Appends a path parameter written as `style` says (`label`, `matrix`, or a list or
    /// object in `simple`).
    ///
    /// # Errors
    /// [`InvalidParameter`] when the text would change the path (empty, `.` or `..`).
    pub fn push_path_styled(
        &mut self,
        parameter: &'static str,
        value: &dyn ParamValue,
        style: Style,
    ) -> Result<(), InvalidParameter> {
        let text = path_text(parameter, &value.parts(), style);
        if text.is_empty() || text == "." || text == ".." {
            return Err(InvalidParameter::new(parameter, Rule::PathSegment, text));
        }
        self.path.push_str(&text);
        Ok(())
    }

    /// Adds a header parameter (`simple` style).
    ///
    /// # Errors
    /// [`InvalidParameter`] when the value holds characters a header cannot carry (CR, LF,
    /// other controls), or the name is not a header name.
    pub fn push_header(
        &mut self,
        name: &'static str,
        value: &dyn ParamValue,
        style: Style,
    ) -> Result<(), InvalidParameter> {
        let text = header_text(&value.parts(), style);
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| InvalidParameter::new(name, Rule::HeaderValue, name))?;
        let value = HeaderValue::from_str(&text)
            .map_err(|_| InvalidParameter::new(name, Rule::HeaderValue, text.escape_debug()))?;
        self.headers.push((header, value));
        Ok(())
    }

    /// Adds a cookie parameter (`form` style), sent in the `Cookie` header.
    pub fn push_cookie(&mut self, name: &'static str, value: &dyn ParamValue, style: Style) {
        self.cookies
            .extend(cookie_pairs(name, &value.parts(), style));
    }

    /// Sets the request body.
    pub fn set_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some((HeaderValue::from_static(content_type), body));
    }

    /// Sets a JSON request body.
    ///
    /// # Errors
    /// [`Error::Config`] if `value` cannot be serialized (a map with non-string keys).
    pub fn set_json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Config(format!("request body cannot be serialized: {e}")))?;
        self.set_body(content_type, Bytes::from(bytes));
        Ok(())
    }

    /// Sets a `multipart/form-data` body (its `Content-Type` carries the form's boundary).
    pub fn set_multipart_body(&mut self, form: &crate::Multipart) {
        // A boundary is token characters only, so the header value is always valid; the
        // fallback keeps this infallible should a caller's own boundary not be.
        let content_type = HeaderValue::from_str(&form.content_type())
            .unwrap_or(HeaderValue::from_static("multipart/form-data"));
        self.body = Some((content_type, form.to_bytes()));
    }

    /// Sets an `application/x-www-form-urlencoded` body (see [`form_body`]).
    ///
    /// # Errors
    /// [`Error::Config`] if `value` does not serialize as an object.
    pub fn set_form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
        encodings: &[FieldEncoding],
    ) -> Result<(), Error> {
        let text = form_body(value, encodings).ok_or_else(|| {
            Error::Config("a form request body must serialize as an object".to_owned())
        })?;
        self.set_body(content_type, Bytes::from(text));
        Ok(())
    }

    fn url(&self, client: &Client) -> Result<url::Url, Error> {
        let mut url = String::with_capacity(client.base_url().len() + self.path.len() + 64);
        url.push_str(client.base_url());
        url.push_str(&self.path);
        for (i, pair) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(pair);
        }
        url::Url::parse(&url).map_err(|e| Error::Config(format!("request URL `{url}`: {e}")))
    }

    /// The caller's own headers, checked.
    fn extra_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        self.options
            .headers
            .iter()
            .map(|(name, value)| {
                let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::Config(format!("`{name}` is not a valid HTTP header name"))
                })?;
                let value = HeaderValue::from_str(value).map_err(|_| {
                    Error::Config(format!(
                        "the value of header `{name}` holds characters a header cannot carry (CR, LF or other controls)"
                    ))
                })?;
                Ok((header, value))
            })
            .collect()
    }

    /// The caller's raw body, replacing the typed one.
    fn raw_body(&self) -> Result<Option<(HeaderValue, Bytes)>, Error> {
        let Some((content_type, body)) = &self.options.raw_body else {
            return Ok(None);
        };
        let content_type = HeaderValue::from_str(content_type)
            .map_err(|_| InvalidParameter::new("Content-Type", Rule::HeaderValue, content_type))?;
        Ok(Some((content_type, body.clone())))
    }

    /// The `Cookie` header carrying the cookie parameters and an API key sent as a cookie
    /// (one header: RFC 6265 allows no second one).
    fn cookie_header(&self, key: Option<String>) -> Result<Option<HeaderValue>, Error> {
        let pairs: Vec<&str> = self
            .cookies
            .iter()
            .map(String::as_str)
            .chain(key.as_deref())
            .collect();
        if pairs.is_empty() {
            return Ok(None);
        }
        let text = pairs.join("; ");
        // Cookie values are percent-encoded, so this only fails on a broken name.
        let mut value = HeaderValue::from_str(&text)
            .map_err(|_| InvalidParameter::new("Cookie", Rule::HeaderValue, "(cookie names)"))?;
        // An API key may ride along: keep the header out of `Debug` output.
        value.set_sensitive(key.is_some());
        Ok(Some(value))
    }

    fn accept(&self) -> Result<HeaderValue, Error> {
        Ok(match &self.options.accept {
            None => HeaderValue::from_static(self.operation.accept),
            Some(accept) => HeaderValue::from_str(accept)
                .map_err(|_| InvalidParameter::new("Accept", Rule::HeaderValue, accept))?,
        })
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
