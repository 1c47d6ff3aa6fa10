//! JSON values built from the IR, for the codec-twins program ([`super::twins`]): a value of
//! every field of a model, the same with only its required fields, and values of the wrong
//! JSON kind, so that the hand-written codec and serde's derive are compared on the same
//! inputs, valid and invalid.

use serde_json::{Map, Value, json};

use crate::ir::{Field, Int, TypeKind, TypeRef, Types};

/// Below this depth, structs are filled with every field; deeper, with their required fields
/// only (recursive types end there).
const FULL_DEPTH: usize = 2;
/// Past this depth, a struct is `{}` (what every recursion ends in).
const MAX_DEPTH: usize = 6;

/// The IR's types, for building values.
pub(crate) struct Samples<'a> {
    types: &'a Types,
}

impl<'a> Samples<'a> {
    pub(crate) fn new(types: &'a Types) -> Self {
        Samples { types }
    }

    /// An object with every field of `fields` (`all`) or only the required ones.
    pub(crate) fn object(&self, fields: &[Field], all: bool, depth: usize) -> Value {
        let mut map = Map::new();
        for field in fields.iter().filter(|f| all || f.required) {
            map.insert(field.wire_name.clone(), self.value(&field.ty, depth + 1));
        }
        Value::Object(map)
    }

    /// A value of type `ty`.
    pub(crate) fn value(&self, ty: &TypeRef, depth: usize) -> Value {
        match ty {
            TypeRef::Bool => json!(true),
            // The largest value of the narrower and unsigned types, to show they hold it.
            TypeRef::Int(Int::I32 | Int::I64) => json!(7),
            TypeRef::Int(int) => json!(u64::try_from(int.range().1).unwrap_or(7)),
            TypeRef::F64 => json!(2.5),
            TypeRef::String => json!("text"),
            TypeRef::DateTime => json!("2024-01-02T03:04:05Z"),
            TypeRef::Json => json!({"any": [1, "two"]}),
            TypeRef::JsonObject => json!({"key": "value"}),
            TypeRef::Vec(item) => json!([self.value(item, depth + 1)]),
            TypeRef::Tuple(members) => {
                serde_json::Value::Array(members.iter().map(|m| self.value(m, depth + 1)).collect())
            }
            TypeRef::Map(item) => json!({"entry": self.value(item, depth + 1)}),
            TypeRef::OrNull(item) => self.value(item, depth + 1),
            // Hand-written types (an SDK's `ApiError`) are objects that accept `{}`.
            TypeRef::Runtime(_) => json!({}),
            TypeRef::Named(id) => match self.types.def(*id) {
                Some(def) => self.named(&def.kind, depth),
                None => Value::Null,
            },
        }
    }

    fn named(&self, kind: &TypeKind, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return json!({});
        }
        match kind {
            TypeKind::Struct { fields, .. } => self.object(fields, depth < FULL_DEPTH, depth),
            TypeKind::StringEnum { variants, .. } => variants
                .first()
                .map_or_else(|| json!("value"), |(_, wire)| json!(wire)),
            TypeKind::TaggedUnion { property, variants } => {
                let Some(variant) = variants.first() else {
                    return json!({});
                };
                let mut value = self.value(&variant.ty, depth + 1);
                if let (Value::Object(map), Some(tag)) = (&mut value, variant.values.first()) {
                    map.insert(property.clone(), json!(tag));
                }
                value
            }
            TypeKind::Union { variants, .. } => variants
                .first()
                .map_or_else(|| json!({}), |(_, ty)| self.value(ty, depth + 1)),
            TypeKind::Alias(target) => self.value(target, depth + 1),
            TypeKind::Runtime(_) => json!({}),
        }
    }
}

/// A value of another JSON kind than `value`, which a field of its type should refuse (a
/// field that takes any JSON accepts it, and both decoders must agree on that too).
pub(crate) fn wrong_kind(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(false),
        Value::Bool(_) | Value::Number(_) => json!("not a number or boolean"),
        Value::Array(_) => json!({"not": "a list"}),
        Value::Object(_) => json!(["not an object"]),
        Value::Null => json!(1),
    }
}
