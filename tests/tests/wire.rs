//! Every parameter style, body encoding and response shape of `fixtures/wire.yaml`, sent by
//! the generated code to real servers: httpbin (a real HTTP stack that parses what it gets
//! and echoes it back) for what a server understands, and an in-process mock for the exact
//! bytes on the wire.

use atlas_sdk_tests::fixtures::wire::{
    self, echo::EchoApi, models, redirects::Redirects, statuses::Statuses,
};
use atlas_sdk_tests::httpbin::Httpbin;
use atlas_sdk_tests::peers::{self, Peer};
use serde_json::{Value, json};
use specwire::{ApiKeyLocation, Client, Error, Multipart, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn client(base_url: &str) -> Client {
    support::local(wire::client_builder(), base_url)
}

fn echo(base_url: &str) -> EchoApi {
    EchoApi::new(client(base_url))
}

/// A mock answering every request with `{}`, to read back what was sent byte for byte.
async fn mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

async fn last_request(server: &MockServer) -> wiremock::Request {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .into_iter()
        .last()
        .expect("a request reached the mock")
}

fn header(request: &wiremock::Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

fn query_request(echo: EchoApi) -> wire::echo::query_styles::QueryStylesRequest {
    echo.query_styles()
        .form_list(["a", "b c"])
        .csv(["x", "y,z"])
        .spaced(["s1", "s2"])
        .piped([1, 2, 3])
        .deep(models::QueryStylesDeep::new().with_a("A&B").with_b(7))
        .flat(models::QueryStylesFlat::new().with_x("1"))
        .reserved("a/b?c:d")
        .filter(models::QueryStylesFilter::new().with_k("v"))
        .client2("named-client")
}

#[tokio::test]
async fn query_styles_exact_bytes() {
    let server = mock().await;
    query_request(echo(&server.uri())).send().await.unwrap();
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/anything/query");
    assert_eq!(
        request.url.query().unwrap_or_default(),
        "formList=a&formList=b+c&csv=x,y%2Cz&spaced=s1%20s2&piped=1|2|3\
         &deep[a]=A%26B&deep[b]=7&x=1&reserved=a/b?c:d\
         &filter=%7B%22k%22%3A%22v%22%7D&client=named-client"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_styles_as_httpbin_reads_them() {
    if !peers::available("query_styles_as_httpbin_reads_them", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let body = query_request(echo(&httpbin.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        body["args"],
        json!({
            "formList": ["a", "b c"],
            "csv": "x,y,z",
            "spaced": "s1 s2",
            "piped": "1|2|3",
            "deep[a]": "A&B",
            "deep[b]": "7",
            "x": "1",
            "reserved": "a/b?c:d",
            "filter": "{\"k\":\"v\"}",
            "client": "named-client",
        })
    );
}

#[tokio::test]
async fn path_styles_exact_bytes() {
    let server = mock().await;
    echo(&server.uri())
        .path_styles(["a", "b/c"], ["l1", "l2"], "m 1")
        .send()
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/anything/path/a,b%2Fc/.l1.l2/;matrix=m%201"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_and_cookies_reach_httpbin() {
    if !peers::available("headers_and_cookies_reach_httpbin", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let body = echo(&httpbin.base_url())
        .headers_and_cookies("trace-1")
        .x_list(["a", "b"])
        .x_count(3)
        .session("s e;s")
        .prefs(["dark", "wide"])
        .send()
        .await
        .unwrap();
    let headers = &body["headers"];
    assert_eq!(headers["X-Trace"], "trace-1");
    assert_eq!(headers["X-List"], "a,b");
    assert_eq!(headers["X-Count"], "3");
    assert_eq!(headers["Cookie"], "session=s%20e%3Bs; prefs=dark,wide");
    // The spec's `Accept` header parameter is ignored: the operation's media type is sent.
    assert_eq!(headers["Accept"], "application/json");
}

#[tokio::test]
async fn a_header_value_with_a_line_break_is_refused_before_sending() {
    let server = mock().await;
    let error = echo(&server.uri())
        .headers_and_cookies("evil\r\nX-Injected: 1")
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest(invalid) => {
            assert_eq!(invalid.parameter, "X-Trace");
            assert_eq!(invalid.rule, specwire::Rule::HeaderValue);
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
    // The shared parameter's own rule (maxLength 64) is checked too.
    let error = echo(&server.uri())
        .headers_and_cookies("x".repeat(65))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

fn form_body() -> models::PostFormBody {
    models::PostFormBody::new("+1 555")
        .with_tags(["a".to_owned(), "b&c".to_owned()])
        .with_meta(models::PostFormBodyMeta::new().with_k("v"))
        .with_count(3)
        .with_keyword(models::Type::new("r"))
}

#[tokio::test]
async fn form_body_exact_bytes() {
    let server = mock().await;
    echo(&server.uri())
        .post_form(form_body())
        .send()
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "Count=3&Keyword=%7B%22ref%22%3A%22r%22%7D&Meta[k]=v&Tags=a,b%26c&To=%2B1+555"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_as_httpbin_reads_them() {
    if !peers::available("bodies_as_httpbin_reads_them", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let echo = echo(&httpbin.base_url());

    let form = echo.post_form(form_body()).send().await.unwrap();
    assert_eq!(
        form["form"],
        json!({"Count": "3", "Keyword": "{\"ref\":\"r\"}", "Meta[k]": "v", "Tags": "a,b&c", "To": "+1 555"})
    );

    let text = echo.post_text("héllo\nwörld").send().await.unwrap();
    assert_eq!(text["data"], "héllo\nwörld");
    assert_eq!(text["headers"]["Content-Type"], "text/plain");

    let binary = echo
        .put_binary()
        .body(vec![0x41u8, 0x42, 0x43])
        .send()
        .await
        .unwrap();
    assert_eq!(binary["data"], "ABC");
    assert_eq!(
        binary["headers"]["Content-Type"],
        "application/octet-stream"
    );
    // The other media type the spec offers, sent as given.
    let png = echo
        .put_binary()
        .raw_body("image/png", &b"\x89PNG"[..])
        .send()
        .await
        .unwrap();
    assert_eq!(png["headers"]["Content-Type"], "image/png");
    assert_eq!(png["headers"]["Content-Length"], "4");

    let multipart = echo
        .post_multipart(Multipart::new().text("description", "monthly").file(
            "file",
            "report.csv",
            "text/csv",
            "a,b\n1,2\n",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(multipart["form"], json!({"description": "monthly"}));
    assert_eq!(multipart["files"], json!({"file": "a,b\n1,2\n"}));

    let keywords = echo
        .post_keywords(models::Type::new("r").with_option(1))
        .send()
        .await
        .unwrap();
    assert_eq!(keywords["json"], json!({"ref": "r", "Option": 1}));

    // No operationId: named after method and path; `2XX` is its success.
    let anonymous = echo.get_anything_anonymous().send().await.unwrap();
    assert_eq!(anonymous["method"], "GET");
}

#[tokio::test]
async fn multipart_exact_bytes() {
    let server = mock().await;
    echo(&server.uri())
        .post_multipart(
            Multipart::new()
                .with_boundary("b0undary")
                .text("description", "d")
                .file(
                    "file",
                    "f.bin",
                    "application/octet-stream",
                    &b"\x00\x01"[..],
                ),
        )
        .send()
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        "multipart/form-data; boundary=b0undary"
    );
    assert_eq!(
        request.body,
        b"--b0undary\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nd\r\n\
          --b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n\
          --b0undary--\r\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_defaults_ranges_and_typed_headers() {
    if !peers::available(
        "redirects_defaults_ranges_and_typed_headers",
        &[Peer::Httpbin],
    ) {
        return;
    }
    let httpbin = Httpbin::start();
    let client = client(&httpbin.base_url());

    // A redirect-only operation returns the redirect, typed `Location` included, unfollowed.
    let redirect = Redirects::new(client.clone())
        .redirect_to("https://example.com/next")
        .status_code(302)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(redirect.status.as_u16(), 302);
    assert_eq!(
        redirect.typed_headers.location.as_deref(),
        Some("https://example.com/next")
    );

    let statuses = Statuses::new(client.clone());
    let ok = statuses.status(204).send_with_response().await.unwrap();
    assert_eq!(ok.status.as_u16(), 204);
    // `5XX` and `default` are documented errors without a schema: whatever their body, they
    // are the documented error, with their status and the body kept (httpbin's is not JSON).
    for code in [503u16, 418] {
        let error = statuses.status(i64::from(code)).send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code), "{error:?}");
        let Error::Api(api) = &error else {
            panic!("a documented status is Error::Api: {error:?}");
        };
        assert!(
            api.error.json().is_none() && !api.error.is_typed(),
            "{error:?}"
        );
        assert_eq!(error.raw_body(), Some(&api.body));
    }

    let response = statuses
        .response_headers()
        .rate_limit_limit(100)
        .rate_limit_remaining("not a number")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.typed_headers.rate_limit_limit, Some(100));
    // Present but not in the documented form, and absent: both `None`, raw value kept.
    assert_eq!(response.typed_headers.rate_limit_remaining, None);
    assert_eq!(response.typed_headers.x_absent, None);
    assert_eq!(response.headers["ratelimit-remaining"], "not a number");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_schemes_reach_httpbin() {
    if !peers::available("security_schemes_reach_httpbin", &[Peer::Httpbin]) {
        return;
    }
    let httpbin = Httpbin::start();
    let base = httpbin.base_url();
    let with = |builder: specwire::ClientBuilder| {
        EchoApi::new(
            builder
                .base_url(&base)
                .allow_insecure_http(true)
                .build()
                .expect("client"),
        )
    };
    let header_key =
        with(wire::client_builder().api_key(ApiKeyLocation::Header, "X-Api-Key", "k1"))
            .headers_and_cookies("t")
            .send()
            .await
            .unwrap();
    assert_eq!(header_key["headers"]["X-Api-Key"], "k1");

    let query_key = with(wire::client_builder().api_key(ApiKeyLocation::Query, "api_key", "k 2"))
        .query_styles()
        .csv(["x"])
        .send()
        .await
        .unwrap();
    assert_eq!(query_key["args"], json!({"csv": "x", "api_key": "k 2"}));

    let cookie_key = with(wire::client_builder().api_key(ApiKeyLocation::Cookie, "key", "k3"))
        .headers_and_cookies("t")
        .session("s")
        .send()
        .await
        .unwrap();
    // One `Cookie` header for the parameter and the key.
    assert_eq!(cookie_key["headers"]["Cookie"], "session=s; key=k3");

    let basic = with(wire::client_builder().basic_auth("user", "pass"))
        .headers_and_cookies("t")
        .send()
        .await
        .unwrap();
    assert_eq!(basic["headers"]["Authorization"], "Basic dXNlcjpwYXNz");
}

#[test]
fn the_generated_crate_knows_its_server() {
    // `{host}` and `{port}` at their defaults.
    assert_eq!(wire::SERVER_URL, "http://127.0.0.1:8080");
    // Only received, so no constructor: a response-only model with every field optional is
    // built from `Default`.
    let mut option = models::Option::default();
    option.some = Some("x".to_owned());
    let value: Value = serde_json::to_value(option).unwrap();
    assert_eq!(value, json!({"Some": "x"}));
}

#[tokio::test]
async fn error_responses_expose_retry_after_and_documented_headers() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3")
                .insert_header("RateLimit-Remaining", "0"),
        )
        .mount(&server)
        .await;
    let error = Statuses::new(client(&server.uri()))
        .status(429)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3)));
    assert_eq!(error.header::<i64>("RateLimit-Remaining"), Some(0));
    assert_eq!(error.header::<i64>("RateLimit-Limit"), None);
}

fn chunks() -> specwire::BodyStream {
    use specwire::runtime::Bytes;
    let parts: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"stre")),
        Ok(Bytes::from_static(b"amed")),
    ];
    specwire::BodyStream::new(futures_util::stream::iter(parts))
}

#[tokio::test]
async fn a_streamed_body_is_sent_whole_and_never_retried() {
    let server = mock().await;
    echo(&server.uri())
        .put_binary()
        .body_stream(chunks())
        .send()
        .await
        .unwrap();
    let request = last_request(&server).await;
    assert_eq!(request.body, b"streamed");
    assert_eq!(header(&request, "content-type"), "application/octet-stream");

    // PUT is retried on 503 by default, but not with a stream it cannot send again.
    let failing = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&failing)
        .await;
    let client = wire::client_builder()
        .base_url(failing.uri())
        .allow_insecure_http(true)
        .retry(RetryPolicy::default().max_attempts(3))
        .build()
        .unwrap();
    let error = EchoApi::new(client)
        .put_binary()
        .body_stream(chunks())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        failing.received_requests().await.unwrap_or_default().len(),
        1
    );
}

#[tokio::test]
async fn a_streamed_body_cannot_answer_an_authentication_challenge() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            "Digest realm=\"wire\", nonce=\"n0nce\", qop=\"auth\", algorithm=MD5",
        ))
        .mount(&server)
        .await;
    let client = wire::client_builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .digest_auth("user", "key")
        .build()
        .unwrap();
    let error = EchoApi::new(client)
        .put_binary()
        .body_stream(chunks())
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Config(message) => assert!(
            message.contains("streamed body was already sent"),
            "{message}"
        ),
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}

#[tokio::test]
async fn list_operations_walk_pages_and_items_without_stream_ext() {
    use wiremock::matchers::{path, query_param};
    let server = MockServer::start().await;
    for (page, items) in [
        ("1", vec!["a", "b"]),
        ("2", vec!["c", "d"]),
        ("3", vec!["e"]),
    ] {
        Mock::given(path("/widgets"))
            .and(query_param("pageNum", page))
            .and(query_param("itemsPerPage", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": items, "totalCount": 5})),
            )
            .mount(&server)
            .await;
    }
    let lists = wire::lists::Lists::new(client(&server.uri()));
    let items = lists
        .list_widgets()
        .items_per_page(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);

    let mut pages = lists
        .list_widgets()
        .items_per_page(2)
        .page_num(2)
        .into_stream()
        .into_pages();
    let page = pages.next().await.unwrap().unwrap();
    assert_eq!((page.number, page.total_count), (2, Some(5)));
    assert_eq!(page.items, ["c", "d"]);
    let last = pages.next().await.unwrap().unwrap();
    assert_eq!((last.number, last.items.len()), (3, 1));
    assert!(pages.next().await.is_none(), "totalCount reached");
}
