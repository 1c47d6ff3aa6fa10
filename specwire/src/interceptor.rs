//! Extension points around each attempt: add headers, veto a call, or decide about a retry.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// The error interceptors return: the runtime's [`Error`], whatever error type an SDK
/// built on the runtime gives its operations (such an SDK re-exports this module, so
/// `sdk::interceptor::Error` names it).
pub use crate::Error;

/// What an interceptor is told about one attempt.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'a Method,
    /// The path template, e.g. `/v1/stores/{storeId}/orders`.
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ….
    pub number: u32,
}

/// What an interceptor says about a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Leave it to the [`RetryPolicy`](crate::RetryPolicy).
    #[default]
    Default,
    /// Retry, although the policy would not (still within its attempts, time and shared
    /// budget, and never for a streamed body).
    Retry,
    /// Do not retry, although the policy would.
    DoNotRetry,
}

/// Code the client runs around every attempt, in the order the interceptors were added.
///
/// ```
/// use specwire::interceptor::{Attempt, Interceptor, RetryDecision};
///
/// /// Tags every request, and treats a 500 from one flaky operation as worth a retry.
/// struct Tagging;
///
/// impl Interceptor for Tagging {
///     fn before_send(&self, _: &Attempt<'_>, request: &mut reqwest::Request) -> Result<(), specwire::Error> {
///         request.headers_mut().insert("x-team", reqwest::header::HeaderValue::from_static("billing"));
///         Ok(())
///     }
///     fn after_response(&self, attempt: &Attempt<'_>, status: reqwest::StatusCode, _: &reqwest::header::HeaderMap) -> RetryDecision {
///         if attempt.operation_id == "getFlakyThing" && status.as_u16() == 500 {
///             RetryDecision::Retry
///         } else {
///             RetryDecision::Default
///         }
///     }
/// }
///
/// let client = specwire::Client::builder().base_url("https://api.example.com").interceptor(Tagging).build()?;
/// # Ok::<(), specwire::Error>(())
/// ```
pub trait Interceptor: Send + Sync + 'static {
    /// Runs before each attempt is sent, after the SDK set its own headers and credentials.
    /// May change the request; an `Err` ends the call with that error, before sending.
    ///
    /// # Errors
    /// Whatever the interceptor decides the call should end with.
    fn before_send(
        &self,
        attempt: &Attempt<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        let _ = (attempt, request);
        Ok(())
    }

    /// Runs after each response arrives, before the SDK decides whether to retry.
    fn after_response(
        &self,
        attempt: &Attempt<'_>,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> RetryDecision {
        let _ = (attempt, status, headers);
        RetryDecision::Default
    }
}
