//! Servers that misbehave: each case ends in the right typed error or a successful retry,
//! with no panic, no hang, and the raw body kept where there is one.

use std::time::{Duration, Instant};

use atlas_sdk::runtime::{self, Operation, PreparedRequest, RequestOptions};
use atlas_sdk::{Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

mod support;

fn client(base: &str, retry: RetryPolicy) -> Client {
    support::local(base).retry(retry).build().unwrap()
}

async fn list(client: &Client) -> Result<atlas_sdk::models::MongoDBAccessLogsList, Error> {
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_raw_body() {
    let body = r#"{"accessLogs":[{"authResult":true,"userna"#;
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let Err(Error::Decode(error)) = list(&client(&server.uri(), fast_retries())).await else {
        panic!("expected a decode error");
    };
    assert_eq!(error.status, 200);
    assert_eq!(error.body, body.as_bytes());
    assert!(error.message.contains("EOF"), "{}", error.message);
}

#[tokio::test]
async fn body_that_is_not_utf8_is_a_decode_error_with_the_raw_body() {
    let body = vec![b'{', 0xff, 0xfe, b'}'];
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .await;
    let Err(Error::Decode(error)) = list(&client(&server.uri(), fast_retries())).await else {
        panic!("expected a decode error");
    };
    assert_eq!(error.body, body);
}

#[tokio::test]
async fn html_502_is_retried_then_reported_with_its_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = server_answering(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let Err(Error::UnexpectedStatus(error)) = list(&client(&server.uri(), fast_retries())).await
    else {
        panic!("expected an unexpected status");
    };
    assert_eq!(error.status, 502);
    assert_eq!(error.body, html.as_bytes());
    assert_eq!(requests(&server).await, 3, "three attempts in all");
}

#[tokio::test]
async fn a_502_followed_by_success_is_survived() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    let logs = list(&client(&server.uri(), fast_retries())).await.unwrap();
    assert_eq!(logs.access_logs, Some(vec![]));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_and_not_retried() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"accessLogs": []}))
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(200))
        .retry(fast_retries())
        .build()
        .unwrap();
    let error = list(&client).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(requests(&server).await, 1);
}

/// A server that promises 1000 bytes, sends 16, and resets the connection.
async fn resetting_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"accessLogs\":[{")
                .await;
            let _ = socket.flush().await;
            let _ = socket.set_zero_linger();
            drop(socket);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let base = resetting_server().await;
    let error = list(&client(&base, fast_retries())).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = server_answering(
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
    )
    .await;
    let server = server_answering(
        ResponseTemplate::new(302)
            .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
    )
    .await;
    let Err(Error::UnexpectedStatus(error)) = list(&client(&server.uri(), fast_retries())).await
    else {
        panic!("expected the redirect as an unexpected status");
    };
    assert_eq!(error.status, 302);
    assert_eq!(
        error.headers["location"],
        format!("{}/steal", elsewhere.uri()).as_str()
    );
    assert_eq!(
        requests(&elsewhere).await,
        0,
        "nothing, and so no credential, reached the other host"
    );
}

#[tokio::test]
async fn a_429_storm_ends_after_the_configured_attempts() {
    let server = server_answering(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "0")
            .set_body_json(serde_json::json!({"error": 429, "errorCode": "RATE_LIMITED", "detail": "slow down"})),
    )
    .await;
    let error = list(&client(&server.uri(), fast_retries().max_attempts(4)))
        .await
        .unwrap_err();
    // 429 is documented since the 2025 API: the decoded ApiError comes with it.
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.error_code().as_deref(), Some("RATE_LIMITED"));
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let started = Instant::now();
    list(&client(&server.uri(), fast_retries())).await.unwrap();
    // Behaviour, not speed: the retry did not start before the server's Retry-After.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn no_retry_outlives_the_total_budget() {
    let server =
        server_answering(ResponseTemplate::new(503).insert_header("retry-after", "30")).await;
    let policy = fast_retries().total_budget(Duration::from_secs(1));
    let error = list(&client(&server.uri(), policy)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = list(&client(&format!("http://127.0.0.1:{port}"), fast_retries()))
        .await
        .unwrap_err();
    let Error::Transport(inner) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(inner.is_connect());
}

static CREATE: Operation = Operation {
    operation_id: "createThing",
    method: runtime::Method::POST,
    accept: "application/vnd.atlas.2023-01-01+json",
    error_statuses: &[],
    ..Operation::DEFAULT
};

async fn post(client: &Client) -> Result<(), Error> {
    let mut request = PreparedRequest::new(&CREATE, RequestOptions::default());
    request.push_literal("/api/atlas/v2/things");
    runtime::send_empty::<(), Error>(Ok((client.runtime().clone(), request)))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn non_idempotent_requests_are_retried_only_when_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = post(&client(&server.uri(), fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 1);

    post(&client(
        &server.uri(),
        fast_retries().retry_non_idempotent(true),
    ))
    .await
    .unwrap_err();
    assert_eq!(requests(&server).await, 1 + 3);

    post(&client(
        &server.uri(),
        RetryPolicy::none().retry_non_idempotent(true),
    ))
    .await
    .unwrap_err();
    assert_eq!(requests(&server).await, 1 + 3 + 1);
}

#[tokio::test]
async fn request_bodies_are_sent_again_after_a_digest_challenge() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "www-authenticate",
            r#"Digest realm="atlas", nonce="bm9uY2U", qop="auth", algorithm=SHA-256"#,
        ))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .digest_auth("public", "private")
        .build()
        .unwrap();
    let mut request = PreparedRequest::new(&CREATE, RequestOptions::default());
    request.push_literal("/api/atlas/v2/things");
    request
        .set_json_body(
            "application/vnd.atlas.2023-01-01+json",
            &serde_json::json!({"name": "thing"}),
        )
        .unwrap();
    runtime::send_empty::<(), Error>(Ok((client.runtime().clone(), request)))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, br#"{"name":"thing"}"#);
        assert_eq!(
            request.headers["content-type"],
            "application/vnd.atlas.2023-01-01+json"
        );
    }
    let authorization = requests[1].headers["authorization"].to_str().unwrap();
    assert!(authorization.starts_with("Digest "), "{authorization}");
    assert!(
        authorization.contains("algorithm=SHA-256"),
        "{authorization}"
    );
    assert!(authorization.contains("nc=00000001"), "{authorization}");

    // The next call reuses the nonce with the next count: one round trip.
    let mut request = PreparedRequest::new(&CREATE, RequestOptions::default());
    request.push_literal("/api/atlas/v2/things");
    runtime::send_empty::<(), Error>(Ok((client.runtime().clone(), request)))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let authorization = requests[2].headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains(r#"nonce="bm9uY2U""#),
        "{authorization}"
    );
    assert!(authorization.contains("nc=00000002"), "{authorization}");
}

/// A server whose first connection reads the request and closes without answering (what a
/// keep-alive connection the server already dropped looks like to the client); later
/// connections answer 200. Returns the base URL and the count of connections.
async fn dropping_first_connection() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            if n > 0 {
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 17\r\n\r\n{\"accessLogs\":[]}")
                    .await;
                let _ = socket.flush().await;
            }
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn a_connection_dropped_before_the_response_is_retried_for_idempotent_calls() {
    let (base, connections) = dropping_first_connection().await;
    let logs = list(&client(&base, fast_retries())).await.unwrap();
    assert_eq!(logs.access_logs, Some(Vec::new()));
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);

    // A POST may have taken effect before the connection went: not retried.
    let (base, connections) = dropping_first_connection().await;
    let error = post(&client(&base, fast_retries())).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn clones_share_one_retry_budget() {
    let server = server_answering(ResponseTemplate::new(503)).await;
    // 10 tokens: two retries (5 each), shared by every clone.
    let client = client(&server.uri(), fast_retries().retry_budget(10));
    let clone = client.clone();
    assert!(list(&client).await.is_err());
    assert_eq!(requests(&server).await, 3, "the first call retries twice");
    assert!(list(&clone).await.is_err());
    assert_eq!(
        requests(&server).await,
        4,
        "the clone finds the budget spent and does not retry"
    );
}

fn digest_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .allow_insecure_http(true)
        .digest_auth("public", "private")
        .build()
        .unwrap()
}

async fn concurrent_lists(client: &Client, calls: usize) -> Vec<Result<(), Error>> {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await.map(drop) })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_share_one_digest_challenge() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header(
                    "www-authenticate",
                    r#"Digest realm="atlas", nonce="bm9uY2U", qop="auth", algorithm=MD5"#,
                )
                // Slow, so that every other call starts while the probe is out.
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let results = concurrent_lists(&digest_client(&server.uri()), 50).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let requests = server.received_requests().await.unwrap();
    let unauthenticated = requests
        .iter()
        .filter(|r| !r.headers.contains_key("authorization"))
        .count();
    // One probe fetched the nonce for all 50 calls: 51 requests, not 100.
    assert_eq!((unauthenticated, requests.len()), (1, 51));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_challenges_does_not_hold_calls_back() {
    // The probe succeeds without credentials: the waiting calls go ahead at once, without
    // credentials either, instead of probing one after another.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let results = concurrent_lists(&digest_client(&server.uri()), 20).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 20);
    // Serialised probes would take 20 × 300 ms; the probe and then everyone else: ~600 ms.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
