//! Credentials stay secret (Debug output, errors, tracing events), plain http is refused
//! unless asked for, and header values cannot smuggle CR/LF.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_sdk::{Client, Error, RetryPolicy, Rule};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CLIENT_SECRET: &str = "sa-secret-5d1e9b";
const TOKEN: &str = "issued-token-7f3a9c";
const BEARER: &str = "caller-token-c0ffee";
const PRIVATE_KEY: &str = "private-key-8e2b44";

/// Collects everything `tracing` writes while the guard lives.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

fn assert_no_secret(text: &str) {
    let basic = "c2EtaWQ6c2Etc2VjcmV0LTVkMWU5Yg"; // base64("sa-id:sa-secret-5d1e9b"), unpadded prefix
    for secret in [CLIENT_SECRET, TOKEN, BEARER, PRIVATE_KEY, basic] {
        assert!(!text.contains(secret), "`{secret}` leaked into:\n{text}");
    }
}

async fn atlas_with_token_endpoint() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .and(header(
            "authorization",
            "Basic c2EtaWQ6c2Etc2VjcmV0LTVkMWU5Yg==",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": "invalid_client"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    server
}

fn service_client(server: &MockServer, secret: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .service_account("sa-id", secret)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn credentials_never_reach_logs_debug_output_or_errors() {
    let (captured, _guard) = capture();
    let server = atlas_with_token_endpoint().await;

    let client = service_client(&server, CLIENT_SECRET);
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .expect("a 503, then success with the service account token");
    assert_no_secret(&format!("{client:?}"));

    let wrong = service_client(&server, "not-the-secret");
    let error = wrong
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_authentication());
    assert_no_secret(&format!("{error:?} {error}"));
    assert!(!format!("{error:?} {error}").contains("not-the-secret"));

    let builder = Client::builder()
        .bearer_token(BEARER)
        .digest_auth("public", PRIVATE_KEY);
    assert_no_secret(&format!("{builder:?}"));
    let digest = builder.build().unwrap();
    assert_no_secret(&format!("{digest:?}"));
    let bearer = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .bearer_token(BEARER)
        .build()
        .unwrap();
    assert_no_secret(&format!("{bearer:?}"));
    let _ = bearer
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "host")
        .send()
        .await;

    let logs = captured.text();
    // The attempts are visible…
    assert!(logs.contains("sending"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("fetching a service account token"), "{logs}");
    // …and no credential is.
    assert_no_secret(&logs);
}

#[tokio::test]
async fn every_attempt_is_a_tracing_event() {
    let (captured, _guard) = capture();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_insecure_http(true)
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)));
    let logs = captured.text();
    assert_eq!(logs.matches("specwire: sending").count(), 3, "{logs}");
    assert_eq!(
        logs.matches("retrying after a connection failure").count(),
        2,
        "{logs}"
    );
    assert!(
        logs.contains("operation=\"listAccessLogsByClusterName\""),
        "{logs}"
    );
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let error = Client::builder()
        .base_url("http://cloud.mongodb.com")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(ref m) if m.contains("allow_insecure_http")),
        "{error}"
    );
    assert!(
        Client::builder()
            .base_url("ftp://example.com")
            .build()
            .is_err()
    );
    assert!(Client::builder().base_url("not a url").build().is_err());
    assert!(
        Client::builder()
            .base_url("http://127.0.0.1:1")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    // The token endpoint follows the same rule.
    let error = Client::builder()
        .service_account("id", "secret")
        .service_account_token_url("http://127.0.0.1:1/token")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_rejected() {
    for builder in [
        Client::builder().bearer_token("abc\r\nX-Injected: 1"),
        Client::builder().user_agent("agent\nX-Injected: 1"),
        Client::builder().digest_auth("pub\r\nX: 1", "secret"),
    ] {
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error}");
    }

    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let Err(Error::InvalidRequest(invalid)) = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .accept("application/json\r\nX-Injected: 1")
        .send()
        .await
    else {
        panic!("expected an invalid request");
    };
    assert_eq!(invalid.parameter, "Accept");
    assert_eq!(invalid.rule, Rule::HeaderValue);
    assert!(server.received_requests().await.unwrap().is_empty());
}
