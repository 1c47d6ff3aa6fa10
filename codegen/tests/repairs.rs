//! The mistakes real documents carry are repaired, each with a located `repair` note, and
//! generation goes on: only text that is not YAML or JSON, or not an OpenAPI document, stops
//! it (`errors.rs`). Also OpenAPI 3.1/3.2 keywords read into the one document model.

use specwire_codegen::ir::{NoteKind, SuccessBody, TypeKind, TypeRef};
use specwire_codegen::{Options, Spec};

const BASE: &str = r##"openapi: 3.0.1
info:
  title: t
  version: "1"
paths:
  /groups/{groupId}:
    get:
      operationId: getGroup
      parameters:
        - name: groupId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Group'
components:
  schemas:
    Group:
      type: object
      properties:
        id:
          type: string
"##;

const GET: &str = "#/paths/~1groups~1{groupId}/get";

/// The notes of `kind`, as (pointer, message).
fn notes(text: &str, kind: NoteKind) -> Vec<(String, String)> {
    let spec = Spec::parse("spec.yaml", text).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    output
        .diagnostics
        .into_iter()
        .filter(|d| d.kind == kind)
        .map(|d| (d.pointer, d.message))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(p, m)| ((*p).to_owned(), (*m).to_owned()))
        .collect()
}

#[test]
fn a_dangling_reference_is_any_json_value() {
    let text = BASE.replace("schemas/Group'", "schemas/Missing'");
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[(
            &format!("{GET}/responses/200/content/application~1json/schema/$ref"),
            "`$ref: #/components/schemas/Missing` points to nothing in this document; typed as any JSON value"
        )])
    );
    let spec = Spec::parse("spec.yaml", &text).unwrap();
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap();
    let operation = &api.tags[0].operations[0];
    assert_eq!(operation.success.body, SuccessBody::Json(TypeRef::Json));
}

#[test]
fn a_url_reference_is_never_fetched_and_the_note_says_what_to_save() {
    let text = BASE.replace(
        "'#/components/schemas/Group'",
        "'https://example.com/schemas/group.json#/Group'",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[(
            &format!("{GET}/responses/200/content/application~1json/schema/$ref"),
            "`$ref: https://example.com/schemas/group.json#/Group` is not fetched (the generator reads no network); typed as any JSON value. Save `https://example.com/schemas/group.json` beside the specification as `group.json` and write `$ref: group.json#/Group` to have it typed"
        )])
    );
}

#[test]
fn a_ref_key_inside_an_example_is_data_not_a_reference() {
    let text = BASE.replace(
        "        id:\n          type: string\n",
        "        id:\n          type: string\n      example:\n        $ref: '#/nowhere'\n        nested: {$ref: 'not/a/file.yaml'}\n",
    );
    assert_eq!(notes(&text, NoteKind::Repair), []);
}

#[test]
fn duplicate_operation_ids_are_told_apart_by_method() {
    let text = BASE.replace(
        "components:",
        "  /other:\n    head:\n      operationId: getGroup\n      responses:\n        \"204\":\n          description: none\ncomponents:",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[(
            "#/paths/~1other/head/operationId",
            "`operationId: getGroup` is also used by another operation; `head /other` is named `getGroup_head`"
        )])
    );
}

#[test]
fn path_parameters_follow_the_template() {
    // Declared under another name: the declared one is dropped, the template's added.
    let text = BASE.replace("        - name: groupId\n", "        - name: other\n");
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[
            (
                GET,
                "the path names `{groupId}`, which no parameter declares; sent as a string"
            ),
            (
                &format!("{GET}/parameters/0"),
                "path parameter `other` is not in the path template; left out"
            ),
        ])
    );
    let spec = Spec::parse("spec.yaml", &text).unwrap();
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap();
    let params: Vec<&str> = api.tags[0].operations[0]
        .params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(params, ["groupId"]);
}

#[test]
fn a_parameter_without_a_schema_is_a_string_and_swagger_fields_are_its_schema() {
    let text = BASE.replace(
        "          required: true\n          schema:\n            type: string\n",
        "          required: true\n",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[(
            &format!("{GET}/parameters/0"),
            "parameter `groupId` has neither `schema` nor `content`; sent as a string"
        )])
    );
    let text = BASE.replace(
        "          schema:\n            type: string\n",
        "          type: integer\n          maximum: 18446744073709551615\n",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[
            (
                &format!("{GET}/parameters/0"),
                "parameter `groupId` declares its type beside a schema (Swagger 2.0's form); read as its schema"
            ),
            (
                &format!("{GET}/parameters/0/schema"),
                "`maximum: 18446744073709551615` is beyond a 64-bit integer; the bound is not checked"
            ),
        ])
    );
}

#[test]
fn a_mistyped_keyword_is_ignored_where_it_is() {
    let text = BASE.replace(
        "          in: path\n",
        "          in: path\n          deprecated: [yes]\n",
    );
    let repairs = notes(&text, NoteKind::Repair);
    assert_eq!(repairs.len(), 1, "{repairs:?}");
    assert_eq!(repairs[0].0, format!("{GET}/parameters/0/deprecated"));
    assert!(
        repairs[0]
            .1
            .starts_with("`deprecated` ignored: it does not have the form OpenAPI gives it"),
        "{repairs:?}"
    );
}

#[test]
fn form_data_parameters_in_a_3_0_document_are_a_form_body() {
    let text = BASE.replace(
        "          schema:\n            type: string\n",
        "          schema:\n            type: string\n        - {name: upload, in: formData, type: file, required: true}\n        - {name: note, in: formData, type: string}\n",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[(
            &format!("{GET}/parameters"),
            "`in: formData` parameters (Swagger 2.0's form) sent as a `multipart/form-data` request body"
        )])
    );
    let spec = Spec::parse("spec.yaml", &text).unwrap();
    let body = spec
        .raw
        .pointer("/paths/~1groups~1{groupId}/get/requestBody")
        .unwrap();
    assert_eq!(
        body,
        &serde_json::json!({
            "required": true,
            "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "upload": {"type": "string", "format": "binary"},
                    "note": {"type": "string"}
                },
                "required": ["upload"]
            }}}
        })
    );
}

#[test]
fn a_reference_into_another_schema_is_hoisted_into_a_component() {
    let text = BASE
        .replace("schemas/Group'", "schemas/Group/properties/owner'")
        .replace(
            "        id:\n          type: string\n",
            "        id:\n          type: string\n        owner:\n          type: object\n          properties:\n            name: {type: string}\n",
        );
    assert_eq!(notes(&text, NoteKind::Repair), []);
    let spec = Spec::parse("spec.yaml", &text).unwrap();
    assert_eq!(
        spec.raw.pointer(
            "/paths/~1groups~1{groupId}/get/responses/200/content/application~1json/schema/$ref"
        ),
        Some(&serde_json::json!("#/components/schemas/Group_owner"))
    );
    assert!(
        spec.raw
            .pointer("/components/schemas/Group_owner/properties/name")
            .is_some()
    );
}

/// A 3.1 document with the keywords that 3.0 lacks.
const MODERN: &str = r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [kind, name]
      properties:
        kind: {const: dog}
        name: {type: [string, "null"]}
        age: {type: integer, exclusiveMinimum: 0}
        owner:
          anyOf:
            - $ref: '#/components/schemas/Owner'
            - type: "null"
        tags: {type: array, prefixItems: [{type: string}, {type: string}], minItems: 2, items: false}
        id: {type: [string, integer]}
        photo: {type: string, contentEncoding: base64}
        labels: {type: object, patternProperties: {"^x-": {type: string}}}
    Owner:
      type: object
      properties:
        name: {type: string}
"##;

#[test]
fn json_schema_2020_12_keywords_are_typed() {
    let spec = Spec::parse("spec.yaml", MODERN).unwrap();
    assert_eq!(spec.version, specwire_codegen::Version::V3_1);
    let pet = spec
        .raw
        .pointer("/components/schemas/Pet/properties")
        .unwrap();
    assert_eq!(
        pet["kind"],
        serde_json::json!({"type": "string", "enum": ["dog"]})
    );
    assert_eq!(
        pet["name"],
        serde_json::json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        pet["age"],
        serde_json::json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
    );
    assert_eq!(
        pet["owner"],
        serde_json::json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
    );
    assert_eq!(
        pet["tags"],
        serde_json::json!({"type": "array", "items": {"type": "string"}, "minItems": 2}),
        "the tuple is the generator's fact, kept out of the document"
    );
    assert_eq!(
        pet["id"],
        serde_json::json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(
        pet["photo"],
        serde_json::json!({"type": "string", "format": "byte"})
    );
    assert_eq!(
        pet["labels"],
        serde_json::json!({"type": "object", "additionalProperties": {"type": "string"}})
    );
    // Valid 3.1 is no mistake: no repair notes; what has no exact type is noted as a schema.
    assert_eq!(notes(MODERN, NoteKind::Repair), []);
    assert_eq!(
        notes(MODERN, NoteKind::Schema),
        pairs(&[(
            "#/components/schemas/Pet/properties/labels",
            "`patternProperties` typed as a map of string keys; keys are not checked against the patterns"
        ),])
    );
    // The nullable reference is the referenced type, not a copy of it.
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap();
    let pet = api.types.iter().find(|t| t.name == "Pet").unwrap();
    let TypeKind::Struct { fields, .. } = &pet.kind else {
        panic!("{:?}", pet.kind)
    };
    let tags = fields.iter().find(|f| f.wire_name == "tags").unwrap();
    assert_eq!(
        tags.ty,
        TypeRef::Tuple(vec![TypeRef::String, TypeRef::String])
    );
    let owner = fields.iter().find(|f| f.wire_name == "owner").unwrap();
    assert!(owner.nullable);
    assert_eq!(
        owner.ty.show(&api.types).to_string(),
        "`Owner`",
        "{:?}",
        owner.ty
    );
}

#[test]
fn the_same_keywords_in_a_3_0_document_are_repairs() {
    let text = MODERN.replace("openapi: 3.1.0", "openapi: 3.0.3");
    let repairs = notes(&text, NoteKind::Repair);
    let pointers: Vec<&str> = repairs.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/Pet/properties/age",
            "#/components/schemas/Pet/properties/id",
            "#/components/schemas/Pet/properties/kind",
            "#/components/schemas/Pet/properties/labels",
            "#/components/schemas/Pet/properties/name",
            "#/components/schemas/Pet/properties/photo",
            "#/components/schemas/Pet/properties/tags",
        ]
    );
}

#[test]
fn a_webhook_only_document_without_paths_generates_its_webhooks() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\nwebhooks:\n  newPet:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {id: {type: string}}}\n      responses:\n        \"200\": {description: OK}\n";
    let spec = Spec::parse("spec.yaml", text).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    assert_eq!(output.coverage.webhooks_in_spec, 1);
    assert_eq!(output.coverage.webhooks_generated, 1);
    let webhooks: String = output.files["webhooks.rs"].split_whitespace().collect();
    assert!(
        webhooks.contains("pubfnnew_pet(body:&[u8],)->::std::result::Result<super::models::NewPetWebhook,::specwire::WebhookError>"),
        "{webhooks}"
    );
}

#[test]
fn a_cycle_of_references_that_never_reaches_a_schema_is_any_json_value() {
    let text = BASE.replace(
        "components:\n  schemas:\n",
        "components:\n  schemas:\n    Ping: {$ref: '#/components/schemas/Pong'}\n    Pong: {$ref: '#/components/schemas/Ping'}\n",
    );
    assert_eq!(
        notes(&text, NoteKind::Repair),
        pairs(&[
            (
                "#/components/schemas/Ping",
                "a chain of `$ref`s that leads back to itself and never reaches a schema; typed as any JSON value"
            ),
            (
                "#/components/schemas/Pong",
                "a chain of `$ref`s that leads back to itself and never reaches a schema; typed as any JSON value"
            ),
        ])
    );
    let spec = Spec::parse("spec.yaml", &text).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    let ping: String = output.files["models/p.rs"].split_whitespace().collect();
    assert!(
        ping.contains("pubtypePing=::specwire::runtime::serde_json::Value;"),
        "{ping}"
    );
}

/// A file that starts with a UTF-8 byte-order mark (as Windows editors save them) is read
/// without it, JSON as YAML, with a note; its digest is of the file as it is.
#[test]
fn a_byte_order_mark_is_skipped_with_a_note() {
    let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
    let yaml = "\u{feff}swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
    for text in [json, yaml] {
        let spec = specwire_codegen::Spec::parse("bom.json", text).unwrap();
        let notes: Vec<(&str, &str)> = spec
            .notes
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(notes, [("#", specwire_codegen::BYTE_ORDER_MARK_NOTE)]);
        assert_eq!(spec.notes[0].kind, specwire_codegen::ir::NoteKind::Repair);
    }
    let plain =
        specwire_codegen::Spec::parse("plain.json", &json['\u{feff}'.len_utf8()..]).unwrap();
    let marked = specwire_codegen::Spec::parse("bom.json", json).unwrap();
    assert_ne!(plain.sha256, marked.sha256);
    assert!(plain.notes.is_empty());
}

/// JSON Schema counts a number with a zero fraction as an integer: `maxLength: 255.0` (as
/// OpenZiti writes it) is the count 255, not a keyword of the wrong form.
#[test]
fn a_count_written_as_a_whole_float_is_that_count() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Env:\n      type: object\n      properties:\n        arch: {type: string, maxLength: 255.0, minLength: 1.0}\n        tags: {type: array, items: {type: string}, maxItems: 2.5}\n";
    let spec = Spec::parse("counts.yaml", text).unwrap();
    let properties = &spec.raw["components"]["schemas"]["Env"]["properties"];
    assert_eq!(properties["arch"]["maxLength"], serde_json::json!(255));
    assert_eq!(properties["arch"]["minLength"], serde_json::json!(1));
    let notes: Vec<&str> = spec.notes.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        notes,
        ["#/components/schemas/Env/properties/tags/maxItems"],
        "2.5 is no count: still ignored, with its note"
    );
}

/// The generator's passes leave one another facts as `x-atlas-*` keys (and hand lowering
/// those it needs in a table); a document that carries such keys itself generates the same
/// code as one without them (each is noted).
#[test]
fn a_document_cannot_steer_the_generator_through_its_markers() {
    let plain = r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /points:
    get:
      operationId: listPoints
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Point"}
components:
  schemas:
    Point:
      type: object
      properties:
        at: {type: array, items: {type: number}}
"##;
    let steering = plain
        .replace(
            "{name: ids, in: query, ",
            "{name: ids, in: query, x-atlas-delimiter: \"|\", x-atlas-querystring: true, ",
        )
        .replace(
            "at: {type: array, items: {type: number}}",
            "at: {type: array, items: {type: number}, x-atlas-tuple: [number, number], x-atlas-null-only: true}",
        )
        .replace(
            "  /points:\n",
            "  /points:\n    x-atlas-operations: {QUERY: {operationId: injected, responses: {\"200\": {description: ok}}}}\n",
        );
    assert_ne!(plain, steering);
    let generate = |text: &str| {
        let spec = Spec::parse("t.yaml", text).unwrap();
        let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
        // The header names the document's digest, which differs with its text.
        let files: Vec<(String, String)> = output
            .files
            .into_iter()
            .map(|(path, text)| {
                let body: Vec<&str> = text.lines().filter(|l| !l.contains("sha256")).collect();
                (path, body.join("\n"))
            })
            .collect();
        (files, output.diagnostics)
    };
    let (plain_files, plain_notes) = generate(plain);
    let (steered_files, steered_notes) = generate(&steering);
    assert_eq!(plain_files, steered_files);
    assert!(plain_notes.is_empty(), "{plain_notes:?}");
    let noted: Vec<String> = steered_notes
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.pointer,
                d.message.split(':').next().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        noted,
        [
            "#/components/schemas/Point/properties/at `x-atlas-null-only` is ignored",
            "#/components/schemas/Point/properties/at `x-atlas-tuple` is ignored",
            "#/paths/~1points `x-atlas-operations` is ignored",
            "#/paths/~1points/get/parameters/0 `x-atlas-delimiter` is ignored",
            "#/paths/~1points/get/parameters/0 `x-atlas-querystring` is ignored",
        ]
    );
}

/// OpenAPI 3.1's generic: `PaginatedResource` declares its item type as a `$dynamicRef` to a
/// `$dynamicAnchor`, and a response binds it with an anchor beside a `$ref` (Scalar's
/// Galaxy). The anchor beside the `$ref` must stay for the resolver: the items are typed as
/// the bound schema, not as any JSON value (a `$ref: #itemType` naming no file).
#[test]
fn an_anchor_beside_a_reference_binds_a_dynamic_reference() {
    let text = r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /planets:
    get:
      operationId: listPlanets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $defs:
                  itemType: {$dynamicAnchor: itemType, $ref: "#/components/schemas/Planet"}
                $ref: "#/components/schemas/PaginatedResource"
components:
  schemas:
    Planet:
      type: object
      properties:
        name: {type: string}
    PaginatedResource:
      $defs:
        itemType: {$dynamicAnchor: itemType, not: {}}
      type: object
      properties:
        data: {type: array, items: {$dynamicRef: "#itemType"}}
"##;
    let spec = Spec::parse("t.yaml", text).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    assert!(
        output.coverage.loose.is_empty(),
        "{:?}",
        output.coverage.loose
    );
    let repairs: Vec<&str> = output
        .diagnostics
        .iter()
        .filter(|d| d.kind == NoteKind::Repair)
        .map(|d| d.message.as_str())
        .collect();
    assert!(repairs.is_empty(), "{repairs:?}");
    // `PaginatedResource`'s struct, of its group's file.
    let models = &output.files["models/p.rs"];
    let start = models
        .find("pub struct PaginatedResource {")
        .unwrap_or_else(|| panic!("{models}"));
    let model = &models[start..start + models[start..].find("\n}\n").unwrap_or(0)];
    // The bound item type (hoisted from the response's `$defs`, a reference to `Planet`).
    assert!(
        model.contains("::std::vec::Vec<super::PlanetsGetApplicationJsonItemType>"),
        "{model}"
    );
    assert!(!model.contains("serde_json::Value"), "{model}");
}
