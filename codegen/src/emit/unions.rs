//! `oneOf`/`anyOf` → enums. Every variant is boxed: variants differ wildly in size, and a box
//! also breaks any cycle through a union.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::types::Models;
use crate::ir::{Fit, TaggedVariant, TypeRef};
use crate::naming::ident;
use crate::runtime_contract::RT;

fn boxed(ty: &TypeRef, models: &Models) -> TokenStream {
    let ty = models.nested(ty);
    quote!(::std::boxed::Box<#ty>)
}

/// A union chosen by a discriminator property: decoding reads the property and decodes the
/// whole object as that variant; encoding writes the variant as it is (it carries the
/// property itself).
pub(crate) fn tagged_tokens(
    name: &Ident,
    docs: &TokenStream,
    property: &str,
    variants: &[TaggedVariant],
    models: &Models,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let types = variants.iter().map(|v| boxed(&v.ty, models));
    let variant_docs = variants.iter().map(|v| {
        let values: Vec<String> = v.values.iter().map(|value| format!("`{value}`")).collect();
        doc(&format!("`{property}` is {}.", values.join(" or ")))
    });
    let arms = variants.iter().zip(&idents).map(|(v, variant)| {
        let values = &v.values;
        quote! {
            ::std::option::Option::Some(#(#values)|*) => #RT::runtime::decode_variant(value).map(Self::#variant),
        }
    });
    let choice_doc = doc(&format!(
        "Chosen by the `{property}` property. Values this SDK version does not know decode as `Unknown`."
    ));
    let unknown_doc = doc(&format!(
        "An object whose `{property}` this version of the SDK does not know, kept as it came."
    ));
    let serialize = serialize_tokens(name, &idents);
    quote! {
        #docs
        #[doc = ""]
        #choice_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents(#types), )*
            #unknown_doc
            Unknown(#RT::runtime::serde_json::Value),
        }

        #serialize

        impl<'de> #RT::runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: #RT::runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <#RT::runtime::serde_json::Value as #RT::runtime::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#property).and_then(#RT::runtime::serde_json::Value::as_str) {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// A union without a discriminator: the first variant that fits and decodes wins. Each
/// variant says what it asks of the value ([`Fit`]: required properties, enum values, no
/// other properties); the runtime orders the variants that fit, those that keep every
/// property of the value first, and decoding is written out rather than derived.
pub(crate) fn untagged_tokens(
    name: &Ident,
    docs: &TokenStream,
    variants: &[(String, TypeRef)],
    fits: &[Fit],
    models: &Models,
) -> TokenStream {
    let none = Fit::default();
    let fit = |i: usize| fits.get(i).unwrap_or(&none);
    let idents: Vec<Ident> = variants.iter().map(|(n, _)| ident(n)).collect();
    let types: Vec<TokenStream> = variants.iter().map(|(_, t)| boxed(t, models)).collect();
    let variant_docs = variants
        .iter()
        .enumerate()
        .map(|(i, (n, _))| doc(&variant_doc(n, fit(i))));
    // Decoding written out (not serde's `untagged` derive, which would make every user of
    // the SDK compile `serde_derive`, and which takes the first variant that decodes).
    let deserialize = {
        let fit_list = (0..variants.len()).map(|i| fit_tokens(fit(i)));
        let attempts = idents.iter().zip(&types).enumerate().map(|(i, (variant, ty))| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote! {
                #i => if let ::std::result::Result::Ok(variant) = <#ty as #RT::runtime::serde::Deserialize>::deserialize(&value) {
                    return ::std::result::Result::Ok(Self::#variant(variant));
                },
            }
        });
        quote! {
            impl<'de> #RT::runtime::serde::Deserialize<'de> for #name {
                fn deserialize<D: #RT::runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    const FITS: &[#RT::runtime::VariantFit] = &[#(#fit_list),*];
                    let value = <#RT::runtime::serde_json::Value as #RT::runtime::serde::Deserialize>::deserialize(deserializer)?;
                    for index in #RT::runtime::candidates(&value, FITS) {
                        match index {
                            #(#attempts)*
                            _ => {}
                        }
                    }
                    ::std::result::Result::Ok(Self::Unknown(value))
                }
            }
        }
    };
    let serialize = serialize_tokens(name, &idents);
    quote! {
        #docs
        ///
        /// Decoding keeps the first variant, in order, that fits (its required properties
        /// present, its enum properties holding one of their values) and declares every
        /// property of the value; then the first that fits; anything else decodes as
        /// `Unknown`, kept whole.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents(#types), )*
            /// A value no variant fits, kept as it came.
            Unknown(#RT::runtime::serde_json::Value),
        }

        #serialize
        #deserialize
    }
}

/// A variant's doc line: its type, and what a value must be for it to fit.
fn variant_doc(name: &str, fit: &Fit) -> String {
    let mut needs: Vec<String> = Vec::new();
    if !fit.required.is_empty() {
        let names: Vec<String> = fit.required.iter().map(|p| format!("`{p}`")).collect();
        needs.push(format!("with {}", names.join(", ")));
    }
    for (property, values) in &fit.values {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        needs.push(format!("whose `{property}` is {}", values.join(" or ")));
    }
    if fit.closed {
        needs.push("with no other property".to_owned());
    }
    if needs.is_empty() {
        format!("A `{name}`.")
    } else {
        format!("A `{name}` (fits only an object {}).", needs.join(", "))
    }
}

/// The runtime's `VariantFit` for `fit`, as a constant expression.
fn fit_tokens(fit: &Fit) -> TokenStream {
    if fit.is_empty() {
        return quote!(#RT::runtime::VariantFit::ANY);
    }
    let required = &fit.required;
    let values = fit
        .values
        .iter()
        .map(|(property, values)| quote!((#property, &[#(#values),*])));
    let known = match &fit.known {
        Some(names) => quote!(::std::option::Option::Some(&[#(#names),*])),
        None => quote!(::std::option::Option::None),
    };
    let closed = fit.closed;
    quote! {
        #RT::runtime::VariantFit {
            required: &[#(#required),*],
            values: &[#(#values),*],
            known: #known,
            closed: #closed,
        }
    }
}

/// `Serialize` of a union: each variant as its value, with no tag of its own (the value
/// carries the discriminator, if any).
fn serialize_tokens(name: &Ident, idents: &[Ident]) -> TokenStream {
    let serialize = std::iter::repeat(quote!(#RT::runtime::serde::Serialize::serialize));
    quote! {
        impl #RT::runtime::serde::Serialize for #name {
            fn serialize<S: #RT::runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#idents(value) => #serialize(value, serializer), )*
                    Self::Unknown(value) => #RT::runtime::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    }
}
