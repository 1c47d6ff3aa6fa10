//! Waiter tables: each entry becomes `wait_until_<name>` on the tag of the operation it
//! names by method and path; an entry naming no operation, or malformed, is a located note.

use specwire_codegen::ir::NoteKind;
use specwire_codegen::waiters::WaiterTable;
use specwire_codegen::{Options, Spec};

const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /groups/{groupId}/clusters/{clusterName}:
    get:
      tags: [Clusters]
      operationId: getCluster
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: clusterName, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {stateName: {type: string}}}
  /reports/{id}:
    get:
      tags: [Clusters]
      operationId: getReport
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            text/csv:
              schema: {type: string}
"##;

fn table(text: &str) -> WaiterTable {
    serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap()
}

#[test]
fn an_entry_becomes_a_method_and_an_unknown_or_malformed_one_a_note() {
    let spec = Spec::parse("spec.yaml", SPEC).unwrap();
    let options = Options {
        waiters: table(
            r#"{"waiter": [
                {"name": "cluster_ready", "method": "get", "path": "/groups/{groupId}/clusters/{clusterName}",
                 "timeout_seconds": 60,
                 "acceptor": [{"outcome": "success", "field": "/stateName", "values": ["IDLE"]},
                              {"outcome": "failure", "status": 404}]},
                {"name": "index_ready", "method": "GET", "path": "/indexes/{id}",
                 "acceptor": [{"outcome": "success", "status": 200}]},
                {"name": "Bad Name", "method": "GET", "path": "/x",
                 "acceptor": [{"outcome": "success", "status": 200}]},
                {"name": "no_values", "method": "GET", "path": "/groups/{groupId}/clusters/{clusterName}",
                 "acceptor": [{"outcome": "success", "field": "/stateName"}]},
                {"name": "report_ready", "method": "GET", "path": "/reports/{id}",
                 "acceptor": [{"outcome": "success", "status": 200}]},
                {"name": "too_fast", "method": "GET", "path": "/groups/{groupId}/clusters/{clusterName}",
                 "min_delay_seconds": 0.0001,
                 "acceptor": [{"outcome": "success", "status": 200}]},
                {"name": "cluster_done", "method": "GET", "path": "/groups/{groupId}/clusters/{clusterName}",
                 "acceptor": [{"outcome": "success", "field": "/finishedAt", "present": true}]},
                {"name": "both", "method": "GET", "path": "/groups/{groupId}/clusters/{clusterName}",
                 "acceptor": [{"outcome": "success", "field": "/finishedAt", "present": true, "values": ["x"]}]}
            ]}"#,
        ),
        ..Options::default()
    };
    let output = specwire_codegen::generate(&spec, &options).unwrap();
    let clusters = &output.files["clusters.rs"];
    assert!(
        clusters.contains("pub fn wait_until_cluster_ready(")
            && clusters.contains(") -> ::specwire::Waiter<self::get_cluster::GetClusterRequest> {")
            && clusters.contains("timeout: ::std::time::Duration::from_millis(60000),")
            && clusters.contains("pointer: \"/stateName\",")
            && clusters.contains("values: &[\"IDLE\"],")
            && clusters.contains("matcher: ::specwire::runtime::Matcher::Status(404),")
            && clusters.contains("pub fn wait_until_cluster_done(")
            && clusters.contains("::specwire::runtime::Matcher::Present {")
            && clusters.contains("pointer: \"/finishedAt\","),
        "{clusters}"
    );
    let notes: Vec<(NoteKind, &str, &str)> = output
        .diagnostics
        .iter()
        .filter(|d| d.pointer.starts_with("waiters"))
        .map(|d| (d.kind, d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (
                NoteKind::Unused,
                "waiters#/waiter/1",
                "waiter `index_ready` polls `GET /indexes/{id}`, which the document does not have; not generated"
            ),
            (
                NoteKind::Unused,
                "waiters#/waiter/2",
                "waiter `Bad Name`: a name is lower-case letters, digits and `_`; not generated"
            ),
            (
                NoteKind::Unused,
                "waiters#/waiter/3",
                "waiter `no_values`: acceptor 0 needs one of a `status`, an `error_code`, or a `field` (a JSON pointer such as `/stateName`) with `values` or `present = true`; not generated"
            ),
            (
                NoteKind::Unused,
                "waiters#/waiter/4",
                "waiter `report_ready`: `GET /reports/{id}` does not answer with a JSON body to poll; not generated"
            ),
            (
                NoteKind::Unused,
                "waiters#/waiter/5",
                "waiter `too_fast`: delays and the timeout are seconds from 0.001 to a week; not generated"
            ),
            (
                NoteKind::Unused,
                "waiters#/waiter/7",
                "waiter `both`: acceptor 0 needs one of a `status`, an `error_code`, or a `field` (a JSON pointer such as `/stateName`) with `values` or `present = true`; not generated"
            ),
        ]
    );
}
