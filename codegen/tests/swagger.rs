//! Swagger 2.0 documents are read into the one document model: each 2.0 construct becomes its
//! 3.0 counterpart, then generates like any 3.0 document.

use serde_json::json;
use specwire_codegen::ir::{NoteKind, ParamLocation, ParamStyle};
use specwire_codegen::{Options, Spec, Version};

const PETS: &str = r##"swagger: "2.0"
info: {title: Pets, version: "1"}
host: pets.example.com
basePath: /api/v1/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key}
  robots: {type: oauth2, flow: application, tokenUrl: "https://pets.example.com/token", scopes: {}}
parameters:
  limit: {name: limit, in: query, type: integer, format: int32, maximum: 100}
  newPet: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  NotFound: {description: No such pet., schema: {$ref: '#/definitions/Error'}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/parameters/limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: pipes}
      responses:
        "200": {description: The pets., schema: {type: array, items: {$ref: '#/definitions/Pet'}}}
    post:
      operationId: addPet
      parameters:
        - $ref: '#/parameters/newPet'
      responses:
        "201": {description: Added., headers: {Location: {type: string}}}
  /pets/{id}/photo:
    put:
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      produces: [image/png]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: photo, in: formData, type: file, required: true}
        - {name: caption, in: formData, type: string}
      responses:
        "200": {description: The stored photo., schema: {type: file}}
        "404": {$ref: '#/responses/NotFound'}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      nickname: {type: string, x-nullable: true}
  Error:
    type: object
    properties:
      message: {type: string}
"##;

#[test]
fn each_2_0_construct_becomes_its_3_0_counterpart() {
    let spec = Spec::parse("pets.yaml", PETS).unwrap();
    assert_eq!(spec.version, Version::V2_0);
    let raw = &spec.raw;
    // HTTPS first: the client refuses plain HTTP unless told otherwise.
    assert_eq!(
        raw["servers"],
        json!([{"url": "https://pets.example.com/api/v1"}, {"url": "http://pets.example.com/api/v1"}])
    );
    assert_eq!(
        raw["components"]["securitySchemes"],
        json!({
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "robots": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://pets.example.com/token", "scopes": {}}}}
        })
    );
    assert_eq!(
        raw["components"]["parameters"]["limit"],
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "maximum": 100}})
    );
    assert_eq!(
        raw["components"]["requestBodies"]["newPet"],
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
    );
    let pets = &raw["paths"]["/pets"];
    assert_eq!(
        pets["post"]["requestBody"],
        json!({"$ref": "#/components/requestBodies/newPet"})
    );
    assert_eq!(
        pets["get"]["parameters"][1],
        json!({"name": "tags", "in": "query", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}})
    );
    assert_eq!(
        pets["get"]["parameters"][2]["style"],
        json!("pipeDelimited")
    );
    assert_eq!(
        pets["get"]["responses"]["200"]["content"],
        json!({"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}})
    );
    assert_eq!(
        pets["post"]["responses"]["201"]["headers"]["Location"],
        json!({"schema": {"type": "string"}})
    );
    let photo = &raw["paths"]["/pets/{id}/photo"]["put"];
    assert_eq!(
        photo["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        photo["responses"]["200"]["content"],
        json!({"image/png": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        raw["components"]["schemas"]["Pet"]["properties"]["nickname"]["nullable"],
        json!(true)
    );
}

#[test]
fn a_2_0_document_generates_like_any_other_with_notes_only_for_what_2_0_lacks() {
    let spec = Spec::parse("pets.yaml", PETS).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    assert_eq!(output.coverage.operations_generated, 3);
    assert_eq!(output.coverage.operations_in_spec, 3);
    // A form body is what 2.0 writes; in 2.0 it is no mistake, so no `repair` note.
    let kinds: Vec<(NoteKind, &str)> = output
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.message.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [(
            NoteKind::Body,
            "`in: formData` parameters (Swagger 2.0's form) sent as a `multipart/form-data` request body"
        )]
    );
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap();
    let list = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .find(|o| o.id == "listPets")
        .unwrap();
    let styles: Vec<(&str, ParamLocation, ParamStyle, bool)> = list
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location, p.style, p.explode))
        .collect();
    assert_eq!(
        styles,
        [
            ("limit", ParamLocation::Query, ParamStyle::Form, true),
            ("tags", ParamLocation::Query, ParamStyle::Form, true),
            (
                "ids",
                ParamLocation::Query,
                ParamStyle::PipeDelimited,
                false
            ),
        ]
    );
}

/// Every `collectionFormat` in every location: the 3.x style that sends the same bytes, and
/// where none does (`tsv`; `ssv` and `pipes` outside the query), the delimiter the runtime
/// joins by. Form fields get an `encoding`; a list field without a format is `csv`.
#[test]
fn each_collection_format_becomes_a_style_or_a_delimiter() {
    let text = r##"swagger: "2.0"
info: {title: Lists, version: "1"}
paths:
  /a/{p}:
    post:
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: p, in: path, required: true, type: array, items: {type: string}, collectionFormat: ssv}
        - {name: csv, in: query, type: array, items: {type: string}}
        - {name: tsv, in: query, type: array, items: {type: string}, collectionFormat: tsv}
        - {name: h, in: header, type: array, items: {type: string}, collectionFormat: pipes}
        - {name: f, in: formData, type: array, items: {type: string}}
        - {name: g, in: formData, type: array, items: {type: string}, collectionFormat: tsv}
        - {name: m, in: formData, type: array, items: {type: string}, collectionFormat: multi}
      responses: {"204": {description: done}}
"##;
    let spec = Spec::parse("lists.yaml", text).unwrap();
    let operation = &spec.raw["paths"]["/a/{p}"]["post"];
    // The delimiter no 3.x style says is the generator's fact, not the document's: it is
    // not written into the upgraded document, and lowering gives it to each list.
    let style = |i: usize| {
        let p = &operation["parameters"][i];
        (p["style"].clone(), p["explode"].clone())
    };
    assert_eq!(style(0), (json!("simple"), json!(false)));
    assert_eq!(style(1), (json!("form"), json!(false)));
    assert_eq!(style(2), (json!("form"), json!(false)));
    assert_eq!(style(3), (json!("simple"), json!(false)));
    assert!(!spec.raw.to_string().contains("x-atlas-"));
    assert_eq!(
        operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["encoding"],
        json!({
            "f": {"style": "form", "explode": false},
            "g": {"style": "form", "explode": false},
            "m": {"style": "form", "explode": true},
        })
    );
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap();
    let body = api.tags[0].operations[0].body.as_ref().map(|b| &b.encoding);
    let Some(specwire_codegen::ir::BodyEncoding::Form(fields)) = body else {
        panic!("a form body, not {body:?}");
    };
    let fields: Vec<(&str, bool, Option<char>)> = fields
        .iter()
        .map(|f| (f.property.as_str(), f.explode, f.delimiter))
        .collect();
    assert_eq!(
        fields,
        [
            ("f", false, None),
            ("g", false, Some('\t')),
            ("m", true, None)
        ]
    );
    let params: Vec<(&str, Option<char>)> = api.tags[0].operations[0]
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.delimiter))
        .collect();
    assert_eq!(
        params,
        [
            ("p", Some(' ')),
            ("csv", None),
            ("tsv", Some('\t')),
            ("h", Some('|'))
        ]
    );
}

/// A 2.0 operation's `parameters` that is not a list is left out with a located note, as in
/// a 3.x document, not dropped in silence.
#[test]
fn parameters_that_are_not_a_list_are_a_located_repair() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n      parameters: 7\n";
    let spec = Spec::parse("broken.yaml", text).unwrap();
    let output = specwire_codegen::generate(&spec, &Options::default()).unwrap();
    let notes: Vec<(NoteKind, &str, &str)> = output
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            NoteKind::Repair,
            "#/paths/~1a/get/parameters",
            "`parameters` is not a list; left out"
        )]
    );
}

/// go-swagger's extensions: `x-nullable` and NSwag's `x-isnullable` make a schema nullable;
/// `x-omitempty: false` does for a list or a map (a Go server sends its nil value as `null`),
/// and changes nothing for a scalar.
#[test]
fn go_swagger_and_nswag_extensions_say_what_may_be_null() {
    let text = r##"swagger: "2.0"
info: {title: Go, version: "1"}
paths: {}
definitions:
  Thing:
    type: object
    properties:
      a: {type: string, x-nullable: true}
      b: {type: string, x-isnullable: true}
      c: {type: array, items: {type: string}, x-omitempty: false}
      d: {type: object, additionalProperties: {type: string}, x-omitempty: false}
      e: {type: string, x-omitempty: false}
      f: {type: array, items: {type: string}, x-omitempty: true}
"##;
    let spec = Spec::parse("go.yaml", text).unwrap();
    let properties = &spec.raw["components"]["schemas"]["Thing"]["properties"];
    let nullable: Vec<(&str, bool)> = ["a", "b", "c", "d", "e", "f"]
        .into_iter()
        .map(|p| (p, properties[p]["nullable"] == json!(true)))
        .collect();
    assert_eq!(
        nullable,
        [
            ("a", true),
            ("b", true),
            ("c", true),
            ("d", true),
            ("e", false),
            ("f", false)
        ]
    );
}

/// grpc-gateway's streamed results: v2 titles the response `Stream result of …`, v1 names a
/// schema of `x-stream-definitions`; either becomes a JSON-lines stream of those objects,
/// with a note. Response `examples` stay, on the content they show.
#[test]
fn grpc_gateway_stream_results_become_json_lines() {
    let text = r##"swagger: "2.0"
info: {title: Gateway, version: "1"}
produces: [application/json]
paths:
  /v2:
    get:
      operationId: v2
      responses:
        "200":
          description: ok
          schema: {type: object, title: Stream result of v1Event, properties: {result: {$ref: '#/definitions/v1Event'}}}
  /v1:
    get:
      operationId: v1
      responses:
        "200":
          description: ok
          schema: {$ref: '#/x-stream-definitions/v1EventStream'}
  /v1same:
    get:
      operationId: v1same
      responses:
        "200":
          description: ok
          schema: {$ref: '#/x-stream-definitions/v1Event'}
  /plain:
    get:
      operationId: plain
      responses:
        "200":
          description: ok
          schema: {$ref: '#/definitions/v1Event'}
          examples: {application/json: {id: a}, text/plain: ignored}
x-stream-definitions:
  v1EventStream:
    type: object
    properties:
      result: {$ref: '#/definitions/v1Event'}
  v1Event:
    type: object
    properties:
      result: {$ref: '#/definitions/v1Event'}
definitions:
  v1Event: {type: object, properties: {id: {type: string}}}
"##;
    let spec = Spec::parse("gateway.yaml", text).unwrap();
    let paths = &spec.raw["paths"];
    assert_eq!(
        paths["/v1"]["get"]["responses"]["200"]["content"],
        json!({"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/v1EventStream"}}})
    );
    assert_eq!(
        spec.raw["components"]["schemas"]["v1EventStream"]["properties"]["result"],
        json!({"$ref": "#/components/schemas/v1Event"})
    );
    assert_eq!(
        paths["/v2"]["get"]["responses"]["200"]["content"]["application/x-ndjson"]["schema"]["title"],
        json!("Stream result of v1Event")
    );
    assert_eq!(
        paths["/plain"]["get"]["responses"]["200"]["content"],
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/v1Event"}, "example": {"id": "a"}}})
    );
    // grpc-gateway v1 names the wrapper after the message it carries: both are kept.
    assert_eq!(
        paths["/v1same"]["get"]["responses"]["200"]["content"],
        json!({"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/v1EventStreamResult"}}})
    );
    let schemas = &spec.raw["components"]["schemas"];
    assert_eq!(
        schemas["v1EventStreamResult"]["properties"]["result"],
        json!({"$ref": "#/components/schemas/v1Event"})
    );
    assert_eq!(
        schemas["v1Event"]["properties"]["id"],
        json!({"type": "string"})
    );
    let notes: Vec<&str> = spec.notes.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        notes,
        [
            "#/paths/~1v1/get/responses/200",
            "#/paths/~1v1same/get/responses/200",
            "#/paths/~1v2/get/responses/200"
        ]
    );
}

/// A multipart body is built part by part by the caller; a list field there gets a note that
/// says how 2.0 sends it (one part, joined), unless it is `multi` (a part per item).
#[test]
fn a_list_field_of_a_multipart_form_is_noted() {
    let text = r##"swagger: "2.0"
info: {title: Upload, version: "1"}
paths:
  /up:
    post:
      operationId: up
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file}
        - {name: tags, in: formData, type: array, items: {type: string}}
        - {name: many, in: formData, type: array, items: {type: string}, collectionFormat: multi}
      responses: {"204": {description: done}}
"##;
    let spec = Spec::parse("up.yaml", text).unwrap();
    let messages: Vec<&str> = spec.notes.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`in: formData` parameters (Swagger 2.0's form) sent as a `multipart/form-data` request body",
            "list field `tags` of a multipart form: Swagger 2.0 sends its items as one part, joined by commas; add it to the `Multipart` so"
        ]
    );
}
