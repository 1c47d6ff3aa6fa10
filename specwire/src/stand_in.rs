//! The seam typed mocks use (feature `mock`): something that answers a request in the
//! process, in place of the network. It sits below the runtime, which consults it, and the
//! mock module above the runtime implements it.

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::Error;

/// One request the client made.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Call {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: String,
    /// The whole URL: base, path and query, encoded as sent.
    pub url: url::Url,
    /// The headers the request carried (parameters, `Accept`, `Content-Type`; not the
    /// client's credentials).
    pub headers: HeaderMap,
    /// The body, as sent (empty for a body streamed from a reader, which a stand-in does
    /// not read).
    pub body: Bytes,
}

impl Call {
    /// The path, encoded as sent (`/v1/stores/abc/orders`).
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body decoded from JSON.
    ///
    /// # Errors
    /// When the body is not that JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// Answers requests in place of the network.
pub(crate) trait StandIn: Send + Sync {
    /// The response to `call` (recorded by the implementation as it sees fit).
    fn answer(&self, call: Call) -> Result<reqwest::Response, Error>;
}
