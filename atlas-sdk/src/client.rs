//! The Atlas client: the runtime's client with Atlas's defaults (base URL, user agent,
//! service-account token URL, envelope) and the organization and project an application
//! works in.

use std::time::Duration;

use crate::Error;
use specwire::{ApiKeyLocation, RetryPolicy};

/// Where Atlas lives.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";
/// Applied to every request unless the builder or the request says otherwise.
pub const DEFAULT_TIMEOUT: Duration = specwire::DEFAULT_TIMEOUT;
/// Sent as `User-Agent` unless [`ClientBuilder::user_agent`] says otherwise.
const DEFAULT_USER_AGENT: &str = concat!("atlas-sdk-rust/", env!("CARGO_PKG_VERSION"));
/// Where a service account's client id and secret become an access token, below the base URL.
const TOKEN_PATH: &str = "/api/oauth/token";

/// A handle to the Atlas Administration API.
///
/// Cheap to clone: clones share one connection pool and one configuration.
///
/// ```no_run
/// # async fn run() -> Result<(), atlas_sdk::Error> {
/// let client = atlas_sdk::Client::from_env()?;
/// let logs = client
///     .access_tracking()
///     .list_access_logs_by_cluster_name("32b6e34b3d91647abb20e7b8", "Cluster0")
///     .n_logs(500)
///     .auth_result(true)
///     .send()
///     .await?;
/// println!("{} attempts", logs.access_logs.map_or(0, |l| l.len()));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    runtime: specwire::Client,
    org_id: Option<String>,
    project_id: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("runtime", &self.runtime)
            .field("org_id", &self.org_id)
            .field("project_id", &self.project_id)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    ///
    /// # Errors
    /// As [`ClientBuilder::from_env`] and [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The organization the application works in (`MONGODB_ATLAS_ORG_ID`, or
    /// [`ClientBuilder::org_and_project`]).
    pub fn org_id(&self) -> Option<&str> {
        self.org_id.as_deref()
    }

    /// The project the application works in (`MONGODB_ATLAS_PROJECT_ID`, or
    /// [`ClientBuilder::org_and_project`]).
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.runtime.base_url()
    }

    /// Revokes the service account's cached access token (`POST /api/oauth/revoke`), for
    /// example at shutdown. Does nothing for other kinds of authentication or when no token
    /// was fetched yet; the next call fetches a new token.
    ///
    /// # Errors
    /// [`Error::Authentication`](specwire::Error::Authentication) when Atlas refuses,
    /// transport errors otherwise.
    pub async fn revoke_token(&self) -> Result<(), Error> {
        Ok(self.runtime.revoke_token().await?)
    }

    /// The runtime's client underneath, for request builders made by hand
    /// (`AccessTracking::new(client.runtime().clone())`).
    pub fn runtime(&self) -> &specwire::Client {
        &self.runtime
    }
}

impl AsRef<specwire::Client> for Client {
    fn as_ref(&self) -> &specwire::Client {
        &self.runtime
    }
}

impl From<Client> for specwire::Client {
    fn from(client: Client) -> Self {
        client.runtime
    }
}

/// Configures a [`Client`]: the runtime's builder with Atlas's defaults.
#[must_use = "a builder does nothing until you call `build`"]
#[derive(Debug)]
pub struct ClientBuilder {
    runtime: specwire::ClientBuilder,
    org_id: Option<String>,
    project_id: Option<String>,
    token_url: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            runtime: specwire::Client::builder()
                .base_url(DEFAULT_BASE_URL)
                .user_agent(DEFAULT_USER_AGENT)
                .envelope(crate::envelope::ENVELOPE),
            org_id: None,
            project_id: None,
            token_url: false,
        }
    }
}

impl ClientBuilder {
    /// Applies `step` to the runtime's builder.
    fn with(
        mut self,
        step: impl FnOnce(specwire::ClientBuilder) -> specwire::ClientBuilder,
    ) -> Self {
        self.runtime = step(self.runtime);
        self
    }

    /// Sends requests to `url` instead of [`DEFAULT_BASE_URL`]. Must be `https://` unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.with(|b| b.base_url(url))
    }

    /// Total time allowed for each request, from connecting until the whole body is read
    /// (default [`DEFAULT_TIMEOUT`]). A request's own `timeout` overrides it.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.timeout(timeout))
    }

    /// Time allowed for establishing a connection. Only used when the builder creates the
    /// HTTP client (not with [`http_client`](Self::http_client)).
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.connect_timeout(timeout))
    }

    /// Replaces the `User-Agent` header (default `atlas-sdk-rust/<version>`).
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        self.with(|b| b.user_agent(user_agent))
    }

    /// Authenticates every request with `Authorization: Bearer <token>`, for a token you
    /// obtained yourself (for example a service account's access token).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.with(|b| b.bearer_token(token))
    }

    /// Authenticates with your own [`Credentials`](crate::auth::Credentials): the client asks
    /// them for each attempt's `Authorization` and tells them about a 401.
    pub fn credentials(self, credentials: impl crate::auth::Credentials) -> Self {
        self.with(|b| b.credentials(credentials))
    }

    /// Authenticates every request with HTTP Basic (`Authorization: Basic …`).
    pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.with(|b| b.basic_auth(user, password))
    }

    /// Sends `value` as an API key named `name` in a header, the query or a cookie.
    pub fn api_key(
        self,
        location: ApiKeyLocation,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.with(|b| b.api_key(location, name, value))
    }

    /// Authenticates with an Atlas API key: HTTP Digest with the public key as user name and
    /// the private key as password. After the first challenge the nonce is reused, so each
    /// call costs one round trip; a stale nonce is renewed transparently.
    pub fn digest_auth(
        self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.with(|b| b.digest_auth(public_key, private_key))
    }

    /// Authenticates as a service account: the client id and secret are exchanged for an
    /// access token at `<base URL>/api/oauth/token`, which is cached, shared by clones of the
    /// client, and renewed shortly before it expires.
    pub fn service_account(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.with(|b| b.service_account(client_id, client_secret))
    }

    /// Fetches service-account tokens from `url` instead of `<base URL>/api/oauth/token`
    /// (revocation then goes to the sibling `revoke` path).
    pub fn service_account_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = true;
        self.with(|b| b.service_account_token_url(url))
    }

    /// How failed requests are retried ([`RetryPolicy::default`] unless set;
    /// [`RetryPolicy::none`] disables retries).
    pub fn retry(self, policy: RetryPolicy) -> Self {
        self.with(|b| b.retry(policy))
    }

    /// Uses your configured `reqwest::Client` (proxies, TLS roots, pools) to send requests.
    ///
    /// Its redirect policy and connect timeout are then yours. The client this builder makes
    /// follows no redirects, so that credentials can never reach another host; give yours
    /// `reqwest::redirect::Policy::none()` to keep that guarantee.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.with(|b| b.http_client(client))
    }

    /// Presents `identity` (a client certificate and its key) in the TLS handshake.
    /// Ignored with [`http_client`](Self::http_client).
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    pub fn client_identity(self, identity: reqwest::Identity) -> Self {
        self.with(|b| b.client_identity(identity))
    }

    /// Trusts `certificate` as a root besides the platform's. Ignored with
    /// [`http_client`](Self::http_client).
    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    pub fn root_certificate(self, certificate: reqwest::Certificate) -> Self {
        self.with(|b| b.root_certificate(certificate))
    }

    /// Runs `interceptor` around every attempt of every call (after those added before it).
    pub fn interceptor(self, interceptor: impl crate::interceptor::Interceptor) -> Self {
        self.with(|b| b.interceptor(interceptor))
    }

    /// The organization and project the application works in, for it to read back with
    /// [`Client::org_id`] and [`Client::project_id`] (the SDK sends them nowhere by itself).
    pub fn org_and_project(mut self, org_id: Option<String>, project_id: Option<String>) -> Self {
        self.org_id = org_id;
        self.project_id = project_id;
        self
    }

    /// Allows a plain `http://` base URL. Credentials then cross the network unencrypted:
    /// meant for tests against local servers.
    pub fn allow_insecure_http(self, allow: bool) -> Self {
        self.with(|b| b.allow_insecure_http(allow))
    }

    /// Answers every request from `mocks` instead of the network (feature `mock`): for
    /// tests of code that calls Atlas. See [`crate::mock`].
    #[cfg(feature = "mock")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
    pub fn mock(self, mocks: crate::mock::Mocks) -> Self {
        self.with(|b| b.mock(mocks))
    }

    /// Checks the configuration and creates the client.
    ///
    /// # Errors
    /// [`Error::Config`](specwire::Error::Config) for settings the client cannot use.
    pub fn build(self) -> Result<Client, Error> {
        let runtime = if self.token_url {
            self.runtime
        } else {
            self.runtime.service_account_token_url(TOKEN_PATH)
        };
        Ok(Client {
            runtime: runtime.build()?,
            org_id: self.org_id,
            project_id: self.project_id,
        })
    }
}
