//! Waiters (`specwire::runtime::Waiter`) against a scripted server that walks through a
//! sequence of states: success, a failure state, 404 as "deleted", `Retry-After`, the
//! deadline, and an error no acceptor expects. The generated `wait_until_…` methods build
//! exactly these from a waiter table (`spec/waiters.toml`).

use std::time::{Duration, Instant};

use atlas_sdk_tests::fixtures::swagger2::lists::{Lists, echo_lists::EchoListsRequest};
use serde_json::json;
use specwire::runtime::{Acceptor, Matcher, Outcome, WaitSpec, Waiter};
use specwire::{Client, Error, RetryPolicy};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

static READY: WaitSpec = WaitSpec {
    name: "list_ready",
    acceptors: &[
        Acceptor {
            outcome: Outcome::Success,
            matcher: Matcher::Field {
                pointer: "/url",
                values: &["IDLE"],
            },
        },
        Acceptor {
            outcome: Outcome::Failure,
            matcher: Matcher::Field {
                pointer: "/url",
                values: &["FAILED"],
            },
        },
        Acceptor {
            outcome: Outcome::Success,
            matcher: Matcher::Status(404),
        },
    ],
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(20),
    timeout: Duration::from_secs(30),
};

static DELETED: WaitSpec = WaitSpec {
    name: "list_deleted",
    acceptors: &[Acceptor {
        outcome: Outcome::Success,
        matcher: Matcher::ErrorCode("LIST_NOT_FOUND"),
    }],
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(20),
    timeout: Duration::from_secs(30),
};

fn lists(server: &MockServer) -> Lists {
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    Lists::new(client)
}

fn waiter(server: &MockServer) -> Waiter<EchoListsRequest> {
    Waiter::new(lists(server).echo_lists(["x"]), &READY)
}

/// A server answering `/lists/x` with each of `states` once, in order, then the last again.
async fn walking(states: &[ResponseTemplate]) -> MockServer {
    let server = MockServer::start().await;
    let (last, first) = states.split_last().expect("states");
    for state in first {
        Mock::given(path("/lists/x"))
            .respond_with(state.clone())
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(path("/lists/x"))
        .respond_with(last.clone())
        .mount(&server)
        .await;
    server
}

fn state(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"url": name}))
}

#[tokio::test]
async fn it_polls_through_the_states_until_success_and_returns_the_last_body() {
    let server = walking(&[
        state("CREATING"),
        state("UPDATING").insert_header("Retry-After", "1"),
        state("IDLE"),
    ])
    .await;
    let started = Instant::now();
    let done = waiter(&server)
        .send()
        .await
        .expect("ready")
        .expect("a body");
    assert_eq!(done.url.as_deref(), Some("IDLE"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // The server's Retry-After is a floor under the waiter's own delay.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_failure_state_is_a_wait_failed_error_naming_it() {
    let server = walking(&[state("CREATING"), state("FAILED")]).await;
    let error = waiter(&server).send().await.expect_err("failed");
    let Error::WaitFailed(stopped) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(stopped.waiter, "list_ready");
    assert_eq!(stopped.operation_id, "echoLists");
    assert_eq!(stopped.state.as_deref(), Some("/url = FAILED"));
    assert_eq!(stopped.attempts, 2);
}

#[tokio::test]
async fn a_404_the_table_accepts_ends_the_wait_without_a_body() {
    let server = walking(&[state("DELETING"), ResponseTemplate::new(404)]).await;
    assert!(waiter(&server).send().await.expect("deleted").is_none());
}

#[tokio::test]
async fn an_error_code_the_table_names_ends_the_wait() {
    let gone = ResponseTemplate::new(404)
        .set_body_json(json!({"error": 404, "errorCode": "LIST_NOT_FOUND"}));
    let other = ResponseTemplate::new(404)
        .set_body_json(json!({"error": 404, "errorCode": "GROUP_NOT_FOUND"}));
    let server = walking(&[state("DELETING"), gone]).await;
    let deleted = Waiter::new(lists(&server).echo_lists(["x"]), &DELETED);
    assert!(deleted.send().await.expect("deleted").is_none());
    // Another error code is no acceptor's: the wait ends with that error.
    let server = walking(&[other]).await;
    let error = Waiter::new(lists(&server).echo_lists(["x"]), &DELETED)
        .send()
        .await
        .expect_err("not this code");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_state() {
    let server = walking(&[state("CREATING")]).await;
    let error = waiter(&server)
        .deadline(Duration::from_millis(100))
        .send()
        .await
        .expect_err("too slow");
    let Error::WaitTimedOut(stopped) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(stopped.state.as_deref(), Some("/url = CREATING"));
    assert!(stopped.attempts >= 2, "{stopped:?}");
    assert!(
        error
            .to_string()
            .starts_with("waiter `list_ready` (echoLists, "),
        "{error}"
    );
}

/// A server's `Retry-After` longer than the deadline (here the largest a header can say)
/// ends the wait at the deadline, without an overflow.
#[tokio::test]
async fn a_huge_retry_after_ends_at_the_deadline() {
    let server =
        walking(&[state("CREATING").insert_header("Retry-After", "18446744073709551615")]).await;
    let started = Instant::now();
    let error = waiter(&server)
        .deadline(Duration::from_millis(150))
        .send()
        .await
        .expect_err("deadline");
    assert!(matches!(error, Error::WaitTimedOut(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn an_error_no_acceptor_expects_ends_the_wait_with_that_error() {
    let server = walking(&[state("CREATING"), ResponseTemplate::new(500)]).await;
    let error = waiter(&server).send().await.expect_err("500");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

/// The method the generator writes from `fixtures/swagger2.waiters.toml`, end to end.
#[tokio::test]
async fn the_generated_wait_until_method_polls_its_operation() {
    let server = walking(&[state("CREATING"), state("UPDATING"), state("IDLE")]).await;
    let done = lists(&server)
        .wait_until_list_ready(["x"])
        .send()
        .await
        .expect("ready")
        .expect("a body");
    assert_eq!(done.url.as_deref(), Some("IDLE"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn dropping_the_future_stops_polling() {
    let server = walking(&[state("CREATING")]).await;
    let wait = waiter(&server).delays(Duration::from_millis(50), Duration::from_millis(50));
    let _ = tokio::time::timeout(Duration::from_millis(120), wait.send()).await;
    let polled = server.received_requests().await.unwrap().len();
    // It did poll while it ran, so the silence after is the drop's doing.
    assert!(polled >= 1, "it never polled before the drop");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), polled);
}
