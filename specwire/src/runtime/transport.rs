//! One logical request on the wire: attempts, authentication challenges, interceptors and
//! retries, inside one `tracing` span.

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderValue, USER_AGENT};
use reqwest::{RequestBuilder, StatusCode};
use tracing::Instrument as _;

use super::PreparedRequest;
use crate::Client;
use crate::Error;
use crate::auth::Rejection;
use crate::error::AuthenticationError;
use crate::error::map_transport_error;
use crate::interceptor::{Attempt, RetryDecision};
use crate::retry::Failure;

/// Sends `request`, answering authentication challenges and retrying as the client's
/// [`RetryPolicy`](crate::RetryPolicy) and interceptors allow.
///
/// The call is one `tracing` span (target `specwire`, name `specwire.request`) with
/// OpenTelemetry's HTTP client field names: `http.request.method`, `url.template`,
/// `server.address`, `http.response.status_code`, `http.request.resend_count`, plus
/// `operation_id`; every attempt inside it is an event. No span or event carries a
/// credential.
pub(super) async fn dispatch(
    client: &Client,
    request: &PreparedRequest,
) -> Result<reqwest::Response, Error> {
    let operation = request.operation;
    let span = tracing::info_span!(
        target: "specwire",
        "specwire.request",
        otel.kind = "client",
        otel.name = %format_args!("{} {}", operation.method_name(), operation.path),
        operation_id = operation.operation_id,
        http.request.method = operation.method_name(),
        url.template = operation.path,
        server.address = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.r#type = tracing::field::Empty,
    );
    #[cfg(feature = "mock")]
    if let Some(stand_in) = client.stand_in() {
        let _entered = span.enter();
        let answered = answered_in_process(client, request, stand_in);
        if let Ok(response) = &answered {
            crate::deprecation::warn_once(operation.operation_id, response.headers());
        }
        return answered;
    }
    let result = attempts(client, request, &span)
        .instrument(span.clone())
        .await;
    match &result {
        Ok(response) => {
            span.record("http.response.status_code", response.status().as_u16());
            let _entered = span.enter();
            crate::deprecation::warn_once(operation.operation_id, response.headers());
        }
        Err(error) => {
            span.record("error.type", error_type(error));
        }
    }
    result
}

/// OpenTelemetry's `error.type` for a call that ended in `error` before a response.
fn error_type(error: &Error) -> &'static str {
    match error {
        Error::Timeout(_) => "timeout",
        Error::Transport(_) => "transport",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Authentication(_) => "authentication",
        Error::Config(_) => "config",
        _ => "_OTHER",
    }
}

async fn attempts(
    client: &Client,
    request: &PreparedRequest,
    span: &tracing::Span,
) -> Result<reqwest::Response, Error> {
    let mut url = request.url(client)?;
    if let Some(pair) = client.auth().query_key() {
        let query = match url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
            _ => pair,
        };
        url.set_query(Some(&query));
    }
    if let Some(host) = url.host_str() {
        span.record("server.address", host);
    }
    let accept = request.accept()?;
    let extra_headers = request.extra_headers()?;
    let raw_body = request.raw_body()?;
    let cookie = request.cookie_header(client.auth().cookie_key())?;
    let method = &request.operation.http_method()?;
    let operation = request.operation.operation_id;
    let policy = client.retry_policy();
    let started = Instant::now();
    let mut attempt: u32 = 1;
    // Answers to authentication challenges are not retries; they are bounded separately.
    let mut auth_retries: u32 = 0;
    loop {
        span.record("http.request.resend_count", attempt - 1 + auth_retries);
        let mut builder = client
            .http()
            .request(method.clone(), url.clone())
            .header(ACCEPT, accept.clone())
            .header(USER_AGENT, client.user_agent().clone())
            .timeout(request.options.timeout.unwrap_or(client.default_timeout()));
        for (name, value) in request.headers.iter().chain(&extra_headers) {
            builder = builder.header(name, value);
        }
        if let Some(cookie) = &cookie {
            builder = builder.header(COOKIE, cookie.clone());
        }
        builder = attach_body(builder, request, raw_body.as_ref(), operation)?;
        let (builder, sent) = client
            .auth()
            .authorize(client.http(), builder, method, &url)
            .await?;
        let mut http_request = builder.build().map_err(map_transport_error)?;
        let context = Attempt {
            operation_id: operation,
            method,
            path_template: request.operation.path,
            number: attempt,
        };
        for interceptor in client.interceptors() {
            interceptor.before_send(&context, &mut http_request)?;
        }
        tracing::debug!(target: "specwire", operation, attempt, %method, path = url.path(), "sending");
        let delay = match client.http().execute(http_request).await {
            Ok(response) => {
                let status = response.status();
                tracing::debug!(target: "specwire", operation, attempt, status = status.as_u16(), "response");
                if status == StatusCode::UNAUTHORIZED {
                    match client
                        .auth()
                        .unauthorized(&sent, response.headers(), auth_retries)
                        .await
                    {
                        Rejection::Retry => {
                            auth_retries += 1;
                            continue;
                        }
                        Rejection::Fail(message) => {
                            let headers = response.headers().clone();
                            // The body only adds detail to an error already decided.
                            let body = response.bytes().await.unwrap_or_default();
                            return Err(Error::Authentication(Box::new(AuthenticationError {
                                message,
                                status: Some(status),
                                headers,
                                body,
                            })));
                        }
                        Rejection::PassThrough => {}
                    }
                }
                let decision = client
                    .interceptors()
                    .iter()
                    .map(|i| i.after_response(&context, status, response.headers()))
                    .find(|d| *d != RetryDecision::Default)
                    .unwrap_or_default();
                let delay = match decision {
                    _ if request.options.stream_body().is_some() => None,
                    RetryDecision::DoNotRetry => None,
                    RetryDecision::Retry => {
                        policy.forced_delay(attempt, started.elapsed(), response.headers())
                    }
                    _ => policy.next_delay(
                        method,
                        attempt,
                        started.elapsed(),
                        Failure::Status(status, response.headers()),
                    ),
                };
                match retry_after(client, delay) {
                    None => {
                        if status.is_success() {
                            client.retry_budget().record_success(attempt - 1);
                        }
                        return Ok(response);
                    }
                    Some(delay) => {
                        tracing::warn!(target: "specwire", operation, attempt, status = status.as_u16(), delay_ms = delay.as_millis() as u64, "retrying");
                        delay
                    }
                }
            }
            Err(error) => {
                let delay = if request.options.stream_body().is_some() {
                    None
                } else {
                    policy.next_delay(method, attempt, started.elapsed(), Failure::Send(&error))
                };
                match retry_after(client, delay) {
                    None => return Err(map_transport_error(error)),
                    Some(delay) => {
                        tracing::warn!(target: "specwire", operation, attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying after a connection failure");
                        delay
                    }
                }
            }
        };
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// The delay of a retry the shared budget can pay for; a retry it cannot is not made.
fn retry_after(client: &Client, delay: Option<Duration>) -> Option<Duration> {
    delay.filter(|_| client.retry_budget().try_acquire())
}

/// The request as it would be sent, answered by `stand_in` (no credentials: they are not
/// part of what a test asks about).
#[cfg(feature = "mock")]
fn answered_in_process(
    client: &Client,
    request: &PreparedRequest,
    stand_in: &dyn crate::stand_in::StandIn,
) -> Result<reqwest::Response, Error> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(ACCEPT, request.accept()?);
    for (name, value) in request.headers.iter().chain(&request.extra_headers()?) {
        headers.append(name.clone(), value.clone());
    }
    if let Some(cookie) = request.cookie_header(None)? {
        headers.insert(COOKIE, cookie);
    }
    let raw_body = request.raw_body()?;
    let body = match raw_body.as_ref().or(request.body.as_ref()) {
        Some((content_type, bytes)) => {
            headers.insert(CONTENT_TYPE, content_type.clone());
            bytes.clone()
        }
        None => bytes::Bytes::new(),
    };
    stand_in.answer(crate::stand_in::Call {
        operation_id: request.operation.operation_id,
        method: request.operation.method_name().to_owned(),
        url: request.url(client)?,
        headers,
        body,
    })
}

/// Puts the body on one attempt. `Bytes` clones share the buffer, so every attempt sends
/// the same bytes; a stream goes once, and a second attempt (an authentication challenge
/// asks for one; retries are never made with a stream) fails.
fn attach_body(
    builder: RequestBuilder,
    request: &PreparedRequest,
    raw_body: Option<&(HeaderValue, bytes::Bytes)>,
    operation: &str,
) -> Result<RequestBuilder, Error> {
    if let Some(stream) = request.options.stream_body() {
        let body = stream.take().ok_or_else(|| {
            Error::Config(format!(
                "{operation}: the server asked for the request again (status 401, an authentication challenge), but its streamed body was already sent; make one call first so the client knows the nonce, or send the body as bytes"
            ))
        })?;
        let content_type = match raw_body {
            Some((content_type, _)) => content_type.clone(),
            None => request
                .body
                .as_ref()
                .map(|(content_type, _)| content_type.clone())
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        };
        return Ok(builder.header(CONTENT_TYPE, content_type).body(body));
    }
    Ok(match raw_body.or(request.body.as_ref()) {
        Some((content_type, bytes)) => builder
            .header(CONTENT_TYPE, content_type.clone())
            .body(bytes.clone()),
        None => builder,
    })
}
