//! OpenAPI 3.1 and 3.2 constructs of `fixtures/modern.yaml` on the wire, against an
//! in-process HTTP server that records the exact bytes: the `QUERY` method with a body, a
//! method from `additionalOperations` (`COPY`), `in: querystring`, and 3.1 schemas (type
//! lists with `null`, `const`, a nullable reference) decoded from real responses.

use atlas_sdk::{Client, RetryPolicy};
use atlas_sdk_tests::fixtures::modern::{self, items::Items, models};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn items(base_url: &str) -> Items {
    let client: Client = modern::client_builder()
        .base_url(base_url)
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    Items::new(client)
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn query_sends_its_method_and_body_and_decodes_3_1_schemas() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"kind": "item", "id": "a", "name": null, "size": 3, "point": [1.5, 2.0],
             "parent": {"kind": "item", "id": "p", "name": "root"}},
            {"kind": "item", "id": "b", "name": "bee", "size": "XL", "parent": null}
        ])))
        .mount(&server)
        .await;
    let found = items(&server.uri())
        .search_items(models::Search::new("red").with_limit(5))
        .send()
        .await
        .expect("QUERY answered");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "QUERY");
    assert_eq!(request.body, br#"{"limit":5,"text":"red"}"#);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].kind, models::ItemKind::Item);
    assert_eq!(found[0].name, None);
    assert_eq!(found[0].point, Some(vec![1.5, 2.0]));
    assert!(matches!(found[0].size, Some(models::ItemSize::Integer1(ref n)) if **n == 3));
    assert!(matches!(found[1].size, Some(models::ItemSize::String2(ref s)) if s.as_str() == "XL"));
    let parent = found[0].parent.as_deref().expect("a parent");
    assert!(matches!(parent, atlas_sdk::Nullable::Value(p) if p.id == "p"));
    assert_eq!(found[1].parent.as_deref(), Some(&atlas_sdk::Nullable::Null));
}

#[tokio::test]
async fn an_additional_operation_sends_its_own_method() {
    let server = MockServer::start().await;
    Mock::given(method("COPY"))
        .and(path("/items/a%2Fb"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    items(&server.uri())
        .copy_item("a/b", "/items/c")
        .send()
        .await
        .expect("COPY answered 201");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "COPY");
    assert_eq!(
        request.headers.get("Destination").map(|v| v.as_bytes()),
        Some(&b"/items/c"[..])
    );
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/filtered"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    items(&server.uri())
        .list_filtered()
        .filter(
            models::ListFilteredFilter::new()
                .with_color("dark red")
                .with_size(2),
        )
        .send()
        .await
        .expect("answered 204");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("color=dark+red&size=2"));
}

#[test]
fn a_webhook_body_decodes_into_its_payload_type_or_says_where_it_does_not() {
    // An unknown field is skipped, as in responses.
    let item = modern::webhooks::item_created(
        br#"{"kind": "item", "id": "w1", "name": "new", "addedLater": true}"#,
    )
    .expect("a valid payload");
    assert_eq!(item.id, "w1");
    assert_eq!(item.name.as_deref(), Some("new"));
    let error = modern::webhooks::item_created(br#"{"kind": "item", "id": 5, "name": null}"#)
        .expect_err("`id` is a string");
    assert_eq!(error.webhook, "itemCreated");
    assert_eq!(error.path, "id");
    assert_eq!(
        error.to_string(),
        "could not decode the body of the `itemCreated` webhook at `id`: invalid type: integer `5`, expected a string at line 1 column 24"
    );
}

/// Prism 5 serves 3.1 and 3.2 documents: it validates requests against 3.1 schemas and
/// answers with bodies it makes from them, which the generated types must decode. Its bugs,
/// named: it ignores 3.2's `query` and `additionalOperations` (404, "no path matched").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_serves_the_3_2_fixture_and_its_bodies_decode() {
    use atlas_sdk_tests::peers::{self, Peer};
    use atlas_sdk_tests::prism::Prism;
    if !peers::available(
        "prism_serves_the_3_2_fixture_and_its_bodies_decode",
        &[Peer::Prism],
    ) {
        return;
    }
    let prism = Prism::start("tests/fixtures/modern.yaml");
    let items = items(&prism.base_url());
    // A body Prism makes from the 3.1 schema (`const`, a type list with `null`, a union of
    // types, a tuple) decodes, and the request carries no violation.
    let response = items
        .get_item("abc")
        .send_with_response()
        .await
        .expect("Prism answers from the schema");
    assert!(response.headers.get("sl-violations").is_none());
    assert_eq!(response.body.kind, models::ItemKind::Item);
    assert_eq!(response.body.id, "string");
    // Prism's bug: the QUERY operation is not served.
    let error = items
        .search_items(models::Search::new("red"))
        .send()
        .await
        .expect_err("Prism does not serve QUERY");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}
