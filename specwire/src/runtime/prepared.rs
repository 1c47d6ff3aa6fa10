//! The request a builder's [`Draft`](super::Draft) becomes: path, query, headers, cookies
//! and body, each parameter written in its style; what `send` then sends.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};

use super::{Operation, RequestOptions};
use crate::Client;
use crate::error::{Error, InvalidParameter, Rule};
use crate::wire::query::ParamValue;
use crate::wire::style::{
    FieldEncoding, ParamParts, Style, cookie_pairs, form_body, header_text, path_text, query_pairs,
};

/// Characters left as they are in a path segment: RFC 3986 "unreserved". Everything else is
/// percent-encoded, so no value can add a segment (`/`), start a query (`?`) or a fragment
/// (`#`).
const PATH_SEGMENT: &percent_encoding::AsciiSet = crate::wire::style::PATH_ITEM;

/// A request assembled for sending.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub(super) operation: &'static Operation,
    pub(super) path: String,
    /// `name=value` pairs, already encoded.
    pub(super) query: Vec<String>,
    /// Header parameters.
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie parameters' `name=value` pairs, already encoded; sent as one `Cookie` header.
    pub(super) cookies: Vec<String>,
    /// Content type and bytes; kept whole so every attempt (retries, auth challenges) can
    /// send it again.
    pub(super) body: Option<(HeaderValue, Bytes)>,
    pub(super) options: RequestOptions,
    /// The first parameter that broke a rule, reported by [`finish`](Self::finish).
    pub(super) error: Option<InvalidParameter>,
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
            error: None,
        }
    }

    /// The request to send with `client`, or the first rule a parameter broke.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for that parameter.
    pub fn finish(mut self, client: Client) -> super::Prepared {
        match self.error.take() {
            Some(error) => Err(error.into()),
            None => Ok((client, self)),
        }
    }

    /// Keeps the first error.
    pub(super) fn record(&mut self, written: Result<(), InvalidParameter>) {
        if let Err(error) = written
            && self.error.is_none()
        {
            self.error = Some(error);
        }
    }

    /// Appends a fixed part of the path template.
    pub fn push_literal(&mut self, literal: &'static str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter as exactly one segment, percent-encoded.
    pub(super) fn push_segment(
        &mut self,
        parameter: &'static str,
        text: &str,
    ) -> Result<(), InvalidParameter> {
        // URL parsers resolve `.` and `..` (also percent-encoded) and collapse empty segments:
        // any of them would send the request to another resource.
        if text.is_empty() || text == "." || text == ".." {
            return Err(InvalidParameter::new(parameter, Rule::PathSegment, text));
        }
        self.path
            .extend(percent_encoding::utf8_percent_encode(text, PATH_SEGMENT));
        Ok(())
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
    pub(super) fn push_query_styled(&mut self, name: &str, parts: &ParamParts, style: Style) {
        self.query.extend(query_pairs(name, parts, style));
    }

    /// Appends a path parameter written as `style` says (`label`, `matrix`, or a list or
    /// object in `simple`).
    ///
    /// # Errors
    /// [`InvalidParameter`] when the text would change the path (empty, `.` or `..`).
    pub(super) fn push_path_styled(
        &mut self,
        parameter: &'static str,
        parts: &ParamParts,
        style: Style,
    ) -> Result<(), InvalidParameter> {
        let text = path_text(parameter, parts, style);
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
    pub(super) fn push_header(
        &mut self,
        name: &'static str,
        parts: &ParamParts,
        style: Style,
    ) -> Result<(), InvalidParameter> {
        let text = header_text(parts, style);
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| InvalidParameter::new(name, Rule::HeaderValue, name))?;
        let value = HeaderValue::from_str(&text)
            .map_err(|_| InvalidParameter::new(name, Rule::HeaderValue, text.escape_debug()))?;
        self.headers.push((header, value));
        Ok(())
    }

    /// Adds a cookie parameter (`form` style), sent in the `Cookie` header.
    pub(super) fn push_cookie(&mut self, name: &'static str, parts: &ParamParts, style: Style) {
        self.cookies.extend(cookie_pairs(name, parts, style));
    }

    /// Sets the request body.
    pub fn set_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some((HeaderValue::from_static(content_type), body));
    }

    /// Sets a JSON request body (nothing, when a parameter already broke a rule: that is
    /// the request's error).
    ///
    /// # Errors
    /// [`Error::Config`] if `value` cannot be serialized (a map with non-string keys).
    pub fn set_json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.error.is_some() {
            return Ok(());
        }
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

    /// Sets an `application/x-www-form-urlencoded` body (see [`form_body`]); nothing, when a
    /// parameter already broke a rule.
    ///
    /// # Errors
    /// [`Error::Config`] if `value` does not serialize as an object.
    pub fn set_form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
        encodings: &[FieldEncoding],
    ) -> Result<(), Error> {
        if self.error.is_some() {
            return Ok(());
        }
        let text = form_body(value, encodings).ok_or_else(|| {
            Error::Config("a form request body must serialize as an object".to_owned())
        })?;
        self.set_body(content_type, Bytes::from(text));
        Ok(())
    }

    pub(super) fn url(&self, client: &Client) -> Result<url::Url, Error> {
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
    pub(super) fn extra_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
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
    pub(super) fn raw_body(&self) -> Result<Option<(HeaderValue, Bytes)>, Error> {
        let Some((content_type, body)) = &self.options.raw_body else {
            return Ok(None);
        };
        let content_type = HeaderValue::from_str(content_type)
            .map_err(|_| InvalidParameter::new("Content-Type", Rule::HeaderValue, content_type))?;
        Ok(Some((content_type, body.clone())))
    }

    /// The `Cookie` header carrying the cookie parameters and an API key sent as a cookie
    /// (one header: RFC 6265 allows no second one).
    pub(super) fn cookie_header(&self, key: Option<String>) -> Result<Option<HeaderValue>, Error> {
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

    pub(super) fn accept(&self) -> Result<HeaderValue, Error> {
        Ok(match &self.options.accept {
            None => HeaderValue::from_static(self.operation.accept),
            Some(accept) => HeaderValue::from_str(accept)
                .map_err(|_| InvalidParameter::new("Accept", Rule::HeaderValue, accept))?,
        })
    }
}
