//! Constructors and setters of the structs a request carries ([`TypeDef::sent`]).
//!
//! Model structs are `#[non_exhaustive]`, so a field added in a minor release breaks no
//! user: struct literals are refused outside the SDK, and values are built with
//! `Type::new(required fields…)` and chained `with_*` setters; the fields stay public, so a
//! value is changed in place by assigning them (which is why there are no `set_*` setters:
//! they doubled the setters' code, ~9,500 lines and 1,455 functions on the 2025 spec, for
//! nothing assignment cannot do). `new` takes exactly what a request must send, so it
//! changes, and is a breaking change, only when a required property is added or removed
//! (see `diff`).
//!
//! [`TypeDef::sent`]: crate::ir::TypeDef::sent

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::fields::{FieldShape, field_shape};
use super::types::Models;
use crate::ir::{Additional, Field};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// `impl Name { new, with_* }`.
pub(crate) fn constructor_tokens(
    name: &Ident,
    fields: &[Field],
    additional: Option<&Additional>,
    models: &Models,
) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for field in fields {
        let member = ident(&field.rust_name);
        let shape = field_shape(field, models);
        if field.is_constructor_argument() {
            let (arg_ty, value) = argument(field, &shape, &member);
            args.push(quote!(#member: #arg_ty));
            // The argument as it is: field shorthand (clippy's `redundant_field_names`).
            if member == value.to_string() {
                inits.push(quote!(#member,));
            } else {
                inits.push(quote!(#member: #value,));
            }
        } else {
            inits.push(quote!(#member: ::std::option::Option::None,));
        }
        if !field.read_only {
            setters.push(setter_tokens(field, &shape, &member));
        }
    }
    let additional = additional.map(|extra| {
        let member = ident(&extra.rust_name);
        quote!(#member: ::std::collections::BTreeMap::new(),)
    });
    let many = super::many_arguments_allowance(
        args.len(),
        "one argument per required property of the schema",
    );
    let new_doc = doc(if args.is_empty() {
        "A value with every property unset; add them with the `with_*` setters."
    } else {
        "A value with the properties a request must send; add the others with the `with_*` setters."
    });
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                    #additional
                }
            }

            #(#setters)*
        }
    }
}

/// The argument type of a required field in `new`, and how it becomes the field's value.
fn argument(field: &Field, shape: &FieldShape, member: &Ident) -> (TokenStream, TokenStream) {
    let inner = shape.value();
    if field.nullable {
        // Required, but `null` allowed: the caller says which, `None` for `null`.
        let value = if field.boxed {
            quote!(#member.map(::std::boxed::Box::new))
        } else {
            quote!(#member)
        };
        return (quote!(::std::option::Option<#inner>), value);
    }
    let mut value = quote!(#member.into());
    if field.boxed {
        value = quote!(::std::boxed::Box::new(#value));
    }
    if shape.optional {
        // Write-only: an `Option` in the struct (responses leave it out), sent when built.
        value = quote!(::std::option::Option::Some(#value));
    }
    (quote!(impl ::std::convert::Into<#inner>), value)
}

/// `with_x(self, x) -> Self`.
fn setter_tokens(field: &Field, shape: &FieldShape, member: &Ident) -> TokenStream {
    let with = ident(&crate::naming::setter_name(&field.rust_name));
    let inner = shape.value();
    let mut value = quote!(value.into());
    if field.boxed {
        value = quote!(::std::boxed::Box::new(#value));
    }
    if shape.patchable {
        value = quote!(#RT::Nullable::Value(#value));
    }
    if shape.optional {
        value = quote!(::std::option::Option::Some(#value));
    }
    let wire = &field.wire_name;
    let null = if shape.patchable {
        " To send `null`, set the field to `Some(Nullable::Null)`."
    } else {
        ""
    };
    let with_doc = doc(&format!("Sets `{wire}`.{null}"));
    quote! {
        #with_doc
        pub fn #with(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
            self.#member = #value;
            self
        }
    }
}
