//! The client: where requests go, how they authenticate, and the defaults they share.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::Error;
use crate::RetryPolicy;
use crate::auth::{ApiKeyLocation, Auth, DigestAuth, ServiceAccount};
pub use crate::envelope::Envelope;

/// Applied to every request unless the builder or the request says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The base URL of a mocked client that was given none (requests never leave the process).
#[cfg(feature = "mock")]
const MOCKED_BASE_URL: &str = "http://mock.invalid";
const DEFAULT_USER_AGENT: &str = concat!("specwire/", env!("CARGO_PKG_VERSION"));

/// A handle to one API: where requests go, how they authenticate, and the defaults they
/// share. Generated operations take it; a generated crate's `client_builder()` starts one.
///
/// Cheap to clone: clones share one connection pool and one configuration.
///
/// ```no_run
/// # fn run() -> Result<(), specwire::Error> {
/// let client = specwire::Client::builder()
///     .base_url("https://api.example.com")
///     .api_key(specwire::ApiKeyLocation::Header, "X-API-Key", "secret")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.example.com");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    user_agent: HeaderValue,
    auth: Auth,
    retry: RetryPolicy,
    /// Shared by every clone, so a storm of failures drains one budget.
    retry_budget: crate::retry::RetryBudget,
    interceptors: Vec<std::sync::Arc<dyn crate::interceptor::Interceptor>>,
    envelope: Option<Envelope>,
    /// Answers every request in the process instead of the network.
    #[cfg(feature = "mock")]
    stand_in: Option<std::sync::Arc<dyn crate::stand_in::StandIn>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("user_agent", &self.inner.user_agent)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn default_timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    pub(crate) fn auth(&self) -> &Auth {
        &self.inner.auth
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn retry_budget(&self) -> &crate::retry::RetryBudget {
        &self.inner.retry_budget
    }

    /// What answers this client's requests in place of the network, when something does.
    #[cfg(feature = "mock")]
    pub(crate) fn stand_in(&self) -> Option<&dyn crate::stand_in::StandIn> {
        self.inner.stand_in.as_deref()
    }

    /// The envelope the API wraps responses in on request, if it has one.
    pub(crate) fn envelope(&self) -> Option<&Envelope> {
        self.inner.envelope.as_ref()
    }

    pub(crate) fn interceptors(&self) -> &[std::sync::Arc<dyn crate::interceptor::Interceptor>] {
        &self.inner.interceptors
    }

    /// Revokes the service account's cached access token (`POST` to the token URL's sibling
    /// `revoke`), for
    /// example at shutdown. Does nothing for other kinds of authentication or when no token
    /// was fetched yet; the next call fetches a new token.
    ///
    /// # Errors
    /// [`Error::Authentication`] when the endpoint refuses, transport errors otherwise.
    pub async fn revoke_token(&self) -> Result<(), Error> {
        match &self.inner.auth {
            Auth::ServiceAccount(account) => account.revoke(&self.inner.http).await,
            _ => Ok(()),
        }
    }
}

/// The credentials a builder was given.
enum Credentials {
    None,
    Custom(Arc<dyn crate::auth::Credentials>),
    Bearer(String),
    Basic {
        user: String,
        password: String,
    },
    ApiKey {
        location: ApiKeyLocation,
        name: String,
        value: String,
    },
    Digest {
        public_key: String,
        private_key: String,
    },
    ServiceAccount {
        client_id: String,
        client_secret: String,
    },
}

/// Configures a [`Client`].
#[must_use = "a builder does nothing until you call `build`"]
pub struct ClientBuilder {
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    user_agent: String,
    credentials: Credentials,
    token_url: Option<String>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    /// TLS settings for the client this builder makes (a client certificate, extra roots).
    tls: Tls,
    allow_insecure_http: bool,
    interceptors: Vec<std::sync::Arc<dyn crate::interceptor::Interceptor>>,
    envelope: Option<Envelope>,
    #[cfg(feature = "mock")]
    stand_in: Option<std::sync::Arc<dyn crate::stand_in::StandIn>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            credentials: Credentials::None,
            token_url: None,
            retry: RetryPolicy::default(),
            http: None,
            tls: Tls::default(),
            allow_insecure_http: false,
            interceptors: Vec::new(),
            envelope: None,
            #[cfg(feature = "mock")]
            stand_in: None,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "credentials",
                &match self.credentials {
                    Credentials::None => "none",
                    Credentials::Custom(_) => "custom credentials (redacted)",
                    Credentials::Bearer(_) => "bearer token (redacted)",
                    Credentials::Basic { .. } => "basic auth (redacted)",
                    Credentials::ApiKey { .. } => "API key (redacted)",
                    Credentials::Digest { .. } => "digest API key (redacted)",
                    Credentials::ServiceAccount { .. } => "service account (redacted)",
                },
            )
            .field("token_url", &self.token_url)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("tls", &self.tls)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("interceptors", &self.interceptors.len())
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests to `url` (required: a generated crate's `client_builder()` sets the
    /// first server its document lists). Must be `https://` unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Total time allowed for each request, from connecting until the whole body is read
    /// (default [`DEFAULT_TIMEOUT`]). A request's own `timeout` overrides it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed for establishing a connection. Only used when the builder creates the
    /// HTTP client (not with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Replaces the `User-Agent` header (default `specwire/<version>`; a
    /// generated crate's `client_builder()` sets `<crate>/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Authenticates every request with `Authorization: Bearer <token>`, for a token you
    /// obtained yourself (for example a service account's access token).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Bearer(token.into());
        self
    }

    /// Authenticates with your own [`Credentials`](crate::auth::Credentials): the client asks
    /// them for each attempt's `Authorization` and tells them about a 401 (for example a token
    /// another process keeps fresh).
    pub fn credentials(mut self, credentials: impl crate::auth::Credentials) -> Self {
        self.credentials = Credentials::Custom(Arc::new(credentials));
        self
    }

    /// Authenticates every request with HTTP Basic (`Authorization: Basic …`), for APIs whose
    /// specification has an `http`/`basic` security scheme.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Credentials::Basic {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// Sends `value` as an API key named `name` in a header, the query or a cookie, for APIs
    /// whose specification has an `apiKey` security scheme.
    pub fn api_key(
        mut self,
        location: ApiKeyLocation,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.credentials = Credentials::ApiKey {
            location,
            name: name.into(),
            value: value.into(),
        };
        self
    }

    /// Authenticates with HTTP Digest, the public key (or user name) and the private key (or
    /// password). After the first challenge the nonce is reused, so each call
    /// costs one round trip; a stale nonce is renewed transparently.
    pub fn digest_auth(
        mut self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.credentials = Credentials::Digest {
            public_key: public_key.into(),
            private_key: private_key.into(),
        };
        self
    }

    /// Authenticates as a service account (OAuth 2.0 client credentials): the client id and
    /// secret are exchanged for an access token at the
    /// [token URL](Self::service_account_token_url), which is cached, shared by clones of the
    /// client, and renewed shortly before it expires.
    pub fn service_account(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Where service-account tokens come from (the `tokenUrl` of the document's OAuth 2.0
    /// `clientCredentials` flow): an absolute URL, or a path (`/oauth/token`) below the base
    /// URL. Revocation goes to the sibling `revoke` path.
    pub fn service_account_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// How failed requests are retried ([`RetryPolicy::default`] unless set;
    /// [`RetryPolicy::none`] disables retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses your configured `reqwest::Client` (proxies, TLS roots, pools) to send requests.
    ///
    /// Its redirect policy and connect timeout are then yours. The client this builder makes
    /// follows no redirects, so that credentials can never reach another host; give yours
    /// `reqwest::redirect::Policy::none()` to keep that guarantee.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Presents `identity` (a client certificate and its key) in the TLS handshake: what an
    /// API with a `mutualTLS` security scheme asks for. Build it with reqwest for your TLS
    /// backend: `reqwest::Identity::from_pem` (rustls: certificate and PKCS#8 key in one PEM)
    /// or `reqwest::Identity::from_pkcs8_pem` (native-tls). Ignored with
    /// [`http_client`](Self::http_client), which carries its own TLS settings.
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    pub fn client_identity(mut self, identity: reqwest::Identity) -> Self {
        self.tls.identity = Some(identity);
        self
    }

    /// Trusts `certificate` as a root besides the platform's (a private CA, as mutual-TLS
    /// deployments often have). Ignored with [`http_client`](Self::http_client).
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    pub fn root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.tls.roots.push(certificate);
        self
    }

    /// Runs `interceptor` around every attempt of every call (after those added before it).
    pub fn interceptor(mut self, interceptor: impl crate::interceptor::Interceptor) -> Self {
        self.interceptors.push(std::sync::Arc::new(interceptor));
        self
    }

    /// Unwraps the envelope the API wraps responses in when a request asks for one (see
    /// [`Envelope`]): callers get the same types either way.
    pub fn envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = Some(envelope);
        self
    }

    /// Allows a plain `http://` base URL. Credentials then cross the network unencrypted:
    /// meant for tests against local servers.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        // Mocked requests never leave the process: they need no server.
        #[cfg(feature = "mock")]
        let unset = self.stand_in.is_some().then_some(MOCKED_BASE_URL);
        #[cfg(not(feature = "mock"))]
        let unset = None;
        let Some(base_url) = self.base_url.as_deref().or(unset) else {
            return Err(Error::Config(
                "no base URL: call base_url (a generated crate's client_builder() sets its document's server)"
                    .to_owned(),
            ));
        };
        let base = url::Url::parse(base_url)
            .map_err(|e| Error::Config(format!("base URL `{base_url}`: {e}")))?;
        match base.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http => {}
            // Mocked requests never leave the process.
            #[cfg(feature = "mock")]
            "http" if self.stand_in.is_some() => {}
            "http" => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is plain http; use https, or call allow_insecure_http(true) for local tests"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` has scheme `{other}`; expected https"
                )));
            }
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must not have a query or fragment"
            )));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::Config(
                "user agent is not a valid HTTP header value (CR, LF or other control characters)"
                    .to_owned(),
            )
        })?;
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        let auth = match self.credentials {
            Credentials::None => Auth::None,
            Credentials::Bearer(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                    Error::Config("bearer token is not a valid HTTP header value (CR, LF or other control characters)".to_owned())
                })?;
                value.set_sensitive(true);
                Auth::Credentials(
                    Arc::new(crate::auth::BearerToken(value)),
                    "bearer token (redacted)",
                )
            }
            Credentials::Basic { user, password } => Auth::Basic { user, password },
            Credentials::ApiKey {
                location,
                name,
                value,
            } => {
                if location == ApiKeyLocation::Header
                    && (reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
                        || HeaderValue::from_str(&value).is_err())
                {
                    return Err(Error::Config(format!(
                        "API key header `{name}`: not a valid header name, or the key holds characters a header cannot carry"
                    )));
                }
                Auth::ApiKey {
                    location,
                    name,
                    value,
                }
            }
            Credentials::Digest {
                public_key,
                private_key,
            } => Auth::Digest(Arc::new(DigestAuth::new(public_key, private_key)?)),
            Credentials::Custom(credentials) => {
                Auth::Credentials(credentials, "custom credentials (redacted)")
            }
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                let token_url = match self.token_url.as_deref() {
                    Some(path) if path.starts_with('/') => format!("{base_url}{path}"),
                    Some(url) => url.to_owned(),
                    None => {
                        return Err(Error::Config(
                            "service_account needs a token URL: call service_account_token_url"
                                .to_owned(),
                        ));
                    }
                };
                let token_url = url::Url::parse(&token_url)
                    .map_err(|e| Error::Config(format!("token URL `{token_url}`: {e}")))?;
                if token_url.scheme() != "https"
                    && !(token_url.scheme() == "http" && self.allow_insecure_http)
                {
                    return Err(Error::Config(format!(
                        "token URL `{token_url}` must be https (or allow_insecure_http(true) for local tests)"
                    )));
                }
                let revoke_url = token_url
                    .join("revoke")
                    .map_err(|e| Error::Config(format!("revocation URL: {e}")))?;
                Auth::ServiceAccount(Arc::new(ServiceAccount::new(
                    client_id,
                    client_secret,
                    token_url,
                    revoke_url,
                    self.timeout,
                )))
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                // With `rustls-ring`, reqwest uses the process's default provider: ring, unless
                // the application installed another first.
                // rustls 0.23.48 deprecates the ring provider for its lack of post-quantum key
                // exchange; ring is this feature's whole point (no C build), and the `rustls`
                // feature (aws-lc-rs) is there for those who need post-quantum exchange.
                #[cfg(feature = "rustls-ring")]
                #[allow(
                    deprecated,
                    reason = "ring is the feature's choice; `rustls` gives post-quantum exchange"
                )]
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = reqwest::Client::builder()
                    // Credentials must never follow a redirect to another host, so redirects
                    // are surfaced instead of followed.
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(connect) = self.connect_timeout {
                    builder = builder.connect_timeout(connect);
                }
                builder = self.tls.apply(builder);
                builder
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                timeout: self.timeout,
                user_agent,
                auth,
                retry_budget: self.retry.new_budget(),
                interceptors: self.interceptors,
                retry: self.retry,
                envelope: self.envelope,
                #[cfg(feature = "mock")]
                stand_in: self.stand_in,
            }),
        })
    }

    /// Answers every request with `stand_in` instead of the network (what
    /// `ClientBuilder::mock` sets).
    #[cfg(feature = "mock")]
    pub(crate) fn stand_in(
        mut self,
        stand_in: std::sync::Arc<dyn crate::stand_in::StandIn>,
    ) -> Self {
        self.stand_in = Some(stand_in);
        self
    }
}

#[cfg(all(test, feature = "rustls-ring"))]
mod ring_tests {
    /// With `rustls-ring` the client builds (reqwest panics when no provider is installed)
    /// and speaks TLS: a server that answers the handshake with garbage is a transport error.
    #[tokio::test]
    async fn the_ring_provider_is_installed_and_used() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::Write as _;
            for stream in listener.incoming().flatten().take(1) {
                let mut stream = stream;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\n\r\nnot tls");
            }
        });
        let client = crate::Client::builder()
            .base_url(format!("https://127.0.0.1:{port}"))
            .retry(crate::RetryPolicy::none())
            .build()
            .unwrap();
        static OPERATION: crate::runtime::Operation = crate::runtime::Operation {
            operation_id: "ping",
            ..crate::runtime::Operation::DEFAULT
        };
        let request = crate::runtime::PreparedRequest::new(
            &OPERATION,
            crate::runtime::RequestOptions::default(),
        );
        let error: crate::Error =
            crate::runtime::send_empty::<(), crate::Error>(Ok((client, request)))
                .await
                .unwrap_err();
        assert!(matches!(error, crate::Error::Transport(_)), "{error:?}");
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}

/// TLS settings a [`ClientBuilder`] passes to the reqwest client it makes.
#[derive(Default)]
struct Tls {
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    identity: Option<reqwest::Identity>,
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    roots: Vec<reqwest::Certificate>,
}

impl Tls {
    fn apply(self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
        {
            let mut builder = builder;
            for root in self.roots {
                builder = builder.add_root_certificate(root);
            }
            if let Some(identity) = self.identity {
                builder = builder.identity(identity);
            }
            builder
        }
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
        builder
    }
}

/// Never shows the key: only whether a client certificate and how many roots were given.
impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
        return f
            .debug_struct("Tls")
            .field("client_identity", &self.identity.is_some())
            .field("extra_roots", &self.roots.len())
            .finish();
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
        f.write_str("Tls")
    }
}
