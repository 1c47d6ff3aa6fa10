//! OpenAPI 3.1 and 3.2 constructs of `fixtures/modern.yaml` on the wire, against an
//! in-process HTTP server that records the exact bytes: the `QUERY` method with a body, a
//! method from `additionalOperations` (`COPY`), `in: querystring`, and 3.1 schemas (type
//! lists with `null`, `const`, a nullable reference) decoded from real responses.

use atlas_sdk_tests::fixtures::modern::{self, items::Items, models, streams::Streams};
use serde_json::json;
use specwire::{Client, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn client(base_url: &str) -> Client {
    support::local(modern::client_builder(), base_url)
}

fn items(base_url: &str) -> Items {
    Items::new(client(base_url))
}

fn streams(base_url: &str) -> Streams {
    Streams::new(client(base_url))
}

/// A server answering `path` with `body` as `content_type`.
async fn serving(path_: &str, content_type: &str, body: &'static [u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(path_))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    server
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
    assert_eq!(found[0].point, Some((1.5, 2.0)));
    assert!(matches!(found[0].size, Some(models::ItemSize::Integer1(ref n)) if **n == 3));
    assert!(matches!(found[1].size, Some(models::ItemSize::String2(ref s)) if s.as_str() == "XL"));
    let parent = found[0].parent.as_deref().expect("a parent");
    assert!(matches!(parent, specwire::Nullable::Value(p) if p.id == "p"));
    assert_eq!(found[1].parent.as_deref(), Some(&specwire::Nullable::Null));
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
/// named: it ignores 3.2's `query` and `additionalOperations` (404, "no path matched"), warns
/// on every request that it does not check `mutualTLS`, and makes `[]` for a tuple.
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
    let response = items
        .get_item("abc")
        .send_raw()
        .await
        .expect("Prism answers from the schema");
    // Prism's other limit, named: it warns that it does not check `mutualTLS`; nothing else
    // about the request is wrong.
    let violations: Vec<serde_json::Value> = response
        .headers()
        .get("sl-violations")
        .map(|v| serde_json::from_slice(v.as_bytes()).expect("JSON"))
        .unwrap_or_default();
    let messages: Vec<&str> = violations
        .iter()
        .filter_map(|v| v["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        ["We currently do not support this type of security scheme: mutualTLS"]
    );
    // Prism's bug, named: for a `prefixItems` tuple it makes `[]`, which breaks the tuple's
    // own `minItems: 2`; the SDK refuses such a body, as it should.
    let bytes = response.bytes().await.expect("a body");
    let mut body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(body["point"], json!([]));
    let refused =
        serde_json::from_value::<models::Item>(body.clone()).expect_err("`[]` is no pair");
    assert!(
        refused
            .to_string()
            .starts_with("invalid length 0, expected a tuple of size 2")
    );
    // With that one value mended, everything else Prism made from the 3.1 schemas (`const`,
    // a type list with `null`, a union of types, a tuple without `minItems`) decodes.
    body["point"] = json!([0.5, 1.5]);
    body["parent"]["point"] = json!([0.5, 1.5]);
    let item: models::Item = serde_json::from_value(body).expect("Prism's body decodes");
    assert_eq!(item.kind, models::ItemKind::Item);
    assert_eq!(item.id, "string");
    assert_eq!(item.point, Some((0.5, 1.5)));
    assert_eq!(item.range, Some(Vec::new()));
    // Prism's bug: the QUERY operation is not served.
    let error = items
        .search_items(models::Search::new("red"))
        .send()
        .await
        .expect_err("Prism does not serve QUERY");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn server_sent_events_are_parsed_and_their_json_data_decoded() {
    let body: &[u8] = b": keep-alive\n\nevent: created\nid: 1\nretry: 3000\ndata: {\"kind\": \"item\",\ndata: \"id\": \"a\", \"name\": null}\n\ndata: {\"kind\": \"item\", \"id\": \"b\", \"name\": \"bee\"}\r\n\r\ndata: not JSON\n\n";
    let server = serving("/events", "text/event-stream", body).await;
    let mut events = streams(&server.uri())
        .watch_events()
        .send()
        .await
        .expect("the stream opens");
    let first = events.next().await.expect("an event").expect("decodes");
    assert_eq!(first.event.as_deref(), Some("created"));
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(3000));
    assert_eq!(first.data.id, "a");
    assert_eq!(first.data.name, None);
    let second = events.next().await.expect("an event").expect("decodes");
    // The last event id persists; the event type and retry do not.
    assert_eq!(
        (second.event, second.id.as_deref(), second.retry),
        (None, Some("1"), None)
    );
    assert_eq!(second.data.name.as_deref(), Some("bee"));
    let broken = events.next().await.expect("an item").expect_err("not JSON");
    let specwire::Error::Decode(decode) = &broken else {
        panic!("{broken:?}")
    };
    assert_eq!(decode.operation_id, "watchEvents");
    assert_eq!(decode.body.as_ref(), b"not JSON");
    assert!(
        events.next().await.is_none(),
        "the stream ends after an error"
    );
    let request = only_request(&server).await;
    assert_eq!(
        request.headers.get("accept").map(|v| v.as_bytes()),
        Some(&b"text/event-stream"[..])
    );
}

#[tokio::test]
async fn text_events_and_events_documented_without_item_schema() {
    let server = serving(
        "/log",
        "text/event-stream",
        b"data: line one\ndata: line two\n\n",
    )
    .await;
    let events = streams(&server.uri()).tail_log().send().await.unwrap();
    let events = events.try_collect().await.unwrap();
    assert_eq!(
        events,
        [specwire::ServerEvent::new("line one\nline two".to_owned())]
    );
    // A 3.1-style stream: the documented schema types each event's data.
    let server = serving(
        "/chat",
        "text/event-stream",
        b"data: {\"text\": \"hi\"}\n\n",
    )
    .await;
    let chunks = streams(&server.uri()).chat().send().await.unwrap();
    let chunks = chunks.try_collect().await.unwrap();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].data.text, "hi");
}

#[tokio::test]
async fn json_lines_from_httpbin_stream() {
    use atlas_sdk_tests::httpbin::Httpbin;
    use atlas_sdk_tests::peers::{self, Peer};
    if !peers::available("json_lines_from_httpbin_stream", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let lines = streams(&httpbin.base_url())
        .stream_lines(4)
        .send()
        .await
        .expect("httpbin streams")
        .try_collect()
        .await
        .expect("every line decodes");
    let ids: Vec<i64> = lines.iter().map(|line| line.id).collect();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert!(
        lines
            .iter()
            .all(|l| l.url.as_deref().is_some_and(|u| u.ends_with("/stream/4")))
    );
}

/// The `mutualTLS` scheme against a real TLS server that requires a client certificate
/// (Apache httpd's `mod_ssl`): with `client_identity` the call goes through and the server
/// saw the certificate; without it the handshake fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_presents_the_client_certificate() {
    use atlas_sdk_tests::mutual_tls::{CLIENT_NAME, MutualTls};
    use atlas_sdk_tests::peers::{self, Peer};
    if !peers::available(
        "mutual_tls_presents_the_client_certificate",
        &[Peer::Apache, Peer::MutualTls],
    ) {
        return;
    }
    let server = MutualTls::start(&[(
        "items/abc",
        r#"{"kind": "item", "id": "abc", "name": "over TLS"}"#,
    )]);
    let read = |name: &str| std::fs::read(server.file(name)).expect("a file the peer made");
    let ca = reqwest::Certificate::from_pem(&read("ca.pem")).expect("the CA");
    let mut pem = read("client.pem");
    pem.extend(read("client.pk8"));
    let identity = reqwest::Identity::from_pem(&pem).expect("the client identity");
    let with_certificate = modern::client_builder()
        .base_url(server.base_url())
        .root_certificate(ca.clone())
        .client_identity(identity)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let response = Items::new(with_certificate)
        .get_item("abc")
        .send_with_response()
        .await
        .expect("the server admits the certificate");
    assert_eq!(response.body.name.as_deref(), Some("over TLS"));
    assert_eq!(
        response.headers.get("x-client-cn").map(|v| v.as_bytes()),
        Some(CLIENT_NAME.as_bytes())
    );
    let without = modern::client_builder()
        .base_url(server.base_url())
        .root_certificate(ca)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let error = Items::new(without)
        .get_item("abc")
        .send()
        .await
        .expect_err("no certificate, no handshake");
    assert!(matches!(error, specwire::Error::Transport(_)), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_querystring_parameter_as_httpbin_reads_it() {
    use atlas_sdk_tests::httpbin::Httpbin;
    use atlas_sdk_tests::peers::{self, Peer};
    if !peers::available(
        "a_querystring_parameter_as_httpbin_reads_it",
        &[Peer::Httpbin],
    ) {
        return;
    }
    let httpbin = Httpbin::start();
    let echoed = items(&httpbin.base_url())
        .echo_querystring()
        .filter(
            models::EchoQuerystringFilter::new()
                .with_color("dark red & blue")
                .with_size(2)
                .with_tags(vec!["a".to_owned(), "b c".to_owned()]),
        )
        .send()
        .await
        .expect("httpbin echoes");
    assert_eq!(
        serde_json::Value::Object(echoed.args.expect("args").into_iter().collect()),
        json!({"color": "dark red & blue", "size": "2", "tags": ["a", "b c"]})
    );
}

/// httpbin's `/anything` echoes the methods Flask routes for it; a `COPY` or `QUERY` reaches
/// its HTTP stack, which answers 405 naming the methods it does route: proof the request line
/// carried the method as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_methods_reach_a_real_http_stack() {
    use atlas_sdk_tests::httpbin::Httpbin;
    use atlas_sdk_tests::peers::{self, Peer};
    if !peers::available(
        "extension_methods_reach_a_real_http_stack",
        &[Peer::Httpbin],
    ) {
        return;
    }
    let httpbin = Httpbin::start();
    let items = items(&format!("{}/anything", httpbin.base_url()));
    let copy = items
        .copy_item("x", "/items/y")
        .send()
        .await
        .expect_err("405");
    let query = items
        .search_items(models::Search::new("red"))
        .send()
        .await
        .expect_err("405");
    for error in [copy, query] {
        assert_eq!(error.status().map(|s| s.as_u16()), Some(405), "{error}");
        let allow = error
            .headers()
            .and_then(|h| h.get("allow"))
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        assert!(allow.contains("GET") && !allow.contains("COPY"), "{allow}");
    }
}

#[test]
fn a_tuple_member_with_an_integer_format_gets_its_type() {
    let text = r#"{"span":[18446744073709551615,-128]}"#;
    let extent: models::Extent = serde_json::from_str(text).expect("both members fit");
    let span: Option<(u64, i8)> = extent.span;
    assert_eq!(span, Some((u64::MAX, i8::MIN)));
    assert_eq!(serde_json::to_string(&extent).expect("encodes"), text);
    assert!(serde_json::from_str::<models::Extent>(r#"{"span":[1,128]}"#).is_err());
}
