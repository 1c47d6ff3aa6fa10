//! The credentials trait: what the client asks for each attempt's `Authorization`, and what
//! it does with a 401. The built-in kinds (bearer token, HTTP Digest, service account)
//! implement it; so can yours (a token shared across processes, a vault lookup, …).

use std::future::Future;
use std::pin::Pin;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::Error;

/// A future the trait's methods return (boxed, so the trait stays object-safe).
pub type CredentialFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a credential is asked about.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AuthRequest<'a> {
    /// The request's method.
    pub method: &'a Method,
    /// Its full URL (HTTP Digest signs the path and query).
    pub url: &'a url::Url,
    /// The client's HTTP client, for credentials that fetch tokens.
    pub http: &'a reqwest::Client,
}

/// What to do after the server answered 401 to an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// Send the request again now (a new nonce, a new token).
    Retry,
    /// The credentials were refused: end with [`Error::Authentication`] and this message.
    Fail(String),
    /// Leave the 401 to the usual status mapping.
    PassThrough,
}

/// Supplies each attempt's `Authorization` header.
///
/// ```
/// use specwire::auth::{AuthRequest, CredentialFuture, Credentials, Rejection};
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// /// A token another process keeps fresh in a file.
/// struct TokenFile(std::path::PathBuf);
///
/// impl Credentials for TokenFile {
///     fn authorization<'a>(&'a self, _: &'a AuthRequest<'a>) -> CredentialFuture<'a, Result<Option<HeaderValue>, specwire::Error>> {
///         Box::pin(async move {
///             let token = std::fs::read_to_string(&self.0)
///                 .map_err(|e| specwire::Error::Config(format!("token file: {e}")))?;
///             let mut value = HeaderValue::from_str(&format!("Bearer {}", token.trim()))
///                 .map_err(|_| specwire::Error::Config("token is not a header value".into()))?;
///             value.set_sensitive(true);
///             Ok(Some(value))
///         })
///     }
///     fn rejected<'a>(&'a self, _: Option<&'a HeaderValue>, _: &'a HeaderMap, retried: u32) -> CredentialFuture<'a, Rejection> {
///         // The other process may have renewed it meanwhile: read it again, once.
///         Box::pin(async move { if retried == 0 { Rejection::Retry } else { Rejection::PassThrough } })
///     }
/// }
///
/// let client = specwire::Client::builder().base_url("https://api.example.com").credentials(TokenFile("token".into())).build()?;
/// # Ok::<(), specwire::Error>(())
/// ```
pub trait Credentials: Send + Sync + 'static {
    /// The `Authorization` value for one attempt (`None`: send it without one).
    fn authorization<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> CredentialFuture<'a, Result<Option<HeaderValue>, Error>>;

    /// The server answered 401 (with `headers`) to an attempt that carried `sent`;
    /// `retried` counts the attempts this call already made after a 401, so that wrong
    /// credentials can never loop. By default the 401 is returned as it is.
    fn rejected<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        headers: &'a HeaderMap,
        retried: u32,
    ) -> CredentialFuture<'a, Rejection> {
        let _ = (sent, headers, retried);
        Box::pin(std::future::ready(Rejection::PassThrough))
    }
}

/// A token you obtained yourself: `Authorization: Bearer <token>`.
pub(crate) struct BearerToken(pub(crate) HeaderValue);

impl Credentials for BearerToken {
    fn authorization<'a>(
        &'a self,
        _: &'a AuthRequest<'a>,
    ) -> CredentialFuture<'a, Result<Option<HeaderValue>, Error>> {
        Box::pin(std::future::ready(Ok(Some(self.0.clone()))))
    }
}

impl Credentials for super::DigestAuth {
    fn authorization<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> CredentialFuture<'a, Result<Option<HeaderValue>, Error>> {
        // Until a challenge gives the nonce, the request goes without credentials.
        Box::pin(std::future::ready(super::DigestAuth::authorization(
            self,
            request.method,
            request.url,
        )))
    }

    fn rejected<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        headers: &'a HeaderMap,
        retried: u32,
    ) -> CredentialFuture<'a, Rejection> {
        let stale = match self.challenge(headers) {
            Ok(stale) => stale,
            Err(message) => return Box::pin(std::future::ready(Rejection::Fail(message))),
        };
        let rejection = if sent.is_none() && retried == 0 {
            Rejection::Retry
        } else if stale && retried < 2 {
            tracing::debug!(target: "specwire", "digest nonce went stale; retrying with the new one");
            Rejection::Retry
        } else {
            Rejection::Fail(
                "the server rejected the HTTP Digest credentials: check the public and private key"
                    .to_owned(),
            )
        };
        Box::pin(std::future::ready(rejection))
    }
}

impl Credentials for super::ServiceAccount {
    fn authorization<'a>(
        &'a self,
        request: &'a AuthRequest<'a>,
    ) -> CredentialFuture<'a, Result<Option<HeaderValue>, Error>> {
        Box::pin(async move { self.token(request.http).await.map(Some) })
    }

    fn rejected<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        _: &'a HeaderMap,
        retried: u32,
    ) -> CredentialFuture<'a, Rejection> {
        Box::pin(async move {
            match sent {
                Some(used) if retried == 0 => {
                    self.invalidate(used).await;
                    tracing::debug!(target: "specwire", "access token rejected; fetching a new one");
                    Rejection::Retry
                }
                _ => Rejection::PassThrough,
            }
        })
    }
}
