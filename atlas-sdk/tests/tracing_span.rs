//! One `tracing` span per call, with OpenTelemetry's HTTP client field names. Alone in its
//! test binary: tracing caches whether a callsite is enabled process-wide, so a test on
//! another thread with no subscriber can make this one miss the span.

use std::sync::{Arc, Mutex};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn builder(server: &MockServer) -> atlas_sdk::ClientBuilder {
    atlas_sdk::Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .bearer_token("secret-token")
        .retry(
            atlas_sdk::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1))
                .max_backoff(std::time::Duration::from_millis(2)),
        )
}

async fn call(
    client: &atlas_sdk::Client,
) -> Result<atlas_sdk::models::MongoDBAccessLogsList, atlas_sdk::Error> {
    client
        .access_tracking()
        .list_access_logs_by_cluster_name(GROUP, "Cluster0")
        .send()
        .await
}

/// Collects the fields of every `specwire.request` span, as they are set and recorded.
#[derive(Clone, Default)]
struct SpanFields(Arc<Mutex<Vec<(String, String)>>>);

struct Visitor<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        self.0.push((field.name().to_owned(), value.to_string()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SpanFields {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() == "specwire.request" {
            attrs.record(&mut Visitor(&mut self.0.lock().unwrap()));
        }
    }
    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        values.record(&mut Visitor(&mut self.0.lock().unwrap()));
    }
}

#[tokio::test]
async fn one_span_per_call_with_opentelemetry_fields() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"accessLogs": []})),
        )
        .mount(&server)
        .await;
    let fields = SpanFields::default();
    let subscriber = tracing_subscriber::registry().with(fields.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    call(&builder(&server).build().unwrap()).await.unwrap();
    let fields = fields.0.lock().unwrap().clone();
    let last = |name: &str| {
        fields
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no `{name}` in {fields:?}"))
    };
    assert_eq!(last("operation_id"), "listAccessLogsByClusterName");
    assert_eq!(last("http.request.method"), "GET");
    assert_eq!(
        last("url.template"),
        "/api/atlas/v2/groups/{groupId}/dbAccessHistory/clusters/{clusterName}"
    );
    assert_eq!(last("otel.kind"), "client");
    assert_eq!(last("server.address"), "127.0.0.1");
    assert_eq!(
        last("http.request.resend_count"),
        "1",
        "one retry after the 503"
    );
    assert_eq!(last("http.response.status_code"), "200");
    assert!(
        !fields.iter().any(|(_, v)| v.contains("Bearer")),
        "no credential in the span"
    );
}
