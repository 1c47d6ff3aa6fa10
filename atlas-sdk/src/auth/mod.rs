//! How requests authenticate: none, a caller's bearer token, HTTP Digest with an API key, or a
//! service account's OAuth2 client-credentials token.

mod digest;
mod service_account;

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, RequestBuilder};

pub(crate) use self::digest::DigestAuth;
pub(crate) use self::service_account::ServiceAccount;
use crate::Error;

/// The configured scheme.
#[derive(Clone)]
pub(crate) enum Auth {
    None,
    Bearer(HeaderValue),
    Basic {
        user: String,
        password: String,
    },
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        value: String,
    },
    Digest(Arc<DigestAuth>),
    ServiceAccount(Arc<ServiceAccount>),
}

/// Where an API key goes (OpenAPI `apiKey` security schemes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A request header named after the scheme.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl std::fmt::Debug for Auth {
    // Never prints a credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "none",
            Auth::Bearer(_) => "bearer token (redacted)",
            Auth::Basic { .. } => "basic auth (redacted)",
            Auth::ApiKey { .. } => "API key (redacted)",
            Auth::Digest(_) => "digest API key (redacted)",
            Auth::ServiceAccount(_) => "service account (redacted)",
        })
    }
}

/// What one attempt carried, to make sense of a 401.
pub(crate) enum Sent {
    Nothing,
    Bearer,
    Digest { with_credentials: bool },
    Token(HeaderValue),
}

/// What to do after a 401.
pub(crate) enum Unauthorized {
    /// Send again now (new nonce, new token).
    Retry,
    /// Credentials were rejected: end with this error.
    Fail(String),
    /// Leave the response to the usual status mapping.
    PassThrough,
}

impl Auth {
    /// Adds the `Authorization` header for one attempt.
    pub(crate) async fn authorize(
        &self,
        http: &reqwest::Client,
        builder: RequestBuilder,
        method: &Method,
        url: &url::Url,
    ) -> Result<(RequestBuilder, Sent), Error> {
        Ok(match self {
            Auth::None => (builder, Sent::Nothing),
            Auth::Bearer(value) => (builder.header(AUTHORIZATION, value.clone()), Sent::Bearer),
            Auth::Basic { user, password } => {
                (builder.basic_auth(user, Some(password)), Sent::Bearer)
            }
            Auth::ApiKey {
                location: ApiKeyLocation::Header,
                name,
                value,
            } => {
                let mut value = HeaderValue::from_str(value).map_err(|_| {
                    Error::Config("API key is not a valid HTTP header value".to_owned())
                })?;
                value.set_sensitive(true);
                (builder.header(name.as_str(), value), Sent::Bearer)
            }
            // Query and cookie keys are part of the URL and the `Cookie` header, which the
            // transport assembles (`query_key`, `cookie_key`).
            Auth::ApiKey { .. } => (builder, Sent::Bearer),
            Auth::Digest(digest) => match digest.authorization(method, url)? {
                Some(value) => (
                    builder.header(AUTHORIZATION, value),
                    Sent::Digest {
                        with_credentials: true,
                    },
                ),
                None => (
                    builder,
                    Sent::Digest {
                        with_credentials: false,
                    },
                ),
            },
            Auth::ServiceAccount(account) => {
                let value = account.token(http).await?;
                (
                    builder.header(AUTHORIZATION, value.clone()),
                    Sent::Token(value),
                )
            }
        })
    }

    /// The API key's `name=value` query pair, encoded, when it goes in the query.
    pub(crate) fn query_key(&self) -> Option<String> {
        match self {
            Auth::ApiKey {
                location: ApiKeyLocation::Query,
                name,
                value,
            } => Some(
                crate::runtime::query_pairs(
                    name,
                    &crate::runtime::ParamParts::Single(value.clone()),
                    crate::runtime::Style::form(true),
                )
                .concat(),
            ),
            _ => None,
        }
    }

    /// The API key's `name=value` cookie pair, encoded, when it goes in a cookie.
    pub(crate) fn cookie_key(&self) -> Option<String> {
        match self {
            Auth::ApiKey {
                location: ApiKeyLocation::Cookie,
                name,
                value,
            } => Some(
                crate::runtime::cookie_pairs(
                    name,
                    &crate::runtime::ParamParts::Single(value.clone()),
                    crate::runtime::Style::form(true),
                )
                .concat(),
            ),
            _ => None,
        }
    }

    /// Decides what a 401 means. `retried` counts the auth retries of this call, which are
    /// bounded so wrong credentials can never loop.
    pub(crate) async fn unauthorized(
        &self,
        sent: &Sent,
        headers: &HeaderMap,
        retried: u32,
    ) -> Unauthorized {
        match (self, sent) {
            (Auth::Digest(digest), Sent::Digest { with_credentials }) => {
                let stale = match digest.challenge(headers) {
                    Ok(stale) => stale,
                    Err(message) => return Unauthorized::Fail(message),
                };
                if !with_credentials && retried == 0 {
                    Unauthorized::Retry
                } else if stale && retried < 2 {
                    tracing::debug!(target: "atlas_sdk", "digest nonce went stale; retrying with the new one");
                    Unauthorized::Retry
                } else {
                    Unauthorized::Fail(
                        "Atlas rejected the API key (HTTP Digest): check the public and private key"
                            .to_owned(),
                    )
                }
            }
            (Auth::ServiceAccount(account), Sent::Token(used)) if retried == 0 => {
                account.invalidate(used).await;
                tracing::debug!(target: "atlas_sdk", "access token rejected; fetching a new one");
                Unauthorized::Retry
            }
            _ => Unauthorized::PassThrough,
        }
    }
}
