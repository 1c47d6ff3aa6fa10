//! Service accounts: OAuth2 client credentials exchanged for a bearer token, cached until
//! shortly before it expires, shared by every clone of the client, and fetched once however
//! many tasks need it at the same moment.

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};

use crate::Error;
use crate::error::AuthenticationError;
use crate::error::map_transport_error;

pub(crate) struct ServiceAccount {
    client_id: String,
    client_secret: String,
    token_url: url::Url,
    revoke_url: url::Url,
    timeout: Duration,
    /// Held across the fetch, so concurrent callers wait for one request instead of each
    /// sending their own (token endpoints commonly allow only a few requests a minute).
    cache: tokio::sync::Mutex<Option<CachedToken>>,
}

struct CachedToken {
    token: String,
    header: HeaderValue,
    refresh_at: Instant,
}

/// The token endpoint's answer (RFC 6749 §5.1), read from JSON by hand: a derive would make
/// every user of the SDK compile `serde_derive`.
struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
}

impl TokenResponse {
    fn parse(body: &[u8]) -> Result<TokenResponse, String> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let field = |name: &str| value.get(name).filter(|v| !v.is_null());
        let access_token = field("access_token")
            .and_then(serde_json::Value::as_str)
            .ok_or("no `access_token` string")?
            .to_owned();
        let token_type = match field("token_type") {
            None => None,
            Some(v) => Some(v.as_str().ok_or("`token_type` is not a string")?.to_owned()),
        };
        let expires_in = match field("expires_in") {
            None => None,
            Some(v) => Some(v.as_u64().ok_or("`expires_in` is not a whole number")?),
        };
        Ok(TokenResponse {
            access_token,
            token_type,
            expires_in,
        })
    }
}

impl ServiceAccount {
    pub(crate) fn new(
        client_id: String,
        client_secret: String,
        token_url: url::Url,
        revoke_url: url::Url,
        timeout: Duration,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_url,
            revoke_url,
            timeout,
            cache: tokio::sync::Mutex::new(None),
        }
    }

    /// The `Authorization` value of a valid token, fetching one if needed.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<HeaderValue, Error> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.header.clone());
        }
        let fetched = self.fetch(http).await?;
        let header = fetched.header.clone();
        *cache = Some(fetched);
        Ok(header)
    }

    /// Forgets `used` if it is still the cached token (another task may have replaced it).
    pub(crate) async fn invalidate(&self, used: &HeaderValue) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| c.header == used) {
            *cache = None;
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<CachedToken, Error> {
        tracing::debug!(target: "specwire", url = %self.token_url, "fetching a service account token");
        let response = http
            .post(self.token_url.clone())
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(map_transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(map_transport_error)?;
        if !status.is_success() {
            return Err(Error::Authentication(Box::new(AuthenticationError {
                message: format!(
                    "the token endpoint refused the service account credentials ({status})"
                ),
                status: Some(status),
                headers,
                body,
            })));
        }
        let token = TokenResponse::parse(&body).map_err(|e| {
            Error::Authentication(Box::new(AuthenticationError {
                message: format!("the token endpoint sent an unreadable answer: {e}"),
                status: Some(status),
                headers: headers.clone(),
                body: body.clone(),
            }))
        })?;
        if token
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(Error::Authentication(Box::new(AuthenticationError {
                message: "the token endpoint issued a token that is not a bearer token".to_owned(),
                status: Some(status),
                headers,
                body,
            })));
        }
        let mut header =
            HeaderValue::from_str(&format!("Bearer {}", token.access_token)).map_err(|_| {
                Error::Config("the issued token is not a valid header value".to_owned())
            })?;
        header.set_sensitive(true);
        // Refresh a little early: a tenth of the lifetime, at most a minute (tokens commonly live 3600 s).
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        let margin = (lifetime / 10).min(Duration::from_secs(60));
        Ok(CachedToken {
            token: token.access_token,
            header,
            refresh_at: Instant::now() + lifetime - margin,
        })
    }

    /// Revokes the cached token, if any, at the revocation endpoint.
    pub(crate) async fn revoke(&self, http: &reqwest::Client) -> Result<(), Error> {
        let Some(cached) = self.cache.lock().await.take() else {
            return Ok(());
        };
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("token", &cached.token)
            .append_pair("token_type_hint", "access_token")
            .finish();
        let response = http
            .post(self.revoke_url.clone())
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(map_transport_error)?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(map_transport_error)?;
        Err(Error::Authentication(Box::new(AuthenticationError {
            message: format!("the revocation endpoint refused the request ({status})"),
            status: Some(status),
            headers,
            body,
        })))
    }
}

#[cfg(test)]
mod token_response_tests {
    use super::TokenResponse;

    #[test]
    fn the_token_answer_is_read_strictly_where_it_matters() {
        let token = TokenResponse::parse(
            br#"{"access_token": "t", "token_type": "Bearer", "expires_in": 3600, "scope": "x"}"#,
        )
        .unwrap();
        assert_eq!(
            (
                token.access_token.as_str(),
                token.token_type.as_deref(),
                token.expires_in
            ),
            ("t", Some("Bearer"), Some(3600))
        );
        let bare = TokenResponse::parse(br#"{"access_token": "t", "expires_in": null}"#).unwrap();
        assert_eq!((bare.token_type, bare.expires_in), (None, None));
        assert_eq!(
            TokenResponse::parse(br#"{"token_type": "Bearer"}"#)
                .err()
                .as_deref(),
            Some("no `access_token` string")
        );
        assert_eq!(
            TokenResponse::parse(br#"{"access_token": "t", "expires_in": "soon"}"#)
                .err()
                .as_deref(),
            Some("`expires_in` is not a whole number")
        );
    }
}
