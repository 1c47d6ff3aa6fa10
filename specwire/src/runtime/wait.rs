//! Waiting for work to finish: a request repeated until an acceptor decides (what generated
//! `wait_until_…` methods return). Acceptors are read in order; the first that matches
//! decides. A success response no acceptor matches is polled again; an error no acceptor
//! matches ends the wait with that error.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::{Endpoint, Prepared, ReadResponse, read};
use crate::Error;
use crate::Response;
use crate::error::WaitError;
use crate::retry::retry_after;

/// What an acceptor looks at.
#[derive(Debug, Clone, Copy)]
pub enum Matcher {
    /// The response (a success or an error) has this status.
    Status(u16),
    /// An error response whose body carries this error code (`CLUSTER_NOT_FOUND`; read as
    /// [`ErrorBody::error_code`](crate::ErrorBody) reads it).
    ErrorCode(&'static str),
    /// The success body's value at this JSON pointer (`/stateName`) is one of these (a
    /// number or a boolean compared as its JSON text).
    Field {
        /// The JSON pointer.
        pointer: &'static str,
        /// The values.
        values: &'static [&'static str],
    },
    /// The success body has a value other than `null` at this JSON pointer (a `finishedAt`
    /// that appears when the work is done).
    Present {
        /// The JSON pointer.
        pointer: &'static str,
    },
}

/// What a match decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The work is done: return the body.
    Success,
    /// The work failed: [`Error::WaitFailed`].
    Failure,
    /// Not yet: poll again.
    Retry,
}

/// One rule of a waiter.
#[derive(Debug, Clone, Copy)]
pub struct Acceptor {
    /// What it decides.
    pub outcome: Outcome,
    /// When.
    pub matcher: Matcher,
}

/// A waiter as the generator writes it from a waiter table.
#[derive(Debug)]
pub struct WaitSpec {
    /// Its name (`cluster_ready`).
    pub name: &'static str,
    /// Its rules, in order.
    pub acceptors: &'static [Acceptor],
    /// The first delay between two polls, and the least.
    pub min_delay: Duration,
    /// The most a delay grows to.
    pub max_delay: Duration,
    /// How long it waits in all, unless [`Waiter::deadline`] says otherwise.
    pub timeout: Duration,
}

/// The least delay between two polls, whatever a table or a caller says: a waiter never
/// polls in a tight loop.
const FLOOR: Duration = Duration::from_millis(1);

/// Polls the request `E` until one of the spec's acceptors decides, or the deadline passes.
/// Dropping the future stops it.
#[derive(Debug, Clone)]
#[must_use = "a waiter does nothing until `send` is awaited"]
pub struct Waiter<E> {
    request: E,
    spec: &'static WaitSpec,
    timeout: Duration,
    min_delay: Duration,
    max_delay: Duration,
}

impl<E> Waiter<E>
where
    E: Endpoint + Clone,
    E::Body: DeserializeOwned,
{
    /// A waiter sending `request` as `spec` says.
    pub fn new(request: E, spec: &'static WaitSpec) -> Self {
        Self {
            request,
            spec,
            timeout: spec.timeout,
            min_delay: spec.min_delay.max(FLOOR),
            max_delay: spec.max_delay.max(spec.min_delay).max(FLOOR),
        }
    }

    /// Waits at most this long in all: a poll still running then is abandoned, and no delay
    /// (a server's long `Retry-After` included) runs past it.
    pub fn deadline(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The first (and least) and the longest delay between two polls.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min.max(FLOOR);
        self.max_delay = max.max(self.min_delay);
        self
    }

    /// Polls until an acceptor decides: the last body for a success (`None` when that
    /// response has no body of the operation's type, as a 404 that means "deleted").
    ///
    /// # Errors
    /// [`Error::WaitFailed`] at a failure state, [`Error::WaitTimedOut`] when the deadline
    /// passes first, or the error of a request no acceptor expects.
    pub async fn send(self) -> Result<Option<E::Body>, Error> {
        let started = Instant::now();
        let mut attempts = 0;
        let stop = |state: Option<String>, attempts: u32| {
            Box::new(WaitError {
                waiter: self.spec.name,
                operation_id: E::OPERATION.operation_id,
                state,
                attempts,
                elapsed: started.elapsed(),
            })
        };
        let mut state = None;
        loop {
            let remaining = self.timeout.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(Error::WaitTimedOut(stop(state, attempts)));
            }
            attempts += 1;
            let polled =
                tokio::time::timeout(remaining, poll(self.request.clone().into_prepared())).await;
            let Ok(response) = polled else {
                return Err(Error::WaitTimedOut(stop(state, attempts)));
            };
            let response = response?;
            let body = response_json(&response);
            let decided = self
                .spec
                .acceptors
                .iter()
                .find(|acceptor| match acceptor.matcher {
                    Matcher::Status(status) => response.status.as_u16() == status,
                    Matcher::ErrorCode(code) => {
                        !response.operation.is_success(response.status)
                            && body
                                .as_ref()
                                .and_then(crate::error_body::code_of)
                                .is_some_and(|found| found == code)
                    }
                    Matcher::Field { pointer, values } => {
                        response.operation.is_success(response.status)
                            && field(body.as_ref(), pointer)
                                .is_some_and(|v| values.contains(&v.as_str()))
                    }
                    Matcher::Present { pointer } => {
                        response.operation.is_success(response.status)
                            && body
                                .as_ref()
                                .and_then(|b| b.pointer(pointer))
                                .is_some_and(|v| !v.is_null())
                    }
                });
            state = Some(describe(&response, body.as_ref(), self.spec.acceptors));
            let delay_hint = retry_after(&response.headers);
            match decided.map(|a| a.outcome) {
                Some(Outcome::Success) => return success::<E>(response),
                Some(Outcome::Failure) => return Err(Error::WaitFailed(stop(state, attempts))),
                Some(Outcome::Retry) => {}
                None if !response.operation.is_success(response.status) => {
                    return Err(response.into_error());
                }
                None => {}
            }
            // Never past the deadline (a huge `Retry-After` included): the last sleep is cut
            // short, and the loop's check ends the wait after one last poll.
            let delay = self.delay(attempts).max(delay_hint.unwrap_or_default());
            let remaining = self.timeout.saturating_sub(started.elapsed());
            tokio::time::sleep(delay.min(remaining)).await;
        }
    }

    /// The delay after poll `attempt` (1, 2, …): doubling from the least to the most, then
    /// a random point between the least and that ("full jitter" above a floor).
    fn delay(&self, attempt: u32) -> Duration {
        let doubled = self
            .min_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)));
        let ceiling = doubled.min(self.max_delay).max(self.min_delay);
        let spread = ceiling.saturating_sub(self.min_delay);
        self.min_delay + spread.mul_f64(fastrand::f64())
    }
}

/// One poll, the response read whole (a transport error ends the wait).
async fn poll(prepared: Prepared) -> Result<ReadResponse, Error> {
    let (client, request) = prepared?;
    read(&client, request).await
}

/// The body as JSON, when it is JSON.
fn response_json(response: &ReadResponse) -> Option<serde_json::Value> {
    match &response.enveloped {
        Some(content) => Some(content.clone()),
        None => serde_json::from_slice(&response.body).ok(),
    }
}

/// The text of the value at `pointer` (a string as it is, anything else as JSON).
fn field(body: Option<&serde_json::Value>, pointer: &str) -> Option<String> {
    match body?.pointer(pointer)? {
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// What the response says about the state, for an error: the first polled field's value,
/// else the status.
fn describe(
    response: &ReadResponse,
    body: Option<&serde_json::Value>,
    acceptors: &[Acceptor],
) -> String {
    acceptors
        .iter()
        .find_map(|a| match a.matcher {
            Matcher::Field { pointer, .. } | Matcher::Present { pointer }
                if response.operation.is_success(response.status) =>
            {
                field(body, pointer).map(|value| format!("{pointer} = {value}"))
            }
            _ => None,
        })
        .unwrap_or_else(|| format!("status {}", response.status.as_u16()))
}

/// The body of a success, decoded; `None` for an error status or an empty body.
fn success<E>(response: ReadResponse) -> Result<Option<E::Body>, Error>
where
    E: Endpoint,
    E::Body: DeserializeOwned,
{
    let empty = response.enveloped.is_none() && response.body.iter().all(u8::is_ascii_whitespace);
    if !response.operation.is_success(response.status) || empty {
        return Ok(None);
    }
    response
        .decode::<E::Body, ()>()
        .map(Response::into_body)
        .map(Some)
}
