//! The runtime of the clients [`specwire-codegen`](https://crates.io/crates/specwire-codegen)
//! generates from OpenAPI documents (Swagger 2.0, OpenAPI 3.0, 3.1 and 3.2).
//!
//! A generated crate depends on this one and keeps only what its document says: operations,
//! models, parameters and their rules. Everything else is here, shared by every API:
//!
//! - [`Client`] and [`ClientBuilder`]: base URL, timeouts, TLS, the `User-Agent` (a generated
//!   crate's `client_builder()` names the crate and its version), interceptors;
//! - authentication ([`auth`]): API keys (header, query or cookie), bearer tokens, HTTP Basic,
//!   HTTP Digest with nonce reuse, and OAuth 2.0 client credentials with a cached, shared
//!   token; or your own [`auth::Credentials`];
//! - retries ([`RetryPolicy`]): 429, 502, 503, 504 and connection failures, for idempotent
//!   methods, with jittered exponential backoff, `Retry-After` and a retry budget;
//! - responses: typed bodies, [`Response`] with status and headers, [`RawResponse`] to
//!   stream, server-sent events and JSON lines ([`ResponseStream`]), pages and items
//!   ([`PageStream`], [`ItemStream`]), waiters ([`Waiter`]);
//! - errors: one type, [`Error`], whose [`Error::Api`] carries the error body decoded as the
//!   schema the operation documents ([`Error::body`]);
//! - typed mocks (feature `mock`), webhooks, and the wire encodings of every parameter style.
//!
//! Every attempt is a `tracing` event with target `specwire`, inside one span
//! `specwire.request` per call; credentials never appear in events, `Debug` output or errors.
//!
//! ```no_run
//! # async fn run() -> Result<(), specwire::Error> {
//! let client = specwire::Client::builder()
//!     .base_url("https://api.example.com/v1")
//!     .bearer_token("token")
//!     .user_agent("my-app/1.0")
//!     .build()?;
//! # let _ = client;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
mod deprecation;
mod envelope;
mod error;
mod error_body;
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

pub use auth::{ApiKeyLocation, Credentials};
pub use client::{Client, ClientBuilder, DEFAULT_TIMEOUT, Envelope};
pub use deprecation::Deprecation;
pub use error::{
    ApiErrorResponse, AuthenticationError, DecodeError, Error, ErrorBody, ErrorFormat,
    ErrorSummary, InvalidParameter, Number, Rule, UnexpectedStatus, WaitError,
};
pub use multipart::Multipart;
pub use nullable::Nullable;
pub use response::{RawResponse, Response, Unparsed};
pub use retry::RetryPolicy;
pub use runtime::{BodyStream, ItemStream, Page, PageStream, ResponseStream, ServerEvent, Waiter};
/// The date-time crate used for `date-time` parameters and fields.
pub use time;
pub use webhook::WebhookError;
