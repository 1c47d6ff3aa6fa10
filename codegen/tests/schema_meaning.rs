//! Meaning a schema states beside something else — an extension beside a `$ref`, `nullable`
//! on a map's values, `const` beside a `$ref`, `properties` beside `anyOf`, a date-time
//! behind an alias — reaches the IR instead of being dropped.

use specwire_codegen::ir::{Api, Field, NoteKind, TypeDef, TypeKind, TypeNames, TypeRef};
use specwire_codegen::{Options, Spec};

fn lower(text: &str) -> Api {
    let spec = Spec::parse("spec.yaml", text).unwrap();
    specwire_codegen::lower(&spec, &Options::default()).unwrap()
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &def(api, name).kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, wire: &str) -> &'a Field {
    fields(api, name)
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {wire} in {name}"))
}

/// How a field is typed: its type printed, and whether it is nullable.
fn typed(api: &Api, name: &str, wire: &str) -> (String, bool) {
    let f = field(api, name, wire);
    (f.ty.show(&api.types).to_string(), f.nullable)
}

const CONTAINERS: &str = r##"swagger: "2.0"
info: {title: Containers, version: "1"}
paths: {}
definitions:
  PortBinding:
    type: object
    properties:
      HostPort: {type: string}
  PortMap:
    type: object
    additionalProperties:
      type: array
      x-nullable: true
      items: {$ref: '#/definitions/PortBinding'}
  Health:
    type: object
    properties:
      Status: {type: string}
  Inspect:
    type: object
    required: [Health, Nullable]
    properties:
      Ports: {$ref: '#/definitions/PortMap'}
      Health: {$ref: '#/definitions/Health', x-nullable: true}
      State: {$ref: '#/definitions/Health', x-isnullable: true}
      Plain: {$ref: '#/definitions/Health', x-nullable: false}
      Nullable: {$ref: '#/definitions/MaybeHealth'}
      Labels: {type: object, additionalProperties: {type: string, x-nullable: true}}
      Mounts: {type: array, items: {type: string, x-nullable: true}}
      Refs: {type: array, items: {$ref: '#/definitions/MaybeHealth'}}
  MaybeHealth:
    type: object
    x-nullable: true
    properties:
      Status: {type: string}
"##;

/// A 2.0 map whose values are `x-nullable` lists holds optional lists (`{"2377/tcp": null}`);
/// `x-nullable`/`x-isnullable` beside a `$ref` make the field nullable; list items and map
/// values that are nullable, inline or through the component they name, are optional.
#[test]
fn swagger_nullable_extensions_reach_map_values_items_and_references() {
    let api = lower(CONTAINERS);
    let TypeKind::Alias(ports) = &def(&api, "PortMap").kind else {
        panic!("PortMap is a map");
    };
    assert_eq!(
        ports.show(&api.types).to_string(),
        "map of list of `PortBinding` or null"
    );
    assert!(matches!(ports, TypeRef::Map(value) if matches!(**value, TypeRef::OrNull(_))));
    let health = "`Health`".to_owned();
    assert_eq!(typed(&api, "Inspect", "Health"), (health.clone(), true));
    assert_eq!(typed(&api, "Inspect", "State"), (health.clone(), true));
    assert_eq!(typed(&api, "Inspect", "Plain"), (health, false));
    // A required field naming a nullable component takes `null`.
    assert_eq!(
        typed(&api, "Inspect", "Nullable"),
        ("`MaybeHealth`".to_owned(), true)
    );
    assert_eq!(
        typed(&api, "Inspect", "Labels"),
        ("map of string or null".to_owned(), false)
    );
    assert_eq!(
        typed(&api, "Inspect", "Mounts"),
        ("list of string or null".to_owned(), false)
    );
    assert_eq!(
        typed(&api, "Inspect", "Refs"),
        ("list of `MaybeHealth` or null".to_owned(), false)
    );
    // The vendor's extension is how 2.0 says it: no repair.
    assert!(
        api.diagnostics
            .iter()
            .all(|d| d.kind != NoteKind::Repair || !d.message.contains("nullable")),
        "{:?}",
        api.diagnostics
    );
}

/// 3.0 ignores a `$ref`'s siblings, but `nullable: true` beside one means what it says in
/// real documents (Square's, Intercom's, Twilio's): a nullable reference, with a repair note.
/// Other siblings stay ignored.
#[test]
fn nullable_beside_a_reference_in_3_0_is_a_repair() {
    let text = r##"openapi: 3.0.3
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Address:
      type: object
      properties:
        line: {type: string}
    Order:
      type: object
      required: [address]
      properties:
        address: {$ref: '#/components/schemas/Address', nullable: true, description: Where to.}
        billing: {$ref: '#/components/schemas/Address', type: string}
"##;
    let api = lower(text);
    assert_eq!(
        typed(&api, "Order", "address"),
        ("`Address`".to_owned(), true)
    );
    assert_eq!(
        field(&api, "Order", "address").description.as_deref(),
        Some("Where to.")
    );
    assert_eq!(
        typed(&api, "Order", "billing"),
        ("`Address`".to_owned(), false)
    );
    let repairs: Vec<(&str, &str)> = api
        .diagnostics
        .iter()
        .filter(|d| d.kind == NoteKind::Repair)
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        repairs,
        [(
            "#/components/schemas/Order/properties/address",
            "`nullable` beside a `$ref` (which OpenAPI 3.0 says to ignore) read as a nullable reference"
        )]
    );
}

const SIBLINGS: &str = r##"openapi: 3.1.0
info: {title: Siblings, version: "1"}
paths: {}
components:
  schemas:
    nullTime:
      type: [string, "null"]
      format: date-time
    NullTime:
      type: object
      properties:
        Time: {type: string, format: date-time}
    Stamp:
      $ref: '#/components/schemas/nullTime'
    Event:
      type: object
      required: [at, held, raw]
      properties:
        at: {$ref: '#/components/schemas/Stamp'}
        held: {$ref: '#/components/schemas/nullTime'}
        raw: {$ref: '#/components/schemas/NullTime'}
    ExpressionType:
      type: string
      enum: ["true", and, or]
    And:
      type: object
      required: [type]
      properties:
        type: {$ref: '#/components/schemas/ExpressionType', const: and}
        other: {$ref: '#/components/schemas/ExpressionType', description: Any kind.}
    ByDate:
      type: object
      required: [start]
      properties:
        start: {type: string}
    ReportRequest:
      anyOf:
        - {$ref: '#/components/schemas/ByDate'}
        - type: object
          properties:
            ids: {type: array, items: {type: string}}
        - {type: string}
      properties:
        report-type: {type: string}
      required: [report-type]
"##;

/// Two schemas whose names differ only in case get a name each, and each reference reaches
/// the schema it names: `nullTime` (a nullable date-time) and `NullTime` (an object). A
/// field reaching the date-time through aliases resolves to it and is nullable.
#[test]
fn names_differing_in_case_resolve_to_their_own_schemas() {
    let api = lower(SIBLINGS);
    let event = fields(&api, "Event");
    let resolved = |wire: &str| {
        let f = event.iter().find(|f| f.wire_name == wire).unwrap();
        (
            api.types
                .resolve(&f.ty)
                .unwrap()
                .show(&api.types)
                .to_string(),
            f.nullable,
        )
    };
    assert_eq!(resolved("at"), ("date-time".to_owned(), true));
    assert_eq!(resolved("held"), ("date-time".to_owned(), true));
    assert_eq!(resolved("raw"), ("`NullTime`".to_owned(), false));
    let held = event.iter().find(|f| f.wire_name == "held").unwrap();
    let held_name = api.types.type_name(held.ty.id().unwrap());
    assert_eq!(
        def(&api, held_name).pointer,
        "#/components/schemas/nullTime"
    );
    assert_eq!(
        def(&api, "NullTime").pointer,
        "#/components/schemas/NullTime"
    );
}

/// 3.1's `{$ref: ExpressionType, const: and}` is the referenced enum narrowed to `and`: a
/// one-value enum of its own; a `$ref` with only annotations beside it stays the reference.
#[test]
fn const_beside_a_reference_narrows_the_referenced_enum() {
    let api = lower(SIBLINGS);
    let kind = field(&api, "And", "type");
    let name = api.types.type_name(kind.ty.id().unwrap());
    let TypeKind::StringEnum { variants, .. } = &def(&api, name).kind else {
        panic!("{name} is a string enum");
    };
    assert_eq!(variants, &[("And".to_owned(), "and".to_owned())]);
    assert_eq!(
        typed(&api, "And", "other"),
        ("`ExpressionType`".to_owned(), false)
    );
}

/// `anyOf` beside `properties`: each object member gets the properties folded in (required
/// as declared); a member that cannot carry them stays as it is, with a note at it.
#[test]
fn properties_beside_any_of_are_folded_into_each_object_member() {
    let api = lower(SIBLINGS);
    let TypeKind::Union { variants, .. } = &def(&api, "ReportRequest").kind else {
        panic!("ReportRequest is a union");
    };
    let shown: Vec<(String, String)> = variants
        .iter()
        .map(|(n, t)| (n.clone(), t.show(&api.types).to_string()))
        .collect();
    assert_eq!(
        shown,
        [
            ("ByDate".to_owned(), "`ReportRequestByDate`".to_owned()),
            ("Variant2".to_owned(), "`ReportRequestVariant2`".to_owned()),
            ("String3".to_owned(), "string".to_owned()),
        ]
    );
    let wires = |name: &str| -> Vec<(String, bool)> {
        fields(&api, name)
            .iter()
            .map(|f| (f.wire_name.clone(), f.required))
            .collect()
    };
    assert_eq!(
        wires("ReportRequestByDate"),
        [("start".to_owned(), true), ("report-type".to_owned(), true)]
    );
    assert_eq!(
        wires("ReportRequestVariant2"),
        [("ids".to_owned(), false), ("report-type".to_owned(), true)]
    );
    let notes: Vec<(&str, &str)> = api
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("beside `anyOf`"))
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            "#/components/schemas/ReportRequest/anyOf/2",
            "`properties` beside `anyOf` are not typed for this member, which is not an object"
        )]
    );
}

/// `oneOf: [{required: [documentId]}, {required: [collectionId]}]` beside the properties
/// (Outline's, Jaeger's documents: one of them must be sent) is one struct per member, the
/// properties with that member's names required; a member that says nothing is the properties.
#[test]
fn members_that_only_require_properties_are_the_properties_with_those_required() {
    let text = r##"openapi: 3.0.3
info: {title: Shares, version: "1"}
paths: {}
components:
  schemas:
    ShareRequest:
      type: object
      properties:
        documentId: {type: string}
        collectionId: {type: string}
      oneOf:
        - required: [documentId]
        - required: [collectionId]
        - title: Neither
"##;
    let api = lower(text);
    let TypeKind::Union { variants, .. } = &def(&api, "ShareRequest").kind else {
        panic!("ShareRequest is a union");
    };
    let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["DocumentId", "CollectionId", "Variant3"]);
    let required = |name: &str| -> Vec<(String, bool)> {
        fields(&api, name)
            .iter()
            .map(|f| (f.wire_name.clone(), f.required))
            .collect()
    };
    assert_eq!(
        required("ShareRequestDocumentId"),
        [
            ("collectionId".to_owned(), false),
            ("documentId".to_owned(), true)
        ]
    );
    assert_eq!(
        required("ShareRequestCollectionId"),
        [
            ("collectionId".to_owned(), true),
            ("documentId".to_owned(), false)
        ]
    );
    assert!(api.coverage.loose.is_empty(), "{:?}", api.coverage.loose);
}

/// Atlas's `DedicatedHardwareSpec`: `oneOf` cloud specs beside `properties` every member
/// declares itself. The members are typed as they are: the union is what it was.
#[test]
fn properties_every_member_declares_leave_the_union_as_it_was() {
    let text = r##"openapi: 3.0.1
info: {title: Hardware, version: "1"}
paths: {}
components:
  schemas:
    AWSHardwareSpec:
      type: object
      properties:
        nodeCount: {type: integer}
        instanceSize: {type: string}
    GCPHardwareSpec:
      type: object
      properties:
        nodeCount: {type: integer}
    HardwareSpec:
      type: object
      oneOf:
        - {$ref: '#/components/schemas/AWSHardwareSpec'}
        - {$ref: '#/components/schemas/GCPHardwareSpec'}
      properties:
        nodeCount: {type: integer}
"##;
    let api = lower(text);
    let TypeKind::Union { variants, .. } = &def(&api, "HardwareSpec").kind else {
        panic!("HardwareSpec is a union");
    };
    let shown: Vec<(String, String)> = variants
        .iter()
        .map(|(n, t)| (n.clone(), t.show(&api.types).to_string()))
        .collect();
    assert_eq!(
        shown,
        [
            ("AWSHardwareSpec".to_owned(), "`AWSHardwareSpec`".to_owned()),
            ("GCPHardwareSpec".to_owned(), "`GCPHardwareSpec`".to_owned()),
        ]
    );
    assert_eq!(api.types.len(), 3);
}
