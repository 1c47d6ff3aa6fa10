//! Every waiter of `spec/waiters.toml`, as the shipped crate has it, against a scripted server
//! that walks the resource through its states: each ends at its success state (or its 404)
//! with the last body, and each that names failure states stops at one with
//! `Error::WaitFailed` naming it. The requests go to the documented path, and nothing else.

use std::time::Duration;

use atlas_sdk::Client;
use serde_json::{Value, json};
use specwire::runtime::{Endpoint, Waiter};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn client(server: &MockServer) -> Client {
    support::local(&server.uri()).build().unwrap()
}

/// A server answering `GET route` with each of `answers` once, in order, then the last
/// again.
async fn walking(route: &str, answers: &[ResponseTemplate]) -> MockServer {
    let server = MockServer::start().await;
    let (last, first) = answers.split_last().expect("answers");
    for answer in first {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(answer.clone())
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(last.clone())
        .mount(&server)
        .await;
    server
}

fn body(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Content-Type", "application/json")
        .set_body_json(value)
}

/// Polls fast: the table's delays are minutes.
fn quick<E>(waiter: Waiter<E>) -> Waiter<E>
where
    E: Endpoint + Clone,
    E::Body: serde::de::DeserializeOwned,
{
    waiter
        .delays(Duration::from_millis(1), Duration::from_millis(5))
        .deadline(Duration::from_secs(20))
}

/// One waiter's walks: pending, pending, success ends at the third answer with its body;
/// pending → failure is `WaitFailed` naming the failure state, after two polls.
macro_rules! walks {
    (
        $test:ident, $route:expr, |$client:ident| $make:expr,
        pending: $pending:expr, success: $success:expr, failure: $failure:expr $(,)?
    ) => {
        #[tokio::test]
        async fn $test() {
            let server = walking($route, &[body($pending), body($pending), body($success)]).await;
            let $client = client(&server);
            // Stopped at the success answer (the third), with its body.
            let done = quick($make).send().await.expect("success");
            assert!(done.is_some(), "the success answer has a body");
            assert_eq!(server.received_requests().await.unwrap().len(), 3);

            let failure: Option<(Value, &str)> = $failure;
            if let Some((failed, state)) = failure {
                let server = walking($route, &[body($pending), body(failed)]).await;
                let $client = client(&server);
                let error = quick($make).send().await.expect_err("failure");
                let specwire::Error::WaitFailed(stopped) = &error else {
                    panic!("{error:?}");
                };
                assert_eq!(stopped.state.as_deref(), Some(state));
                assert_eq!(stopped.attempts, 2);
            }
        }
    };
}

/// A `…_deleted` waiter: the resource answers until it is gone (404).
macro_rules! deleted {
    ($test:ident, $route:expr, |$client:ident| $make:expr, present: $present:expr $(,)?) => {
        #[tokio::test]
        async fn $test() {
            let gone = ResponseTemplate::new(404).set_body_json(json!({
                "error": 404, "errorCode": "RESOURCE_NOT_FOUND", "reason": "Not Found"
            }));
            let server = walking($route, &[body($present), gone]).await;
            let $client = client(&server);
            assert!(quick($make).send().await.expect("deleted").is_none());
            assert_eq!(server.received_requests().await.unwrap().len(), 2);
        }
    };
}

const CLUSTER: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1";

walks!(
    cluster_ready, CLUSTER, |c| c.clusters().wait_until_cluster_ready("32b6e34b3d91647abb20e7b8", "c1"),
    pending: json!({"name": "c1", "stateName": "CREATING"}),
    success: json!({"name": "c1", "stateName": "IDLE"}),
    failure: Some((json!({"name": "c1", "stateName": "DELETING"}), "/stateName = DELETING")),
);
deleted!(
    cluster_deleted, CLUSTER, |c| c.clusters().wait_until_cluster_deleted("32b6e34b3d91647abb20e7b8", "c1"),
    present: json!({"name": "c1", "stateName": "DELETING"}),
);

const FLEX: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/f1";

walks!(
    flex_cluster_ready, FLEX, |c| c.flex_clusters().wait_until_flex_cluster_ready("32b6e34b3d91647abb20e7b8", "f1"),
    pending: json!({"name": "f1", "stateName": "CREATING"}),
    success: json!({"name": "f1", "stateName": "IDLE"}),
    failure: Some((json!({"name": "f1", "stateName": "DELETING"}), "/stateName = DELETING")),
);
deleted!(
    flex_cluster_deleted, FLEX, |c| c.flex_clusters().wait_until_flex_cluster_deleted("32b6e34b3d91647abb20e7b8", "f1"),
    present: json!({"name": "f1", "stateName": "DELETING"}),
);

walks!(
    search_index_ready,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/search/indexes/6a0f1f73cf09a29120e173c1",
    |c| c.atlas_search().wait_until_search_index_ready("32b6e34b3d91647abb20e7b8", "c1", "6a0f1f73cf09a29120e173c1"),
    pending: json!({"name": "idx", "status": "BUILDING"}),
    success: json!({"name": "idx", "status": "READY"}),
    failure: Some((json!({"name": "idx", "status": "FAILED"}), "/status = FAILED")),
);

walks!(
    search_deployment_ready,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/search/deployment",
    |c| c.atlas_search().wait_until_search_deployment_ready("32b6e34b3d91647abb20e7b8", "c1"),
    pending: json!({"stateName": "UPDATING"}),
    success: json!({"stateName": "IDLE"}),
    failure: Some((json!({"stateName": "PAUSED"}), "/stateName = PAUSED")),
);

const SERVICE: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AWS/endpointService/5d0f1f73cf09a29120e173cf";

walks!(
    private_endpoint_service_ready, SERVICE,
    |c| c.private_endpoint_services().wait_until_private_endpoint_service_ready("32b6e34b3d91647abb20e7b8", "AWS", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"cloudProvider": "AWS", "status": "INITIATING"}),
    success: json!({"cloudProvider": "AWS", "status": "AVAILABLE"}),
    failure: Some((json!({"cloudProvider": "AWS", "status": "FAILED"}), "/status = FAILED")),
);
deleted!(
    private_endpoint_service_deleted, SERVICE,
    |c| c.private_endpoint_services().wait_until_private_endpoint_service_deleted("32b6e34b3d91647abb20e7b8", "AWS", "5d0f1f73cf09a29120e173cf"),
    present: json!({"cloudProvider": "AWS", "status": "DELETING"}),
);

const ENDPOINT: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AWS/endpointService/5d0f1f73cf09a29120e173cf/endpoint/vpce-0123456789abcdef0";

walks!(
    private_endpoint_ready_on_aws, ENDPOINT,
    |c| c.private_endpoint_services().wait_until_private_endpoint_ready("32b6e34b3d91647abb20e7b8", "AWS", "vpce-0123456789abcdef0", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"cloudProvider": "AWS", "connectionStatus": "PENDING_ACCEPTANCE"}),
    success: json!({"cloudProvider": "AWS", "connectionStatus": "AVAILABLE"}),
    failure: Some((
        json!({"cloudProvider": "AWS", "connectionStatus": "REJECTED"}),
        "/connectionStatus = REJECTED",
    )),
);
walks!(
    private_endpoint_ready_on_azure,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AZURE/endpointService/5d0f1f73cf09a29120e173cf/endpoint/vpce-0123456789abcdef0",
    |c| c.private_endpoint_services().wait_until_private_endpoint_ready("32b6e34b3d91647abb20e7b8", "AZURE", "vpce-0123456789abcdef0", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"cloudProvider": "AZURE", "status": "INITIATING"}),
    success: json!({"cloudProvider": "AZURE", "status": "AVAILABLE"}),
    failure: Some((json!({"cloudProvider": "AZURE", "status": "FAILED"}), "/status = FAILED")),
);
deleted!(
    private_endpoint_deleted, ENDPOINT,
    |c| c.private_endpoint_services().wait_until_private_endpoint_deleted("32b6e34b3d91647abb20e7b8", "AWS", "vpce-0123456789abcdef0", "5d0f1f73cf09a29120e173cf"),
    present: json!({"cloudProvider": "AWS", "connectionStatus": "DELETING"}),
);

const PEER: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/peers/6b0f1f73cf09a29120e173c2";

walks!(
    peering_connection_available_on_aws, PEER,
    |c| c.network_peering().wait_until_peering_connection_available("32b6e34b3d91647abb20e7b8", "6b0f1f73cf09a29120e173c2"),
    pending: json!({"providerName": "AWS", "statusName": "PENDING_ACCEPTANCE"}),
    success: json!({"providerName": "AWS", "statusName": "AVAILABLE"}),
    failure: Some((json!({"providerName": "AWS", "statusName": "FAILED"}), "/statusName = FAILED")),
);
walks!(
    peering_connection_available_on_gcp, PEER,
    |c| c.network_peering().wait_until_peering_connection_available("32b6e34b3d91647abb20e7b8", "6b0f1f73cf09a29120e173c2"),
    pending: json!({"providerName": "GCP", "status": "WAITING_FOR_USER"}),
    success: json!({"providerName": "GCP", "status": "AVAILABLE"}),
    failure: Some((json!({"providerName": "GCP", "status": "DELETING"}), "/status = DELETING")),
);
deleted!(
    peering_connection_deleted, PEER,
    |c| c.network_peering().wait_until_peering_connection_deleted("32b6e34b3d91647abb20e7b8", "6b0f1f73cf09a29120e173c2"),
    present: json!({"providerName": "AWS", "statusName": "TERMINATING"}),
);

walks!(
    backup_snapshot_completed,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/backup/snapshots/5d0f1f73cf09a29120e173cf",
    |c| c.cloud_backups().wait_until_backup_snapshot_completed("32b6e34b3d91647abb20e7b8", "c1", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "inProgress"}),
    success: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "completed"}),
    failure: Some((json!({"id": "5d0f1f73cf09a29120e173cf", "status": "failed"}), "/status = failed")),
);
walks!(
    sharded_cluster_backup_snapshot_completed,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/backup/snapshots/shardedCluster/5d0f1f73cf09a29120e173cf",
    |c| c.cloud_backups().wait_until_sharded_cluster_backup_snapshot_completed("32b6e34b3d91647abb20e7b8", "c1", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "queued"}),
    success: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "completed"}),
    failure: Some((json!({"id": "5d0f1f73cf09a29120e173cf", "status": "failed"}), "/status = failed")),
);
walks!(
    backup_restore_job_finished,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/backup/restoreJobs/6c0f1f73cf09a29120e173c3",
    |c| c.cloud_backups().wait_until_backup_restore_job_finished("32b6e34b3d91647abb20e7b8", "c1", "6c0f1f73cf09a29120e173c3"),
    pending: json!({"deliveryType": "automated", "failed": false}),
    success: json!({
        "deliveryType": "automated", "failed": false, "finishedAt": "2026-12-06T10:00:00Z"
    }),
    failure: Some((json!({"deliveryType": "automated", "failed": true}), "/failed = true")),
);
walks!(
    backup_export_job_finished,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/backup/exports/6d0f1f73cf09a29120e173c4",
    |c| c.cloud_backups().wait_until_backup_export_job_finished("32b6e34b3d91647abb20e7b8", "c1", "6d0f1f73cf09a29120e173c4"),
    pending: json!({"exportBucketId": "b1", "state": "InProgress"}),
    success: json!({"exportBucketId": "b1", "state": "Successful"}),
    failure: Some((json!({"exportBucketId": "b1", "state": "Cancelled"}), "/state = Cancelled")),
);

walks!(
    flex_backup_snapshot_completed,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/f1/backup/snapshots/5d0f1f73cf09a29120e173cf",
    |c| c.flex_snapshots().wait_until_flex_backup_snapshot_completed("32b6e34b3d91647abb20e7b8", "f1", "5d0f1f73cf09a29120e173cf"),
    pending: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "RUNNING"}),
    success: json!({"id": "5d0f1f73cf09a29120e173cf", "status": "COMPLETED"}),
    failure: Some((json!({"id": "5d0f1f73cf09a29120e173cf", "status": "FAILED"}), "/status = FAILED")),
);
walks!(
    flex_backup_restore_job_completed,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/f1/backup/restoreJobs/6c0f1f73cf09a29120e173c3",
    |c| c.flex_restore_jobs().wait_until_flex_backup_restore_job_completed("32b6e34b3d91647abb20e7b8", "f1", "6c0f1f73cf09a29120e173c3"),
    pending: json!({"id": "6c0f1f73cf09a29120e173c3", "status": "QUEUED"}),
    success: json!({"id": "6c0f1f73cf09a29120e173c3", "status": "COMPLETED"}),
    failure: Some((json!({"id": "6c0f1f73cf09a29120e173c3", "status": "FAILED"}), "/status = FAILED")),
);

const ARCHIVE: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/onlineArchives/6e0f1f73cf09a29120e173c5";

walks!(
    online_archive_active, ARCHIVE,
    |c| c.online_archive().wait_until_online_archive_active("32b6e34b3d91647abb20e7b8", "6e0f1f73cf09a29120e173c5", "c1"),
    pending: json!({"collName": "events", "state": "PENDING"}),
    success: json!({"collName": "events", "state": "ACTIVE"}),
    failure: Some((json!({"collName": "events", "state": "ORPHANED"}), "/state = ORPHANED")),
);
walks!(
    online_archive_paused, ARCHIVE,
    |c| c.online_archive().wait_until_online_archive_paused("32b6e34b3d91647abb20e7b8", "6e0f1f73cf09a29120e173c5", "c1"),
    pending: json!({"collName": "events", "state": "PAUSING"}),
    success: json!({"collName": "events", "state": "PAUSED"}),
    failure: Some((json!({"collName": "events", "state": "DELETED"}), "/state = DELETED")),
);

const PROCESSOR: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/w1/processor/6b0f1f73cf09a29120e173c2";

walks!(
    stream_processor_started, PROCESSOR,
    |c| c.streams().wait_until_stream_processor_started("32b6e34b3d91647abb20e7b8", "w1", "6b0f1f73cf09a29120e173c2"),
    pending: json!({"name": "6b0f1f73cf09a29120e173c2", "state": "CREATED"}),
    success: json!({"name": "6b0f1f73cf09a29120e173c2", "state": "STARTED"}),
    failure: Some((json!({"name": "6b0f1f73cf09a29120e173c2", "state": "FAILED"}), "/state = FAILED")),
);
walks!(
    stream_processor_stopped, PROCESSOR,
    |c| c.streams().wait_until_stream_processor_stopped("32b6e34b3d91647abb20e7b8", "w1", "6b0f1f73cf09a29120e173c2"),
    pending: json!({"name": "6b0f1f73cf09a29120e173c2", "state": "STARTED"}),
    success: json!({"name": "6b0f1f73cf09a29120e173c2", "state": "STOPPED"}),
    failure: Some((json!({"name": "6b0f1f73cf09a29120e173c2", "state": "FAILED"}), "/state = FAILED")),
);

walks!(
    sample_dataset_loaded,
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/sampleDatasetLoad/6f0f1f73cf09a29120e173c6",
    |c| c.clusters().wait_until_sample_dataset_loaded("32b6e34b3d91647abb20e7b8", "6f0f1f73cf09a29120e173c6"),
    pending: json!({"clusterName": "c1", "state": "WORKING"}),
    success: json!({"clusterName": "c1", "state": "COMPLETED"}),
    failure: Some((json!({"clusterName": "c1", "state": "FAILED"}), "/state = FAILED")),
);

/// The table and the crate agree: every entry of `spec/waiters.toml` is a method above, so a
/// waiter added to the table without a walk here fails this test.
#[test]
fn every_waiter_of_the_table_is_walked_here() {
    let table = include_str!("../../spec/waiters.toml");
    let this = include_str!("waiters.rs");
    for line in table.lines() {
        if let Some(name) = line.strip_prefix("name = ") {
            let name = name.trim_matches('"');
            assert!(
                this.contains(&format!("wait_until_{name}(")),
                "no walk of `{name}` in atlas-sdk/tests/waiters.rs"
            );
        }
    }
}
