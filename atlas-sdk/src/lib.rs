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
//! - Operations are grouped by the specification's tags: [`Client::access_tracking`] returns
//!   [`access_tracking::AccessTracking`].
//! - Each operation is a builder: required path parameters are arguments, optional query
//!   parameters are setters, and `send()` returns the typed body. `send_with_response()` also
//!   returns status and headers; `send_raw()` hands back the unread, streamable
//!   [`RawResponse`].
//! - Every parameter has a type in its operation's module (`NLogsSchema`, `GroupIdSchema`, …)
//!   that carries the specification's rules; a value that breaks one is rejected before
//!   anything is sent, with [`Error::InvalidRequest`] naming the parameter and the rule.
//! - Errors are one type, [`Error`]; `error.status()` and `error.error_code()` cover the
//!   common checks.
//!
//! # Authentication, retries, tracing
//!
//! [`ClientBuilder::digest_auth`] (API keys, HTTP Digest with nonce reuse),
//! [`ClientBuilder::service_account`] (OAuth2 client credentials, cached and shared token) or
//! [`ClientBuilder::bearer_token`]. Failed requests are retried per [`RetryPolicy`] (429, 502,
//! 503, 504 and connection failures, for idempotent methods, with jittered exponential
//! backoff and `Retry-After`). Every attempt is a `tracing` event with target `atlas_sdk`;
//! credentials never appear in events, `Debug` output or errors. See
//! `examples/access_logs.rs`.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names this crate `::atlas_sdk::…` so that it compiles unchanged inside and
// outside the crate (the generator's fixture tests compile it elsewhere).
extern crate self as atlas_sdk;

pub mod auth;
mod client;
pub mod env;
mod error;
pub mod interceptor;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod multipart;
mod nullable;
mod response;
mod retry;
#[doc(hidden)]
pub mod runtime;
#[cfg(feature = "mock")]
mod stand_in;
pub mod webhook;
mod wire;

#[rustfmt::skip]
pub mod generated;

pub use auth::{ApiKeyLocation, Credentials};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
pub use error::{
    ApiError, ApiErrorResponse, AuthenticationError, DecodeError, Error, InvalidParameter, Number,
    Rule, UnexpectedStatus, WaitError,
};
pub use generated::*;
pub use multipart::Multipart;
pub use nullable::Nullable;
pub use response::{RawResponse, Response, Unparsed};
pub use retry::RetryPolicy;
pub use runtime::{BodyStream, ItemStream, Page, PageStream, ResponseStream, ServerEvent, Waiter};
/// The date-time crate used for `date-time` parameters and fields.
pub use time;
pub use webhook::WebhookError;
