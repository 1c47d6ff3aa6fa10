//! A success body with a malformed optional value (`fixtures/server-set.yaml`: `createdAt`
//! is a date-time declared with `default: ""`, and servers built from such documents send
//! `""`): that field reads as absent, its raw value kept on the response
//! (`Response::unparsed`) and logged at debug level with its path, and the rest of the body
//! decodes. Required fields stay strict, and so does a model decoded outside a response.
//! The bodies are answered by typed mocks: nothing leaves the process.

use std::io::Write;
use std::sync::{Arc, Mutex};

use atlas_sdk_tests::fixtures::server_set::clusters::{
    Clusters, list_clusters::ListClustersRequest,
};
use atlas_sdk_tests::fixtures::server_set::events::{Events, list_events::ListEventsRequest};
use atlas_sdk_tests::fixtures::server_set::models::ClusterList;
use serde_json::json;
use specwire::mock::Mocks;
use specwire::{Error, Unparsed};
use tracing_subscriber::util::SubscriberInitExt as _;

mod support;

fn client(mocks: &Mocks) -> specwire::Client {
    support::mocked(specwire::Client::builder(), mocks)
}

/// The bytes the debug log wrote.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const DATE: &str = "2024-01-02T03:04:05Z";
const NOT_A_DATE: &str = "the 'year' component could not be parsed";

#[tokio::test(flavor = "current_thread")]
async fn a_malformed_optional_value_reads_as_absent_and_stays_reachable() {
    let log = Log::default();
    let writer = log.clone();
    let _subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish()
        .set_default();
    let body = json!({"member": [
        {"name": "a", "createdAt": ""},
        {"name": "b", "createdAt": DATE},
        {"name": "c", "createdAt": "", "diskSizeGB": "ten"},
    ], "totalCount": 3});
    let mocks = Mocks::new();
    mocks
        .on::<ListClustersRequest>()
        .respond_raw(200, "application/json", body.to_string());
    let response = Clusters::new(client(&mocks))
        .list_clusters("g1")
        .send_with_response()
        .await
        .expect("the list decodes");
    let members = response.body.member.as_deref().expect("members");
    assert_eq!(members.len(), 3);
    assert_eq!(members[0].created_at, None);
    assert_eq!(
        members[1].created_at.map(|at| at.unix_timestamp()),
        Some(1_704_164_645)
    );
    assert_eq!(
        (members[2].created_at, members[2].disk_size_gb),
        (None, None)
    );
    assert_eq!(response.body.total_count, Some(3));
    let found: Vec<(&str, &serde_json::Value)> = response
        .unparsed
        .iter()
        .map(|u: &Unparsed| (u.path.as_str(), &u.value))
        .collect();
    assert_eq!(
        found,
        [
            ("member[0].createdAt", &json!("")),
            ("member[2].createdAt", &json!("")),
            ("member[2].diskSizeGB", &json!("ten")),
        ]
    );
    assert_eq!(response.unparsed[0].message, NOT_A_DATE);
    assert_eq!(
        response.unparsed[2].message,
        "invalid type: string \"ten\", expected f64"
    );
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("DEBUG")
            && logged.contains("path=member[0].createdAt")
            && logged.contains("read as absent"),
        "{logged}"
    );
}

#[tokio::test]
async fn a_malformed_required_value_still_fails_at_its_path() {
    let mocks = Mocks::new();
    let body = json!({"member": [{"created": DATE}, {"created": "", "note": "n"}]});
    mocks
        .on::<ListEventsRequest>()
        .respond_raw(200, "application/json", body.to_string());
    let error = Events::new(client(&mocks))
        .list_events("g1")
        .send()
        .await
        .expect_err("a required date-time sent as \"\"");
    let Error::Decode(decode) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(decode.path, "member[1].created");
    assert_eq!(decode.message, format!("{NOT_A_DATE} at line 1 column 59"));
}

/// Outside a response (a test building a model from JSON, the codec twins) a model is
/// read strictly, as serde's derive reads it.
#[test]
fn a_model_decoded_directly_stays_strict() {
    let error = serde_json::from_value::<ClusterList>(json!({"member": [{"createdAt": ""}]}))
        .expect_err("strict");
    assert_eq!(error.to_string(), NOT_A_DATE);
}
