//! Named types → the `models` module, in files by initial (`groups.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::features::FeatureMap;
use super::fields::field_shape;
use super::groups::Group;
use super::types::Models;
use super::{Module, Tree};
use crate::ir::{Additional, Api, Field, Renames, TypeDef, TypeKind, TypeNames, TypeRef, Types};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The `models` module; with [`Tree::Index`], its groups are stubs.
pub(crate) fn models_module(
    api: &Api,
    features: Option<&FeatureMap>,
    former: Option<&Renames>,
    tree: Tree,
) -> Module {
    let gate = |def: &TypeDef| features.map(|f| f.type_gate(&def.name)).unwrap_or_default();
    let groups = groups(&api.types);
    let reexports = groups.iter().flat_map(|group| {
        let module = ident(&group.name);
        group.members.iter().map(move |&index| {
            let def = &api.types[index];
            let name = ident(&def.name);
            let cfg = gate(def);
            quote!(#cfg pub use self::#module::#name;)
        })
    });
    // A type the previous document named otherwise keeps that name, deprecated.
    let former_names = former.into_iter().flat_map(|f| &f.types).filter_map(|(old, new)| {
        let def = api.types.iter().find(|d| &d.name == new)?;
        let cfg = gate(def);
        let (old_ident, new_ident) = (ident(old), ident(new));
        let note = format!("renamed to `{new}`");
        let docs = doc(&format!(
            "Former name of [`{new}`], kept for one release."
        ));
        Some(quote!(#cfg #docs #[deprecated(note = #note)] pub type #old_ident = self::#new_ident;))
    });
    let items = quote!(#(#reexports)* #(#former_names)*);
    Module {
        name: "models".to_owned(),
        public: true,
        own_file: true,
        children_inline: false,
        doc: inner_doc(
            "Types of the bodies the API sends and receives, named as the specification names them.",
        ),
        items,
        children: groups
            .iter()
            .map(|group| match tree {
                Tree::Whole => group_module(group, &api.types, features),
                Tree::Index => Module::stub(group.name.clone(), false, TokenStream::new()),
            })
            .collect(),
        cfg: TokenStream::new(),
    }
}

/// The files the types are written in, by initial.
pub(crate) fn groups(types: &Types) -> Vec<Group> {
    super::groups::by_initial(types.iter().map(|def| def.module.as_str()))
}

/// One group's module, built whole (for a single file): [`group_items`] as tokens. Should
/// they not parse, the members' own tokens stand instead, for formatting to report.
pub(crate) fn group_module(group: &Group, types: &Types, features: Option<&FeatureMap>) -> Module {
    let items = match group_items(group, types, features) {
        Ok(file) => {
            let items = &file.items;
            quote!(#(#items)*)
        }
        Err(_) => {
            let models = Models::from_a_model(types);
            let members = group
                .members
                .iter()
                .map(|&index| model(&types[index], &models));
            quote!(#(#members)*)
        }
    };
    Module {
        name: group.name.clone(),
        public: false,
        own_file: true,
        children_inline: false,
        doc: TokenStream::new(),
        items,
        children: Vec::new(),
        cfg: TokenStream::new(),
    }
}

/// One group's file, parsed: each of its types (of the table `types`), behind the features
/// that need it; what [`group_module`] holds, without its tokens parsed twice.
///
/// # Errors
/// Generated tokens that do not parse: a generator bug.
pub(crate) fn group_items(
    group: &Group,
    types: &Types,
    features: Option<&FeatureMap>,
) -> syn::Result<syn::File> {
    let models = Models::from_a_model(types);
    let mut items = Vec::new();
    for &index in &group.members {
        let def = &types[index];
        let cfg = features.map(|f| f.type_gate(&def.name)).unwrap_or_default();
        items.extend(super::groups::gated_items(&cfg, model(def, &models))?);
    }
    let mut file: syn::File = syn::parse2(TokenStream::new())?;
    file.items = items;
    Ok(file)
}

/// One type's items.
fn model(def: &TypeDef, models: &Models) -> TokenStream {
    let name = ident(&def.name);
    let building = match (&def.kind, def.sent) {
        (TypeKind::Struct { .. }, true) => Some(format!(
            "Build it with [`{}::new`] and the `with_*` setters, or change its public fields.",
            def.name
        )),
        (TypeKind::Struct { .. }, false) => Some(
            "Only received, never sent: to build one (in a test, say), decode it from JSON."
                .to_owned(),
        ),
        (
            TypeKind::StringEnum {
                same_as: Some(TypeRef::Named(id)),
                ..
            },
            _,
        ) => Some(format!(
            // A path link: the two may be written in different files of `models`.
            "Another name for [`{0}`](super::{0}), which has the same values: one type, so values of the two compare, convert and match alike.",
            models.types().type_name(*id)
        )),
        _ => None,
    };
    let description = paragraphs([
        spec_text(def.description.as_deref()).as_deref(),
        Some(format!("Schema `{}`.", def.pointer).as_str()),
        building.as_deref(),
    ]);
    let docs = doc(&description);
    match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            derive_default,
            ..
        } => {
            let mut items = struct_tokens(
                &name,
                &docs,
                (fields, additional.as_ref()),
                *derive_default,
                models,
            );
            if def.sent {
                items.extend(super::constructors::constructor_tokens(
                    &name,
                    fields,
                    additional.as_ref(),
                    models,
                ));
            }
            items
        }
        TypeKind::StringEnum {
            same_as: Some(target),
            ..
        }
        | TypeKind::Alias(target) => {
            let target = models.rust_type(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::StringEnum { variants, .. } => enum_tokens(&name, &docs, variants),
        TypeKind::TaggedUnion { property, variants } => {
            super::unions::tagged_tokens(&name, &docs, property, variants, models)
        }
        TypeKind::Union { variants, fits } => {
            super::unions::untagged_tokens(&name, &docs, variants, fits, models)
        }
        TypeKind::Runtime(path) => {
            let path: TokenStream = path.parse().unwrap_or_default();
            quote! {
                #docs
                pub use #path as #name;
            }
        }
    }
}

fn struct_tokens(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    (fields, additional): (&[Field], Option<&Additional>),
    derive_default: bool,
    models: &Models,
) -> TokenStream {
    let default = if derive_default {
        quote!(::std::default::Default,)
    } else {
        quote!()
    };
    let codec = super::object::object_tokens(&super::object::ObjectModel {
        name,
        fields,
        additional,
        models,
    });
    let fields = fields.iter().map(|f| field_tokens(f, models));
    let additional = additional.map(|extra| {
        let field = ident(&extra.rust_name);
        // A map's values, as those of any map: a date-time stays text.
        let value = models.nested(&extra.ty);
        quote! {
            /// Properties beyond the named ones (`additionalProperties`).
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    quote! {
        #docs
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #codec
    }
}

fn field_tokens(field: &Field, models: &Models) -> TokenStream {
    let name = ident(&field.rust_name);
    let shape = field_shape(field, models);
    let (ty, patchable) = (shape.ty(), shape.patchable);
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
    quote! {
        #docs
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
        /// never breaks a response. Values compare and hash by their wire text.
        #[derive(::std::clone::Clone)]
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

        #RT::runtime::string_enum!(#name);
    }
}
