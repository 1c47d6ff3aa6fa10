//! The conformance program (`--conformance`) for any document: every operation is called with
//! the credentials its `security` accepts, and with values its parameters and bodies accept,
//! wherever the document declares them. `data/conformance-calls.yaml` gathers the shapes that
//! broke it on real documents; run against Prism serving it, every call and both round trips pass.

use specwire_codegen::{Options, Spec, conformance_program};

fn program() -> String {
    let text = include_str!("data/conformance-calls.yaml");
    let spec = Spec::parse("conformance-calls.yaml", text).unwrap();
    conformance_program(&spec, &Options::default(), "smoke-api").unwrap()
}

/// The body of the generated `async fn call_<name>`, as one line of tokens.
fn call(program: &str, name: &str) -> String {
    let start = program
        .find(&format!("async fn call_{name}("))
        .unwrap_or_else(|| panic!("no call_{name} in:\n{program}"));
    let end = program[start..]
        .find("\n}\n")
        .map_or(program.len(), |e| start + e);
    program[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_call_sends_the_credentials_its_operation_accepts() {
    let program = program();
    let expected = [
        ("get_items", "client(base_url, Auth::Basic)"),
        (
            "header_key",
            r#"Auth::ApiKey(::specwire::ApiKeyLocation::Header, "X-Key")"#,
        ),
        (
            "query_key",
            r#"Auth::ApiKey(::specwire::ApiKeyLocation::Query, "key")"#,
        ),
        (
            "cookie_key",
            r#"Auth::ApiKey(::specwire::ApiKeyLocation::Cookie, "session")"#,
        ),
        ("open", "client(base_url, Auth::None)"),
        ("bearer", "client(base_url, Auth::Bearer)"),
    ];
    for (name, auth) in expected {
        let body = call(&program, name);
        assert!(body.contains(auth), "call_{name}: {body}");
    }
}

#[test]
fn parameters_get_values_of_their_own_types_wherever_they_are_declared() {
    let body = call(&program(), "get_items");
    // The path item's enum parameter, an object parameter decoded into its named model, an
    // enum behind `allOf` and one behind two `$ref`s.
    let expected = r#".get_items( "book", match decoded::<smoke_api::models::Filter>("{\"name\":\"x\"}") { Ok(value) => value, Err(outcome) => return outcome, }, match decoded::<smoke_api::models::Order>("\"asc\"") { Ok(value) => value, Err(outcome) => return outcome, }, "asc", );"#;
    assert!(body.contains(expected), "{body}");
}

/// A call with both a request body and an object parameter: the body is a local named
/// `body`, which must not shadow the decoding helper (Kubevirt's document did not compile:
/// E0109).
#[test]
fn a_request_body_does_not_shadow_the_decoding_helper() {
    let body = call(&program(), "patch_filtered");
    assert!(
        body.contains(r#"let body = match decoded("{\"name\":\"x\"}")"#)
            && body.contains(r#"match decoded::<smoke_api::models::Filter>("{\"name\":\"x\"}")"#),
        "{body}"
    );
}

#[test]
fn strings_have_the_format_a_validator_checks() {
    let body = call(&program(), "get_silence");
    assert!(
        body.contains(r#".get_silence("00000000-0000-4000-8000-000000000000")"#),
        "{body}"
    );
}

#[test]
fn bodies_carry_their_required_parts_and_enums_behind_all_of() {
    let program = program();
    let upload = call(&program, "upload");
    assert!(
        upload.contains(r#"::specwire::Multipart::new() .text("name", "x") .file( "file", "conformance.bin", "application/octet-stream", &b"conformance"[..], );"#),
        "{upload}"
    );
    let post = call(&program, "post_body");
    assert!(
        post.contains(r#"decoded("{\"level\":\"asc\",\"order\":\"asc\"}")"#),
        "{post}"
    );
}

/// Every example of a union (its own, and its members') is decoded as the union and encoded
/// again; it must come back the same, through a variant.
#[test]
fn each_union_example_is_a_round_trip() {
    let all = program().split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        r#"("round trip Part #1", round_trip:: < smoke_api::models::Part > ("{\"text\":\"hi\",\"type\":\"text\"}", | value | matches!(value, smoke_api::models::Part::Unknown(_))))"#,
        r#"("round trip Part #2", round_trip:: < smoke_api::models::Part > ("{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://example.com/v.mp4\"}}","#,
    ] {
        assert!(all.contains(expected), "{expected} not in {all}");
    }
}

/// OpenAPI 3.2's `query` and `additionalOperations` are read where the document writes
/// them: an operation there with its own `security` gets what it says, not the document's.
#[test]
fn methods_without_a_fixed_field_send_the_credentials_of_their_own_security() {
    let text = r#"openapi: 3.2.0
info: {title: t, version: "1"}
security: [{token: []}]
paths:
  /planets:
    query:
      operationId: queryPlanets
      security: []
      responses: {"204": {description: done}}
    additionalOperations:
      copy:
        operationId: copyPlanet
        security: [{basic: []}]
        responses: {"204": {description: done}}
      LINK:
        operationId: linkPlanet
        responses: {"204": {description: done}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    token: {type: http, scheme: bearer}
"#;
    let spec = Spec::parse("methods.yaml", text).unwrap();
    let program = conformance_program(&spec, &Options::default(), "smoke-api").unwrap();
    for (name, auth) in [
        ("query_planets", "client(base_url, Auth::None)"),
        ("copy_planet", "client(base_url, Auth::Basic)"),
        ("link_planet", "client(base_url, Auth::Bearer)"),
    ] {
        let body = call(&program, name);
        assert!(body.contains(auth), "call_{name}: {body}");
    }
}
