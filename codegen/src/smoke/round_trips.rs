//! The union round trips: every example the document gives a union (on the union's schema,
//! or on one of its members) is decoded as the union and encoded again, as a server would
//! send it, and must come back as the same JSON, through a variant rather than `Unknown`. A
//! decoder that picks the wrong variant, or drops a field, fails here. The conformance
//! program runs them after its calls; `examples/round_trips.rs` runs only them, needs no
//! server, and builds with only the features its unions need.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{program, resolve};
use crate::emit::features::FeatureMap;
use crate::emit::types::Models;
use crate::error::Error;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use crate::load::Spec;

/// The round-trip program of a generated crate (`examples/round_trips.rs`).
#[derive(Debug, Clone)]
pub struct RoundTripProgram {
    /// The program's source.
    pub source: String,
    /// How many union examples it decodes and encodes again.
    pub examples: usize,
    /// The Cargo features that compile every union it names (with default features off);
    /// empty when the crate has none.
    pub features: Vec<String>,
}

/// The round-trip program of a generated crate named `crate_name`, or `None` when no union
/// of the document has an example.
pub fn round_trip_program(
    spec: &Spec,
    options: &crate::Options,
    crate_name: &str,
) -> Result<Option<RoundTripProgram>, Error> {
    let api = crate::lower::lower(spec, options)?;
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let models = Models::at(&api.types, quote!(#krate));
    let checks = round_trips(spec, &models);
    if checks.is_empty() {
        return Ok(None);
    }
    let feature_map = options.features.then(|| FeatureMap::new(&api));
    let features: BTreeSet<String> = union_examples(spec, &models)
        .filter_map(|(def, _)| feature_map.as_ref()?.enabling(&def.name))
        .collect();
    let shared = program::shared_items();
    let program = quote! {
        //! Decodes and encodes again every example of the document's unions, and prints one
        //! line per example: `label<TAB>outcome<TAB>detail`, then a summary. No server needed.
        #![allow(dead_code, reason = "the conformance program's outcomes are shared")]

        #shared

        fn main() {
            let results: Vec<(&str, Outcome)> = vec![#(#checks)*];
            report(&results);
        }
    };
    Ok(Some(RoundTripProgram {
        source: program::finish(spec, program, "round-trip program")?,
        examples: checks.len(),
        features: features.into_iter().collect(),
    }))
}

/// Examples a round trip reads per union at most: enough for each member, bounded for a
/// document that gives hundreds.
const MAX_EXAMPLES: usize = 16;

/// One round trip per example of every union of the API: `(label, expression)` pairs, the
/// expression an `Outcome`.
pub(super) fn round_trips(spec: &Spec, models: &Models) -> Vec<TokenStream> {
    let mut calls = Vec::new();
    for (def, index) in union_examples(spec, models) {
        let ty = models.rust_type(&TypeRef::Named(crate::ir::TypeId(index)));
        let Some(schema) = raw_schema(spec, def) else {
            continue;
        };
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

/// The unions that have at least one example, with their index in the type table.
fn union_examples<'m>(
    spec: &'m Spec,
    models: &'m Models,
) -> impl Iterator<Item = (&'m TypeDef, usize)> + 'm {
    models
        .types()
        .iter()
        .enumerate()
        .filter(|(_, def)| {
            matches!(
                def.kind,
                TypeKind::Union { .. } | TypeKind::TaggedUnion { .. }
            )
        })
        .filter(|(_, def)| raw_schema(spec, def).is_some_and(|s| !examples(spec, s).is_empty()))
        .map(|(index, def)| (def, index))
}

/// The schema a type was lowered from, in the document as written.
fn raw_schema<'s>(spec: &'s Spec, def: &TypeDef) -> Option<&'s Value> {
    crate::refs::local(&spec.raw, &def.pointer)
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
