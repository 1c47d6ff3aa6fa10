//! A uniform view of an OpenAPI schema.
//!
//! `openapiv3` parses a schema into a specific kind (`type: object`, `oneOf`, …) when it holds
//! one construct, and into `SchemaKind::Any` when it mixes several (`type: object` with
//! `oneOf` and `properties`, as Atlas's polymorphic parents do). Lowering asks the same
//! questions of both forms through these helpers.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// Members of `oneOf`, `anyOf` and `allOf`.
pub(crate) fn one_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::Any(any) => &any.one_of,
        _ => &[],
    }
}

pub(crate) fn any_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::Any(any) => &any.any_of,
        _ => &[],
    }
}

pub(crate) fn all_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    }
}

/// The reference of `allOf: [$ref]` when the schema adds nothing to it but annotations
/// (no properties, no other members, no discriminator, no `enum` narrowing it).
pub(crate) fn annotated_ref(schema: &Schema) -> Option<&str> {
    let [ReferenceOr::Reference { reference }] = all_of(schema) else {
        return None;
    };
    let adds = object(schema).is_some()
        || !one_of(schema).is_empty()
        || !any_of(schema).is_empty()
        || string_enum(schema).is_some()
        || schema.schema_data.discriminator.is_some();
    (!adds).then_some(reference.as_str())
}

/// An object's declared properties.
pub(crate) struct ObjectParts<'s> {
    pub properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

/// The object parts of a schema, when it declares properties or extra properties.
pub(crate) fn object(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Any(any)
            if !any.properties.is_empty()
                || any.additional_properties.is_some()
                || any.typ.as_deref() == Some("object") =>
        {
            Some(ObjectParts {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            })
        }
        _ => None,
    }
}

/// The names a schema only requires, when that is all it says (`oneOf: [{required: [a]},
/// {required: [b]}]` beside `properties`: one of these must be present); none for a schema
/// that says nothing at all (`{title: other}`).
pub(crate) fn required_only(schema: &Schema) -> Option<&[String]> {
    match &schema.schema_kind {
        SchemaKind::Any(any)
            if any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none() =>
        {
            Some(&any.required)
        }
        _ => None,
    }
}

/// Whether the schema declares named properties.
pub(crate) fn has_properties(schema: &Schema) -> bool {
    object(schema).is_some_and(|o| !o.properties.is_empty())
}

/// The values of a string enumeration (`type: string` with `enum`), in order.
pub(crate) fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            Some(string.enumeration.iter().flatten().cloned().collect())
        }
        SchemaKind::Any(any)
            if !any.enumeration.is_empty()
                && matches!(any.typ.as_deref(), None | Some("string"))
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(
                any.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Whether the schema is a plain string (with or without an enumeration).
pub(crate) fn is_string(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => true,
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("string")
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
        }
        _ => false,
    }
}

/// Whether a type of its own is generated for this schema (objects with properties, enums,
/// unions, merged `allOf`s and polymorphic parents).
pub(crate) fn needs_name(schema: &Schema) -> bool {
    has_properties(schema)
        || string_enum(schema).is_some()
        || !one_of(schema).is_empty()
        || !any_of(schema).is_empty()
        || !all_of(schema).is_empty()
        || schema
            .schema_data
            .discriminator
            .as_ref()
            .is_some_and(|d| !d.mapping.is_empty())
}

/// An array schema with an `enum` of its own (`type: array, items: …, enum: [A, B]`).
pub(crate) struct ArrayEnum<'s> {
    /// The enum's string values, in order (other values are left out).
    pub values: Vec<String>,
    /// Whether every value is a string (or `null`).
    pub all_strings: bool,
    /// The items' schema.
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
}

/// The `enum` of an array schema. No JSON value is both an array and equal to one of those
/// values; Atlas means "a list of these values" (`TeamRole.roleNames`).
pub(crate) fn array_enum(schema: &Schema) -> Option<ArrayEnum<'_>> {
    match &schema.schema_kind {
        SchemaKind::Any(any)
            if any.typ.as_deref() == Some("array")
                && !any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty() =>
        {
            Some(ArrayEnum {
                values: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                all_strings: any.enumeration.iter().all(|v| v.is_string() || v.is_null()),
                items: any.items.as_ref(),
            })
        }
        _ => None,
    }
}

impl ArrayEnum<'_> {
    /// Whether the enum can type the items: its values are strings and the items are plain
    /// strings without an enum of their own (or have no schema).
    pub(crate) fn types_items(&self) -> bool {
        self.all_strings
            && !self.values.is_empty()
            && match self.items {
                None => true,
                Some(ReferenceOr::Item(item)) => is_string(item) && string_enum(item).is_none(),
                Some(ReferenceOr::Reference { .. }) => false,
            }
    }
}
