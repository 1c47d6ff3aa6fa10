//! The Access Tracking operations against an in-process HTTP server: the exact requests they
//! send, what they refuse to send, and how every kind of response comes back.
//!
//! The shipped specification (`spec/atlas-api.yaml`, 2025-06-30 facts) types `start` and `end`
//! as epoch milliseconds (`int64`) and `nLogs` as `int32` on both operations, and gives
//! `clusterName` the pattern `^[a-zA-Z0-9][a-zA-Z0-9-]*$`; these tests follow it.

use std::time::Duration;

use atlas_sdk::access_tracking::{
    list_access_logs_by_cluster_name as by_cluster, list_access_logs_by_hostname as by_host,
};
use atlas_sdk::models::{MongoDBAccessLogs, MongoDBAccessLogsList};
use atlas_sdk::{Client, Error, InvalidParameter, Number, RetryPolicy, Rule};
use futures_util::StreamExt as _;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const HOST: &str = "cluster0-shard-00-00.abcde.mongodb.net";
const CLUSTER_PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/clusters/Cluster0";
const HOST_PREFIX: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/processes/";
const HOST_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/processes/cluster0-shard-00-00.abcde.mongodb.net";
const VERSIONED_JSON: &str = "application/vnd.atlas.2023-01-01+json";
const CLUSTER_NAME_PATTERN: &str = "^[a-zA-Z0-9][a-zA-Z0-9-]*$";
const GROUP_ID_PATTERN: &str = "^([a-f0-9]{24})$";
const IP_ADDRESS_PATTERN: &str =
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";

/// The client the brief describes, without retries so that every test sees one attempt.
mod support;

fn client(server: &MockServer) -> Client {
    support::local(&server.uri()).build().unwrap()
}

/// Which of the two operations a table-driven test calls.
#[derive(Debug, Clone, Copy)]
enum Op {
    Cluster,
    Hostname,
}

async fn list(client: &Client, op: Op) -> Result<MongoDBAccessLogsList, Error> {
    match op {
        Op::Cluster => {
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(GROUP, "Cluster0")
                .send()
                .await
        }
        Op::Hostname => {
            client
                .access_tracking()
                .list_access_logs_by_hostname(GROUP, HOST)
                .send()
                .await
        }
    }
}

fn full_entry_json() -> serde_json::Value {
    json!({
        "authResult": false,
        "authSource": "admin",
        "failureReason": "UserNotFound",
        "groupId": GROUP,
        "hostname": HOST,
        "ipAddress": "192.0.2.10",
        "logLine": "Authentication failed for principal ghost on admin",
        "timestamp": "2025-06-01T12:00:00Z",
        "username": "ghost"
    })
}

/// A response model built the way users build one in their own tests: models are
/// `#[non_exhaustive]`, and one only received has no constructor, so it starts from
/// `Default` (every field of this one is optional) and its public fields are set.
fn entry(fill: impl FnOnce(&mut MongoDBAccessLogs)) -> MongoDBAccessLogs {
    let mut entry = MongoDBAccessLogs::default();
    fill(&mut entry);
    entry
}

fn full_entry() -> MongoDBAccessLogs {
    entry(|e| {
        e.auth_result = Some(false);
        e.auth_source = Some("admin".to_owned());
        e.failure_reason = Some("UserNotFound".to_owned());
        e.group_id = Some(GROUP.to_owned());
        e.hostname = Some(HOST.to_owned());
        e.ip_address = Some("192.0.2.10".to_owned());
        e.log_line = Some("Authentication failed for principal ghost on admin".to_owned());
        e.timestamp = Some("2025-06-01T12:00:00Z".to_owned());
        e.username = Some("ghost".to_owned());
    })
}

fn logs_json() -> serde_json::Value {
    json!({ "accessLogs": [full_entry_json()] })
}

fn api_error_json(status: u16, code: &str) -> serde_json::Value {
    json!({
        "error": status,
        "errorCode": code,
        "detail": "x",
        "reason": "Not Found",
        "parameters": ["AWS", 3]
    })
}

/// A server answering every GET with `template`.
async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request was expected");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

/// Asserts the headers every request of these operations carries.
fn assert_standard_headers(request: &Request) {
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(header(request, "accept"), [VERSIONED_JSON]);
    assert_eq!(header(request, "authorization"), ["Bearer token"]);
    let agent = header(request, "user-agent");
    assert_eq!(agent.len(), 1);
    assert!(agent[0].starts_with("atlas-sdk-rust/"), "{agent:?}");
    assert_eq!(
        agent[0],
        concat!("atlas-sdk-rust/", env!("CARGO_PKG_VERSION"))
    );
    assert!(request.body.is_empty(), "a GET carries no body");
    assert!(header(request, "content-type").is_empty());
}

fn expect_invalid<T: std::fmt::Debug>(result: Result<T, Error>) -> InvalidParameter {
    match result {
        Err(Error::InvalidRequest(invalid)) => invalid,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// 1–2. The exact request.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn cluster_operation_with_every_parameter_sends_the_exact_request() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(false)
        .pretty(true)
        .auth_result(true)
        .end(1_748_822_400_000)
        .ip_address("192.0.2.10")
        .n_logs(500)
        .start(1_748_736_000_000)
        .send()
        .await
        .unwrap();
    assert_eq!(logs.access_logs, Some(vec![full_entry()]));

    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.url.path(), CLUSTER_PATH);
    assert_eq!(
        request.url.query(),
        Some(
            "envelope=false&pretty=true&authResult=true&end=1748822400000&ipAddress=192.0.2.10&nLogs=500&start=1748736000000"
        )
    );
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn hostname_operation_with_every_parameter_sends_the_exact_request() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .envelope(false)
        .pretty(false)
        .auth_result(false)
        .end(1_748_822_400_000)
        .ip_address("3253:5e:3:f:cba0:9:7:1")
        .n_logs(20000)
        .start(0)
        .send()
        .await
        .unwrap();
    assert_eq!(logs.access_logs, Some(vec![full_entry()]));

    let request = only_request(&server).await;
    assert_standard_headers(&request);
    assert_eq!(request.url.path(), HOST_PATH);
    // Form-urlencoding writes the IPv6 colons as %3A.
    assert_eq!(
        request.url.query(),
        Some(
            "envelope=false&pretty=false&authResult=false&end=1748822400000&ipAddress=3253%3A5e%3A3%3Af%3Acba0%3A9%3A7%3A1&nLogs=20000&start=0"
        )
    );
}

#[tokio::test]
async fn query_follows_spec_order_whatever_order_the_setters_are_called_in() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .start(-5)
        .n_logs(1)
        .ip_address("10.0.0.1")
        .end(i64::MAX)
        .auth_result(true)
        .pretty(true)
        .envelope(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.url.query(),
        Some(
            "envelope=false&pretty=true&authResult=true&end=9223372036854775807&ipAddress=10.0.0.1&nLogs=1&start=-5"
        )
    );
}

#[tokio::test]
async fn a_setter_called_twice_sends_the_last_value_once() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .n_logs(20001)
        .n_logs(7)
        .auth_result(true)
        .auth_result(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("authResult=false&nLogs=7")
    );
}

// ---------------------------------------------------------------------------------------
// 2. Unset optional parameters.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn unset_optional_parameters_are_not_sent() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    list(&client, Op::Cluster).await.unwrap();
    list(&client, Op::Hostname).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url.path(), CLUSTER_PATH);
    assert_eq!(requests[1].url.path(), HOST_PATH);
    for request in &requests {
        assert_eq!(request.url.query(), None, "{}", request.url);
        assert!(!request.url.as_str().contains('?'), "{}", request.url);
        assert_standard_headers(request);
    }
}

#[tokio::test]
async fn a_client_without_credentials_sends_no_authorization() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let anonymous = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    list(&anonymous, Op::Cluster).await.unwrap();
    let request = only_request(&server).await;
    assert!(header(&request, "authorization").is_empty());
    assert_eq!(header(&request, "accept"), [VERSIONED_JSON]);
}

#[tokio::test]
async fn base_url_path_prefix_and_trailing_slash_are_kept_once() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let prefixed = Client::builder()
        .base_url(format!("{}/proxy/", server.uri()))
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert_eq!(prefixed.base_url(), format!("{}/proxy", server.uri()));
    list(&prefixed, Op::Cluster).await.unwrap();
    assert_eq!(
        only_request(&server).await.url.path(),
        format!("/proxy{CLUSTER_PATH}")
    );
}

// ---------------------------------------------------------------------------------------
// 3. Path parameters.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn cluster_name_outside_its_pattern_is_refused_before_encoding() {
    // The Python SDK's example cluster name `gqW,C` breaks the 2025 spec's clusterName
    // pattern, so it is refused rather than percent-encoded.
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let invalid = expect_invalid(
        client(&server)
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "gqW,C")
            .send()
            .await,
    );
    assert_eq!(
        invalid,
        InvalidParameter::new("clusterName", Rule::Pattern(CLUSTER_NAME_PATTERN), "gqW,C")
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn hostname_is_one_percent_encoded_segment_whatever_it_contains() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    let cases = [
        ("gqW,C", "gqW%2CC"),
        ("a/../b", "a%2F..%2Fb"),
        ("../etc", "..%2Fetc"),
        ("x?y=1", "x%3Fy%3D1"),
        ("frag#ment", "frag%23ment"),
        ("sp ace", "sp%20ace"),
        ("%2e%2e", "%252e%252e"),
        ("..a", "..a"),
        ("...", "..."),
        ("a.b-c_d~e", "a.b-c_d~e"),
        ("h\u{f4}st", "h%C3%B4st"),
        ("[::1]", "%5B%3A%3A1%5D"),
        ("a\\b", "a%5Cb"),
    ];
    for (host, _) in cases {
        client
            .access_tracking()
            .list_access_logs_by_hostname(GROUP, host)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{host:?}: {e:?}"));
    }
    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    let expected: Vec<String> = cases
        .iter()
        .map(|(_, encoded)| format!("{HOST_PREFIX}{encoded}"))
        .collect();
    assert_eq!(paths, expected);
    for request in &requests {
        assert_eq!(request.url.query(), None, "{}", request.url);
        assert_eq!(request.url.fragment(), None, "{}", request.url);
    }
}

#[tokio::test]
async fn dot_segments_and_empty_hostnames_are_refused_and_nothing_is_sent() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for host in ["..", ".", ""] {
        let invalid = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_hostname(GROUP, host)
                .send()
                .await,
        );
        assert_eq!(invalid.parameter, "hostname", "{host:?}");
        assert_eq!(invalid.rule, Rule::PathSegment, "{host:?}");
        assert_eq!(invalid.value, host);
        // The other two send methods refuse it the same way.
        let raw = client
            .access_tracking()
            .list_access_logs_by_hostname(GROUP, host)
            .send_raw()
            .await;
        assert_eq!(expect_invalid(raw).rule, Rule::PathSegment);
        let with_response = client
            .access_tracking()
            .list_access_logs_by_hostname(GROUP, host)
            .send_with_response()
            .await;
        assert_eq!(expect_invalid(with_response).rule, Rule::PathSegment);
    }
    assert_eq!(received(&server).await.len(), 0);
}

// ---------------------------------------------------------------------------------------
// 4. Validation.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn n_logs_above_the_maximum_is_refused() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    let cluster = expect_invalid(
        client
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .n_logs(20001)
            .send()
            .await,
    );
    let expected = InvalidParameter::new(
        "nLogs",
        Rule::Maximum {
            limit: Number::Int(20000),
            exclusive: false,
        },
        20001,
    );
    assert_eq!(cluster, expected);
    assert_eq!(
        cluster.to_string(),
        "parameter `nLogs` must be at most 20000 (got 20001)"
    );
    let error = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .n_logs(i32::MAX)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_invalid_request());
    assert_eq!(error.status(), None);
    assert_eq!(
        expect_invalid::<()>(Err(error)),
        InvalidParameter::new(
            "nLogs",
            Rule::Maximum {
                limit: Number::Int(20000),
                exclusive: false,
            },
            i32::MAX,
        )
    );
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn n_logs_below_the_minimum_is_refused() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for op in [Op::Cluster, Op::Hostname] {
        let result = match op {
            Op::Cluster => {
                client
                    .access_tracking()
                    .list_access_logs_by_cluster_name(GROUP, "Cluster0")
                    .n_logs(-1)
                    .send()
                    .await
            }
            Op::Hostname => {
                client
                    .access_tracking()
                    .list_access_logs_by_hostname(GROUP, HOST)
                    .n_logs(-1)
                    .send()
                    .await
            }
        };
        let invalid = expect_invalid(result);
        assert_eq!(
            invalid,
            InvalidParameter::new(
                "nLogs",
                Rule::Minimum {
                    limit: Number::Int(0),
                    exclusive: false,
                },
                -1,
            ),
            "{op:?}"
        );
        assert_eq!(
            invalid.to_string(),
            "parameter `nLogs` must be at least 0 (got -1)"
        );
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn n_logs_at_its_bounds_is_sent() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for n in [0, 20000] {
        client
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .n_logs(n)
            .send()
            .await
            .unwrap();
    }
    let queries: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [Some("nLogs=0".to_owned()), Some("nLogs=20000".to_owned())]
    );
}

#[tokio::test]
async fn malformed_group_ids_are_refused_by_the_pattern() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    // GroupIdSchema::new checks only the pattern (the 2025 spec gives no length bounds).
    for group in [
        "not-hex",
        "",
        "32B6E34B3D91647ABB20E7B8",
        "32b6e34b3d91647abb20e7b",
        "32b6e34b3d91647abb20e7b80",
        "32b6e34b3d91647abb20e7b8\n",
    ] {
        let by_name = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(group, "Cluster0")
                .send()
                .await,
        );
        assert_eq!(
            by_name,
            InvalidParameter::new("groupId", Rule::Pattern(GROUP_ID_PATTERN), group),
            "{group:?}"
        );
        let by_host = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_hostname(group, HOST)
                .send()
                .await,
        );
        assert_eq!(by_host, by_name);
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn cluster_names_outside_the_pattern_are_refused() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for name in ["-bad", "", "under_score", "Cluster0/x", "Cluster 0", ".."] {
        let invalid = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(GROUP, name)
                .send()
                .await,
        );
        assert_eq!(
            invalid,
            InvalidParameter::new("clusterName", Rule::Pattern(CLUSTER_NAME_PATTERN), name),
            "{name:?}"
        );
    }
    assert_eq!(
        expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(GROUP, "-bad")
                .send()
                .await
        )
        .to_string(),
        "parameter `clusterName` must match the pattern ^[a-zA-Z0-9][a-zA-Z0-9-]*$ (got -bad)"
    );
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn malformed_ip_addresses_are_refused() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for ip in ["999.1.1.1", "1.2.3", "", "256.0.0.1", "localhost", "::1"] {
        let invalid = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_cluster_name(GROUP, "Cluster0")
                .ip_address(ip)
                .send()
                .await,
        );
        assert_eq!(
            invalid,
            InvalidParameter::new("ipAddress", Rule::Pattern(IP_ADDRESS_PATTERN), ip),
            "{ip:?}"
        );
        let by_host = expect_invalid(
            client
                .access_tracking()
                .list_access_logs_by_hostname(GROUP, HOST)
                .ip_address(ip)
                .send()
                .await,
        );
        assert_eq!(by_host, invalid);
    }
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn valid_ipv4_and_ipv6_addresses_are_sent() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    for ip in [
        "192.0.2.10",
        "3253:5e:3:f:cba0:9:7:1",
        "0.0.0.0",
        "255.255.255.255",
    ] {
        client
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .ip_address(ip)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{ip}: {e:?}"));
    }
    let queries: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "ipAddress=192.0.2.10",
            "ipAddress=3253%3A5e%3A3%3Af%3Acba0%3A9%3A7%3A1",
            "ipAddress=0.0.0.0",
            "ipAddress=255.255.255.255",
        ]
    );
}

#[tokio::test]
async fn the_first_broken_parameter_in_spec_order_is_reported() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    let ops = || client.access_tracking();
    // Path parameters first (groupId, then clusterName), then the query in spec order.
    let all_broken = ops()
        .list_access_logs_by_cluster_name("nope", "-bad")
        .ip_address("x")
        .n_logs(-1);
    assert_eq!(expect_invalid(all_broken.send().await).parameter, "groupId");
    let from_cluster = ops()
        .list_access_logs_by_cluster_name(GROUP, "-bad")
        .ip_address("x")
        .n_logs(-1);
    assert_eq!(
        expect_invalid(from_cluster.send().await).parameter,
        "clusterName"
    );
    let from_query = ops()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .n_logs(-1)
        .ip_address("x");
    assert_eq!(
        expect_invalid(from_query.send().await).parameter,
        "ipAddress"
    );
    let host_and_query = ops().list_access_logs_by_hostname(GROUP, "..").n_logs(-1);
    assert_eq!(
        expect_invalid(host_and_query.send().await).parameter,
        "hostname"
    );
    assert_eq!(received(&server).await.len(), 0);
}

#[test]
fn parameter_types_carry_the_spec_rules() {
    // nLogs: int32 on both operations, 0..=20000, default 20000.
    let ok: i32 = by_cluster::NLogsSchema::new(20000).unwrap().get();
    assert_eq!(ok, 20000);
    assert_eq!(by_cluster::NLogsSchema::new(0).unwrap().into_inner(), 0);
    assert_eq!(by_cluster::NLogsSchema::default().get(), 20000);
    let host_default: i32 = by_host::NLogsSchema::default().get();
    assert_eq!(host_default, 20000);
    assert_eq!(
        by_host::NLogsSchema::new(20001).unwrap_err().rule,
        Rule::Maximum {
            limit: Number::Int(20000),
            exclusive: false
        }
    );
    assert_eq!(
        by_cluster::NLogsSchema::try_from(-1).unwrap_err().rule,
        Rule::Minimum {
            limit: Number::Int(0),
            exclusive: false
        }
    );
    // start / end: epoch milliseconds, no rules.
    let end: i64 = by_cluster::EndSchema::new(1_748_822_400_000).get();
    assert_eq!(end, 1_748_822_400_000);
    assert_eq!(by_host::StartSchema::from(-1).into_inner(), -1i64);
    assert_eq!(by_host::EndSchema::new(i64::MIN).get(), i64::MIN);
    // Booleans default to false where the spec says so.
    assert!(!by_cluster::EnvelopeSchema::default().get());
    assert!(!by_host::PrettySchema::default().get());
    assert!(by_host::AuthResultSchema::from(true).get());
    // Strings.
    assert_eq!(
        by_cluster::ClusterNameSchema::new("Cluster-0")
            .unwrap()
            .as_str(),
        "Cluster-0"
    );
    assert_eq!(
        by_cluster::ClusterNameSchema::new("_x").unwrap_err(),
        InvalidParameter::new("clusterName", Rule::Pattern(CLUSTER_NAME_PATTERN), "_x")
    );
    assert_eq!(
        by_host::IpAddressSchema::new("3253:5e:3:f:cba0:9:7:1")
            .unwrap()
            .into_inner(),
        "3253:5e:3:f:cba0:9:7:1"
    );
    assert_eq!(
        by_cluster::GroupIdSchema::try_from(GROUP.to_owned())
            .unwrap()
            .as_str(),
        GROUP
    );
    // The hostname has no rules of its own (the path-segment rule is checked when sending).
    assert_eq!(by_host::HostnameSchema::new("..").as_str(), "..");
}

#[test]
fn parameters_defined_once_in_the_spec_share_one_type() {
    let group: by_cluster::GroupIdSchema = by_host::GroupIdSchema::new(GROUP).unwrap();
    let shared: atlas_sdk::parameters::GroupIdSchema = group;
    assert_eq!(shared.into_inner(), GROUP);
    let envelope: by_host::EnvelopeSchema = atlas_sdk::parameters::EnvelopeSchema::new(true);
    assert!(envelope.get());
    let pretty: by_cluster::PrettySchema = atlas_sdk::parameters::PrettySchema::from(true);
    assert!(pretty.into_inner());
}

#[test]
fn date_time_values_are_written_as_rfc_3339() {
    use atlas_sdk::runtime::ParamValue as _;
    use atlas_sdk::time::OffsetDateTime;
    let epoch = OffsetDateTime::from_unix_timestamp(0).unwrap();
    assert_eq!(epoch.to_param_string(), "1970-01-01T00:00:00Z");
    let later = OffsetDateTime::from_unix_timestamp(1_748_822_400).unwrap();
    assert_eq!(later.to_param_string(), "2025-06-02T00:00:00Z");
    assert!(atlas_sdk::runtime::check::date_time("start", &later).is_ok());
}

// ---------------------------------------------------------------------------------------
// 5. Successful bodies.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_success_body_decodes_every_field() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({
        "accessLogs": [
            full_entry_json(),
            {"authResult": true, "username": "app", "timestamp": "2025-06-01T12:00:01Z"}
        ]
    })))
    .await;
    for op in [Op::Cluster, Op::Hostname] {
        let logs = list(&client(&server), op).await.unwrap();
        let second = entry(|e| {
            e.auth_result = Some(true);
            e.username = Some("app".to_owned());
            e.timestamp = Some("2025-06-01T12:00:01Z".to_owned());
        });
        assert_eq!(logs.access_logs, Some(vec![full_entry(), second]), "{op:?}");
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_absent_fields_are_none() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({
        "accessLogs": [
            {"username": "u", "someFieldFromTheFuture": {"nested": [1, 2]}, "authResult": null},
            {}
        ],
        "totalCount": 2,
        "links": []
    })))
    .await;
    let logs = list(&client(&server), Op::Cluster)
        .await
        .unwrap()
        .access_logs
        .unwrap();
    assert_eq!(
        logs,
        [
            entry(|e| e.username = Some("u".to_owned())),
            MongoDBAccessLogs::default()
        ]
    );
    assert_eq!(logs[1].auth_result, None);
    assert_eq!(logs[1].failure_reason, None);

    let empty = serve(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    assert_eq!(
        list(&client(&empty), Op::Hostname).await.unwrap(),
        MongoDBAccessLogsList::default()
    );
    let none = serve(ResponseTemplate::new(200).set_body_json(json!({"accessLogs": []}))).await;
    assert_eq!(
        list(&client(&none), Op::Hostname)
            .await
            .unwrap()
            .access_logs,
        Some(vec![])
    );
}

// ---------------------------------------------------------------------------------------
// 6. Documented error statuses.
// ---------------------------------------------------------------------------------------

async fn assert_documented_error(op: Op, status: u16) {
    let server = serve(
        ResponseTemplate::new(status)
            .insert_header("x-request-id", "r-42")
            .set_body_json(api_error_json(status, "RESOURCE_NOT_FOUND")),
    )
    .await;
    let error = list(&client(&server), op).await.unwrap_err();
    let Error::Api(response) = &error else {
        panic!("{op:?} {status}: expected Error::Api, got {error:?}");
    };
    let operation_id = match op {
        Op::Cluster => "listAccessLogsByClusterName",
        Op::Hostname => "listAccessLogsByHostname",
    };
    assert_eq!(response.operation_id, operation_id);
    assert_eq!(response.status.as_u16(), status);
    assert_eq!(response.headers["x-request-id"], "r-42");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert_eq!(error.headers().unwrap()["x-request-id"], "r-42");
    assert_eq!(error.error_code().as_deref(), Some("RESOURCE_NOT_FOUND"));
    let api = error.api_error().unwrap();
    assert_eq!(api.error, Some(i32::from(status)));
    assert_eq!(api.error_code.as_deref(), Some("RESOURCE_NOT_FOUND"));
    assert_eq!(api.detail.as_deref(), Some("x"));
    assert_eq!(api.reason.as_deref(), Some("Not Found"));
    assert_eq!(api.parameters, [json!("AWS"), json!(3)]);
    assert_eq!(api.bad_request_detail, None);
    assert!(!error.is_timeout() && !error.is_invalid_request() && !error.is_authentication());
    let reason = reqwest_reason(status);
    assert_eq!(
        error.to_string(),
        format!("{operation_id} failed with {status} {reason} RESOURCE_NOT_FOUND: x")
    );
    assert_eq!(received(&server).await.len(), 1, "no retry with none()");
}

fn reqwest_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        other => panic!("no reason phrase for {other} in this table"),
    }
}

#[tokio::test]
async fn documented_error_statuses_of_the_cluster_operation_are_api_errors() {
    for status in [400, 401, 403, 404, 429, 500] {
        assert_documented_error(Op::Cluster, status).await;
    }
}

#[tokio::test]
async fn documented_error_statuses_of_the_hostname_operation_are_api_errors() {
    for status in [401, 403, 404, 429, 500] {
        assert_documented_error(Op::Hostname, status).await;
    }
}

#[tokio::test]
async fn api_error_with_bad_request_detail_keeps_it() {
    let body = json!({
        "error": 400,
        "errorCode": "VALIDATION_ERROR",
        "badRequestDetail": {"fields": [{"field": "nLogs", "description": "too big"}]}
    });
    let server = serve(ResponseTemplate::new(400).set_body_json(body)).await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!(
        api.bad_request_detail,
        Some(json!({"fields": [{"field": "nLogs", "description": "too big"}]}))
    );
    assert_eq!(api.parameters, Vec::<serde_json::Value>::new());
    assert_eq!(api.detail, None);
}

// ---------------------------------------------------------------------------------------
// 7–8. Undocumented statuses and bodies that are not ApiErrors.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_raw_body() {
    let body = serde_json::to_vec(&api_error_json(418, "I_AM_A_TEAPOT")).unwrap();
    let server = serve(
        ResponseTemplate::new(418)
            .insert_header("x-request-id", "r-1")
            .set_body_raw(body.clone(), "application/json"),
    )
    .await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.operation_id, "listAccessLogsByClusterName");
    assert_eq!(unexpected.status.as_u16(), 418);
    assert_eq!(unexpected.headers["x-request-id"], "r-1");
    assert_eq!(unexpected.headers["content-type"], "application/json");
    assert_eq!(
        unexpected.headers["content-length"],
        body.len().to_string().as_str()
    );
    assert_eq!(unexpected.body, body);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    // The body is an ApiError, so the codes still decode on demand.
    assert_eq!(error.error_code().as_deref(), Some("I_AM_A_TEAPOT"));
    assert_eq!(
        error.api_error().unwrap().parameters,
        [json!("AWS"), json!(3)]
    );
    assert_eq!(
        error.to_string(),
        format!(
            "listAccessLogsByClusterName answered with unexpected status 418 I'm a teapot ({} body bytes)",
            body.len()
        )
    );
}

#[tokio::test]
async fn a_status_documented_only_for_the_other_operation_is_unexpected() {
    // 400 is documented for the cluster operation, not for the hostname one.
    let body = serde_json::to_vec(&api_error_json(400, "VALIDATION_ERROR")).unwrap();
    let server =
        serve(ResponseTemplate::new(400).set_body_raw(body.clone(), "application/json")).await;
    let error = list(&client(&server), Op::Hostname).await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.operation_id, "listAccessLogsByHostname");
    assert_eq!(unexpected.status.as_u16(), 400);
    assert_eq!(unexpected.body, body);
    assert_eq!(error.error_code().as_deref(), Some("VALIDATION_ERROR"));
    // The same response is an Api error for the operation that documents it.
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
}

#[tokio::test]
async fn a_documented_status_with_a_body_that_is_not_an_api_error_keeps_the_body() {
    let server =
        serve(ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html")).await;
    for op in [Op::Cluster, Op::Hostname] {
        let error = list(&client(&server), op).await.unwrap_err();
        let Error::UnexpectedStatus(unexpected) = &error else {
            panic!("{op:?}: expected UnexpectedStatus, got {error:?}");
        };
        assert_eq!(unexpected.status.as_u16(), 500);
        assert_eq!(unexpected.headers["content-type"], "text/html");
        assert_eq!(&unexpected.body[..], b"<html>oops</html>");
        assert_eq!(error.error_code(), None);
        assert!(error.api_error().is_none());
    }
}

#[tokio::test]
async fn a_redirect_is_an_unexpected_status_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CLUSTER_PATH))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere"))
        .mount(&server)
        .await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.status.as_u16(), 302);
    assert_eq!(unexpected.headers["location"], "/elsewhere");
    assert!(unexpected.body.is_empty());
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// 9. Bodies that do not decode.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_body_of_the_wrong_shape_names_the_failing_path() {
    // An item that is no object (a malformed optional *value* reads as absent instead).
    let body = r#"{"accessLogs":[{"authResult":true},7]}"#;
    let server = serve(
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "r-9")
            .set_body_raw(body, "application/json"),
    )
    .await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.path, "accessLogs[1]");
    assert_eq!(&decode.body[..], body.as_bytes());
    assert_eq!(decode.operation_id, "listAccessLogsByClusterName");
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.headers["x-request-id"], "r-9");
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.error_code(), None);

    let deeper = r#"{"accessLogs":[{},{"username":"a"},{"timestamp":[12]}]}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(deeper, "application/json")).await;
    let response = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_with_response()
        .await
        .expect("an optional field of the wrong type reads as absent");
    let logs = response.body.access_logs.expect("the list");
    assert_eq!((logs.len(), &logs[2].timestamp), (3, &None));
    assert_eq!(response.unparsed[0].path, "accessLogs[2].timestamp");
    assert_eq!(response.unparsed[0].value, serde_json::json!([12]));
    assert_eq!(
        response.unparsed[0].message,
        "invalid type: sequence, expected a string"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_raw_body() {
    let body = r#"{"accessLogs":[{"username":"a"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(&decode.body[..], body.as_bytes());
    assert_eq!(decode.path, "accessLogs[0].username");
    assert_eq!(
        decode.message,
        "EOF while parsing a string at line 1 column 29"
    );
    assert_eq!(decode.status.as_u16(), 200);
}

#[tokio::test]
async fn empty_and_trailing_garbage_bodies_are_decode_errors() {
    let server = serve(ResponseTemplate::new(200)).await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert!(decode.body.is_empty());
    assert_eq!(decode.path, ".");
    assert_eq!(
        decode.message,
        "EOF while parsing a value at line 1 column 0"
    );

    let body = r#"{"accessLogs":[]} {"accessLogs":[]}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let Err(Error::Decode(decode)) = list(&client(&server), Op::Cluster).await else {
        panic!("expected Error::Decode");
    };
    assert_eq!(decode.path, ".");
    assert_eq!(&decode.body[..], body.as_bytes());
}

// ---------------------------------------------------------------------------------------
// 10. Envelopes.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_enveloped_success_decodes_to_the_same_body() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({
        "status": 200, "content": logs_json()
    })))
    .await;
    let client = client(&server);
    let by_name = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(by_name.status.as_u16(), 200);
    assert_eq!(by_name.body.access_logs, Some(vec![full_entry()]));
    let by_host = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .envelope(true)
        .n_logs(3)
        .send()
        .await
        .unwrap();
    assert_eq!(by_host, by_name.body);
    let queries: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("envelope=true".to_owned()),
            Some("envelope=true&nLogs=3".to_owned())
        ]
    );
}

#[tokio::test]
async fn an_unenveloped_body_is_decoded_as_it_is_even_when_an_envelope_was_asked_for() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(logs.access_logs, Some(vec![full_entry()]));
}

#[tokio::test]
async fn an_envelope_not_asked_for_is_not_unwrapped() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({
        "status": 404, "content": api_error_json(404, "RESOURCE_NOT_FOUND")
    })))
    .await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(false)
        .send()
        .await
        .unwrap();
    assert_eq!(logs, MongoDBAccessLogsList::default());
    assert_eq!(logs.access_logs, None);
}

#[tokio::test]
async fn an_enveloped_error_with_http_200_is_an_api_error_with_the_inner_status() {
    let server = serve(
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "r-env")
            .set_body_json(json!({
                "status": 404, "content": api_error_json(404, "RESOURCE_NOT_FOUND")
            })),
    )
    .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    let Error::Api(response) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.headers["x-request-id"], "r-env");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_code().as_deref(), Some("RESOURCE_NOT_FOUND"));
    assert_eq!(
        error.api_error().unwrap().parameters,
        [json!("AWS"), json!(3)]
    );
}

#[tokio::test]
async fn an_enveloped_undocumented_status_keeps_the_whole_raw_body() {
    let body = serde_json::to_vec(&json!({
        "status": 418, "content": api_error_json(418, "I_AM_A_TEAPOT")
    }))
    .unwrap();
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.status.as_u16(), 418);
    assert_eq!(unexpected.body, body);
}

#[tokio::test]
async fn an_enveloped_body_that_does_not_decode_names_the_path_inside_the_content() {
    let body = r#"{"status":200,"content":{"accessLogs":[7]}}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.path, "accessLogs[0]");
    assert_eq!(&decode.body[..], body.as_bytes());
    // A malformed optional value inside the content reads as absent, kept on the response.
    let body = r#"{"status":200,"content":{"accessLogs":[{"authResult":"yes"}]}}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let response = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send_with_response()
        .await
        .expect("decodes");
    let logs = response.body.access_logs.expect("the list");
    assert_eq!(logs[0].auth_result, None);
    assert_eq!(response.unparsed.len(), 1);
    assert_eq!(response.unparsed[0].path, "accessLogs[0].authResult");
    assert_eq!(response.unparsed[0].value, serde_json::json!("yes"));
}

// ---------------------------------------------------------------------------------------
// 11–12. send_with_response and send_raw.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn send_with_response_returns_status_and_headers() {
    let server = serve(
        ResponseTemplate::new(200)
            .insert_header("ratelimit-remaining", "99")
            .insert_header("x-custom", "abc")
            .set_body_json(logs_json()),
    )
    .await;
    for op in [Op::Cluster, Op::Hostname] {
        let ops = client(&server).access_tracking();
        let response = match op {
            Op::Cluster => {
                ops.list_access_logs_by_cluster_name(GROUP, "Cluster0")
                    .send_with_response()
                    .await
            }
            Op::Hostname => {
                ops.list_access_logs_by_hostname(GROUP, HOST)
                    .send_with_response()
                    .await
            }
        }
        .unwrap();
        assert_eq!(response.status.as_u16(), 200);
        assert_eq!(response.headers["ratelimit-remaining"], "99");
        assert_eq!(response.headers["x-custom"], "abc");
        assert_eq!(response.headers["content-type"], "application/json");
        assert_eq!(response.into_body().access_logs, Some(vec![full_entry()]));
    }
}

fn raw_body() -> Vec<u8> {
    // Large enough to arrive in several chunks.
    let entries: Vec<serde_json::Value> = (0..2000).map(|_| full_entry_json()).collect();
    serde_json::to_vec_pretty(&json!({ "accessLogs": entries })).unwrap()
}

#[tokio::test]
async fn send_raw_returns_the_undecoded_body() {
    let body = raw_body();
    let server = serve(
        ResponseTemplate::new(200)
            .insert_header("x-custom", "raw")
            .set_body_raw(body.clone(), VERSIONED_JSON),
    )
    .await;
    let raw = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.content_type(), Some(VERSIONED_JSON));
    assert_eq!(raw.headers()["x-custom"], "raw");
    let bytes = raw.bytes().await.unwrap();
    assert_eq!(bytes.len(), body.len());
    assert!(bytes == body, "bytes differ");
    assert_standard_headers(&only_request(&server).await);
}

#[tokio::test]
async fn send_raw_bodies_stream_and_read_as_text() {
    let body = raw_body();
    let server = serve(ResponseTemplate::new(200).set_body_raw(body.clone(), VERSIONED_JSON)).await;
    let client = client(&server);

    let raw = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_raw()
        .await
        .unwrap();
    let mut streamed = Vec::new();
    let mut chunks = 0;
    let mut stream = std::pin::pin!(raw.bytes_stream());
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert!(chunks >= 1);
    assert!(streamed == body, "streamed bytes differ");

    let mut raw = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_raw()
        .await
        .unwrap();
    let mut chunked = Vec::new();
    while let Some(chunk) = raw.chunk().await.unwrap() {
        chunked.extend_from_slice(&chunk);
    }
    assert!(chunked == body, "chunked bytes differ");

    let raw = client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.text().await.unwrap().as_bytes(), &body[..]);
}

#[tokio::test]
async fn send_raw_keeps_an_envelope_and_still_maps_error_statuses() {
    let enveloped = serde_json::to_vec(&json!({"status": 200, "content": logs_json()})).unwrap();
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(enveloped.clone(), "application/json")).await;
    let raw = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.content_type(), Some("application/json"));
    assert_eq!(raw.bytes().await.unwrap(), enveloped);

    let server =
        serve(ResponseTemplate::new(404).set_body_json(api_error_json(404, "RESOURCE_NOT_FOUND")))
            .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_raw()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.error_code().as_deref(), Some("RESOURCE_NOT_FOUND"));

    let server = serve(ResponseTemplate::new(418).set_body_raw("teapot", "text/plain")).await;
    let Err(Error::UnexpectedStatus(unexpected)) = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send_raw()
        .await
    else {
        panic!("expected UnexpectedStatus");
    };
    assert_eq!(unexpected.status.as_u16(), 418);
    assert_eq!(&unexpected.body[..], b"teapot");
}

// ---------------------------------------------------------------------------------------
// 13. Timeouts.
// ---------------------------------------------------------------------------------------

async fn slow_server() -> MockServer {
    serve(
        ResponseTemplate::new(200)
            .set_body_json(logs_json())
            .set_delay(Duration::from_secs(2)),
    )
    .await
}

#[tokio::test]
async fn a_per_request_timeout_is_a_timeout_error() {
    let server = slow_server().await;
    let started = std::time::Instant::now();
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout(_)));
    assert_eq!(error.status(), None);
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_client_timeout_is_a_timeout_error() {
    let server = slow_server().await;
    let impatient = support::local(&server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = impatient
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    // A timeout is not retried by the default policy.
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_per_request_timeout_overrides_the_client_timeout() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(logs_json())
            .set_delay(Duration::from_millis(300)),
    )
    .await;
    let impatient = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let logs = impatient
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(logs.access_logs, Some(vec![full_entry()]));
}

// ---------------------------------------------------------------------------------------
// 14. Accept.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn accept_can_be_overridden() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let client = client(&server);
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .accept("application/json")
        .send()
        .await
        .unwrap();
    client
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, HOST)
        .accept("application/vnd.atlas.2025-03-12+json")
        .send_raw()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "accept"), ["application/json"]);
    assert_eq!(
        header(&requests[1], "accept"),
        ["application/vnd.atlas.2025-03-12+json"]
    );
}

#[tokio::test]
async fn an_accept_value_with_a_line_break_is_refused() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_json())).await;
    let invalid = expect_invalid(
        client(&server)
            .access_tracking()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .accept("application/json\r\nX-Injected: 1")
            .send()
            .await,
    );
    assert_eq!(invalid.parameter, "Accept");
    assert_eq!(invalid.rule, Rule::HeaderValue);
    assert_eq!(received(&server).await.len(), 0);
}

// ---------------------------------------------------------------------------------------
// 15. Client builder.
// ---------------------------------------------------------------------------------------

#[test]
fn plain_http_base_url_needs_allow_insecure_http() {
    let error = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token("tok")
        .build()
        .unwrap_err();
    let Error::Config(message) = &error else {
        panic!("expected Error::Config, got {error:?}");
    };
    assert!(message.contains("plain http"), "{message}");
    assert!(
        Client::builder()
            .base_url("http://127.0.0.1:9")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    for bad in ["ftp://example.com", "not a url", "https://example.com/?q=1"] {
        assert!(
            matches!(
                Client::builder().base_url(bad).build(),
                Err(Error::Config(_))
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_bearer_token_with_a_line_break_is_refused() {
    let error = Client::builder()
        .bearer_token("tok\r\nX-Injected: 1")
        .build()
        .unwrap_err();
    let Error::Config(message) = &error else {
        panic!("expected Error::Config, got {error:?}");
    };
    assert!(!message.contains("X-Injected"), "{message}");
    assert!(matches!(
        Client::builder().user_agent("ua\nx").build(),
        Err(Error::Config(_))
    ));
}

#[test]
fn debug_output_never_shows_the_token() {
    let builder = Client::builder().bearer_token("super-secret-token");
    assert!(!format!("{builder:?}").contains("super-secret-token"));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("super-secret-token"), "{debug}");
    assert!(debug.contains("bearer token (redacted)"), "{debug}");
    assert_eq!(client.base_url(), "https://cloud.mongodb.com");
    let request = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0");
    assert!(!format!("{request:?}").contains("super-secret-token"));
}

// ---------------------------------------------------------------------------------------
// Error bodies that are not Atlas errors, and enveloped undocumented errors.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_documented_status_with_json_that_is_not_an_api_error_keeps_the_body() {
    // `Error::UnexpectedStatus` is documented for "an error status whose body is not an
    // ApiError. The raw body is kept." The spec's ApiError requires `error` and `errorCode`.
    let body = br#"{"message":"upstream proxy failure"}"#;
    let server =
        serve(ResponseTemplate::new(500).set_body_raw(body.to_vec(), "application/json")).await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus with the raw body, got {error:?}");
    };
    assert_eq!(&unexpected.body[..], body);
}

#[tokio::test]
async fn error_code_decodes_an_enveloped_undocumented_error() {
    // `Error::api_error` promises that "error_code() works for every error Atlas sends".
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({
        "status": 409, "content": api_error_json(409, "DUPLICATE_CLUSTER_NAME")
    })))
    .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(
        error.error_code().as_deref(),
        Some("DUPLICATE_CLUSTER_NAME")
    );
}

#[tokio::test]
async fn api_error_is_none_for_an_undocumented_status_whose_json_is_not_an_api_error() {
    let server = serve(ResponseTemplate::new(418).set_body_json(json!({"teapot": true}))).await;
    let error = list(&client(&server), Op::Cluster).await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.api_error(), None);
}
