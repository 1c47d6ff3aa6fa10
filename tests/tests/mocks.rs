//! Typed mocks (`specwire::mock`, feature `mock`) on a crate generated from another
//! document than Atlas's (`fixtures/swagger2.yaml`): rules keyed by request builder, answers
//! of the operation's own types, matching on what was sent, the record of calls, and clear
//! failures. No server runs: the requests never leave the process.

use atlas_sdk_tests::fixtures::swagger2::events::{
    Events, events_subscribe::EventsSubscribeRequest,
};
use atlas_sdk_tests::fixtures::swagger2::forms::{Forms, post_form::PostFormRequest};
use atlas_sdk_tests::fixtures::swagger2::lists::{Lists, echo_lists::EchoListsRequest};
use atlas_sdk_tests::fixtures::swagger2::models;
use futures_util::StreamExt as _;
use specwire::Client;
use specwire::mock::Mocks;

mod support;

fn client(mocks: &Mocks) -> Client {
    support::mocked(atlas_sdk_tests::fixtures::swagger2::client_builder(), mocks)
}

fn echo(url: &str) -> models::Echo {
    serde_json::from_value(serde_json::json!({"url": url})).expect("an Echo")
}

#[tokio::test]
async fn a_rule_answers_with_the_operations_type_and_the_call_is_recorded() {
    let mocks = Mocks::new();
    mocks
        .on::<EchoListsRequest>()
        .when(|call| call.query("tsv").as_deref() == Some("a\tb"))
        .respond(echo("tabs"))
        .unwrap();
    mocks.on::<EchoListsRequest>().respond(echo("any")).unwrap();
    let lists = Lists::new(client(&mocks));
    let tabs = lists
        .echo_lists(["x"])
        .tsv(["a", "b"])
        .send()
        .await
        .unwrap();
    let other = lists.echo_lists(["y"]).send().await.unwrap();
    assert_eq!(tabs.url.as_deref(), Some("tabs"));
    assert_eq!(other.url.as_deref(), Some("any"));

    let calls = mocks.calls_to::<EchoListsRequest>();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].operation_id, "echoLists");
    assert_eq!(calls[0].method, "GET");
    assert_eq!(
        calls[0].url.as_str(),
        "http://localhost/anything/v2/lists/x?tsv=a%09b"
    );
    assert_eq!(calls[1].path(), "/anything/v2/lists/y");
    assert_eq!(calls[0].header("accept"), Some("application/json"));
    assert_eq!(mocks.hits(), [("echoLists", 1), ("echoLists", 1)]);
}

#[tokio::test]
async fn bodies_sent_limits_sequences_and_streams() {
    let mocks = Mocks::new();
    mocks
        .on::<PostFormRequest>()
        .times(1)
        .respond(echo("first"))
        .unwrap();
    mocks
        .on::<PostFormRequest>()
        .respond_in_turn([echo("second"), echo("third")])
        .unwrap();
    let forms = Forms::new(client(&mocks));
    let mut seen = Vec::new();
    for _ in 0..4 {
        let body = models::PostFormBody::new("n");
        seen.push(forms.post_form(body).send().await.unwrap().url.unwrap());
    }
    assert_eq!(seen, ["first", "second", "third", "third"]);
    let sent = &mocks.calls()[0];
    assert_eq!(sent.body, "name=n");
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );

    // A stream operation is answered with its items, framed as the server frames them.
    let item = |id: &str| -> models::EventsSubscribeItem {
        serde_json::from_value(serde_json::json!({"result": {"id": id}})).unwrap()
    };
    mocks
        .on::<EventsSubscribeRequest>()
        .respond(vec![item("a"), item("b")])
        .unwrap();
    let items: Vec<_> = Events::new(client(&mocks))
        .events_subscribe()
        .send()
        .await
        .unwrap()
        .collect()
        .await;
    let ids: Vec<_> = items
        .into_iter()
        .map(|i| i.unwrap().result.unwrap().id.unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

#[tokio::test]
async fn raw_answers_errors_and_calls_no_rule_answers() {
    let mocks = Mocks::new();
    mocks.on::<EchoListsRequest>().times(1).respond_raw(
        404,
        "application/json",
        r#"{"code": 5, "message": "no such list"}"#,
    );
    mocks
        .on::<EchoListsRequest>()
        .times(1)
        .fail(|| specwire::Error::Config("the network is down".to_owned()));
    let lists = Lists::new(client(&mocks));
    let not_found = lists.echo_lists(["x"]).send().await.unwrap_err();
    assert_eq!(not_found.status().map(|s| s.as_u16()), Some(404));
    let down = lists.echo_lists(["x"]).send().await.unwrap_err();
    assert_eq!(
        down.to_string(),
        "invalid client configuration: the network is down"
    );
    let unanswered = lists.echo_lists(["x"]).send().await.unwrap_err();
    assert_eq!(
        unanswered.to_string(),
        "invalid client configuration: no mock rule answers GET http://localhost/anything/v2/lists/x (echoLists); add one with `mocks.on::<…Request>()`"
    );
    // Every call is recorded, answered or not.
    assert_eq!(mocks.calls().len(), 3);
}

/// A predicate may ask the mocks themselves (no deadlock: it runs without their lock); a
/// rule with no answer is refused.
#[tokio::test]
async fn predicates_may_read_the_record_and_a_rule_needs_an_answer() {
    let mocks = Mocks::new();
    let record = mocks.clone();
    mocks
        .on::<EchoListsRequest>()
        .when(move |_| !record.calls().is_empty())
        .respond(echo("later"))
        .unwrap();
    mocks
        .on::<EchoListsRequest>()
        .respond(echo("first"))
        .unwrap();
    let lists = Lists::new(client(&mocks));
    let first = lists.echo_lists(["x"]).send().await.unwrap();
    let later = lists.echo_lists(["x"]).send().await.unwrap();
    assert_eq!(
        (first.url.as_deref(), later.url.as_deref()),
        (Some("first"), Some("later"))
    );
    let none = mocks.on::<EchoListsRequest>().respond_in_turn([]);
    assert!(matches!(none, Err(specwire::Error::Config(_))), "{none:?}");
}

/// A mocked answer carries what only a server sets (`id`, `stateName`, `created`: read-only,
/// so left out of requests), as the server would send it; a request still leaves them out.
mod server_set {
    use super::Mocks;
    use atlas_sdk_tests::fixtures::server_set::clusters::{
        Clusters, create_cluster::CreateClusterRequest, get_cluster::GetClusterRequest,
    };
    use atlas_sdk_tests::fixtures::server_set::models::{Cluster, ClusterStateName};

    fn clusters(mocks: &Mocks) -> Clusters {
        let client = specwire::Client::builder()
            .mock(mocks.clone())
            .retry(specwire::RetryPolicy::none())
            .build()
            .expect("client");
        Clusters::new(client)
    }

    fn cluster(state: ClusterStateName) -> Cluster {
        let mut cluster = Cluster::new("analytics");
        cluster.id = Some("6a1b2c".to_owned());
        cluster.state_name = Some(state);
        cluster.created =
            Some(specwire::time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap());
        cluster
    }

    #[tokio::test]
    async fn a_mocked_response_carries_the_read_only_fields() {
        let mocks = Mocks::new();
        mocks
            .on::<GetClusterRequest>()
            .respond(cluster(ClusterStateName::Idle))
            .unwrap();
        let got = clusters(&mocks)
            .get_cluster("g1", "analytics")
            .send()
            .await
            .unwrap();
        assert_eq!(got, cluster(ClusterStateName::Idle));
        assert_eq!(got.id.as_deref(), Some("6a1b2c"));
        assert_eq!(got.state_name.as_ref().map(|s| s.as_str()), Some("IDLE"));
        assert_eq!(got.created.map(|c| c.unix_timestamp()), Some(1_704_164_645));
    }

    /// Create, then wait: the generated waiter (`server-set.waiters.toml`) reads `stateName`
    /// from the mocked answers and stops at the first `IDLE`.
    #[tokio::test]
    async fn a_generated_waiter_runs_through_mocked_states() {
        let mocks = Mocks::new();
        mocks
            .on::<CreateClusterRequest>()
            .respond(cluster(ClusterStateName::Creating))
            .unwrap();
        mocks
            .on::<GetClusterRequest>()
            .respond_in_turn([
                cluster(ClusterStateName::Creating),
                cluster(ClusterStateName::Creating),
                cluster(ClusterStateName::Idle),
            ])
            .unwrap();
        let clusters = clusters(&mocks);
        // The request is built from a cluster with every read-only field set.
        let created = clusters
            .create_cluster(
                "g1",
                cluster(ClusterStateName::Idle).with_disk_size_gb(10.0),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            created.state_name.as_ref().map(|s| s.as_str()),
            Some("CREATING")
        );
        let ready = clusters
            .wait_until_cluster_ready("g1", "analytics")
            .send()
            .await
            .expect("ready")
            .expect("a body");
        assert_eq!(ready, cluster(ClusterStateName::Idle));
        assert_eq!(mocks.calls_to::<GetClusterRequest>().len(), 3);
        assert_eq!(mocks.hits(), [("createCluster", 1), ("getCluster", 3)]);
        // What the request carried: no read-only field.
        let sent = &mocks.calls_to::<CreateClusterRequest>()[0];
        assert_eq!(sent.body, r#"{"diskSizeGB":10.0,"name":"analytics"}"#);
    }
}
