//! A model struct's codec: the runtime's `object::Object`, which names the slots the fields
//! decode into, builds the struct from them, and walks its fields once for both its
//! `Serialize` and its `Debug`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::fields::{Seed, field_shape};
use super::types::Models;
use crate::ir::{Additional, Field};
use crate::naming::{ident, plain};
use crate::runtime_contract::RT;

/// The most slots the runtime takes in one tuple; more nest (a tuple of tuples).
const TUPLE: usize = 16;

/// The runtime module every part of a model's codec names: `specwire::runtime::object`.
fn object_module() -> TokenStream {
    quote!(#RT::runtime::object)
}

/// A struct model, as its codec is written.
pub(super) struct ObjectModel<'a> {
    pub(super) name: &'a proc_macro2::Ident,
    pub(super) fields: &'a [Field],
    pub(super) additional: Option<&'a Additional>,
    pub(super) models: &'a Models<'a>,
}

/// `Deserialize`, `Serialize` and `Debug` through `specwire::runtime::object`, instead of
/// serde's derives and `#[derive(Debug)]`, whose bodies per model dominated the generated
/// crate's compile time (`cargo xtask compile-profile`).
///
/// A model has no decoding or encoding code of its own but two plain functions:
/// - `build`, from the slots its fields decode into, which it names as a type (one per field,
///   its kind saying how it decodes, `object::Optional<…>`). Absent optional fields are
///   `None` whatever the spec says (a lenient reader); unknown keys are skipped, or kept in
///   `additionalProperties`; a malformed optional value in a success body is absent too
///   (`runtime::lenient`).
/// - `visit_fields`, one call per field, naming it on the wire and in Rust and saying how it
///   is written: optional fields only when set, date-times as RFC 3339, read-only fields only
///   in a body encoded as a server sends it (`runtime::object::as_response`, which typed
///   mocks answer through), never in a request. `Debug` shows the same walk under the Rust
///   names, as the derive would.
///
/// Reading, writing and showing are generic runtime code, checked once.
pub(super) fn object_tokens(model: &ObjectModel<'_>) -> TokenStream {
    let ObjectModel {
        name,
        fields,
        additional,
        models,
    } = *model;
    let object = object_module();
    let slot_types: Vec<TokenStream> = fields.iter().map(|f| slot_type(f, models)).collect();
    let (slots, paths) = slot_tuple(slot_types);
    // A patchable field takes its slot's value as it is; the others through `__o`.
    let mut through_runtime = false;
    let inits: Vec<TokenStream> = fields
        .iter()
        .zip(&paths)
        .map(|(field, path)| {
            let member = ident(&field.rust_name);
            let wire = &field.wire_name;
            let shape = field_shape(field, models);
            let value = quote!(__s #path .0);
            through_runtime |= !shape.patchable;
            let value = if shape.patchable {
                value
            } else if shape.optional {
                quote!(__o::flatten(#value))
            } else if field.default_when_absent {
                quote!(__o::or_default(#value))
            } else {
                quote!(__o::required(#value, #wire)?)
            };
            quote!(#member: #value,)
        })
        .collect();
    let slots_name = if fields.is_empty() {
        quote!(_)
    } else {
        quote!(__s)
    };
    let (slots, argument, extra_init) = match additional {
        Some(extra) => {
            let member = ident(&extra.rust_name);
            let value = models.nested(&extra.ty);
            (
                quote!(#object::WithAdditional<#slots, #value>),
                quote!(#object::WithAdditional(#slots_name, #member)),
                quote!(#member,),
            )
        }
        None => (slots, slots_name, quote!()),
    };
    let wires = fields.iter().map(|f| &f.wire_name);
    let struct_name = name.to_string();
    let uses = through_runtime.then(|| quote!(use #object as __o;));
    let visit = visit_tokens(model);
    quote! {
        impl<'de> #RT::runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: #RT::runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #object::deserialize(deserializer)
            }
        }

        impl #RT::runtime::serde::Serialize for #name {
            fn serialize<S: #RT::runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #object::serialize(self, serializer)
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #object::debug(self, f)
            }
        }

        impl #object::Object for #name {
            const NAME: &'static str = #struct_name;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            type Slots = #slots;

            fn build(#argument: Self::Slots) -> ::std::result::Result<Self, #object::Missing> {
                #uses
                ::std::result::Result::Ok(Self {
                    #(#inits)*
                    #extra_init
                })
            }

            #visit
        }
    }
}

/// `Object::visit_fields`: each field, in declaration order, to the visitor method that says
/// how it is written (`FieldShape::write`), then the `additionalProperties` map.
fn visit_tokens(model: &ObjectModel<'_>) -> TokenStream {
    let entries = model.fields.iter().map(|field| {
        let method = format_ident!("{}", field_shape(field, model.models).write);
        let member = ident(&field.rust_name);
        let (wire, rust) = (&field.wire_name, plain(&field.rust_name));
        quote!(__v.#method(#wire, #rust, &self.#member);)
    });
    let extra = model.additional.map(|extra| {
        let member = ident(&extra.rust_name);
        let rust = plain(&extra.rust_name);
        quote!(__v.additional(#rust, &self.#member);)
    });
    let visitor = if model.fields.is_empty() && model.additional.is_none() {
        quote!(_)
    } else {
        quote!(__v)
    };
    let object = object_module();
    quote! {
        fn visit_fields<V: #object::FieldVisitor>(&self, #visitor: &mut V) {
            #(#entries)*
            #extra
        }
    }
}

/// The slot `field` decodes into: required or optional, through the value type's own
/// `Deserialize` or a seed of the runtime's; its value is the field's type (without the
/// `Option` of a patchable field, whose slot holds `null` apart from absent).
fn slot_type(field: &Field, models: &Models) -> TokenStream {
    let object = object_module();
    let shape = field_shape(field, models);
    let value = shape.slot_value();
    let seed = shape.seed.map(|seed| match seed {
        Seed::NullableOneOrMany => quote!(#object::NullableOneOrMany<#value>),
        Seed::OptionalOneOrMany => quote!(#object::OptionalOneOrMany<#value>),
        Seed::OneOrMany => quote!(#object::OneOrMany<#value>),
        Seed::OptionalRfc3339 => quote!(#object::OptionalRfc3339),
        Seed::Rfc3339 => quote!(#object::Rfc3339),
    });
    // An optional field's slot says so: a success body whose value for it is malformed
    // reads it as absent (`runtime::object::Optional`); a required one stays strict.
    match (field.required, seed) {
        (true, None) => quote!(#object::Field<#value>),
        (true, Some(seed)) => quote!(#object::FieldWith<#value, #seed>),
        (false, None) => quote!(#object::Optional<#value>),
        (false, Some(seed)) => quote!(#object::OptionalWith<#value, #seed>),
    }
}

/// The tuple of `slots` and each one's place in it (`.3`, or `.1.3` past [`TUPLE`] slots).
fn slot_tuple(slots: Vec<TokenStream>) -> (TokenStream, Vec<TokenStream>) {
    // Each node: its type and the places of the slots under it, as indexes.
    let mut nodes: Vec<(TokenStream, Vec<Vec<usize>>)> =
        slots.into_iter().map(|ty| (ty, vec![Vec::new()])).collect();
    while nodes.len() > TUPLE {
        nodes = nodes
            .chunks(TUPLE)
            .map(|chunk| tuple_of(chunk.to_vec()))
            .collect();
    }
    let (ty, places) = tuple_of(nodes);
    let paths = places
        .into_iter()
        .map(|place| {
            let steps = place.into_iter().map(Literal::usize_unsuffixed);
            quote!(#(.#steps)*)
        })
        .collect();
    (ty, paths)
}

/// One tuple of `nodes`, with the places under it.
fn tuple_of(nodes: Vec<(TokenStream, Vec<Vec<usize>>)>) -> (TokenStream, Vec<Vec<usize>>) {
    let mut types = Vec::new();
    let mut places = Vec::new();
    for (at, (ty, under)) in nodes.into_iter().enumerate() {
        types.push(ty);
        places.extend(under.into_iter().map(|place| {
            let mut full = vec![at];
            full.extend(place);
            full
        }));
    }
    (quote!((#(#types,)*)), places)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(n: usize) -> Vec<TokenStream> {
        (0..n)
            .map(|i| quote::format_ident!("S{i}").into_token_stream())
            .collect()
    }

    use quote::ToTokens;

    #[test]
    fn slots_fill_one_tuple_up_to_sixteen() {
        let (ty, paths) = slot_tuple(slots(2));
        assert_eq!(ty.to_string(), "(S0 , S1 ,)");
        assert_eq!(paths[1].to_string(), ". 1");
        let (ty, _) = slot_tuple(Vec::new());
        assert_eq!(ty.to_string(), "()");
    }

    #[test]
    fn more_slots_nest() {
        let (ty, paths) = slot_tuple(slots(18));
        let text = ty.to_string();
        assert!(text.starts_with("((S0 , S1 ,"), "{text}");
        assert!(text.ends_with("S15 ,) , (S16 , S17 ,) ,)"), "{text}");
        assert_eq!(paths[0].to_string(), ". 0 . 0");
        assert_eq!(paths[17].to_string(), ". 1 . 1");
        let (_, paths) = slot_tuple(slots(300));
        assert_eq!(paths.len(), 300);
        assert_eq!(
            paths[299].to_string(),
            ". 1 . 2 . 11",
            "300 = 256 + 2 × 16 + 12"
        );
    }

    /// A struct whose fields are all patchable takes every value as its slot holds it: the
    /// runtime alias would be an unused import (a warning in the generated crate).
    #[test]
    fn a_struct_of_patchable_fields_names_no_runtime_helper() {
        let spec = crate::Spec::parse(
            "spec.yaml",
            r#"openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Patch:
      type: object
      properties:
        note: {type: string, nullable: true}
    Mixed:
      type: object
      properties:
        note: {type: string, nullable: true}
        name: {type: string}
"#,
        )
        .expect("parses");
        let output = crate::generate(&spec, &crate::Options::default()).expect("generates");
        let models: String = output
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("models"))
            .map(|(_, text)| text.as_str())
            .collect();
        let object_of = |name: &str| {
            let start = models
                .find(&format!("Object for {name} {{"))
                .unwrap_or_else(|| panic!("no Object for {name} in {models}"));
            let rest = &models[start..];
            rest[..rest.find("\n}\n").unwrap_or(rest.len())].to_owned()
        };
        let patch = object_of("Patch");
        assert!(!patch.contains("as __o"), "{patch}");
        assert!(patch.contains("Self { note: __s.0.0 }"), "{patch}");
        let mixed = object_of("Mixed");
        assert!(
            mixed.contains("use ::specwire::runtime::object as __o;"),
            "{mixed}"
        );
    }
}
