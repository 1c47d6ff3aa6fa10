//! Deprecation at run time: a response's `Deprecation` (RFC 9745) and `Sunset` (RFC 8594)
//! headers are readable on `send_with_response()`, and the first one each operation gets is
//! one `tracing` warning (target `specwire`), however often it is called.
//!
//! At compile time the 44 operations MongoDB's document gives an `x-sunset` are
//! `#[deprecated]` (`tests/tests/snapshots.rs` counts them); this file calls them anyway.
#![allow(deprecated)]

use std::sync::{Arc, Mutex};

use atlas_sdk::Client;
use tracing_subscriber::layer::SubscriberExt as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The `operation_id` and message of every warning with target `specwire`.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<(String, String)>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let meta = event.metadata();
        if meta.target() != "specwire" || *meta.level() != tracing::Level::WARN {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.0
            .lock()
            .unwrap()
            .push((fields.operation_id, fields.message));
    }
}

#[derive(Default)]
struct Fields {
    operation_id: String,
    message: String,
}

impl tracing::field::Visit for Fields {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "operation_id" {
            self.operation_id = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

mod support;

fn client(server: &MockServer) -> Client {
    support::local(&server.uri()).build().unwrap()
}

#[tokio::test]
async fn sunset_headers_are_readable_and_warned_about_once_per_operation() {
    let server = MockServer::start().await;
    let sunset = ResponseTemplate::new(200)
        .insert_header("Content-Type", "application/vnd.atlas.2023-01-01+json")
        .insert_header("Deprecation", "@1767225600")
        .insert_header("Sunset", "Fri, 31 Jul 2026 00:00:00 GMT")
        .insert_header(
            "Link",
            "<https://www.mongodb.com/docs/atlas/reference/api-deprecation/>; rel=\"deprecation\"",
        );
    Mock::given(method("GET"))
        .and(path(
            "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/invites",
        ))
        .respond_with(sunset.clone().set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/orgs/5e2211c17a3e5a48f5497de3/invites"))
        .respond_with(sunset.set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = client(&server);

    let projects = client.projects();
    let response = projects
        .list_project_invitations("32b6e34b3d91647abb20e7b8")
        .send_with_response()
        .await
        .unwrap();
    let notice = response.deprecation().expect("the headers are there");
    assert_eq!(notice.deprecation.as_deref(), Some("@1767225600"));
    assert_eq!(
        notice.deprecated_at.map(|t| t.unix_timestamp()),
        Some(1_767_225_600)
    );
    assert_eq!(
        notice.sunset.as_deref(),
        Some("Fri, 31 Jul 2026 00:00:00 GMT")
    );
    assert_eq!(
        notice.sunset_at.map(|t| t.unix_timestamp()),
        Some(1_785_456_000)
    );
    assert_eq!(
        notice.links,
        ["https://www.mongodb.com/docs/atlas/reference/api-deprecation/"]
    );
    for _ in 0..3 {
        projects
            .list_project_invitations("32b6e34b3d91647abb20e7b8")
            .send()
            .await
            .unwrap();
    }
    client
        .organizations()
        .list_organization_invitations("5e2211c17a3e5a48f5497de3")
        .send()
        .await
        .unwrap();

    let seen = warnings.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (
                "listProjectInvitations".to_owned(),
                "the server says this operation is deprecated".to_owned()
            ),
            (
                "listOrganizationInvitations".to_owned(),
                "the server says this operation is deprecated".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_response_without_the_headers_has_no_deprecation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/accessList",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", "application/vnd.atlas.2023-01-01+json")
                .set_body_json(serde_json::json!({"results": [], "totalCount": 0})),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .project_ip_access_list()
        .list_project_ip_access_lists("32b6e34b3d91647abb20e7b8")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.deprecation(), None);
}
