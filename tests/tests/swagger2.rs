//! A Swagger 2.0 document (`fixtures/swagger2.yaml`) on the wire: each `collectionFormat`
//! (`tsv` has no 3.x style), `formData` as a url-encoded form and as multipart with a file,
//! and `basePath` joined to each path. Exact bytes against an in-process server; then httpbin
//! reads the same requests as a real server does, and Prism validates them against the 2.0
//! document.

use atlas_sdk_tests::fixtures::swagger2::{self, forms::Forms, lists::Lists, models};
use serde_json::json;
use specwire::{Client, Multipart};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn client(base_url: &str) -> Client {
    support::local(swagger2::client_builder(), base_url)
}

/// Every list parameter of `echoLists`, with items that need encoding.
fn echo_lists(lists: &Lists) -> swagger2::lists::echo_lists::EchoListsRequest {
    lists
        .echo_lists(["x", "y z"])
        .csv(["a", "b c"])
        .ssv(["a", "b"])
        .tsv(["a", "b/c"])
        .pipes(["a", "b"])
        .multi([1, 2])
        .x_tags(["red", "blue"])
        .x_words(["big", "small"])
}

fn form() -> models::PostFormBody {
    models::PostFormBody::new("n & m")
        .with_csv(vec!["a".to_owned(), "b".to_owned()])
        .with_tsv(vec!["c".to_owned(), "d".to_owned()])
        .with_multi(vec!["e".to_owned(), "f".to_owned()])
}

async fn recording() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[test]
fn host_base_path_and_scheme_are_the_server_url() {
    assert_eq!(swagger2::SERVER_URL, "http://localhost/anything/v2");
}

#[tokio::test]
async fn each_collection_format_sends_its_bytes() {
    let server = recording().await;
    let base = format!("{}/anything/v2", server.uri());
    echo_lists(&Lists::new(client(&base)))
        .send()
        .await
        .expect("answered");
    let request = only_request(&server).await;
    // basePath, then the path: `pipes` in a path is a pipe, encoded as path text.
    assert_eq!(request.url.path(), "/anything/v2/lists/x%7Cy%20z");
    assert_eq!(
        request.url.query(),
        Some("csv=a,b+c&ssv=a%20b&tsv=a%09b%2Fc&pipes=a|b&multi=1&multi=2")
    );
    let header = |name: &str| request.headers.get(name).map(|v| v.as_bytes().to_vec());
    assert_eq!(header("x-tags"), Some(b"red\tblue".to_vec()));
    assert_eq!(header("x-words"), Some(b"big small".to_vec()));
}

#[tokio::test]
async fn form_data_is_a_url_encoded_form_with_each_list_format() {
    let server = recording().await;
    Forms::new(client(&server.uri()))
        .post_form(form())
        .send()
        .await
        .expect("answered");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/forms");
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/x-www-form-urlencoded"[..])
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "csv=a,b&multi=e&multi=f&name=n+%26+m&tsv=c%09d"
    );
}

#[tokio::test]
async fn a_file_field_is_a_multipart_part() {
    let server = recording().await;
    let body = Multipart::new()
        .with_boundary("b0undary")
        .file("file", "notes.txt", "text/plain", &b"hello"[..])
        .text("note", "first");
    Forms::new(client(&server.uri()))
        .upload(body)
        .send()
        .await
        .expect("answered");
    let request = only_request(&server).await;
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"multipart/form-data; boundary=b0undary"[..])
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b0undary\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfirst\r\n--b0undary--\r\n"
    );
}

/// httpbin (Flask and Werkzeug) parses what the client sends as any server would: the
/// delimiters arrive as the 2.0 document says, the form fields and the file as parts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn httpbin_reads_the_formats_the_form_and_the_file() {
    use atlas_sdk_tests::httpbin::Httpbin;
    use atlas_sdk_tests::peers::{self, Peer};
    if !peers::available(
        "httpbin_reads_the_formats_the_form_and_the_file",
        &[Peer::Httpbin],
    ) {
        return;
    }
    let httpbin = Httpbin::start();
    let base = format!("{}/anything/v2", httpbin.base_url());
    let seen = echo_lists(&Lists::new(client(&base)))
        .send()
        .await
        .expect("httpbin echoes");
    assert!(
        seen.url
            .as_deref()
            .is_some_and(|url| url.contains("/anything/v2/lists/x|y%20z?")),
        "{:?}",
        seen.url
    );
    assert_eq!(
        serde_json::Value::Object(seen.args.expect("args").into_iter().collect()),
        json!({"csv": "a,b c", "ssv": "a b", "tsv": "a\tb/c", "pipes": "a|b", "multi": ["1", "2"]})
    );
    let headers = seen.headers.expect("headers");
    assert_eq!(headers.get("X-Tags").map(String::as_str), Some("red\tblue"));
    assert_eq!(
        headers.get("X-Words").map(String::as_str),
        Some("big small")
    );

    let forms = Forms::new(client(&format!("{}/anything", httpbin.base_url())));
    let posted = forms
        .post_form(form())
        .send()
        .await
        .expect("httpbin echoes");
    assert_eq!(
        serde_json::Value::Object(posted.form.expect("form").into_iter().collect()),
        json!({"csv": "a,b", "multi": ["e", "f"], "name": "n & m", "tsv": "c\td"})
    );
    let uploaded = forms
        .upload(
            Multipart::new()
                .file("file", "notes.txt", "text/plain", &b"hello"[..])
                .text("note", "first"),
        )
        .send()
        .await
        .expect("httpbin echoes");
    assert_eq!(
        uploaded
            .files
            .expect("files")
            .get("file")
            .map(String::as_str),
        Some("hello")
    );
    assert_eq!(
        serde_json::Value::Object(uploaded.form.expect("form").into_iter().collect()),
        json!({"note": "first"})
    );
}

/// Prism 5 validates requests against the 2.0 document itself: a request it finds invalid
/// is answered 422, so success means every parameter was read as the document says.
/// Prism's 2.0 support has bugs, named in ARCHITECTURE.md ("Test peers"): it ignores
/// `basePath` (paths are served from its root), it crashes when an optional list header is
/// absent (both are sent here), and it rejects every list field of a `formData` form,
/// whatever its `collectionFormat` (the form sent here has scalars only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_validates_the_requests_against_the_2_0_document() {
    use atlas_sdk_tests::peers::{self, Peer};
    use atlas_sdk_tests::prism::Prism;
    if !peers::available(
        "prism_validates_the_requests_against_the_2_0_document",
        &[Peer::Prism],
    ) {
        return;
    }
    let prism = Prism::start("tests/fixtures/swagger2.yaml");
    let client = client(&prism.base_url());
    let seen = echo_lists(&Lists::new(client.clone()))
        .send()
        .await
        .expect("Prism accepts every collectionFormat");
    assert!(seen.url.is_some(), "{seen:?}");
    let forms = Forms::new(client);
    forms
        .post_form(models::PostFormBody::new("n & m"))
        .send()
        .await
        .expect("Prism accepts the form");
    forms
        .upload(Multipart::new().file("file", "notes.txt", "text/plain", &b"hello"[..]))
        .send()
        .await
        .expect("Prism accepts the file");
    // And it does validate: a list of integers with a word in it is refused.
    let refused = reqwest::Client::new()
        .get(format!("{}/lists/x?multi=one", prism.base_url()))
        .header("X-Tags", "a")
        .header("X-Words", "b")
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(refused.status().as_u16(), 422);
}

/// grpc-gateway writes a server-streaming method's messages one JSON object a line, as
/// `application/json`; each is `{"result": …}` or `{"error": …}`. Both ways grpc-gateway
/// documents them (v2's `Stream result of` title, v1's `x-stream-definitions`) read as a
/// typed stream; a `google.rpc.Status` error body is an API error.
#[tokio::test]
async fn grpc_gateway_streams_and_status_errors() {
    use futures_util::StreamExt as _;
    use wiremock::matchers::path;
    let server = MockServer::start().await;
    let lines = "{\"result\":{\"id\":\"a\",\"amount\":\"5\"}}\n{\"result\":{\"id\":\"b\"}}\n{\"error\":{\"code\":14,\"message\":\"unavailable\"}}\n";
    for events in ["/v1/events", "/v1/legacy-events"] {
        Mock::given(path(events))
            .respond_with(ResponseTemplate::new(200).set_body_raw(lines, "application/json"))
            .mount(&server)
            .await;
    }
    let events = swagger2::events::Events::new(client(&server.uri()));
    let subscribed: Vec<_> = events
        .events_subscribe()
        .send()
        .await
        .expect("a stream")
        .collect()
        .await;
    let legacy: Vec<_> = events
        .events_legacy()
        .send()
        .await
        .expect("a stream")
        .collect()
        .await;
    for items in [subscribed.len(), legacy.len()] {
        assert_eq!(items, 3);
    }
    let first = subscribed[0].as_ref().expect("decoded");
    let event = first.result.as_ref().expect("a result");
    assert_eq!(event.id.as_deref(), Some("a"));
    // proto3's JSON writes an int64 as a string; the document says so.
    assert_eq!(event.amount.as_deref(), Some("5"));
    let last = legacy[2].as_ref().expect("decoded");
    assert!(last.result.is_none());
    let status = last.error.as_ref().expect("an error line");
    assert_eq!(
        (status.code, status.message.as_deref()),
        (Some(14), Some("unavailable"))
    );

    let failing = MockServer::start().await;
    Mock::given(path("/v1/events"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"code": 5, "message": "no such subscription", "details": []}),
            ),
        )
        .mount(&failing)
        .await;
    let error = swagger2::events::Events::new(client(&failing.uri()))
        .events_subscribe()
        .send()
        .await
        .expect_err("404");
    assert!(matches!(error, specwire::Error::Api(_)), "{error:?}");
    // The documented `default` error schema, typed.
    let status = error
        .body::<swagger2::models::RpcStatus>()
        .expect("the body decoded as the documented rpcStatus");
    assert_eq!(
        (status.code, status.message.as_deref()),
        (Some(5), Some("no such subscription"))
    );
    assert_eq!(error.error_code().as_deref(), Some("5"));
    assert_eq!(
        error.to_string(),
        "Events_Subscribe failed with 404 Not Found 5: no such subscription"
    );
}
