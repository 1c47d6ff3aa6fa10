//! The union round trips of the conformance program: every example the document gives a
//! union (on the union's schema, or on one of its members) is decoded as the union and
//! encoded again, as a server would send it, and must come back as the same JSON, through a
//! variant rather than `Unknown`. A decoder that picks the wrong variant, or drops a field,
//! fails here.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::resolve;
use crate::emit::types::Models;
use crate::ir::{TypeKind, TypeRef};
use crate::load::Spec;

/// Examples a round trip reads per union at most: enough for each member, bounded for a
/// document that gives hundreds.
const MAX_EXAMPLES: usize = 16;

/// One round trip per example of every union of the API: `(label, expression)` pairs, the
/// expression an `Outcome`.
pub(super) fn round_trips(spec: &Spec, models: &Models) -> Vec<TokenStream> {
    let mut calls = Vec::new();
    for (index, def) in models.types().iter().enumerate() {
        if !matches!(
            def.kind,
            TypeKind::Union { .. } | TypeKind::TaggedUnion { .. }
        ) {
            continue;
        }
        let Some(schema) = def
            .pointer
            .strip_prefix('#')
            .and_then(|p| spec.raw.pointer(p))
        else {
            continue;
        };
        let ty = models.rust_type(&TypeRef::Named(crate::ir::TypeId(index)));
        for (i, example) in examples(spec, schema).into_iter().enumerate() {
            let label = format!("round trip {} #{}", def.name, i + 1);
            let text = Literal::string(&example.to_string());
            calls.push(quote! {
                (#label, round_trip::<#ty>(#text, |value| matches!(value, #ty::Unknown(_)))),
            });
        }
    }
    calls
}

/// The examples of a union's schema and of its members (following `$ref`s), in order,
/// without repeats.
fn examples(spec: &Spec, schema: &Value) -> Vec<Value> {
    let mut found: Vec<Value> = Vec::new();
    let mut take = |schema: &Value| {
        let schema = resolve(spec, schema);
        let own = schema.get("example").into_iter().chain(
            schema
                .get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        for example in own {
            if !example.is_null() && !found.contains(example) && found.len() < MAX_EXAMPLES {
                found.push(example.clone());
            }
        }
    };
    take(schema);
    for keyword in ["oneOf", "anyOf"] {
        for member in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            take(member);
        }
    }
    found
}
