//! HTTP Digest (RFC 7616, MD5 and SHA-256, `qop=auth`) with nonce reuse: after the first
//! challenge every request carries credentials, so a call costs one round trip, not two.

use std::sync::Mutex;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use crate::Error;

pub(crate) struct DigestAuth {
    username: String,
    password: String,
    /// The server's latest challenge; its nonce count goes up with every request.
    state: Mutex<Option<http_auth::DigestClient>>,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: String) -> Result<Self, Error> {
        if username.contains(['\r', '\n', '"']) || username.is_empty() {
            return Err(Error::Config(
                "the API public key must be non-empty, without quotes, CR or LF".to_owned(),
            ));
        }
        Ok(Self {
            username,
            password,
            state: Mutex::new(None),
        })
    }

    /// The `Authorization` header for `method url`, once a challenge is known.
    pub(crate) fn authorization(
        &self,
        method: &Method,
        url: &url::Url,
    ) -> Result<Option<HeaderValue>, Error> {
        let mut uri = url.path().to_owned();
        if let Some(query) = url.query() {
            uri.push('?');
            uri.push_str(query);
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(client) = state.as_mut() else {
            return Ok(None);
        };
        let response = client
            .respond(&http_auth::PasswordParams {
                username: &self.username,
                password: &self.password,
                uri: &uri,
                method: method.as_str(),
                body: None,
            })
            .map_err(|e| Error::Config(format!("cannot answer the Digest challenge: {e}")))?;
        let mut value = HeaderValue::from_str(&response)
            .map_err(|_| Error::Config("Digest response is not a valid header value".to_owned()))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// Takes the challenge of a 401; returns whether it says the old nonce was stale.
    pub(crate) fn challenge(&self, headers: &HeaderMap) -> Result<bool, String> {
        let mut found = None;
        for value in headers.get_all(WWW_AUTHENTICATE) {
            let Ok(text) = value.to_str() else { continue };
            if let Ok(challenges) = http_auth::parse_challenges(text) {
                for challenge in challenges
                    .iter()
                    .filter(|c| c.scheme.eq_ignore_ascii_case("digest"))
                {
                    if let Ok(client) = http_auth::DigestClient::try_from(challenge) {
                        // Prefer SHA-256 when the server offers several algorithms.
                        let better = found.as_ref().is_none_or(|f: &http_auth::DigestClient| {
                            f.algorithm() == http_auth::digest::Algorithm::Md5
                        });
                        if better {
                            found = Some(client);
                        }
                    }
                }
            }
        }
        let client = found.ok_or_else(|| {
            "the server answered 401 without a Digest challenge this client can answer".to_owned()
        })?;
        let stale = client.stale();
        *self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(client);
        Ok(stale)
    }
}
