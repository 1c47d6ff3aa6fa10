//! MongoDB's specs after 2025-06-30 add header parameters to cluster operations and declare
//! `RateLimit-*` / `Retry-After` response headers on every operation. Built here from the
//! Access Tracking fixture (the shipped spec's tag, as this project writes it) the way those
//! specs write them: every operation must still generate, with
//! the header typed, checked and sent, and the response headers typed.

use specwire_codegen::{Options, Spec};

fn newer_spec() -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/atlas-access-tracking.yaml"),
    )
    .unwrap();
    let header_param = "        - name: Use-Effective-Instance-Fields\n          in: header\n          description: Report the effective instance fields.\n          schema:\n            type: boolean\n            default: false\n";
    let rate_headers = "          headers:\n            RateLimit-Limit:\n              schema: {type: integer}\n            RateLimit-Remaining:\n              schema: {type: integer}\n";
    let text = text.replacen(
        "      parameters:\n",
        &format!("      parameters:\n{header_param}"),
        1,
    );
    // Both operations' 200 responses declare the rate-limit headers.
    let text = text.replace(
        "        \"200\":\n          description: OK\n",
        &format!("        \"200\":\n          description: OK\n{rate_headers}"),
    );
    assert!(text.contains("Use-Effective-Instance-Fields") && text.contains("RateLimit-Limit"));
    text
}

/// The text without whitespace, so assertions do not depend on line breaks.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

/// The inline module of operation `name` in its tag's file: from its `pub mod` line to the
/// next one.
fn operation_module<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag
        .find(&format!("pub mod {name} {{"))
        .unwrap_or_else(|| panic!("no module {name}"));
    let rest = &tag[start..];
    let end = rest[1..].find("\npub mod ").map_or(rest.len(), |at| at + 1);
    &rest[..end]
}

#[test]
fn header_parameters_and_response_headers_generate() {
    let spec = Spec::parse("newer.yaml", &newer_spec()).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    assert_eq!(output.coverage.operations_generated, 2);
    assert_eq!(output.coverage.operations_in_spec, 2);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let tag = &output.files["access_tracking.rs"];
    let cluster = &squeezed(operation_module(tag, "list_access_logs_by_cluster_name"));
    assert!(
        cluster.contains(&squeezed(
            "pub fn use_effective_instance_fields(mut self, value: bool) -> Self"
        )),
        "the header parameter is missing"
    );
    assert!(
        cluster.contains(&squeezed("::specwire::runtime::ParamSpec::new(\"Use-Effective-Instance-Fields\", ::specwire::runtime::Placement::Header(::specwire::runtime::Style::simple(false),),)")),
        "the header is not written: {cluster}"
    );
    assert!(
        cluster.contains(&squeezed(
            "self.draft.set(0, &UseEffectiveInstanceFieldsSchema::new(value));"
        )),
        "the setter does not keep the header: {cluster}"
    );
    // Its type carries the default the server assumes.
    assert!(
        cluster.contains("Self(false)"),
        "the header parameter is missing"
    );
    for file in [
        "list_access_logs_by_cluster_name",
        "list_access_logs_by_hostname",
    ] {
        let text = &squeezed(operation_module(tag, file));
        assert!(text.contains("pubstructResponseHeaders"), "{file}");
        assert!(
            text.contains(&squeezed(
                "pub rate_limit_limit: ::std::option::Option<i64>,"
            )),
            "{file}: typed headers missing"
        );
        assert!(
            text.contains(&squeezed(
                "::specwire::Response<super::super::models::MongoDBAccessLogsList, ResponseHeaders"
            )),
            "{file}: typed headers missing"
        );
    }
}
