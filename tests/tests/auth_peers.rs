//! Authentication against real servers: Apache httpd's mod_auth_digest in front of Prism,
//! httpbin's SHA-256 Digest, and oauth2-mock-server for service accounts.

use std::time::Duration;

use atlas_sdk::runtime::{self, Operation, PreparedRequest, RequestOptions};
use atlas_sdk_tests::apache::Apache;
use atlas_sdk_tests::httpbin::Httpbin;
use atlas_sdk_tests::oauth::OAuthServer;
use atlas_sdk_tests::peers::{self, Peer};
use atlas_sdk_tests::prism::Prism;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "0b7a2d1c-4e5f-4a6b-9c8d-7e6f5a4b3c2d";

fn digest_client(base_url: String, user: &str, password: &str) -> atlas_sdk::Client {
    atlas_sdk::Client::builder()
        .base_url(base_url)
        .allow_insecure_http(true)
        .digest_auth(user, password)
        .build()
        .unwrap()
}

fn statuses(log: &[String]) -> Vec<String> {
    log.iter()
        .map(|l| l.rsplit(' ').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_against_apache_costs_one_round_trip_per_call() {
    if !peers::available(
        "digest_against_apache_costs_one_round_trip_per_call",
        &[Peer::Prism, Peer::Apache],
    ) {
        return;
    }
    let prism = Prism::start("spec/atlas-api.yaml");
    let apache = Apache::start(&prism.base_url(), PUBLIC_KEY, PRIVATE_KEY, 300);
    let client = digest_client(apache.base_url(), PUBLIC_KEY, PRIVATE_KEY);
    for i in 0..100 {
        let logs = if i % 2 == 0 {
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(GROUP, "Cluster0")
                .n_logs(100)
                .send()
                .await
        } else {
            client
                .access_tracking()
                .list_access_logs_by_hostname(GROUP, "host.example.com")
                .auth_result(false)
                .send()
                .await
        }
        .unwrap_or_else(|e| panic!("call {i}: {e}"));
        assert_eq!(logs.access_logs.map(|l| l.len()), Some(1));
    }
    let log = apache.access_log_settled(101);
    let statuses = statuses(&log);
    // One challenge for the first call, then one request per call.
    assert_eq!(
        statuses.iter().filter(|s| *s == "401").count(),
        1,
        "{log:#?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "200").count(),
        100,
        "{log:#?}"
    );
    assert_eq!(log.len(), 101);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_api_key_is_an_authentication_error_not_a_loop() {
    if !peers::available(
        "wrong_api_key_is_an_authentication_error_not_a_loop",
        &[Peer::Prism, Peer::Apache],
    ) {
        return;
    }
    let prism = Prism::start("spec/atlas-api.yaml");
    let apache = Apache::start(&prism.base_url(), PUBLIC_KEY, PRIVATE_KEY, 300);
    let client = digest_client(apache.base_url(), PUBLIC_KEY, "wrong-private-key");
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_authentication(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!error.to_string().contains("wrong-private-key"));
    assert_eq!(statuses(&apache.access_log_settled(2)), ["401", "401"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_nonce_is_renewed_without_an_error() {
    if !peers::available(
        "expired_nonce_is_renewed_without_an_error",
        &[Peer::Prism, Peer::Apache],
    ) {
        return;
    }
    let prism = Prism::start("spec/atlas-api.yaml");
    let apache = Apache::start(&prism.base_url(), PUBLIC_KEY, PRIVATE_KEY, 1);
    let client = digest_client(apache.base_url(), PUBLIC_KEY, PRIVATE_KEY);
    let call = || {
        client
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .send()
    };
    call().await.expect("first call");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    call().await.expect("call after the nonce expired");
    // challenge, success, stale challenge, success
    assert_eq!(
        statuses(&apache.access_log_settled(4)),
        ["401", "200", "401", "200"]
    );
}

static HTTPBIN_DIGEST: Operation = Operation {
    operation_id: "httpbinDigest",
    method: runtime::Method::GET,
    accept: "application/json",
    error_statuses: &[],
    ..Operation::DEFAULT
};

async fn httpbin_call(
    client: &atlas_sdk::Client,
    path: &'static str,
) -> Result<serde_json::Value, atlas_sdk::Error> {
    let mut request = PreparedRequest::new(&HTTPBIN_DIGEST, RequestOptions::default());
    request.push_literal(path);
    runtime::send_json::<serde_json::Value, (), atlas_sdk::Error>(Ok((
        client.runtime().clone(),
        request,
    )))
    .await
    .map(|r| r.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_sha256_and_md5_against_httpbin() {
    if !peers::available("digest_sha256_and_md5_against_httpbin", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let client = digest_client(httpbin.base_url(), "user", "passwd");
    for _ in 0..3 {
        let body = httpbin_call(&client, "/digest-auth/auth/user/passwd/SHA-256")
            .await
            .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"authenticated": true, "user": "user"})
        );
    }
    let md5_client = digest_client(httpbin.base_url(), "user", "passwd");
    let body = httpbin_call(&md5_client, "/digest-auth/auth/user/passwd/MD5")
        .await
        .unwrap();
    assert_eq!(body["authenticated"], true);

    let wrong = digest_client(httpbin.base_url(), "user", "nope");
    let error = httpbin_call(&wrong, "/digest-auth/auth/user/passwd/SHA-256")
        .await
        .unwrap_err();
    assert!(error.is_authentication(), "{error:?}");
}

async fn api_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/atlas/v2/groups/{GROUP}/dbAccessHistory/clusters/Cluster0"
        )))
        .and(wiremock::matchers::header_regex(
            "authorization",
            "^Bearer [A-Za-z0-9._-]+$",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    server
}

fn service_client(api: &MockServer, oauth: &OAuthServer, secret: &str) -> atlas_sdk::Client {
    atlas_sdk::Client::builder()
        .base_url(api.uri())
        .allow_insecure_http(true)
        .service_account("sa-client-id", secret)
        .service_account_token_url(oauth.token_url())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_account_fetches_one_token_for_100_concurrent_calls() {
    if !peers::available(
        "service_account_fetches_one_token_for_100_concurrent_calls",
        &[Peer::OAuth],
    ) {
        return;
    }
    let oauth = OAuthServer::start("sa-client-id", "sa-secret", 3600);
    let api = api_server().await;
    let client = service_client(&api, &oauth, "sa-secret");
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .access_tracking()
                    .list_access_logs_by_cluster_name(GROUP, "Cluster0")
                    .send()
                    .await
            })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("call with a service account token");
    }
    assert_eq!(oauth.tokens_issued(1), 1);
    assert_eq!(api.received_requests().await.unwrap().len(), 100);

    client.revoke_token().await.expect("revocation");
    assert_eq!(oauth.revocations(1), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_account_token_is_renewed_before_it_expires() {
    if !peers::available(
        "service_account_token_is_renewed_before_it_expires",
        &[Peer::OAuth],
    ) {
        return;
    }
    let oauth = OAuthServer::start("sa-client-id", "sa-secret", 2);
    let api = api_server().await;
    let client = service_client(&api, &oauth, "sa-secret");
    let call = || {
        client
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .send()
    };
    call().await.unwrap();
    call().await.unwrap();
    assert_eq!(oauth.tokens_issued(1), 1);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    call().await.unwrap();
    assert_eq!(oauth.tokens_issued(2), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_service_account_secret_is_an_authentication_error() {
    if !peers::available(
        "wrong_service_account_secret_is_an_authentication_error",
        &[Peer::OAuth],
    ) {
        return;
    }
    let oauth = OAuthServer::start("sa-client-id", "sa-secret", 3600);
    let api = api_server().await;
    let client = service_client(&api, &oauth, "not-the-secret");
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_authentication(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!format!("{error:?}").contains("not-the-secret"));
    assert_eq!(oauth.tokens_refused(1), 1);
    assert_eq!(api.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_token_is_refreshed_once() {
    if !peers::available("rejected_token_is_refreshed_once", &[Peer::OAuth]) {
        return;
    }
    let oauth = OAuthServer::start("sa-client-id", "sa-secret", 3600);
    let api = MockServer::start().await;
    // The first request is refused as if the token had been revoked.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": 401, "errorCode": "UNAUTHORIZED"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(header("accept", "application/vnd.atlas.2023-01-01+json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&api)
        .await;
    let client = service_client(&api, &oauth, "sa-secret");
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .expect("retried with a new token");
    assert_eq!(oauth.tokens_issued(2), 2);
    let requests = api.received_requests().await.unwrap();
    // (The mock signs identical JWTs within the same second, so the two tokens may be equal;
    // the issue count above shows a second token was fetched.)
    assert_eq!(requests.len(), 2);
}
