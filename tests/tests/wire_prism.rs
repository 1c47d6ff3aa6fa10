//! The requests of `fixtures/wire.yaml` (every parameter style and body encoding) checked by
//! Prism, which validates each one against the same spec: none may carry a violation.

use atlas_sdk_tests::fixtures::wire::{self, echo::EchoApi, models, statuses::Statuses};
use atlas_sdk_tests::peers::{self, Peer};
use atlas_sdk_tests::prism::Prism;
use specwire::{Client, Multipart};

mod support;

fn client(prism: &Prism) -> Client {
    support::local(wire::client_builder(), &prism.base_url())
}

/// Prism's report on a request (`sl-violations`, or a 422 refusal), or the failure that kept
/// Prism from answering at all.
fn violations<T>(
    result: &Result<specwire::Response<T, impl Sized>, specwire::Error>,
) -> Option<String> {
    let headers = match result {
        Ok(response) => &response.headers,
        Err(error) => match error.headers() {
            Some(_) if error.status().is_some_and(|s| s.as_u16() == 422) => {
                return Some(format!("refused: {error}"));
            }
            Some(headers) => headers,
            None => return Some(format!("no response: {error}")),
        },
    };
    support::prism_violations(headers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_finds_nothing_wrong_with_any_request() {
    if !peers::available("prism_finds_nothing_wrong_with_any_request", &[Peer::Prism]) {
        return;
    }
    let prism = Prism::start("tests/fixtures/wire.yaml");
    // The SDK's client first: with `rustls-ring` it installs the TLS provider that the plain
    // reqwest client below needs too.
    let echo = EchoApi::new(client(&prism));
    // The peer must really validate: a non-integer path parameter and a non-integer item of
    // the pipe-delimited integer list are refused (422).
    let raw = reqwest::Client::new();
    for bad in ["/status/abc", "/anything/query?piped=1|x"] {
        let response = raw
            .get(format!("{}{bad}", prism.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 422, "Prism accepted {bad}");
    }
    let mut report = Vec::new();
    let mut check = |name: &str, found: Option<String>| {
        if let Some(found) = found {
            report.push(format!("{name}: {found}"));
        }
    };

    let query = echo
        .query_styles()
        .form_list(["a", "b c"])
        .csv(["x", "y"])
        .spaced(["s1", "s2"])
        .piped([1, 2])
        .deep(models::QueryStylesDeep::new().with_a("A").with_b(7))
        .reserved("a/b")
        .client2("c")
        .send_with_response()
        .await;
    check("queryStyles", violations(&query));

    // Not `pathStyles`: Prism 5.16 dies on label and matrix path parameters
    // (`TypeError: value.split is not a function`); `path_styles_exact_bytes` in wire.rs
    // checks them byte for byte.

    let headers = echo
        .headers_and_cookies("trace")
        .x_list(["a", "b"])
        .x_count(3)
        // Prism dies when a cookie parameter's operation gets no `Cookie` header at all.
        .session("s")
        .prefs(["dark", "wide"])
        .send_with_response()
        .await;
    check("headersAndCookies", violations(&headers));

    // Without `Tags`: Prism 5.16 reads no form field as an array, neither `Tags=a&Tags=b`
    // nor `Tags=a,b` ("must be array"); httpbin and the exact bytes in wire.rs cover lists.
    let form = echo
        .post_form(models::PostFormBody::new("+1 555").with_count(3))
        .send_with_response()
        .await;
    check("postForm", violations(&form));

    let text = echo.post_text("hello").send_with_response().await;
    check("postText", violations(&text));

    let binary = echo
        .put_binary()
        .body(vec![1u8, 2, 3])
        .send_with_response()
        .await;
    check("putBinary", violations(&binary));

    let multipart = echo
        .post_multipart(Multipart::new().text("description", "d").file(
            "file",
            "f.bin",
            "application/octet-stream",
            vec![0u8, 1],
        ))
        .send_with_response()
        .await;
    check("postMultipart", violations(&multipart));

    let keywords = echo
        .post_keywords(models::Type::new("r").with_option(1))
        .send_with_response()
        .await;
    check("postKeywords", violations(&keywords));

    let statuses = Statuses::new(client(&prism));
    let limited = statuses
        .response_headers()
        .rate_limit_limit(10)
        .send_with_response()
        .await;
    check("responseHeaders", violations(&limited));

    assert!(report.is_empty(), "Prism flagged:\n{}", report.join("\n"));
}
