//! Typed mocks (feature `mock`): a client whose requests never leave the process.
//!
//! Rules are keyed by a generated request builder (its [`Endpoint`]), so an answer has the
//! type the operation returns, and may match on what was sent. Every call is recorded, for the
//! test to ask which were made; a call no rule answers fails with an error that names it.
//!
//! ```
//! # use specwire::runtime::{self, Draft, Endpoint, Operation, ParamSpec, PathPiece, Prepared};
//! # // What a generated crate writes for `GET /pets/{petId}` (`getPet`), reduced.
//! # #[derive(Clone)] struct GetPetRequest { draft: Draft }
//! # static GET_PET: Operation = Operation {
//! #     operation_id: "getPet",
//! #     path: "/pets/{petId}",
//! #     params: &[ParamSpec::segment("petId")],
//! #     path_parts: &[PathPiece::Literal("/pets/"), PathPiece::Param(0)],
//! #     ..Operation::DEFAULT
//! # };
//! # impl GetPetRequest {
//! #     fn new(client: specwire::Client, pet_id: &str) -> Self {
//! #         let mut draft = Draft::new(client, &GET_PET);
//! #         draft.set(0, &pet_id);
//! #         Self { draft }
//! #     }
//! #     async fn send(self) -> Result<String, specwire::Error> { runtime::body_of(runtime::send_text::<(), _>(self.into_prepared())).await }
//! # }
//! # impl Endpoint for GetPetRequest {
//! #     type Body = String;
//! #     const OPERATION: &'static Operation = &GET_PET;
//! #     fn into_prepared(self) -> Prepared { self.draft.finish() }
//! #     fn encode(body: &String) -> Result<runtime::Bytes, specwire::Error> { runtime::encode_text(body) }
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), specwire::Error> {
//! use specwire::mock::Mocks;
//!
//! let mocks = Mocks::new();
//! mocks
//!     .on::<GetPetRequest>()
//!     .when(|call| call.path().ends_with("/7"))
//!     .respond("Rex".to_owned())?;
//! let client = specwire::Client::builder().mock(mocks.clone()).build()?;
//! let name = GetPetRequest::new(client, "7").send().await?;
//! assert_eq!(name, "Rex");
//! let calls = mocks.calls_to::<GetPetRequest>();
//! assert_eq!(calls[0].path(), "/pets/7");
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::ClientBuilder;
use crate::Error;
use crate::runtime::{Endpoint, Operation};
pub use crate::stand_in::Call;
use crate::stand_in::StandIn;

/// How a rule answers.
enum Reply {
    Response {
        status: u16,
        content_type: Option<HeaderValue>,
        body: Bytes,
    },
    Error(Arc<dyn Fn() -> Error + Send + Sync>),
}

impl Clone for Reply {
    fn clone(&self) -> Self {
        match self {
            Reply::Response {
                status,
                content_type,
                body,
            } => Reply::Response {
                status: *status,
                content_type: content_type.clone(),
                body: body.clone(),
            },
            Reply::Error(make) => Reply::Error(Arc::clone(make)),
        }
    }
}

type Predicate = Arc<dyn Fn(&Call) -> bool + Send + Sync>;

struct Rule {
    operation_id: &'static str,
    when: Option<Predicate>,
    /// The replies left, in order; the last one repeats unless `limit` says otherwise.
    replies: VecDeque<Reply>,
    /// How many more calls it answers (`None`: any number).
    limit: Option<usize>,
    hits: usize,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    calls: Vec<Call>,
}

/// The rules and the record of calls of a mocked client; clones share them. Give it to
/// [`ClientBuilder::mock`](crate::ClientBuilder::mock).
#[derive(Clone, Default)]
pub struct Mocks {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Mocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Mocks")
            .field("rules", &state.rules.len())
            .field("calls", &state.calls.len())
            .finish()
    }
}

impl Mocks {
    /// No rules, no calls.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A test that panicked while holding the lock leaves the record readable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A rule for the operation request builder `E` sends (`mocks.on::<ListClustersRequest>()`).
    pub fn on<E: Endpoint>(&self) -> RuleBuilder<E> {
        RuleBuilder {
            mocks: self.clone(),
            when: None,
            limit: None,
            endpoint: PhantomData,
        }
    }

    /// Every call, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// The calls of the operation `E` sends, in order.
    pub fn calls_to<E: Endpoint>(&self) -> Vec<Call> {
        let id = E::OPERATION.operation_id;
        self.lock()
            .calls
            .iter()
            .filter(|c| c.operation_id == id)
            .cloned()
            .collect()
    }

    /// How many calls each rule answered, in the order the rules were added: a test can tell
    /// a rule that never matched.
    pub fn hits(&self) -> Vec<(&'static str, usize)> {
        self.lock()
            .rules
            .iter()
            .map(|r| (r.operation_id, r.hits))
            .collect()
    }
}

impl ClientBuilder {
    /// Answers every request from `mocks` instead of the network (feature `mock`): for
    /// tests of code that calls the API. See [`crate::mock`].
    pub fn mock(self, mocks: Mocks) -> Self {
        self.stand_in(Arc::new(mocks))
    }
}

impl StandIn for Mocks {
    /// Records `call` and answers it from the first rule for its operation that matches
    /// and has answers left.
    fn answer(&self, call: Call) -> Result<reqwest::Response, Error> {
        // The predicates run without the lock: one may ask these very mocks about calls.
        let candidates: Vec<(usize, Option<Predicate>)> = self
            .lock()
            .rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| {
                rule.operation_id == call.operation_id
                    && rule.limit != Some(0)
                    && !rule.replies.is_empty()
            })
            .map(|(index, rule)| (index, rule.when.clone()))
            .collect();
        let chosen = candidates
            .into_iter()
            .find(|(_, when)| when.as_ref().is_none_or(|when| when(&call)))
            .map(|(index, _)| index);
        let mut state = self.lock();
        let reply = chosen
            .and_then(|index| state.rules.get_mut(index))
            .map(|rule| {
                rule.hits += 1;
                rule.limit = rule.limit.map(|n| n - 1);
                if rule.replies.len() > 1 {
                    rule.replies.pop_front()
                } else {
                    rule.replies.front().cloned()
                }
            });
        let description = format!("{} {} ({})", call.method, call.url, call.operation_id);
        state.calls.push(call);
        drop(state);
        match reply.flatten() {
            Some(Reply::Response {
                status,
                content_type,
                body,
            }) => {
                let mut response = http::Response::builder().status(status);
                if let Some(content_type) = content_type {
                    response = response.header(CONTENT_TYPE, content_type);
                }
                let response = response
                    .body(body)
                    .map_err(|e| Error::Config(format!("mock answer to {description}: {e}")))?;
                Ok(reqwest::Response::from(response))
            }
            Some(Reply::Error(make)) => Err(make()),
            None => Err(Error::Config(format!(
                "no mock rule answers {description}; add one with `mocks.on::<…Request>()`"
            ))),
        }
    }
}

/// A rule being written: [`Mocks::on`], then [`when`](Self::when) and [`times`](Self::times),
/// then one of the answers, which adds it.
#[must_use = "a rule is added by one of its answers (`respond`, `respond_raw`, `fail`, …)"]
pub struct RuleBuilder<E> {
    mocks: Mocks,
    when: Option<Predicate>,
    limit: Option<usize>,
    endpoint: PhantomData<fn() -> E>,
}

impl<E: Endpoint> RuleBuilder<E> {
    /// Only calls for which `predicate` holds (a parameter, a header, the body).
    pub fn when(mut self, predicate: impl Fn(&Call) -> bool + Send + Sync + 'static) -> Self {
        self.when = Some(Arc::new(predicate));
        self
    }

    /// At most `n` calls; later ones go to the next rule that matches.
    pub fn times(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Answers with `body` and the operation's success status (200, 204 without a body).
    ///
    /// # Errors
    /// When `body` does not serialize (see [`Endpoint::encode`]).
    pub fn respond(self, body: E::Body) -> Result<(), Error> {
        let reply = success::<E>(&body)?;
        self.add(vec![reply]);
        Ok(())
    }

    /// Answers the calls in turn with `bodies` (the last one again after that).
    ///
    /// # Errors
    /// When a body does not serialize, or there is none.
    pub fn respond_in_turn(self, bodies: impl IntoIterator<Item = E::Body>) -> Result<(), Error> {
        let replies = bodies
            .into_iter()
            .map(|body| success::<E>(&body))
            .collect::<Result<Vec<_>, _>>()?;
        if replies.is_empty() {
            return Err(Error::Config(
                "respond_in_turn: no bodies; a rule needs at least one answer".to_owned(),
            ));
        }
        self.add(replies);
        Ok(())
    }

    /// Answers with this status, content type and body, as a server would (an error status
    /// with an `ApiError` body, a 202, a malformed body, …). A content type a header cannot
    /// carry is left out.
    pub fn respond_raw(self, status: u16, content_type: &str, body: impl Into<Bytes>) {
        self.add(vec![Reply::Response {
            status,
            content_type: HeaderValue::from_str(content_type).ok(),
            body: body.into(),
        }]);
    }

    /// Fails the call with the error `make` returns (a timeout, a transport error, …).
    pub fn fail(self, make: impl Fn() -> Error + Send + Sync + 'static) {
        self.add(vec![Reply::Error(Arc::new(make))]);
    }

    fn add(self, replies: Vec<Reply>) {
        let rule = Rule {
            operation_id: E::OPERATION.operation_id,
            when: self.when,
            replies: replies.into(),
            limit: self.limit,
            hits: 0,
        };
        self.mocks.lock().rules.push(rule);
    }
}

/// The success reply for `body`: the operation's media type, 204 when there is no body.
fn success<E: Endpoint>(body: &E::Body) -> Result<Reply, Error> {
    let bytes = E::encode(body)?;
    let operation: &Operation = E::OPERATION;
    Ok(if bytes.is_empty() {
        Reply::Response {
            status: 204,
            content_type: None,
            body: bytes,
        }
    } else {
        Reply::Response {
            status: 200,
            content_type: HeaderValue::from_str(operation.accept).ok(),
            body: bytes,
        }
    })
}
