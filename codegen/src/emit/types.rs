//! Type references → Rust types, with fully qualified paths so no spec name can shadow `std`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::TypeRef;
use crate::naming::ident;

/// The Rust type for `ty`; `models` is the path from the current module to the models module.
pub(crate) fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models::#name)
        }
        // Checked to be a Rust path before lowering.
        TypeRef::Runtime(path) => path.parse().unwrap_or_default(),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::DateTime => quote!(::atlas_sdk::time::OffsetDateTime),
        TypeRef::Json => quote!(::atlas_sdk::runtime::serde_json::Value),
        TypeRef::JsonObject => {
            quote!(::atlas_sdk::runtime::serde_json::Map<::std::string::String, ::atlas_sdk::runtime::serde_json::Value>)
        }
        TypeRef::Vec(item) => {
            let item = nested(item, models);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = nested(value, models);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// Inside a list or map, date-times stay text: serde attributes cannot reach them there.
pub(crate) fn nested(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => rust_type(&TypeRef::String, models),
        other => rust_type(other, models),
    }
}

/// Whether the type (as a direct field) is an RFC 3339 date-time needing a serde adapter.
pub(crate) fn is_date_time(ty: &TypeRef) -> bool {
    *ty == TypeRef::DateTime
}
