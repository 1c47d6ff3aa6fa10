//! Extension points: per-request headers, interceptors (headers, vetoes, retry decisions) and
//! the tracing span of a call.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_sdk::interceptor::{Attempt, Interceptor, RetryDecision};
use atlas_sdk::{Client, Error, RetryPolicy};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

async fn server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> atlas_sdk::ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .bearer_token("t")
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
}

async fn call(client: &Client) -> Result<atlas_sdk::models::MongoDBAccessLogsList, Error> {
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .header("X-Request-Id", "req-1")
        .send()
        .await
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
    veto: bool,
    retry_500: bool,
    stop_503: bool,
}

impl Interceptor for Recorder {
    fn before_send(
        &self,
        attempt: &Attempt<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), atlas_sdk::interceptor::Error> {
        self.seen.lock().unwrap().push(format!(
            "send {} {} #{} {}",
            attempt.operation_id, attempt.method, attempt.number, attempt.path_template
        ));
        if self.veto {
            return Err(atlas_sdk::interceptor::Error::Config(
                "vetoed by the interceptor".to_owned(),
            ));
        }
        request
            .headers_mut()
            .insert("x-tenant", reqwest::header::HeaderValue::from_static("t1"));
        Ok(())
    }

    fn after_response(
        &self,
        attempt: &Attempt<'_>,
        status: StatusCode,
        _: &HeaderMap,
    ) -> RetryDecision {
        self.seen
            .lock()
            .unwrap()
            .push(format!("response #{} {}", attempt.number, status.as_u16()));
        match status.as_u16() {
            500 if self.retry_500 => RetryDecision::Retry,
            503 if self.stop_503 => RetryDecision::DoNotRetry,
            _ => RetryDecision::Default,
        }
    }
}

#[derive(Clone, Default)]
struct Shared(Arc<Recorder>);

impl Interceptor for Shared {
    fn before_send(
        &self,
        attempt: &Attempt<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), atlas_sdk::interceptor::Error> {
        self.0.before_send(attempt, request)
    }
    fn after_response(
        &self,
        attempt: &Attempt<'_>,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> RetryDecision {
        self.0.after_response(attempt, status, headers)
    }
}

#[tokio::test]
async fn per_request_and_interceptor_headers_are_sent() {
    let server = server(200).await;
    let recorder = Shared::default();
    let client = builder(&server)
        .interceptor(recorder.clone())
        .build()
        .unwrap();
    call(&client).await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers["x-request-id"], "req-1");
    assert_eq!(sent[0].headers["x-tenant"], "t1");
    assert_eq!(
        *recorder.0.seen.lock().unwrap(),
        [
            "send listAccessLogsByClusterName GET #1 /api/atlas/v2/groups/{groupId}/dbAccessHistory/clusters/{clusterName}",
            "response #1 200"
        ]
    );
    // A header HTTP cannot carry is refused before sending.
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .header("X-Bad", "a\r\nb")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(m) if m.contains("`X-Bad`")),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_interceptor_can_veto_a_call() {
    let server = server(200).await;
    let client = builder(&server)
        .interceptor(Recorder {
            veto: true,
            ..Recorder::default()
        })
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Config(m) if m == "vetoed by the interceptor"));
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn an_interceptor_classifies_retries() {
    // A 500 is not retried by default; the interceptor makes it so, within max_attempts.
    let failing = server(500).await;
    let client = builder(&failing)
        .interceptor(Recorder {
            retry_500: true,
            ..Recorder::default()
        })
        .build()
        .unwrap();
    assert!(call(&client).await.is_err());
    assert_eq!(requests(&failing).await.len(), 3);

    // A 503 is retried by default; the interceptor stops it.
    let unavailable = server(503).await;
    let client = builder(&unavailable)
        .interceptor(Recorder {
            stop_503: true,
            ..Recorder::default()
        })
        .build()
        .unwrap();
    assert!(call(&client).await.is_err());
    assert_eq!(requests(&unavailable).await.len(), 1);
}

/// A token another process renews: the client reads the current one for each attempt and,
/// on a 401, asks for a fresh one once.
struct RenewedToken {
    generation: std::sync::atomic::AtomicU32,
}

impl atlas_sdk::auth::Credentials for RenewedToken {
    fn authorization<'a>(
        &'a self,
        _: &'a atlas_sdk::auth::AuthRequest<'a>,
    ) -> atlas_sdk::auth::CredentialFuture<
        'a,
        Result<Option<reqwest::header::HeaderValue>, atlas_sdk::auth::Error>,
    > {
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            Ok(Some(
                reqwest::header::HeaderValue::from_str(&format!("Bearer token-{generation}"))
                    .unwrap(),
            ))
        })
    }

    fn rejected<'a>(
        &'a self,
        _: Option<&'a reqwest::header::HeaderValue>,
        _: &'a HeaderMap,
        retried: u32,
    ) -> atlas_sdk::auth::CredentialFuture<'a, atlas_sdk::auth::Rejection> {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(std::future::ready(if retried == 0 {
            atlas_sdk::auth::Rejection::Retry
        } else {
            atlas_sdk::auth::Rejection::Fail("still refused".to_owned())
        }))
    }
}

#[tokio::test]
async fn your_own_credentials_are_asked_each_attempt_and_told_about_a_401() {
    use wiremock::matchers::header;
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer token-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .credentials(RenewedToken {
            generation: std::sync::atomic::AtomicU32::new(0),
        })
        .build()
        .unwrap();
    assert!(format!("{client:?}").contains("custom credentials (redacted)"));
    call(&client).await.unwrap();
    let sent: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["Bearer token-0", "Bearer token-1"]);

    // Refused twice: the credentials end the call with their message, no loop.
    let always = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&always)
        .await;
    let client = Client::builder()
        .base_url(always.uri())
        .allow_insecure_http(true)
        .credentials(RenewedToken {
            generation: std::sync::atomic::AtomicU32::new(5),
        })
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::Authentication(a) if a.to_string().contains("still refused")),
        "{error:?}"
    );
    assert_eq!(requests(&always).await.len(), 2);
}
