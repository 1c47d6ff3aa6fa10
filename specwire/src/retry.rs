//! When and how long to wait before trying a request again.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Retries for rate limits (429), unavailable servers (502, 503, 504) and failed connections,
/// with exponential backoff and full jitter, honouring `Retry-After`.
///
/// By default only idempotent requests (GET, HEAD, PUT, OPTIONS) are retried: a POST, PATCH
/// or DELETE that failed mid-way may have taken effect. Opt in with
/// [`retry_non_idempotent`](Self::retry_non_idempotent).
///
/// ```
/// use std::time::Duration;
/// let policy = specwire::RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(200))
///     .total_budget(Duration::from_secs(30));
/// let client = specwire::Client::builder().base_url("https://api.example.com").retry(policy).build()?;
/// let no_retries = specwire::Client::builder().base_url("https://api.example.com").retry(specwire::RetryPolicy::none()).build()?;
/// # Ok::<(), specwire::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    total_budget: Duration,
    retry_non_idempotent: bool,
    retry_server_errors: bool,
    retry_tokens: u32,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 500 ms up to 30 s, at most 2 minutes in all, a shared budget
    /// of 500 retry tokens.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            total_budget: Duration::from_secs(120),
            retry_non_idempotent: false,
            retry_server_errors: false,
            retry_tokens: DEFAULT_RETRY_TOKENS,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (1 disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The ceiling of the first random delay; it doubles with each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest ceiling a random delay can have.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts if it would end its wait later than this after the first attempt.
    pub fn total_budget(mut self, budget: Duration) -> Self {
        self.total_budget = budget;
        self
    }

    /// Also retry POST, PATCH and DELETE requests.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Also retry 500 Internal Server Error (off by default: a 500 rarely goes away by itself).
    pub fn retry_server_errors(mut self, retry: bool) -> Self {
        self.retry_server_errors = retry;
        self
    }

    /// The retry budget the clones of a client share, in tokens (default 500): a retry costs
    /// 5, a success gives 1 back (5 when it followed retries). When the budget is spent,
    /// failures are returned at once instead of retried, so a client whose every call is being
    /// rate limited or failing stops adding load (as aws-sdk's standard retry mode does).
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.retry_tokens = tokens;
        self
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent
            || matches!(
                *method,
                Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS
            )
    }

    /// Whether a response with `status` should be retried.
    pub(crate) fn retries_status(&self, method: &Method, status: StatusCode) -> bool {
        self.allows(method)
            && matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            )
            || self.allows(method)
                && self.retry_server_errors
                && status == StatusCode::INTERNAL_SERVER_ERROR
    }

    /// The budget a client built with this policy starts with.
    pub(crate) fn new_budget(&self) -> RetryBudget {
        RetryBudget::new(self.retry_tokens)
    }

    /// Whether a failure to send should be retried (connection refused; a connection closed
    /// or reset before any response, which is what a pooled keep-alive connection the server
    /// already dropped looks like; not timeouts, which already used the caller's time).
    pub(crate) fn retries_error(&self, method: &Method, error: &reqwest::Error) -> bool {
        self.allows(method) && (error.is_connect() || is_connection_dropped(error))
    }

    /// The wait before attempt `next` (2 for the first retry): a random duration up to the
    /// exponential ceiling ("full jitter"), and never less than the server's `Retry-After`.
    pub(crate) fn delay(&self, next: u32, headers: Option<&HeaderMap>) -> Duration {
        let exponent = next.saturating_sub(2).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let jitter = Duration::from_millis(fastrand::u64(0..=ceiling.as_millis() as u64));
        match headers.and_then(retry_after) {
            Some(server) => server.max(jitter),
            None => jitter,
        }
    }

    /// How long to wait before attempt `attempt + 1` after `failure`, or `None` when the
    /// failure is not retried, the attempts are used up, or the wait would end past the
    /// total budget (`elapsed` counts from the first attempt).
    pub(crate) fn next_delay(
        &self,
        method: &Method,
        attempt: u32,
        elapsed: Duration,
        failure: Failure<'_>,
    ) -> Option<Duration> {
        let (retryable, headers) = match failure {
            Failure::Status(status, headers) => {
                (self.retries_status(method, status), Some(headers))
            }
            Failure::Send(error) => (self.retries_error(method, error), None),
        };
        if !retryable || attempt >= self.max_attempts {
            return None;
        }
        let delay = self.delay(attempt + 1, headers);
        (elapsed + delay <= self.total_budget).then_some(delay)
    }
}

impl RetryPolicy {
    /// The wait before a retry an interceptor asked for: as [`next_delay`](Self::next_delay)
    /// but whatever the status or method.
    pub(crate) fn forced_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        headers: &HeaderMap,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = self.delay(attempt + 1, Some(headers));
        (elapsed + delay <= self.total_budget).then_some(delay)
    }
}

/// What went wrong with one attempt.
#[derive(Clone, Copy)]
pub(crate) enum Failure<'a> {
    /// A response with this status and these headers.
    Status(StatusCode, &'a HeaderMap),
    /// No response.
    Send(&'a reqwest::Error),
}

/// Whether the error's causes say the connection was closed or reset under the request.
fn is_connection_dropped(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>()
            && (hyper.is_incomplete_message() || hyper.is_canceled())
        {
            return true;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            )
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Tokens a retry costs from the shared budget.
const RETRY_COST: u32 = 5;
const DEFAULT_RETRY_TOKENS: u32 = 500;

/// The retry budget a client's clones share (a token bucket).
#[derive(Debug)]
pub(crate) struct RetryBudget {
    capacity: u32,
    tokens: std::sync::atomic::AtomicU32,
}

impl RetryBudget {
    fn new(capacity: u32) -> Self {
        Self {
            capacity,
            tokens: std::sync::atomic::AtomicU32::new(capacity),
        }
    }

    /// Takes the cost of one retry; `false` when the budget cannot pay it.
    pub(crate) fn try_acquire(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                t.checked_sub(RETRY_COST)
            })
            .is_ok()
    }

    /// A call ended in success after `retries` retries: the budget recovers.
    pub(crate) fn record_success(&self, retries: u32) {
        use std::sync::atomic::Ordering;
        let refund = if retries == 0 { 1 } else { RETRY_COST };
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(refund).min(self.capacity))
            });
    }

    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = date - time::OffsetDateTime::now_utc();
    Some(wait.try_into().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_pays_for_retries_and_recovers_with_successes() {
        let budget = RetryPolicy::default().retry_budget(12).new_budget();
        assert!(budget.try_acquire());
        assert!(budget.try_acquire());
        assert_eq!(budget.tokens(), 2);
        assert!(!budget.try_acquire(), "a spent budget refuses");
        budget.record_success(1);
        assert_eq!(budget.tokens(), 7);
        budget.record_success(0);
        assert_eq!(budget.tokens(), 8);
        for _ in 0..10 {
            budget.record_success(3);
        }
        assert_eq!(budget.tokens(), 12, "capped at the capacity");
    }

    #[test]
    fn server_errors_are_retried_only_when_asked() {
        let policy = RetryPolicy::default();
        assert!(!policy.retries_status(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR));
        let opted = policy.retry_server_errors(true);
        assert!(opted.retries_status(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!opted.retries_status(&Method::POST, StatusCode::INTERNAL_SERVER_ERROR));
    }

    #[test]
    fn only_idempotent_methods_are_retried_by_default() {
        let policy = RetryPolicy::default();
        assert!(policy.retries_status(&Method::GET, StatusCode::TOO_MANY_REQUESTS));
        assert!(policy.retries_status(&Method::PUT, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!policy.retries_status(&Method::POST, StatusCode::TOO_MANY_REQUESTS));
        assert!(!policy.retries_status(&Method::DELETE, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!policy.retries_status(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR));
        let opted_in = RetryPolicy::default().retry_non_idempotent(true);
        assert!(opted_in.retries_status(&Method::PATCH, StatusCode::BAD_GATEWAY));
    }

    #[test]
    fn delays_grow_within_their_ceiling_and_honour_retry_after() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay(2, None) <= Duration::from_millis(100));
            assert!(policy.delay(3, None) <= Duration::from_millis(200));
            assert!(policy.delay(9, None) <= Duration::from_millis(350));
        }
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(policy.delay(2, Some(&headers)), Duration::from_secs(7));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
        headers.insert(
            RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
