//! One logical request on the wire: attempts, authentication challenges and retries.

use std::time::Instant;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderValue, USER_AGENT};

use super::{PreparedRequest, map_transport_error};
use crate::auth::Unauthorized;
use crate::error::AuthenticationError;
use crate::retry::Failure;
use crate::{Client, Error};

/// Sends `request`, answering authentication challenges and retrying as the client's
/// [`RetryPolicy`](crate::RetryPolicy) allows. Every attempt is a `tracing` event (target
/// `atlas_sdk`); no event carries a credential.
pub(super) async fn dispatch(
    client: &Client,
    request: &PreparedRequest,
) -> Result<reqwest::Response, Error> {
    let mut url = request.url(client)?;
    if let Some(pair) = client.auth().query_key() {
        let query = match url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
            _ => pair,
        };
        url.set_query(Some(&query));
    }
    let accept = request.accept()?;
    let raw_body = request.raw_body()?;
    let cookie = request.cookie_header(client.auth().cookie_key())?;
    let method = &request.operation.method;
    let operation = request.operation.operation_id;
    let policy = client.retry_policy();
    let started = Instant::now();
    let mut attempt: u32 = 1;
    // Answers to authentication challenges are not retries; they are bounded separately.
    let mut auth_retries: u32 = 0;
    loop {
        let mut builder = client
            .http()
            .request(method.clone(), url.clone())
            .header(ACCEPT, accept.clone())
            .header(USER_AGENT, client.user_agent().clone())
            .timeout(request.options.timeout.unwrap_or(client.default_timeout()));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(cookie) = &cookie {
            builder = builder.header(COOKIE, cookie.clone());
        }
        // `Bytes` clones share the buffer: every attempt sends the same body. A stream goes
        // once; a second attempt (a retry is never made, but an auth challenge asks) fails.
        if let Some(stream) = request.options.stream_body() {
            let body = stream.take().ok_or_else(|| {
                Error::Config(format!(
                    "{operation}: the server asked for the request again (status 401, an authentication challenge), but its streamed body was already sent; make one call first so the client knows the nonce, or send the body as bytes"
                ))
            })?;
            let content_type = match &raw_body {
                Some((content_type, _)) => content_type.clone(),
                None => request
                    .body
                    .as_ref()
                    .map(|(content_type, _)| content_type.clone())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            };
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        } else if let Some((content_type, bytes)) = &raw_body {
            builder = builder
                .header(CONTENT_TYPE, content_type.clone())
                .body(bytes.clone());
        } else if let Some((content_type, bytes)) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, content_type.clone())
                .body(bytes.clone());
        }
        let (builder, sent) = client
            .auth()
            .authorize(client.http(), builder, method, &url)
            .await?;
        tracing::debug!(target: "atlas_sdk", operation, attempt, %method, path = url.path(), "sending");
        let delay = match builder.send().await {
            Ok(response) => {
                let status = response.status();
                tracing::debug!(target: "atlas_sdk", operation, attempt, status = status.as_u16(), "response");
                if status == StatusCode::UNAUTHORIZED {
                    match client
                        .auth()
                        .unauthorized(&sent, response.headers(), auth_retries)
                        .await
                    {
                        Unauthorized::Retry => {
                            auth_retries += 1;
                            continue;
                        }
                        Unauthorized::Fail(message) => {
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
                        Unauthorized::PassThrough => {}
                    }
                }
                let failure = Failure::Status(status, response.headers());
                let delay = if request.options.stream_body().is_some() {
                    None
                } else {
                    policy.next_delay(method, attempt, started.elapsed(), failure)
                };
                // A retry the shared budget cannot pay for is not made.
                let delay = delay.filter(|_| client.retry_budget().try_acquire());
                match delay {
                    None => {
                        if status.is_success() {
                            client.retry_budget().record_success(attempt - 1);
                        }
                        return Ok(response);
                    }
                    Some(delay) => {
                        tracing::warn!(target: "atlas_sdk", operation, attempt, status = status.as_u16(), delay_ms = delay.as_millis() as u64, "retrying");
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
                let delay = delay.filter(|_| client.retry_budget().try_acquire());
                match delay {
                    None => return Err(map_transport_error(error)),
                    Some(delay) => {
                        tracing::warn!(target: "atlas_sdk", operation, attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying after a connection failure");
                        delay
                    }
                }
            }
        };
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}
