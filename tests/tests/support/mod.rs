//! What the end-to-end tests share (each test file declares `mod support;`): the clients
//! they build, one for a local server (a mock, a peer, Prism) and one answered by the SDK's
//! own mocks, both without retries so a test sees each request it makes exactly once; and
//! Prism's findings about a request.

// Each test file is a crate of its own and uses only some of these.
#![allow(dead_code, reason = "each test crate uses only some of the helpers")]

use specwire::mock::Mocks;
use specwire::{Client, ClientBuilder, RetryPolicy};

/// A client from `builder` (a fixture's `client_builder()`, or `Client::builder()`) for a
/// server on this machine at `base_url`: plain HTTP allowed, no retries.
pub fn local(builder: ClientBuilder, base_url: &str) -> Client {
    builder
        .base_url(base_url)
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client for a local server")
}

/// A client from `builder` that `mocks` answer, with no retries.
pub fn mocked(builder: ClientBuilder, mocks: &Mocks) -> Client {
    builder
        .mock(mocks.clone())
        .retry(RetryPolicy::none())
        .build()
        .expect("a client answered by mocks")
}

/// Prism's findings about a request (its `sl-violations` header), if it had any.
pub fn prism_violations(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}
