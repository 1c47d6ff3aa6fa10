//! HTTP Digest (RFC 7616, MD5 and SHA-256, `qop=auth`) with nonce reuse: after the first
//! challenge every request carries credentials, so a call costs one round trip, not two.
//!
//! The first challenge is fetched once: while no nonce is known, one attempt goes without
//! credentials (the probe) and the client's other concurrent attempts wait for its 401, so
//! 1,000 calls started at once cost 1,001 requests rather than 2,000. Should the probe end
//! without a challenge (the server let it through, or the connection failed), waiting stops
//! and attempts go without credentials until a 401 brings one, as they would have anyway.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};

use crate::Error;

pub(crate) struct DigestAuth {
    username: String,
    password: String,
    /// The server's latest challenge; its nonce count goes up with every request.
    state: Mutex<Option<http_auth::DigestClient>>,
    /// An attempt without credentials is in flight to fetch the first challenge.
    probing: AtomicBool,
    /// A probe ended without bringing a challenge: stop waiting for probes.
    unchallenged: AtomicBool,
    /// Wakes the attempts waiting for the probe.
    probe_done: tokio::sync::Notify,
}

/// Held by the probe's attempt until it ends (it is dropped with the attempt, also when the
/// attempt is cancelled), then wakes the waiting attempts.
pub(crate) struct ProbeGuard(Arc<DigestAuth>);

impl Drop for ProbeGuard {
    fn drop(&mut self) {
        let digest = &self.0;
        if digest.lock_state().is_none() {
            digest.unchallenged.store(true, Ordering::SeqCst);
        }
        digest.probing.store(false, Ordering::SeqCst);
        digest.probe_done.notify_waiters();
    }
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
            probing: AtomicBool::new(false),
            unchallenged: AtomicBool::new(false),
            probe_done: tokio::sync::Notify::new(),
        })
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, Option<http_auth::DigestClient>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The `Authorization` header for one attempt; before the first challenge, either the
    /// probe's guard (the attempt goes without credentials) or, after waiting for the probe,
    /// the signed header.
    pub(crate) async fn authorize(
        self: &Arc<Self>,
        method: &Method,
        url: &url::Url,
    ) -> Result<(Option<HeaderValue>, Option<ProbeGuard>), Error> {
        loop {
            // Registered before the checks, so a probe ending in between still wakes us.
            let done = self.probe_done.notified();
            tokio::pin!(done);
            done.as_mut().enable();
            if let Some(value) = self.authorization(method, url)? {
                return Ok((Some(value), None));
            }
            if self.unchallenged.load(Ordering::SeqCst) {
                return Ok((None, None));
            }
            if !self.probing.swap(true, Ordering::SeqCst) {
                return Ok((None, Some(ProbeGuard(Arc::clone(self)))));
            }
            done.await;
        }
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
        let mut state = self.lock_state();
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
        *self.lock_state() = Some(client);
        self.unchallenged.store(false, Ordering::SeqCst);
        Ok(stale)
    }
}
