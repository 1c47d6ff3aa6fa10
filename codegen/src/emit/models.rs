//! Named types → the `models` module, one file per type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::features::FeatureMap;
use super::types::{is_date_time, rust_type};
use super::{Module, Tree};
use crate::ir::{Additional, Api, Field, TypeDef, TypeKind};
use crate::naming::ident;

/// The `models` module; with [`Tree::Index`], its types are stubs.
pub(crate) fn models_module(api: &Api, features: Option<&FeatureMap>, tree: Tree) -> Module {
    let gate = |def: &TypeDef| features.map(|f| f.type_gate(&def.name)).unwrap_or_default();
    let reexports = api.types.iter().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        let cfg = gate(def);
        quote!(#cfg pub use self::#module::#name;)
    });
    Module {
        name: "models".to_owned(),
        public: true,
        own_file: true,
        doc: inner_doc(
            "Types of the bodies the API sends and receives, named as the specification names them.",
        ),
        items: quote!(#(#reexports)*),
        children: api
            .types
            .iter()
            .map(|def| match tree {
                Tree::Whole => model_module(def, features),
                Tree::Index => Module::stub(def.module.clone(), false, gate(def)),
            })
            .collect(),
        cfg: TokenStream::new(),
    }
}

/// One type's module, behind the features that need it.
pub(crate) fn model_module(def: &TypeDef, features: Option<&FeatureMap>) -> Module {
    Module {
        cfg: features.map(|f| f.type_gate(&def.name)).unwrap_or_default(),
        ..model(def)
    }
}

fn model(def: &TypeDef) -> Module {
    let name = ident(&def.name);
    let description = paragraphs([
        spec_text(def.description.as_deref()).as_deref(),
        Some(format!("Schema `{}`.", def.pointer).as_str()),
    ]);
    let docs = doc(&description);
    let items = match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            derive_default,
        } => struct_tokens(&name, &docs, fields, additional.as_ref(), *derive_default),
        TypeKind::StringEnum { variants } => enum_tokens(&name, &docs, variants),
        TypeKind::TaggedUnion { property, variants } => {
            super::unions::tagged_tokens(&name, &docs, property, variants)
        }
        TypeKind::Union {
            variants,
            must_have,
        } => super::unions::untagged_tokens(&name, &docs, variants, must_have),
        TypeKind::Alias(target) => {
            let target = rust_type(target, &quote!(super));
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Runtime(path) => {
            let path: TokenStream = path.parse().unwrap_or_default();
            quote! {
                #docs
                pub use #path as #name;
            }
        }
    };
    Module {
        name: def.module.clone(),
        public: false,
        own_file: true,
        doc: TokenStream::new(),
        items,
        children: Vec::new(),
        cfg: TokenStream::new(),
    }
}

fn struct_tokens(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    fields: &[Field],
    additional: Option<&Additional>,
    derive_default: bool,
) -> TokenStream {
    let default = if derive_default {
        quote!(::std::default::Default,)
    } else {
        quote!()
    };
    let fields = fields.iter().map(field_tokens);
    let additional = additional.map(|extra| {
        let field = ident(&extra.rust_name);
        let value = rust_type(&extra.ty, &quote!(super));
        quote! {
            /// Properties beyond the named ones (`additionalProperties`).
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #default
            ::atlas_sdk::runtime::serde::Serialize, ::atlas_sdk::runtime::serde::Deserialize)]
        #[serde(crate = "::atlas_sdk::runtime::serde")]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field_tokens(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    // `null` distinct from absent: a field that may be left out *and* set to null.
    let patchable = field.nullable && !field.required && !field.read_only;
    let mut ty = if patchable {
        let inner = super::types::nested(&field.ty, &quote!(super));
        quote!(::atlas_sdk::Nullable<#inner>)
    } else {
        rust_type(&field.ty, &quote!(super))
    };
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let optional = field.is_optional();
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("Set by the server; never sent in requests.".to_owned());
    }
    if field.write_only {
        notes.push("Only sent in requests; responses leave it out.".to_owned());
    }
    if patchable {
        notes.push(
            "`None` leaves it out (unchanged); `Some(Nullable::Null)` sends `null` to clear it."
                .to_owned(),
        );
    }
    if field.deprecated {
        notes.push("**Deprecated.**".to_owned());
    }
    if let Some(default) = &field.default {
        notes.push(format!("Default: `{default}`."));
    }
    if field.single_as_list {
        notes.push(
            "A single value where the list belongs decodes as a one-element list.".to_owned(),
        );
    }
    if field.default_when_absent {
        notes.push("A response that leaves it out decodes as `Default::default()`.".to_owned());
    }
    if field.description.is_none() {
        // Every public item is documented, even where the spec is silent.
        notes.insert(0, format!("The `{}` property.", field.wire_name));
    }
    let notes = notes.join(" ");
    let docs = doc(&paragraphs([
        spec_text(field.description.as_deref()).as_deref(),
        Some(notes.as_str()),
    ]));
    let date_time = is_date_time(&field.ty) && !patchable;
    let mut serde_args = vec![quote!(rename = #wire)];
    if optional {
        // Absent decodes as `None` whatever the spec says: a lenient reader.
        serde_args.push(quote!(default));
        if field.read_only {
            serde_args.push(quote!(skip_serializing));
        } else if !field.required || field.write_only {
            serde_args.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
        }
        if patchable && field.single_as_list {
            serde_args.push(quote!(
                deserialize_with = "::atlas_sdk::runtime::single_as_list_nullable"
            ));
        } else if patchable {
            serde_args.push(quote!(
                deserialize_with = "::atlas_sdk::runtime::nullable_field"
            ));
        } else if field.single_as_list {
            serde_args.push(quote!(
                deserialize_with = "::atlas_sdk::runtime::single_as_list_option"
            ));
        } else if date_time {
            if field.read_only {
                serde_args.push(quote!(
                    deserialize_with = "::atlas_sdk::time::serde::rfc3339::option::deserialize"
                ));
            } else {
                serde_args.push(quote!(with = "::atlas_sdk::time::serde::rfc3339::option"));
            }
        }
        ty = quote!(::std::option::Option<#ty>);
    } else if date_time {
        serde_args.push(quote!(with = "::atlas_sdk::time::serde::rfc3339"));
    } else if field.default_when_absent {
        // Atlas leaves some required properties out of responses (secrets such as
        // `serviceKey`, fields of other variants); like MongoDB's Go SDK, decode them as the
        // zero value instead of failing the whole response (see `lower::defaults`).
        serde_args.push(quote!(default));
    }
    if !optional && field.single_as_list {
        // The `enum` on the array describes its items; a lone value is such an item.
        serde_args.push(quote!(
            deserialize_with = "::atlas_sdk::runtime::single_as_list"
        ));
    }
    quote! {
        #docs
        #[serde(#(#serde_args),*)]
        pub #name: #ty,
    }
}

fn enum_tokens(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    variants: &[(String, String)],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|(v, _)| ident(v)).collect();
    let values: Vec<_> = variants.iter().map(|(_, w)| w.as_str()).collect();
    let variant_docs = values.iter().map(|v| doc(&format!("`{v}`")));
    quote! {
        #docs
        ///
        /// Values this SDK version does not know decode as `Unknown`, so a new server value
        /// never breaks a response.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq,
            ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the SDK does not know.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::atlas_sdk::runtime::serde::Serialize for #name {
            fn serialize<S: ::atlas_sdk::runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::atlas_sdk::runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::atlas_sdk::runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::atlas_sdk::runtime::deserialize_string_enum(deserializer)
            }
        }
    }
}
