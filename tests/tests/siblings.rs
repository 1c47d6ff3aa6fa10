//! Meaning a schema states beside something else, kept by the generated models: real JSON
//! decoded and encoded again is the same JSON (`fixtures/nullable-swagger.yaml`,
//! `fixtures/siblings.yaml`), and requests are sent as the schema says, byte for byte.

use atlas_sdk_tests::fixtures::{nullable_swagger, siblings};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

use support::local as client;

/// A mock answering every request with `body`.
async fn answering(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// `value` decoded as `T` and encoded again.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Value {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    serde_json::to_value(&decoded).expect("encodes")
}

/// A container engine's inspect answer: an exposed port that is not published maps to
/// `null` (`additionalProperties: {type: array, x-nullable: true}`); `Health` is a required
/// `$ref` with `x-nullable`.
#[tokio::test]
async fn a_map_of_nullable_lists_decodes_and_encodes_null_exactly() {
    let inspect = json!({
        "Id": "c1",
        "Health": null,
        "State": null,
        "Ports": {
            "2377/tcp": null,
            "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]
        },
        "Labels": {"com.example.unset": null, "com.example.set": "yes"},
        "Mounts": [null, "/data"]
    });
    let server = answering(inspect.clone()).await;
    let api = nullable_swagger::untagged::Untagged::new(client(
        nullable_swagger::client_builder(),
        &server.uri(),
    ));
    let got = api.container_inspect("c1").send().await.expect("decodes");
    let ports = got.ports.as_ref().expect("ports");
    assert_eq!(ports["2377/tcp"], None);
    assert_eq!(
        ports["80/tcp"].as_ref().map(|b| b[0].host_port.clone()),
        Some(Some("8080".to_owned()))
    );
    assert_eq!(got.health, None);
    assert_eq!(got.state, Some(specwire::Nullable::Null));
    assert_eq!(serde_json::to_value(&got).unwrap(), inspect);
}

/// Dates reached through aliases (`Stamp` → `nullTime` → a nullable date-time) are read and
/// written as RFC 3339, in fields, lists and maps; `null` where the schema allows it.
#[test]
fn a_date_time_behind_aliases_round_trips_as_rfc_3339() {
    let event = json!({
        "at": "2019-08-24T14:15:22Z",
        "held": null,
        "raw": {"Time": "2019-08-24T14:15:22Z", "Valid": true},
        "history": ["2019-08-24T14:15:22Z", null],
        "byZone": {"utc": "2019-08-24T14:15:22Z"}
    });
    let decoded: siblings::models::Event = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(decoded.at.map(|t| t.unix_timestamp()), Some(1_566_656_122));
    assert_eq!(decoded.held, None);
    assert_eq!(round_trip::<siblings::models::Event>(&event), event);
    let held = json!({"at": null, "held": "2019-08-24T14:15:22+02:00"});
    assert_eq!(round_trip::<siblings::models::Event>(&held), held);
}

/// A whole response body that is a date-time through an alias is its text, as sent.
#[tokio::test]
async fn a_date_time_body_behind_an_alias_is_its_text() {
    let server = answering(json!("2019-08-24T14:15:22Z")).await;
    let api = siblings::untagged::Untagged::new(client(siblings::client_builder(), &server.uri()));
    let stamp: String = api.get_stamp().send().await.expect("decodes");
    assert_eq!(stamp, "2019-08-24T14:15:22Z");
}

/// `{$ref: ExpressionType, const: and}` is its own one-value enum, and an `And` keeps both
/// operands through a round trip.
#[test]
fn const_beside_a_reference_types_the_property() {
    use siblings::models::{And, AndType, LiteralType};
    assert_eq!(AndType::And.as_str(), "and");
    assert_eq!(LiteralType::from("true").as_str(), "true");
    assert!(matches!(LiteralType::from("and"), LiteralType::Unknown(_)));
    let and = json!({"type": "and", "left": {"type": "true"}, "right": {"type": "true"}});
    let decoded: And = serde_json::from_value(and.clone()).unwrap();
    assert!(matches!(decoded.r#type, AndType::And));
    assert_eq!(round_trip::<And>(&and), and);
}

/// In a union of such variants, each `const` rules the others out: `{"type": "and", …}` is
/// an `And` (it was read as a `Literal` with an unknown type, and re-encoded without its
/// operands).
#[test]
fn a_union_of_consts_decodes_the_variant_the_value_names() {
    use siblings::models::Expression;
    let and = json!({"type": "and", "left": {"type": "true"}, "right": {"type": "false"}});
    let decoded: Expression = serde_json::from_value(and.clone()).unwrap();
    assert!(matches!(decoded, Expression::And(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), and);
    // No variant names `or`: kept whole, not forced into one.
    let or = json!({"type": "or", "left": {"type": "true"}});
    let decoded: Expression = serde_json::from_value(or.clone()).unwrap();
    assert_eq!(decoded, Expression::Unknown(or.clone()));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), or);
}

/// A union without a discriminator chooses by what a variant requires: a missing required
/// property or an enum value of another variant rules it out, and what no variant fits is
/// kept whole. Every value round-trips byte for byte.
#[test]
fn untagged_unions_choose_the_variant_the_value_satisfies() {
    use siblings::models::{Closed, ContentPart};
    let video = json!({"type": "video_url", "video_url": {"url": "https://example.com/v.mp4"}});
    let decoded: ContentPart = serde_json::from_value(video.clone()).unwrap();
    assert!(matches!(decoded, ContentPart::VideoPart(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), video);
    let text = json!({"type": "text", "text": "hi"});
    let decoded: ContentPart = serde_json::from_value(text.clone()).unwrap();
    assert!(matches!(decoded, ContentPart::TextPart(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), text);
    // A type neither variant lists, and a text part without its text: neither fits.
    for unknown in [
        json!({"type": "audio_url", "audio_url": {}}),
        json!({"type": "text"}),
    ] {
        let decoded: ContentPart = serde_json::from_value(unknown.clone()).unwrap();
        assert_eq!(decoded, ContentPart::Unknown(unknown.clone()));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), unknown);
    }
    // `additionalProperties: false`: a property of another variant rules `Strict` out.
    let loose = json!({"name": "a", "extra": 1});
    let decoded: Closed = serde_json::from_value(loose.clone()).unwrap();
    assert!(matches!(decoded, Closed::Loose(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), loose);
    let strict = json!({"name": "a"});
    let decoded: Closed = serde_json::from_value(strict.clone()).unwrap();
    assert!(matches!(decoded, Closed::Strict(_)), "{decoded:?}");
}

/// `anyOf: [ByDate, ById]` beside `properties: {report-type}` (required): each variant
/// carries `report-type`, so a request is built valid and sent with it, and an answer keeps
/// it through a round trip; a `ById` answer is a `ById` (a `ByDate` lacks its `start`).
#[tokio::test]
async fn properties_beside_any_of_are_sent_and_kept() {
    use siblings::models::{ReportRequest, ReportRequestByDate, ReportRequestById};
    let answer = json!({"ids": ["x"], "report-type": "daily"});
    let server = answering(answer.clone()).await;
    let api = siblings::untagged::Untagged::new(client(siblings::client_builder(), &server.uri()));
    let body = ReportRequest::ById(Box::new(ReportRequestById::new(
        vec!["a".to_owned(), "b".to_owned()],
        "usage",
    )));
    let got = api.create_report(body).send().await.expect("decodes");
    let requests = server.received_requests().await.unwrap_or_default();
    let sent = requests.last().expect("a request reached the mock");
    assert_eq!(
        String::from_utf8_lossy(&sent.body),
        r#"{"ids":["a","b"],"report-type":"usage"}"#
    );
    let expected = ReportRequestById::new(vec!["x".to_owned()], "daily");
    assert!(
        matches!(&got, ReportRequest::ById(by_id) if **by_id == expected),
        "{got:?}"
    );
    let _ = ReportRequestByDate::new("2024-01-01", "daily");
    assert_eq!(serde_json::to_value(&got).unwrap(), answer);
}

/// Mastodon's quote: both variants fit any object with a `state`; the one that declares
/// every property of the value wins, so `quoted_status_id` is not dropped by the first.
#[test]
fn a_union_prefers_the_variant_that_keeps_every_property() {
    use siblings::models::StatusQuote;
    let shallow = json!({"state": "accepted", "quoted_status_id": "103270115826048975"});
    let decoded: StatusQuote = serde_json::from_value(shallow.clone()).unwrap();
    assert!(
        matches!(decoded, StatusQuote::ShallowQuote(_)),
        "{decoded:?}"
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), shallow);
    let full = json!({"state": "accepted", "quoted_status": {"id": "1"}});
    let decoded: StatusQuote = serde_json::from_value(full.clone()).unwrap();
    assert!(matches!(decoded, StatusQuote::Quote(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), full);
    // Both keep `{state}` whole: the document's order decides.
    let bare: StatusQuote = serde_json::from_value(json!({"state": "pending"})).unwrap();
    assert!(matches!(bare, StatusQuote::Quote(_)), "{bare:?}");
}

/// `allOf: [KeyBase]` beside `oneOf: [RsaKey, EcKey]` (Okta's signing keys): every variant
/// carries the base's properties and the schema's own, and neither the base nor the
/// variant's own properties are lost.
#[test]
fn all_of_beside_one_of_gives_each_variant_the_base() {
    use siblings::models::{SigningKey, SigningKeyEcKey, SigningKeyRsaKey};
    let rsa = json!({"kid": "k1", "status": "ACTIVE", "use": "sig", "kty": "RSA", "n": "AQAB", "e": "65537"});
    let decoded: SigningKey = serde_json::from_value(rsa.clone()).unwrap();
    assert!(
        matches!(&decoded, SigningKey::RsaKey(key) if key.kid == "k1" && key.n == "AQAB"),
        "{decoded:?}"
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), rsa);
    let ec = json!({"kid": "k2", "kty": "EC", "x": "1", "y": "2"});
    let decoded: SigningKey = serde_json::from_value(ec.clone()).unwrap();
    assert!(
        matches!(&decoded, SigningKey::EcKey(key) if key.x == "1"),
        "{decoded:?}"
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), ec);
    // Built by a caller: the base's required `kid` is asked for beside the variant's own.
    let built = SigningKeyEcKey::new("k3", "EC", "1", "2");
    assert_eq!(
        serde_json::to_value(SigningKey::EcKey(Box::new(built))).unwrap(),
        json!({"kid": "k3", "kty": "EC", "x": "1", "y": "2"})
    );
    let _ = SigningKeyRsaKey::new("k4", "RSA", "n", "e");
}
