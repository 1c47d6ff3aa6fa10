//! End to end against Prism serving the Access Tracking fixture
//! (`tests/fixtures/atlas-access-tracking.yaml`, the same two operations as the shipped
//! spec, with response examples written to check here; MongoDB's own example of `ipAddress`
//! breaks its pattern): every request the SDK sends must pass Prism's validation (no
//! `sl-violations` header) and every response must decode. The whole document is served to
//! every operation by `cargo xtask full-specs`.

use atlas_sdk_tests::peers::{self, Peer};
use atlas_sdk_tests::prism::Prism;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn client(prism: &Prism) -> atlas_sdk::Client {
    atlas_sdk::Client::builder()
        .base_url(prism.base_url())
        .allow_insecure_http(true)
        // Any bearer token satisfies the ServiceAccounts (OAuth2) scheme in Prism.
        .bearer_token("prism-test-token")
        .build()
        .expect("client")
}

mod support;

use support::prism_violations as violations;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_accepts_every_request_and_responses_decode() {
    if !peers::available(
        "prism_accepts_every_request_and_responses_decode",
        &[Peer::Prism],
    ) {
        return;
    }
    let prism = Prism::start("tests/fixtures/atlas-access-tracking.yaml");
    let client = client(&prism);
    // Epoch milliseconds since the 2025 API.
    let start: i64 = 1_748_736_000_000;
    let end: i64 = 1_748_822_400_000;

    // The peer must really validate: a raw request with a bad nLogs is flagged.
    let raw = reqwest::Client::new()
        .get(format!(
            "{}/api/atlas/v2/groups/{GROUP}/dbAccessHistory/clusters/Cluster0?nLogs=abc",
            prism.base_url()
        ))
        .header("Accept", "application/vnd.atlas.2023-01-01+json")
        .header("Authorization", "Bearer x")
        .send()
        .await
        .unwrap();
    let flagged = violations(raw.headers()).unwrap_or_default();
    // Prism lower-cases parameter names in its report.
    assert!(
        flagged.contains("Request query parameter nlogs must be integer"),
        "Prism did not validate the query: {flagged:?}"
    );

    // Cluster operation, every parameter set.
    let response = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(false)
        .pretty(true)
        .auth_result(true)
        .start(start)
        .end(end)
        .ip_address("192.0.2.10")
        .n_logs(20000)
        .send_with_response()
        .await
        .expect("cluster operation");
    assert_eq!(violations(&response.headers), None);
    assert_eq!(response.status, 200);
    let logs = response.body.access_logs.expect("accessLogs");
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].username.as_deref(), Some("app"));
    assert_eq!(logs[0].auth_result, Some(true));

    // Hostname operation, every parameter set (IPv6 address this time).
    let response = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "cluster0-shard-00-00.abcde.mongodb.net")
        .envelope(false)
        .pretty(false)
        .auth_result(false)
        .start(start)
        .end(end)
        .ip_address("3253:5e:3:f:cba0:9:7:1")
        .n_logs(0)
        .send_with_response()
        .await
        .expect("hostname operation");
    assert_eq!(violations(&response.headers), None);
    let logs = response.body.access_logs.expect("accessLogs");
    assert_eq!(logs[0].failure_reason.as_deref(), Some("UserNotFound"));

    // Required parameters only.
    let response = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "gqW")
        .send_with_response()
        .await
        .expect("required parameters only");
    assert_eq!(violations(&response.headers), None);

    // Prism answers 406 to an `Accept` the operation does not offer; the spec does not
    // document 406, so it is an unexpected status with the raw body kept.
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .accept("text/csv")
        .send()
        .await
        .expect_err("406 for an unsupported Accept");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(406), "{error}");
    assert!(
        matches!(error, atlas_sdk::Error::UnexpectedStatus(_)),
        "{error:?}"
    );

    // The raw variant hands back the body Prism sent.
    let raw = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "host")
        .send_raw()
        .await
        .expect("raw");
    assert_eq!(raw.status(), 200);
    let body = raw.bytes().await.unwrap();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["accessLogs"][0]["username"], "ghost");
}
