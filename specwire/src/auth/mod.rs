//! How requests authenticate: none, a caller's bearer token, HTTP Digest with an API key, or a
//! service account's OAuth2 client-credentials token.

mod credentials;
mod digest;
mod service_account;

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, RequestBuilder};

pub(crate) use self::credentials::BearerToken;
pub use self::credentials::{AuthRequest, CredentialFuture, Credentials, Rejection};
pub(crate) use self::digest::DigestAuth;
pub(crate) use self::service_account::ServiceAccount;
/// The error credentials return: the runtime's [`Error`], whatever error type an SDK
/// built on the runtime gives its operations (such an SDK re-exports this module, so
/// `sdk::auth::Error` names it).
pub use crate::Error;

/// The configured scheme.
#[derive(Clone)]
pub(crate) enum Auth {
    None,
    /// Bearer tokens, HTTP Digest, service accounts, and the caller's own; with what they
    /// are, for `Debug` output.
    Credentials(Arc<dyn Credentials>, &'static str),
    Basic {
        user: String,
        password: String,
    },
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        value: String,
    },
    /// A service account (also reachable as credentials) kept for `revoke_token`.
    ServiceAccount(Arc<ServiceAccount>),
    /// HTTP Digest with an API key (also reachable as credentials), kept apart so that the
    /// first challenge is fetched once for all concurrent attempts.
    Digest(Arc<DigestAuth>),
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
            Auth::Credentials(_, kind) => kind,
            Auth::Basic { .. } => "basic auth (redacted)",
            Auth::ApiKey { .. } => "API key (redacted)",
            Auth::ServiceAccount(_) => "service account (redacted)",
            Auth::Digest(_) => "digest API key (redacted)",
        })
    }
}

/// What one attempt carried, to make sense of a 401: the `Authorization` value the
/// credentials gave, if any; and, for the Digest probe, the guard that wakes the attempts
/// waiting for its challenge when the attempt ends.
pub(crate) struct Sent {
    value: Option<HeaderValue>,
    /// Held, never read: dropping it is what wakes the waiters.
    _probe: Option<digest::ProbeGuard>,
}

impl Sent {
    fn nothing() -> Sent {
        Sent {
            value: None,
            _probe: None,
        }
    }
}

impl Auth {
    /// The credentials that answer for `Authorization`, when the scheme goes through them.
    fn credentials(&self) -> Option<&dyn Credentials> {
        match self {
            Auth::Credentials(credentials, _) => Some(credentials.as_ref()),
            Auth::ServiceAccount(account) => Some(account.as_ref()),
            Auth::Digest(digest) => Some(digest.as_ref()),
            _ => None,
        }
    }

    /// Adds the `Authorization` header (or API key header) for one attempt.
    pub(crate) async fn authorize(
        &self,
        http: &reqwest::Client,
        builder: RequestBuilder,
        method: &Method,
        url: &url::Url,
    ) -> Result<(RequestBuilder, Sent), Error> {
        let (value, probe) = match (self, self.credentials()) {
            (Auth::Digest(digest), _) => digest.authorize(method, url).await?,
            (_, Some(credentials)) => {
                let request = AuthRequest { method, url, http };
                (credentials.authorization(&request).await?, None)
            }
            (_, None) => {
                let builder = self.authorize_without_credentials(builder)?;
                return Ok((builder, Sent::nothing()));
            }
        };
        let builder = match &value {
            Some(value) => builder.header(AUTHORIZATION, value.clone()),
            None => builder,
        };
        Ok((
            builder,
            Sent {
                value,
                _probe: probe,
            },
        ))
    }

    /// Basic auth and API keys: nothing to remember for a 401.
    fn authorize_without_credentials(
        &self,
        builder: RequestBuilder,
    ) -> Result<RequestBuilder, Error> {
        Ok(match self {
            Auth::Basic { user, password } => builder.basic_auth(user, Some(password)),
            Auth::ApiKey {
                location: ApiKeyLocation::Header,
                name,
                value,
            } => {
                let mut value = HeaderValue::from_str(value).map_err(|_| {
                    Error::Config("API key is not a valid HTTP header value".to_owned())
                })?;
                value.set_sensitive(true);
                builder.header(name.as_str(), value)
            }
            // Query and cookie keys are part of the URL and the `Cookie` header, which the
            // transport assembles (`query_key`, `cookie_key`).
            _ => builder,
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
                crate::wire::style::query_pairs(
                    name,
                    &crate::wire::style::ParamParts::Single(value.clone()),
                    crate::wire::style::Style::form(true),
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
                crate::wire::style::cookie_pairs(
                    name,
                    &crate::wire::style::ParamParts::Single(value.clone()),
                    crate::wire::style::Style::form(true),
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
    ) -> Rejection {
        match self.credentials() {
            // A hard stop whatever the credentials say: no call answers more than three 401s.
            Some(_) if retried >= 3 => Rejection::PassThrough,
            Some(credentials) => {
                credentials
                    .rejected(sent.value.as_ref(), headers, retried)
                    .await
            }
            None => Rejection::PassThrough,
        }
    }
}
