use super::*;

struct Record(Vec<(Position, String)>);

impl Visit for Record {
    fn enter(&mut self, position: Position, _value: &mut Value, at: &str) -> bool {
        self.0.push((position, at.to_owned()));
        true
    }
}

#[test]
fn positions_are_known_from_where_they_sit_and_data_is_never_walked() {
    let mut doc = serde_json::json!({
        "paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
            "get": {"responses": {"200": {
                "description": "",
                "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/X"}}},
                    "example": {"$ref": "data, not a reference"}
                }}
            }}},
            "x-vendor": {"schema": {"type": "string"}}
        }},
        "components": {"schemas": {"X": {"type": ["string", "null"], "items": false}}}
    });
    let mut record = Record(Vec::new());
    walk(&mut doc, &mut record);
    let seen: Vec<(Position, &str)> = record.0.iter().map(|(p, at)| (*p, at.as_str())).collect();
    assert_eq!(
        seen,
        [
            (Position::PathItem, "#/paths/~1a~1{id}"),
            (Position::Parameter, "#/paths/~1a~1{id}/parameters/0"),
            (Position::Schema, "#/paths/~1a~1{id}/parameters/0/schema"),
            (Position::Operation, "#/paths/~1a~1{id}/get"),
            (Position::Response, "#/paths/~1a~1{id}/get/responses/200"),
            (
                Position::Media,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json"
            ),
            (
                Position::Schema,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema"
            ),
            (
                Position::Schema,
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/properties/x"
            ),
            (Position::Schema, "#/components/schemas/X"),
        ]
    );
}

struct Refs(Vec<(Position, String)>);

impl Read for Refs {
    fn enter(&mut self, position: Position, value: &Value, at: &str) -> bool {
        if value.get("$ref").is_some() {
            self.0.push((position, at.to_owned()));
        }
        true
    }
}

#[test]
fn swagger_2_documents_have_schemas_under_definitions_bodies_and_responses() {
    let doc = serde_json::json!({
        "swagger": "2.0",
        "definitions": {"A": {"properties": {"b": {"$ref": "#/definitions/B"}}}},
        "parameters": {"body": {"in": "body", "schema": {"$ref": "#/definitions/A"}}},
        "responses": {"ok": {"schema": {"$ref": "#/definitions/A"}}},
        "x-stream-definitions": {"S": {"$ref": "#/definitions/A"}},
        "paths": {"/a": {"get": {
            "parameters": [{"$ref": "#/parameters/body"}],
            "responses": {"200": {"schema": {"items": {"$ref": "#/definitions/B"}}}}
        }}},
        "x-vendor": {"$ref": "#/definitions/A"}
    });
    assert_eq!(Dialect::of(&doc), Dialect::Swagger2);
    let mut refs = Refs(Vec::new());
    read_at(&doc, Position::PathItem, "#", Dialect::Swagger2, &mut refs);
    assert!(refs.0.is_empty(), "a document's root is no path item");
    let mut document = Refs(Vec::new());
    let mut copy = doc.clone();
    walk_document(&mut copy, Dialect::Swagger2, &mut Recorder(&mut document));
    assert_eq!(
        document.0,
        [
            (
                Position::Parameter,
                "#/paths/~1a/get/parameters/0".to_owned()
            ),
            (
                Position::Schema,
                "#/paths/~1a/get/responses/200/schema/items".to_owned()
            ),
            (Position::Schema, "#/definitions/A/properties/b".to_owned()),
            (Position::Schema, "#/parameters/body/schema".to_owned()),
            (Position::Schema, "#/responses/ok/schema".to_owned()),
            (Position::Schema, "#/x-stream-definitions/S".to_owned()),
        ]
    );
    // The same document read as OpenAPI 3 has no schema under a response.
    let mut as_3 = Refs(Vec::new());
    walk_document(
        &mut doc.clone(),
        Dialect::OpenApi3,
        &mut Recorder(&mut as_3),
    );
    assert_eq!(
        as_3.0,
        [(
            Position::Parameter,
            "#/paths/~1a/get/parameters/0".to_owned()
        )]
    );
}

/// A [`Visit`] that reads, to compare both drivers on one document.
struct Recorder<'a>(&'a mut Refs);

impl Visit for Recorder<'_> {
    fn enter(&mut self, position: Position, value: &mut Value, at: &str) -> bool {
        self.0.enter(position, value, at)
    }
}

#[test]
fn a_part_of_a_document_is_walked_from_the_position_it_is_found_at() {
    let mut schema = serde_json::json!({
        "allOf": [{"$ref": "other.yaml#/A"}],
        "properties": {"example": {"$ref": "#/B"}, "x-data": {"$ref": "#/C"}},
        "example": {"$ref": "#/D"},
        "additionalProperties": true,
        "items": [{"$ref": "#/E"}]
    });
    let mut walked = Refs(Vec::new());
    walk_at(
        &mut schema,
        Position::Schema,
        "pet.yaml#/Pet",
        Dialect::OpenApi3,
        &mut Recorder(&mut walked),
    );
    let mut read = Refs(Vec::new());
    read_at(
        &schema,
        Position::Schema,
        "pet.yaml#/Pet",
        Dialect::OpenApi3,
        &mut read,
    );
    let expected = [
        "pet.yaml#/Pet/properties/example",
        "pet.yaml#/Pet/properties/x-data",
        "pet.yaml#/Pet/items/0",
        "pet.yaml#/Pet/allOf/0",
    ];
    let at = |refs: &Refs| refs.0.iter().map(|(_, at)| at.clone()).collect::<Vec<_>>();
    assert_eq!(at(&walked), expected);
    assert_eq!(at(&read), expected);
}
