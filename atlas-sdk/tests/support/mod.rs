//! What the SDK's integration tests share: a client of a local test server.

use atlas_sdk::{ClientBuilder, RetryPolicy};

/// A builder of a client for the plain-HTTP test server at `base_url`, with a bearer token
/// and no retries (a test that retries says so).
pub fn local(base_url: &str) -> ClientBuilder {
    atlas_sdk::Client::builder()
        .base_url(base_url)
        .allow_insecure_http(true)
        .bearer_token("token")
        .retry(RetryPolicy::none())
}
