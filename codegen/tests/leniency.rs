//! How the IR reads schemas that contradict themselves: an `enum` on an array, and required
//! fields whose struct type has a zero value.

use specwire_codegen::ir::{Api, Field, Int, TypeDef, TypeKind, TypeRef};
use specwire_codegen::{Options, Spec};

const SPEC: &str = r##"
openapi: 3.0.1
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Team:
      type: object
      required: [tags]
      properties:
        roleNames:
          type: array
          uniqueItems: true
          items: {type: string}
          enum: [GROUP_OWNER, GROUP_READ_ONLY]
        untyped:
          type: array
          enum: [A]
        counts:
          description: Integer values cannot name string variants; the enum is ignored.
          type: array
          items: {type: integer, format: int32}
          enum: [1, 2]
        tags:
          type: array
          items: {type: string}
        owner:
          $ref: '#/components/schemas/Owner'
    Owner:
      type: object
      required: [address, since]
      properties:
        address: {$ref: '#/components/schemas/Address'}
        since: {type: string, format: date-time}
    Holder:
      type: object
      required: [address]
      properties:
        address: {$ref: '#/components/schemas/Address'}
    Address:
      type: object
      required: [street]
      properties:
        street: {type: string}
"##;

fn lower() -> Api {
    let spec = Spec::parse("spec.yaml", SPEC).unwrap_or_else(|e| panic!("{e}"));
    specwire_codegen::lower(&spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn fields<'a>(api: &'a Api, name: &str) -> (&'a [Field], bool) {
    match &def(api, name).kind {
        TypeKind::Struct {
            fields,
            derive_default,
            ..
        } => (fields, *derive_default),
        other => panic!("{name} is {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, wire: &str) -> &'a Field {
    fields(api, name)
        .0
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {name}.{wire}"))
}

#[test]
fn an_enum_on_an_array_types_its_items_and_is_reported() {
    let api = lower();
    let role_names = field(&api, "Team", "roleNames");
    assert_eq!(
        role_names.ty.show(&api.types).to_string(),
        "list of `TeamRoleNamesItem`"
    );
    assert!(role_names.single_as_list);
    match &def(&api, "TeamRoleNamesItem").kind {
        TypeKind::StringEnum { variants, .. } => assert_eq!(
            variants,
            &[
                ("GroupOwner".to_owned(), "GROUP_OWNER".to_owned()),
                ("GroupReadOnly".to_owned(), "GROUP_READ_ONLY".to_owned()),
            ]
        ),
        other => panic!("{other:?}"),
    }
    // Without `items`, the enum still names the items.
    assert_eq!(
        field(&api, "Team", "untyped")
            .ty
            .show(&api.types)
            .to_string(),
        "list of `TeamUntypedItem`"
    );
    // Items of another type keep it.
    let counts = field(&api, "Team", "counts");
    assert_eq!(counts.ty, TypeRef::Vec(Box::new(TypeRef::Int(Int::I32))));
    assert!(counts.single_as_list);
    // A plain list is not touched.
    assert!(!field(&api, "Team", "tags").single_as_list);

    let notes: Vec<(&str, &str)> = api
        .diagnostics
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    let read = "enum on an array read as the items' enum; a single value is accepted as a one-element list";
    assert_eq!(
        notes,
        [
            (
                "#/components/schemas/Team/properties/counts",
                "enum on an array ignored, as its items have a type of their own; a single value is accepted as a one-element list"
            ),
            ("#/components/schemas/Team/properties/roleNames", read),
            ("#/components/schemas/Team/properties/untyped", read),
        ]
    );
    assert_eq!(api.coverage.inline_types, 2);
}

#[test]
fn required_fields_default_when_their_type_has_a_zero_value() {
    let api = lower();
    // A required list, and a required struct whose fields all have zero values.
    assert!(field(&api, "Team", "tags").default_when_absent);
    assert!(field(&api, "Holder", "address").default_when_absent);
    assert!(field(&api, "Owner", "address").default_when_absent);
    // `Address` is needed as a default (its own required `street` defaults too).
    assert!(fields(&api, "Address").1);
    assert!(field(&api, "Address", "street").default_when_absent);
    // A required date-time has no zero value: `Owner` has none, and is optional in `Team`.
    assert!(!field(&api, "Owner", "since").default_when_absent);
    assert!(!fields(&api, "Owner").1);
    assert!(!field(&api, "Team", "owner").default_when_absent);
    // `Team` has a zero value but no required field uses it: no `Default` derived.
    assert!(!fields(&api, "Team").1);
    assert!(!fields(&api, "Holder").1);
}
