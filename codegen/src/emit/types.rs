//! Type references → Rust types, with fully qualified paths so no spec name can shadow `std`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::{TypeNames, TypeRef, Types};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The models module as seen from where code is written: its path from there, the generated
/// root's, and the type table that names what [`TypeRef::Named`] points at.
#[derive(Clone)]
pub(crate) struct Models<'a> {
    types: &'a Types,
    path: TokenStream,
    root: TokenStream,
}

impl<'a> Models<'a> {
    /// The models module of `types`, below the generated root reached by `root` (`super`,
    /// `super::super`, `::my_crate`, …).
    pub(crate) fn at(types: &'a Types, root: TokenStream) -> Self {
        Models {
            types,
            path: quote!(#root::models),
            root,
        }
    }

    /// The models module of `types` as seen from one of its own modules.
    pub(crate) fn from_a_model(types: &'a Types) -> Self {
        Models {
            types,
            path: quote!(super),
            root: quote!(super::super),
        }
    }

    /// The error type every operation returns: the generated root's `Error` alias.
    pub(crate) fn error(&self) -> TokenStream {
        let root = &self.root;
        quote!(#root::Error)
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
            TypeRef::DateTime => quote!(#RT::time::OffsetDateTime),
            TypeRef::Json => quote!(#RT::runtime::serde_json::Value),
            TypeRef::JsonObject => {
                quote!(#RT::runtime::serde_json::Map<::std::string::String, #RT::runtime::serde_json::Value>)
            }
            TypeRef::Vec(item) => {
                let item = self.nested(item);
                quote!(::std::vec::Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.nested(value);
                quote!(::std::collections::BTreeMap<::std::string::String, #value>)
            }
            TypeRef::OrNull(value) => {
                let value = self.nested(value);
                quote!(::std::option::Option<#value>)
            }
            TypeRef::Tuple(members) => {
                let members = members.iter().map(|m| self.nested(m));
                quote!((#(#members,)*))
            }
        }
    }

    /// Inside a list or map, date-times stay text: serde attributes cannot reach them there;
    /// so do bodies (a whole body that is a date-time), for the same reason. So does a name
    /// for a date-time (an alias, or a chain of them), whose Rust type is `OffsetDateTime`
    /// with the `time` crate's own serde form, not RFC 3339. Only a struct's field, whose
    /// codec the generator writes, holds an `OffsetDateTime`.
    pub(crate) fn nested(&self, ty: &TypeRef) -> TokenStream {
        if self.is_date_time(ty) {
            return self.rust_type(&TypeRef::String);
        }
        self.rust_type(ty)
    }

    /// Whether the type is an RFC 3339 date-time, itself or through aliases: as a direct
    /// field it needs the runtime's RFC 3339 codec.
    pub(crate) fn is_date_time(&self, ty: &TypeRef) -> bool {
        self.types.resolve(ty) == Some(&TypeRef::DateTime)
    }
}

/// `#models` in a quote: the module's path.
impl ToTokens for Models<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.path.to_tokens(tokens);
    }
}
