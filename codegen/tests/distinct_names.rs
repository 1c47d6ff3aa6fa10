//! No type of a tag's module shares a name with a model: a document whose schemas are named
//! like the generator's own types (OpenAI's `CreateChatCompletionRequest` body beside the
//! `createChatCompletion` builder, petstore's `Pets` schema beside the `pets` tag, Twilio's
//! tags named like their schemas) gets distinct names, and the models keep the document's.

use specwire_codegen::{Options, Spec, generate, lower};

const DOCUMENT: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /chat/completions:
    post:
      tags: [Chat]
      operationId: createChatCompletion
      parameters:
        - {name: stream, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/CreateChatCompletionRequest"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Chat"}
  /chat/other:
    get:
      tags: [Chat]
      operationId: createChatCompletionRequest
      responses: {"204": {description: none}}
components:
  schemas:
    CreateChatCompletionRequest:
      type: object
      properties:
        model: {type: string}
    Chat:
      type: object
      properties:
        id: {type: string}
    StreamSchema:
      type: object
      properties:
        on: {type: boolean}
"##;

#[test]
fn the_tags_types_give_way_to_the_models() {
    let spec = Spec::parse("chat.yaml", DOCUMENT).unwrap();
    let api = lower(&spec, &Options::default()).unwrap();
    let tag = &api.tags[0];
    assert_eq!(tag.type_name, "ChatApi");
    let builders: Vec<&str> = tag
        .operations
        .iter()
        .map(|op| op.builder_name.as_str())
        .collect();
    // The second operation's own builder name was `CreateChatCompletionRequestRequest`; the
    // first's gives way to the model, then to nothing else of the crate.
    assert_eq!(
        builders,
        [
            "CreateChatCompletionRequestBuilder",
            "CreateChatCompletionRequestRequest"
        ]
    );
    let params: Vec<&str> = tag.operations[0]
        .params
        .iter()
        .map(|p| p.type_name.as_str())
        .collect();
    assert_eq!(params, ["StreamSchema2"]);
    let mut models: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    models.sort_unstable();
    assert_eq!(
        models,
        ["Chat", "CreateChatCompletionRequest", "StreamSchema"]
    );
}

#[test]
fn the_generated_crate_names_each_type_once() {
    let spec = Spec::parse("chat.yaml", DOCUMENT).unwrap();
    let output = generate(&spec, &Options::default()).unwrap();
    let file = |path: &str| {
        output
            .files
            .iter()
            .find(|(p, _)| p.as_str() == path)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {path}"))
    };
    let tag = file("chat.rs");
    assert!(tag.contains("pub struct ChatApi {"), "{tag}");
    assert!(
        tag.contains("pub use self::create_chat_completion::CreateChatCompletionRequestBuilder;"),
        "{tag}"
    );
    assert!(tag.contains("pub mod create_chat_completion {"), "{tag}");
    assert!(
        tag.contains("body: super::super::models::CreateChatCompletionRequest"),
        "{tag}"
    );
}

/// Each media type a success documents besides the decoded one gets a send method named by
/// its kind or subtype; a parameter's setter keeps its name and the method gives way.
#[test]
fn alternative_media_types_get_send_methods_that_give_way_to_setters() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /report:
    get:
      operationId: getReport
      parameters:
        - {name: send_events, in: query, schema: {type: boolean}}
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {type: object}}
            text/event-stream: {schema: {type: object}}
            application/x-ndjson: {schema: {type: object}}
            application/x-yaml: {schema: {type: string}}
            text/csv: {schema: {type: string}}
            application/pdf: {schema: {type: string, format: binary}}
            application/type: {schema: {type: string, format: binary}}
"##;
    let spec = Spec::parse("report.yaml", text).unwrap();
    let api = lower(&spec, &Options::default()).unwrap();
    let op = &api.tags[0].operations[0];
    assert_eq!(op.params[0].rust_name, "send_events");
    let methods: Vec<(&str, &str)> = op
        .success
        .alternatives
        .iter()
        .map(|a| (a.media_type.as_str(), a.method.as_str()))
        .collect();
    assert_eq!(
        methods,
        [
            ("application/pdf", "send_pdf"),
            // A keyword subtype: the method is no raw identifier (a fuzz case panicked).
            ("application/type", "send_type"),
            ("application/x-ndjson", "send_lines"),
            ("application/x-yaml", "send_yaml"),
            ("text/csv", "send_csv"),
            ("text/event-stream", "send_events2"),
        ]
    );
}
