//! The pattern for testing your own code that calls Atlas through atlas-sdk: point the client
//! at an in-process mock server (here `wiremock`), answer with the JSON Atlas would send, and
//! assert on the requests your code made. No network, no credentials.

use atlas_sdk::{Client, RetryPolicy};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Code under test: how many failed logins a cluster saw.
async fn failed_logins(
    client: &Client,
    group: &str,
    cluster: &str,
) -> Result<usize, atlas_sdk::Error> {
    let logs = client
        .access_tracking()
        .list_access_logs_by_cluster_name(group, cluster)
        .auth_result(false)
        .send()
        .await?;
    Ok(logs.access_logs.map_or(0, |l| l.len()))
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        // The mock speaks plain HTTP on loopback.
        .allow_insecure_http(true)
        .bearer_token("test-token")
        // A test wants the first answer, not retries.
        .retry(RetryPolicy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn counts_failed_logins() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/clusters/Cluster0",
        ))
        .and(query_param("authResult", "false"))
        .and(header("accept", "application/vnd.atlas.2023-01-01+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "accessLogs": [
                {"authResult": false, "username": "app", "failureReason": "wrong password"},
                {"authResult": false, "username": "ci"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let count = failed_logins(&client_for(&server), "32b6e34b3d91647abb20e7b8", "Cluster0")
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn reports_a_missing_cluster() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": 404, "errorCode": "CLUSTER_NOT_FOUND", "detail": "No cluster named Nope.", "reason": "Not Found"
        })))
        .mount(&server)
        .await;
    let error = failed_logins(&client_for(&server), "32b6e34b3d91647abb20e7b8", "Nope")
        .await
        .unwrap_err();
    assert_eq!(error.error_code().as_deref(), Some("CLUSTER_NOT_FOUND"));
}
