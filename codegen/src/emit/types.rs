//! Type references → Rust types, with fully qualified paths so no spec name can shadow `std`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{TypeNames, TypeRef, Types};
use crate::naming::ident;

/// The models module as seen from where code is written: its path from there, and the type
/// table that names what [`TypeRef::Named`] points at.
#[derive(Clone)]
pub(crate) struct Models<'a> {
    types: &'a Types,
    path: TokenStream,
}

impl<'a> Models<'a> {
    /// The models module of `types`, reached by `path` (`super`, `super::super::models`, …).
    pub(crate) fn at(types: &'a Types, path: TokenStream) -> Self {
        Models { types, path }
    }

    /// The type table.
    pub(crate) fn types(&self) -> &'a Types {
        self.types
    }

    /// The Rust type for `ty`.
    pub(crate) fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = ident(self.types.type_name(*id));
                let models = &self.path;
                quote!(#models::#name)
            }
            // Checked to be a Rust path before lowering.
            TypeRef::Runtime(path) => path.parse().unwrap_or_default(),
            TypeRef::Bool => quote!(bool),
            TypeRef::Int(int) => {
                let int = proc_macro2::Ident::new(int.rust(), proc_macro2::Span::call_site());
                quote!(#int)
            }
            TypeRef::F64 => quote!(f64),
            TypeRef::String => quote!(::std::string::String),
            TypeRef::DateTime => quote!(::atlas_sdk::time::OffsetDateTime),
            TypeRef::Json => quote!(::atlas_sdk::runtime::serde_json::Value),
            TypeRef::JsonObject => {
                quote!(::atlas_sdk::runtime::serde_json::Map<::std::string::String, ::atlas_sdk::runtime::serde_json::Value>)
            }
            TypeRef::Vec(item) => {
                let item = self.nested(item);
                quote!(::std::vec::Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.nested(value);
                quote!(::std::collections::BTreeMap<::std::string::String, #value>)
            }
            TypeRef::Tuple(members) => {
                let members = members.iter().map(|m| self.nested(m));
                quote!((#(#members,)*))
            }
        }
    }

    /// Inside a list or map, date-times stay text: serde attributes cannot reach them there.
    pub(crate) fn nested(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::DateTime => self.rust_type(&TypeRef::String),
            other => self.rust_type(other),
        }
    }
}

/// `#models` in a quote: the module's path.
impl ToTokens for Models<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.path.to_tokens(tokens);
    }
}

/// Whether the type (as a direct field) is an RFC 3339 date-time needing a serde adapter.
pub(crate) fn is_date_time(ty: &TypeRef) -> bool {
    *ty == TypeRef::DateTime
}
