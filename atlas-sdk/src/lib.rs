//! Typed, async client for the [MongoDB Atlas Administration API v2](https://www.mongodb.com/docs/atlas/api/atlas-admin-api/).
//!
//! ```no_run
//! # async fn run() -> Result<(), atlas_sdk::Error> {
//! let client = atlas_sdk::Client::builder()
//!     .bearer_token("service-account-access-token")
//!     .build()?;
//! let logs = client
//!     .access_tracking()
//!     .list_access_logs_by_cluster_name("32b6e34b3d91647abb20e7b8", "Cluster0")
//!     .n_logs(500)
//!     .auth_result(true)
//!     .send()
//!     .await?;
//! for entry in logs.access_logs.unwrap_or_default() {
//!     println!("{:?} {:?}", entry.timestamp, entry.username);
//! }
//! # Ok(()) }
//! ```
//!
//! - The whole API (454 operations of MongoDB's 2025-06-30 document), grouped by the
//!   specification's tags: `client.clusters()`, `client.access_tracking()`, …. **Each tag is
//!   a Cargo feature** (`clusters`, `database-users`, `project-ip-access-list`, …; `full` for
//!   all), and the default features enable none: turn on the tags you call. The example
//!   above needs `access-tracking`.
//! - The crate is pinned to the API version [`API_VERSION`]: each operation sends the newest
//!   version of its media type not later than it.
//! - Operations MongoDB sunsets are `#[deprecated]` with the date; a response's
//!   `Deprecation` and `Sunset` headers are logged once per operation and readable with
//!   `send_with_response()` (`response.deprecation()`).
//! - Long-running work has waiters: `client.clusters().wait_until_cluster_ready(…)` and 22
//!   more (private endpoints, peering, snapshots, restore and export jobs, online archives,
//!   search deployments, stream processors, …).
//! - Each operation is a builder: required path parameters are arguments, optional query
//!   parameters are setters, and `send()` returns the typed body. `send_with_response()` also
//!   returns status and headers; `send_raw()` hands back the unread, streamable
//!   [`RawResponse`].
//! - Every parameter has a type in its operation's module (`NLogsSchema`, `GroupIdSchema`, …)
//!   that carries the specification's rules; a value that breaks one is rejected before
//!   anything is sent, with [`Error::InvalidRequest`] naming the parameter and the rule.
//! - Errors are one type, [`Error`] (the runtime's error with Atlas's [`ApiError`] body);
//!   `error.status()`, `error.error_code()` and `error.api_error()` cover the common checks.
//!
//! # Authentication, retries, tracing
//!
//! [`ClientBuilder::digest_auth`] (API keys, HTTP Digest with nonce reuse),
//! [`ClientBuilder::service_account`] (OAuth2 client credentials, cached and shared token) or
//! [`ClientBuilder::bearer_token`]. Failed requests are retried per [`RetryPolicy`] (429, 502,
//! 503, 504 and connection failures, for idempotent methods, with jittered exponential
//! backoff and `Retry-After`). Each call is one `tracing` span `specwire.request`, and each
//! attempt an event in it, with target `specwire` (the runtime this crate is built on, which
//! generated clients of other APIs share); credentials never appear in events, `Debug`
//! output or errors. See `examples/access_logs.rs`.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names the runtime `::specwire`, and this crate's own types `crate::…`.

mod client;
pub mod env;
mod envelope;
mod error;

// The unit tests are of the hand-written code, which names nothing generated: their harness
// leaves the 250,000 generated lines out (otherwise compiled a second time by every `cargo
// test`; the tests in `tests/` and the examples use the library as users do).
#[cfg(not(test))]
#[rustfmt::skip]
pub mod generated;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
pub use error::{ApiError, ApiErrorResponse, Error};
#[cfg(not(test))]
pub use generated::*;
/// Authentication: the runtime's mechanisms, and the trait for your own.
pub use specwire::auth;
/// Interceptors around every attempt.
pub use specwire::interceptor;
/// Typed mocks (feature `mock`): a client whose requests never leave the process.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use specwire::mock;
#[doc(hidden)]
pub use specwire::runtime;
/// The date-time crate used for `date-time` parameters and fields.
pub use specwire::time;
/// Verifying and decoding webhook deliveries.
pub use specwire::webhook;
pub use specwire::{
    ApiKeyLocation, AuthenticationError, BodyStream, Credentials, DecodeError, ErrorBody,
    InvalidParameter, ItemStream, Multipart, Nullable, Number, Page, PageStream, RawResponse,
    Response, ResponseStream, RetryPolicy, Rule, ServerEvent, UnexpectedStatus, Unparsed,
    WaitError, Waiter, WebhookError,
};
