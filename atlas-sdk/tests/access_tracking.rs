//! The Access Tracking operations against an in-process HTTP server: the exact requests they
//! send, and how every kind of response comes back.

use std::time::Duration;

use atlas_sdk::access_tracking::{
    list_access_logs_by_cluster_name as by_cluster, list_access_logs_by_hostname as by_host,
};
use atlas_sdk::{Client, Error, Number, RetryPolicy, Rule};
use futures_util::StreamExt as _;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER_PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/clusters/Cluster0";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .bearer_token("tok")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn logs_body() -> serde_json::Value {
    serde_json::json!({"accessLogs": [{
        "authResult": true,
        "authSource": "admin",
        "groupId": GROUP,
        "hostname": "cluster0-shard-00-00.abcde.mongodb.net",
        "ipAddress": "192.0.2.10",
        "logLine": "Successfully authenticated",
        "timestamp": "2023-02-01T12:00:00Z",
        "username": "app",
        "someFieldFromTheFuture": {"nested": [1, 2]}
    }]})
}

async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

#[tokio::test]
async fn cluster_operation_sends_exactly_what_the_spec_says() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
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
    assert_eq!(
        logs.access_logs.unwrap()[0].username.as_deref(),
        Some("app")
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), CLUSTER_PATH);
    assert_eq!(
        request.url.query(),
        Some(
            "envelope=false&pretty=true&authResult=true&end=1748822400000&ipAddress=192.0.2.10&nLogs=500&start=1748736000000"
        )
    );
    assert_eq!(
        request.headers["accept"],
        "application/vnd.atlas.2023-01-01+json"
    );
    assert_eq!(request.headers["authorization"], "Bearer tok");
    let agent = request.headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("atlas-sdk-rust/"), "{agent}");
}

#[tokio::test]
async fn hostname_operation_sends_exactly_what_the_spec_says() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
    client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "cluster0-shard-00-00.abcde.mongodb.net")
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
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/processes/cluster0-shard-00-00.abcde.mongodb.net"
    );
    assert_eq!(
        request.url.query(),
        Some(
            "envelope=false&pretty=false&authResult=false&end=1748822400000&ipAddress=3253%3A5e%3A3%3Af%3Acba0%3A9%3A7%3A1&nLogs=20000&start=0"
        )
    );
}

#[tokio::test]
async fn unset_optional_parameters_are_not_sent() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
    client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment_each() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
    let client = client(&server);
    // The Python SDK's example cluster name breaks the spec's pattern: refused, not sent.
    let error = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "gqW,C")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidRequest(ref i) if i.parameter == "clusterName"),
        "{error:?}"
    );
    for host in ["gqW,C", "a/../b", "x?y=1", "frag#ment", "..a", "sp ace"] {
        client
            .access_tracking()
            .list_access_logs_by_hostname(GROUP, host)
            .send()
            .await
            .unwrap();
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let host_path = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/dbAccessHistory/processes/";
    assert_eq!(
        paths,
        [
            format!("{host_path}gqW%2CC"),
            format!("{host_path}a%2F..%2Fb"),
            format!("{host_path}x%3Fy%3D1"),
            format!("{host_path}frag%23ment"),
            format!("{host_path}..a"),
            format!("{host_path}sp%20ace"),
        ]
    );
}

#[tokio::test]
async fn dot_segments_and_empty_path_parameters_are_refused() {
    let server = serve(ResponseTemplate::new(200)).await;
    let client = client(&server);
    for host in ["..", ".", ""] {
        let Err(Error::InvalidRequest(invalid)) = client
            .access_tracking()
            .list_access_logs_by_hostname(GROUP, host)
            .send()
            .await
        else {
            panic!("{host:?} must be refused");
        };
        assert_eq!(invalid.parameter, "hostname");
        assert_eq!(invalid.rule, Rule::PathSegment);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

async fn invalid(
    request: by_cluster::ListAccessLogsByClusterNameRequest,
) -> atlas_sdk::InvalidParameter {
    match request.send().await {
        Err(Error::InvalidRequest(invalid)) => invalid,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn values_that_break_the_rules_are_refused_before_sending() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
    let client = client(&server);
    let ops = || client.access_tracking();

    let too_many = invalid(
        ops()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .n_logs(20001),
    )
    .await;
    assert_eq!(too_many.parameter, "nLogs");
    assert_eq!(
        too_many.rule,
        Rule::Maximum {
            limit: Number::Int(20000),
            exclusive: false
        }
    );
    assert_eq!(too_many.value, "20001");
    assert_eq!(
        too_many.to_string(),
        "parameter `nLogs` must be at most 20000 (got 20001)"
    );

    let negative = invalid(
        ops()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .n_logs(-1),
    )
    .await;
    assert_eq!(
        negative.rule,
        Rule::Minimum {
            limit: Number::Int(0),
            exclusive: false
        }
    );

    let group =
        invalid(ops().list_access_logs_by_cluster_name("zzzzzzzzzzzzzzzzzzzzzzzz", "Cluster0"))
            .await;
    assert_eq!(
        (group.parameter, group.rule),
        ("groupId", Rule::Pattern("^([a-f0-9]{24})$"))
    );

    let cluster = invalid(ops().list_access_logs_by_cluster_name(GROUP, "-bad")).await;
    assert_eq!(cluster.parameter, "clusterName");
    assert!(matches!(cluster.rule, Rule::Pattern(_)));
    let cluster = invalid(ops().list_access_logs_by_cluster_name(GROUP, "")).await;
    assert_eq!(cluster.rule, Rule::Pattern("^[a-zA-Z0-9][a-zA-Z0-9-]*$"));

    let ip = invalid(
        ops()
            .list_access_logs_by_cluster_name(GROUP, "Cluster0")
            .ip_address("999.1.1.1"),
    )
    .await;
    assert_eq!(ip.parameter, "ipAddress");
    assert!(matches!(ip.rule, Rule::Pattern(_)));

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[test]
fn parameters_defined_once_in_the_spec_share_one_type() {
    // `groupId`, `envelope` and `pretty` come from `#/components/parameters`: one type each,
    // re-exported by every operation that takes them.
    let group: by_cluster::GroupIdSchema = by_host::GroupIdSchema::new(GROUP).unwrap();
    let same: atlas_sdk::parameters::GroupIdSchema = group;
    assert_eq!(same.as_str(), GROUP);
    let _: by_host::EnvelopeSchema = atlas_sdk::parameters::EnvelopeSchema::new(true);
}

#[test]
fn parameter_types_carry_each_operations_rules() {
    // Since the 2025 API both operations take nLogs as int32 and start/end as epoch millis;
    // the seed-era differences are checked on the 2023 fixture (tests/tests/fixtures.rs).
    assert_eq!(by_cluster::NLogsSchema::default().get(), 20000i32);
    assert_eq!(by_host::NLogsSchema::default().get(), 20000i32);
    assert!(by_cluster::NLogsSchema::new(0).is_ok());
    assert!(by_host::NLogsSchema::new(20001).is_err());
    assert!(!by_cluster::EnvelopeSchema::default().get());
    assert!(!by_host::PrettySchema::default().get());
    assert!(by_cluster::IpAddressSchema::new("192.0.2.10").is_ok());
    assert!(by_cluster::IpAddressSchema::new("3253:5e:3:f:cba0:9:7:1").is_ok());
    assert!(by_cluster::ClusterNameSchema::new("Cluster0").is_ok());
    assert!(by_cluster::ClusterNameSchema::new("under_score").is_err());
    assert_eq!(
        by_cluster::EndSchema::new(1_748_822_400_000).get(),
        1_748_822_400_000i64
    );
    assert_eq!(by_host::StartSchema::from(0).get(), 0i64);
    assert_eq!(
        by_cluster::GroupIdSchema::try_from(GROUP.to_owned())
            .unwrap()
            .as_str(),
        GROUP
    );
}

#[tokio::test]
async fn success_bodies_decode_ignoring_unknown_fields() {
    let server = serve(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "accessLogs": [{"username": "u"}, {}], "totalCount": 2
    })))
    .await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap()
        .access_logs
        .unwrap();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].username.as_deref(), Some("u"));
    assert_eq!(logs[1], atlas_sdk::models::MongoDBAccessLogs::default());
    assert_eq!(
        logs[1].auth_result, None,
        "absent fields are None, not defaults"
    );
}

fn api_error(status: u16, code: &str) -> serde_json::Value {
    serde_json::json!({"error": status, "errorCode": code, "detail": "x", "reason": "r", "parameters": ["AWS", 3]})
}

#[tokio::test]
async fn documented_error_statuses_carry_the_decoded_api_error() {
    let cluster = [400, 401, 403, 404, 429, 500].map(|s| (false, s));
    let hostname = [401, 403, 404, 429, 500].map(|s| (true, s));
    for (hostname_op, status) in cluster.into_iter().chain(hostname) {
        let server =
            serve(ResponseTemplate::new(status).set_body_json(api_error(status, "SOME_CODE")))
                .await;
        let ops = client(&server).access_tracking();
        let result = if hostname_op {
            ops.list_access_logs_by_hostname(GROUP, "h").send().await
        } else {
            ops.list_access_logs_by_cluster_name(GROUP, "Cluster0")
                .send()
                .await
        };
        let error = result.unwrap_err();
        let Error::Api(response) = &error else {
            panic!("{status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(response.status, status);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.error_code().as_deref(), Some("SOME_CODE"));
        let decoded = error.api_error().unwrap();
        assert_eq!(decoded.error, Some(i32::from(status)));
        assert_eq!(decoded.detail.as_deref(), Some("x"));
        assert_eq!(
            decoded.parameters,
            [serde_json::json!("AWS"), serde_json::json!(3)]
        );
    }
}

#[tokio::test]
async fn undocumented_statuses_keep_status_headers_and_raw_body() {
    let body = serde_json::to_vec(&api_error(409, "DUPLICATE_CLUSTER_NAME")).unwrap();
    // 409 is not documented for this operation.
    let server = serve(
        ResponseTemplate::new(409)
            .insert_header("x-request-id", "r-1")
            .set_body_raw(body.clone(), "application/json"),
    )
    .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(unexpected.status, 409);
    assert_eq!(unexpected.headers["x-request-id"], "r-1");
    assert_eq!(unexpected.body, body);
    assert_eq!(
        error.error_code().as_deref(),
        Some("DUPLICATE_CLUSTER_NAME")
    );
}

#[tokio::test]
async fn documented_status_with_a_body_that_is_not_an_api_error_keeps_the_body() {
    let server =
        serve(ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html")).await;
    let Err(Error::UnexpectedStatus(unexpected)) = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
    else {
        panic!("expected UnexpectedStatus");
    };
    assert_eq!(unexpected.body, "<html>oops</html>".as_bytes());
}

#[tokio::test]
async fn undecodable_success_bodies_name_the_failing_path() {
    let body = r#"{"accessLogs":[{"authResult":"yes"}]}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let Err(Error::Decode(decode)) = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
    else {
        panic!("expected a decode error");
    };
    assert_eq!(decode.path, "accessLogs[0].authResult");
    assert_eq!(decode.body, body.as_bytes());
    assert_eq!(decode.operation_id, "listAccessLogsByClusterName");
}

#[tokio::test]
async fn envelopes_are_unwrapped() {
    let server = serve(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "status": 200, "content": logs_body()
    })))
    .await;
    let logs = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        logs.access_logs.unwrap()[0].username.as_deref(),
        Some("app")
    );
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("envelope=true")
    );

    // An enveloped error arrives with HTTP 200 and the real status inside.
    let server = serve(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "status": 404, "content": api_error(404, "RESOURCE_NOT_FOUND")
    })))
    .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "h")
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_code().as_deref(), Some("RESOURCE_NOT_FOUND"));
}

#[tokio::test]
async fn send_with_response_returns_status_and_headers() {
    let server = serve(
        ResponseTemplate::new(200)
            .insert_header("ratelimit-remaining", "99")
            .set_body_json(logs_body()),
    )
    .await;
    let response = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["ratelimit-remaining"], "99");
    assert_eq!(response.into_body().access_logs.map(|l| l.len()), Some(1));
}

#[tokio::test]
async fn send_raw_returns_the_undecoded_body_to_read_or_stream() {
    let body = serde_json::to_vec(&logs_body()).unwrap();
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_raw(body.clone(), "application/vnd.atlas.2023-01-01+json"),
    )
    .await;
    let client = client(&server);
    let raw = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(
        raw.content_type(),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    assert_eq!(raw.bytes().await.unwrap(), body);

    let raw = client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send_raw()
        .await
        .unwrap();
    let mut streamed = Vec::new();
    let mut stream = std::pin::pin!(raw.bytes_stream());
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, body);
}

#[tokio::test]
async fn timeouts_per_request_and_per_client() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(logs_body())
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let error = client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");

    let impatient = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = impatient
        .access_tracking()
        .list_access_logs_by_hostname(GROUP, "h")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn accept_can_be_overridden() {
    let server = serve(ResponseTemplate::new(200).set_body_json(logs_body())).await;
    client(&server)
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .accept("application/vnd.atlas.2023-01-01+json, application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.headers["accept"],
        "application/vnd.atlas.2023-01-01+json, application/json"
    );
}

#[test]
fn builder_checks_its_configuration() {
    assert!(matches!(
        Client::builder().base_url("http://example.com").build(),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        Client::builder().bearer_token("a\r\nb").build(),
        Err(Error::Config(_))
    ));
    let client = Client::builder()
        .bearer_token("super-secret")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("super-secret"));
    assert_eq!(client.base_url(), "https://cloud.mongodb.com");
}
