//! Parameters → one schema type each, carrying the specification's rules.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, macro_doc, paragraphs, spec_text};
use super::types::Models;
use crate::ir::{Int, Param, ParamLocation, ParamSchema, Types};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The Rust integer type `int` names (`u64`).
pub(crate) fn int_type(int: Int) -> TokenStream {
    let int = proc_macro2::Ident::new(int.rust(), proc_macro2::Span::call_site());
    quote!(#int)
}

/// `value` as a literal of the type `int` (`5u8`; `0` of it when it does not fit, which
/// lowering rules out).
pub(crate) fn int_literal(int: Int, value: i64) -> TokenStream {
    fn lit<T: TryFrom<i64> + Default + quote::ToTokens>(value: i64) -> TokenStream {
        let value = T::try_from(value).unwrap_or_default();
        quote!(#value)
    }
    match int {
        Int::I8 => lit::<i8>(value),
        Int::I16 => lit::<i16>(value),
        Int::I32 => lit::<i32>(value),
        Int::I64 => quote!(#value),
        Int::U8 => lit::<u8>(value),
        Int::U16 => lit::<u16>(value),
        Int::U32 => lit::<u32>(value),
        Int::U64 => lit::<u64>(value),
    }
}

/// How a parameter's value is given and kept.
pub(crate) struct ParamShape {
    /// The type a caller passes (`i64`, `impl Into<String>`, …).
    pub input: TokenStream,
    /// Expression converting the input named `value` before `new` (e.g. `value.into()`).
    pub convert: TokenStream,
    /// Whether `new` can fail.
    pub fallible: bool,
}

/// The Rust type holding one value of `schema` (a list's item, or the value itself);
/// `models` is the path to the models module.
pub(crate) fn inner_type(schema: &ParamSchema, models: &Models) -> TokenStream {
    match schema {
        ParamSchema::Bool { .. } => quote!(bool),
        ParamSchema::Integer { int, .. } => int_type(*int),
        ParamSchema::Number { .. } => quote!(f64),
        ParamSchema::DateTime => quote!(#RT::time::OffsetDateTime),
        ParamSchema::String { .. } => quote!(::std::string::String),
        ParamSchema::Enum { ty, .. } => models.rust_type(ty),
        ParamSchema::Value { ty, .. } => models.nested(ty),
        ParamSchema::Array { item } => {
            let item = inner_type(item, models);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

/// `models`: the path from where the input type is written to the models module.
pub(crate) fn shape(param: &Param, models: &Models) -> ParamShape {
    let (input, convert) = match &param.schema {
        ParamSchema::Bool { .. } => (quote!(bool), quote!(value)),
        ParamSchema::Integer { int, .. } => (int_type(*int), quote!(value)),
        ParamSchema::Number { .. } => (quote!(f64), quote!(value)),
        ParamSchema::DateTime => (quote!(#RT::time::OffsetDateTime), quote!(value)),
        ParamSchema::String { .. } => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::convert::Into::into(value)),
        ),
        ParamSchema::Enum { .. } | ParamSchema::Value { .. } => {
            let inner = inner_type(&param.schema, models);
            (
                quote!(impl ::std::convert::Into<#inner>),
                quote!(::std::convert::Into::into(value)),
            )
        }
        ParamSchema::Array { item } => {
            let item = inner_type(item, models);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
                quote!(::std::iter::Iterator::collect(::std::iter::Iterator::map(
                    ::std::iter::IntoIterator::into_iter(value),
                    ::std::convert::Into::into
                ))),
            )
        }
    };
    let fallible = match &param.schema {
        ParamSchema::Enum { .. } | ParamSchema::Array { .. } | ParamSchema::Value { .. } => false,
        ParamSchema::Bool { .. } => false,
        ParamSchema::Integer { bounds, .. } => bounds.min.is_some() || bounds.max.is_some(),
        ParamSchema::Number { bounds, .. } => bounds.min.is_some() || bounds.max.is_some(),
        ParamSchema::DateTime => true,
        ParamSchema::String {
            min_length,
            max_length,
            pattern,
            ..
        } => min_length.is_some() || max_length.is_some() || pattern.is_some(),
    };
    ParamShape {
        input,
        convert,
        fallible,
    }
}

/// The rules as a sentence for the docs.
fn rules(param: &Param, types: &Types) -> String {
    let place = match param.location {
        ParamLocation::Path => "Path",
        ParamLocation::Query => "Query",
        ParamLocation::Header => "Header",
        ParamLocation::Cookie => "Cookie",
    };
    let mut parts = vec![format!(
        "{place} parameter `{}`{}.",
        param.wire_name,
        if param.required { ", required" } else { "" }
    )];
    let default_style = crate::ir::ParamStyle::default_for(param.location);
    if param.style != default_style
        || param.explode != (default_style == crate::ir::ParamStyle::Form)
    {
        parts.push(format!(
            "Style `{}`{}.",
            param.style.as_str(),
            if param.explode { ", exploded" } else { "" }
        ));
    }
    if param.allow_reserved {
        parts.push("Reserved characters are sent as they are.".to_owned());
    }
    let bound = |(limit, exclusive): (String, bool), word: &str, excl: &str| {
        format!("{}: `{limit}`.", if exclusive { excl } else { word })
    };
    match &param.schema {
        ParamSchema::Bool { default } => {
            parts.push("Boolean.".to_owned());
            if let Some(d) = default {
                parts.push(format!("Default: `{d}`."));
            }
        }
        ParamSchema::Integer {
            int,
            bounds,
            default,
        } => {
            parts.push(int.describe().to_owned());
            if let Some(d) = default {
                parts.push(format!("Default: `{d}`."));
            }
            if let Some((m, e)) = bounds.min {
                parts.push(bound((m.to_string(), e), "Minimum", "Greater than"));
            }
            if let Some((m, e)) = bounds.max {
                parts.push(bound((m.to_string(), e), "Maximum", "Less than"));
            }
        }
        ParamSchema::Number { bounds, default } => {
            parts.push("Number.".to_owned());
            if let Some(d) = default {
                parts.push(format!("Default: `{d}`."));
            }
            if let Some((m, e)) = bounds.min {
                parts.push(bound((m.to_string(), e), "Minimum", "Greater than"));
            }
            if let Some((m, e)) = bounds.max {
                parts.push(bound((m.to_string(), e), "Maximum", "Less than"));
            }
        }
        ParamSchema::DateTime => parts.push("RFC 3339 date-time.".to_owned()),
        ParamSchema::Enum { ty, default } => {
            if let Some(def) = ty.id().and_then(|id| types.def(id)) {
                parts.push(format!("One of the values of `{}`.", def.name));
            }
            if let Some(d) = default {
                parts.push(format!("Default: `{d}`."));
            }
        }
        ParamSchema::Array { .. } => {
            parts.push(
                if param.location == ParamLocation::Query
                    && param.style == crate::ir::ParamStyle::Form
                    && param.explode
                {
                    "A list, sent as one `name=value` pair per item."
                } else {
                    "A list."
                }
                .to_owned(),
            );
        }
        ParamSchema::Value { json, .. } => {
            parts.push(
                if *json {
                    "Sent as JSON text."
                } else {
                    "A structured value: an object's properties are written as the style says, nested values as JSON text."
                }
                .to_owned(),
            );
        }
        ParamSchema::String {
            min_length,
            max_length,
            pattern,
            format,
            default,
        } => {
            parts.push(match format {
                Some(f) => format!("String (format `{f}`)."),
                None => "String.".to_owned(),
            });
            if let Some(d) = default {
                parts.push(format!("Default: `{d:?}`."));
            }
            if let Some(n) = min_length {
                parts.push(format!("At least {n} characters."));
            }
            if let Some(n) = max_length {
                parts.push(format!("At most {n} characters."));
            }
            if let Some(p) = pattern {
                parts.push(format!("Pattern (JavaScript): `{p}`."));
            }
        }
    }
    parts.join(" ")
}

/// The checks of the types `scalar_param!` does not define (scalars carry theirs as data,
/// see [`rules_data`]): a date-time's form.
fn checks(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    match &param.schema {
        ParamSchema::DateTime => quote!(#RT::runtime::check::date_time(#wire, &value)?;),
        _ => quote!(),
    }
}

/// Types of the parameters defined once in `#/components/parameters` or declared alike by
/// several operations (`lower::shared_params`), in one file; operation modules re-export
/// them under their local names.
pub(crate) fn shared_module(
    params: &[Param],
    types: &Types,
    features: Option<&super::features::FeatureMap>,
) -> super::Module {
    let models = Models::at(types, quote!(super));
    let items = params.iter().map(|p| {
        let cfg = features
            .map(|f| f.param_gate(&p.type_name))
            .unwrap_or_default();
        super::groups::gated(&cfg, schema_type(p, &models))
    });
    super::Module {
        own_file: true,
        children_inline: false,
        name: "parameters".to_owned(),
        public: true,
        doc: super::docs::inner_doc(
            "Parameter types shared by several operations: those of the specification's `#/components/parameters`, and those several operations declare alike. Each operation's module re-exports the ones it takes, under the name it gives them.",
        ),
        items: quote!(#(#items)*),
        children: Vec::new(),
        cfg: TokenStream::new(),
    }
}

/// The schema type of one parameter, or the re-export of its shared type.
pub(crate) fn schema_type_or_reexport(param: &Param, models: &Models) -> TokenStream {
    let Some(shared) = &param.shared else {
        return schema_type(param, models);
    };
    let shared = ident(shared);
    let local = ident(&param.type_name);
    if shared == local {
        quote!(pub use super::super::parameters::#shared;)
    } else {
        quote!(pub use super::super::parameters::#shared as #local;)
    }
}

/// The schema type of one parameter; `models` is the path to the models module.
pub(crate) fn schema_type(param: &Param, models: &Models) -> TokenStream {
    let name = ident(&param.type_name);
    let shape = shape(param, models);
    let text = paragraphs([
        spec_text(param.description.as_deref()).as_deref(),
        Some(rules(param, models.types()).as_str()),
    ]);
    if let Some(call) = scalar_param_call(param, &name, &macro_doc(&text), shape.fallible) {
        let default = default_impl(param, &name, models);
        return quote!(#call #default);
    }
    let docs = doc(&text);
    // Scalars are `scalar_param!` calls (above); what is left: date-times, enums, lists and
    // structured values.
    let inner = inner_type(&param.schema, models);
    let copy = matches!(param.schema, ParamSchema::DateTime);
    let derives = match &param.schema {
        // Models (tagged unions among them) are not all comparable.
        ParamSchema::Value { .. } => quote!(),
        ParamSchema::Array { item } if matches!(**item, ParamSchema::Number { .. }) => {
            quote!(::std::cmp::PartialEq,)
        }
        _ if copy => quote!(::std::cmp::PartialEq, ::std::marker::Copy, ::std::cmp::Eq,),
        _ => quote!(::std::cmp::PartialEq, ::std::cmp::Eq,),
    };
    let input = &shape.input;
    let convert = &shape.convert;
    let from_inner = if matches!(param.schema, ParamSchema::Array { .. }) {
        quote!(Self(value))
    } else {
        quote!(Self::new(value))
    };
    let (constructor, conversion) = if shape.fallible {
        let checks = checks(param);
        let docs = super::docs::doc(&format!(
            "Checks `value` against the parameter's rules.\n\n# Errors\n[`InvalidParameter`]({}) naming the rule the value breaks.",
            RT.path("InvalidParameter")
        ));
        (
            quote! {
                #docs
                pub fn new(value: #input) -> ::std::result::Result<Self, #RT::InvalidParameter> {
                    #checks
                    ::std::result::Result::Ok(Self(value))
                }
            },
            quote! {
                impl ::std::convert::TryFrom<#inner> for #name {
                    type Error = #RT::InvalidParameter;
                    fn try_from(value: #inner) -> ::std::result::Result<Self, Self::Error> {
                        Self::new(value)
                    }
                }
            },
        )
    } else {
        (
            quote! {
                /// Wraps `value`; the parameter has no rules to check.
                pub fn new(value: #input) -> Self {
                    Self(#convert)
                }
            },
            quote! {
                impl ::std::convert::From<#inner> for #name {
                    fn from(value: #inner) -> Self {
                        #from_inner
                    }
                }
            },
        )
    };
    let item_type = match &param.schema {
        ParamSchema::Array { item } => inner_type(item, models),
        _ => quote!(),
    };
    let accessor = match &param.schema {
        ParamSchema::Array { .. } => quote! {
            /// The items.
            pub fn as_slice(&self) -> &[#item_type] {
                &self.0
            }
        },
        _ if copy => quote! {
            /// The value.
            pub fn get(&self) -> #inner {
                self.0
            }
        },
        _ => quote! {
            /// The value.
            pub fn get(&self) -> &#inner {
                &self.0
            }
        },
    };
    let default = default_impl(param, &name, models);
    let param_value = param_value_impl(param, &name);
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, #derives)]
        pub struct #name(#inner);

        impl #name {
            #constructor
            #accessor
            /// The value, taking ownership.
            pub fn into_inner(self) -> #inner {
                self.0
            }
        }

        #conversion
        #default

        #param_value
    }
}

/// Booleans, numbers and strings: one `scalar_param!` call with the docs and the checks,
/// since the newtype, its accessors and conversions are the same for every one of them.
fn scalar_param_call(
    param: &Param,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    fallible: bool,
) -> Option<TokenStream> {
    let form = match &param.schema {
        ParamSchema::Bool { .. } => quote!(copy bool, Eq),
        ParamSchema::Integer { int, .. } => {
            let int = int_type(*int);
            quote!(copy #int, Eq)
        }
        ParamSchema::Number { .. } => quote!(copy f64),
        ParamSchema::String { .. } => quote!(string),
        _ => return None,
    };
    let check = fallible.then(|| {
        let wire = &param.wire_name;
        let (rules, pattern) = rules_data(&param.schema);
        let pattern = pattern.map(|p| quote!(pattern #p));
        let rules = (!rules.is_empty()).then(|| quote!([#(#rules),*]));
        quote!(#wire #rules #pattern)
    });
    Some(quote! {
        #RT::runtime::scalar_param!(#docs #name(#form) #check);
    })
}

/// A scalar parameter's rules as calls of the runtime's `Rules` builder, and its pattern.
fn rules_data(schema: &ParamSchema) -> (Vec<TokenStream>, Option<&str>) {
    let mut rules = Vec::new();
    match schema {
        ParamSchema::Integer { bounds, .. } => {
            if let Some((limit, exclusive)) = bounds.min {
                rules.push(quote!(int_minimum(#limit, #exclusive)));
            }
            if let Some((limit, exclusive)) = bounds.max {
                rules.push(quote!(int_maximum(#limit, #exclusive)));
            }
        }
        ParamSchema::Number { bounds, .. } => {
            if let Some((limit, exclusive)) = bounds.min {
                rules.push(quote!(minimum(#limit, #exclusive)));
            }
            if let Some((limit, exclusive)) = bounds.max {
                rules.push(quote!(maximum(#limit, #exclusive)));
            }
        }
        ParamSchema::String {
            min_length,
            max_length,
            pattern,
            ..
        } => {
            if let Some(length) = min_length {
                rules.push(quote!(min_length(#length)));
            }
            if let Some(length) = max_length {
                rules.push(quote!(max_length(#length)));
            }
            return (rules, pattern.as_deref());
        }
        _ => {}
    }
    (rules, None)
}

/// How the value is written into the request.
fn param_value_impl(param: &Param, name: &proc_macro2::Ident) -> TokenStream {
    let single = |value: TokenStream, schema: &ParamSchema| match schema {
        ParamSchema::Enum { .. } => quote!(::std::string::ToString::to_string(#value)),
        _ => quote!(#RT::runtime::ParamValue::to_param_string(#value)),
    };
    match &param.schema {
        ParamSchema::Array { item } => {
            let each = match **item {
                ParamSchema::Enum { .. } => quote!(::std::string::ToString::to_string),
                _ => quote!(#RT::runtime::ParamValue::to_param_string),
            };
            quote! {
                impl #RT::runtime::ParamValue for #name {
                    fn to_param_string(&self) -> ::std::string::String {
                        ::std::iter::Iterator::collect::<::std::vec::Vec<_>>(::std::iter::Iterator::map(self.0.iter(), #each)).join(",")
                    }
                    fn parts(&self) -> #RT::runtime::ParamParts {
                        #RT::runtime::ParamParts::List(::std::iter::Iterator::collect(::std::iter::Iterator::map(self.0.iter(), #each)))
                    }
                }
            }
        }
        ParamSchema::Value { json, form, .. } => {
            let parts = if *form {
                quote!(#RT::runtime::form_parts(&self.0))
            } else {
                quote!(#RT::runtime::value_parts(&self.0, #json))
            };
            quote! {
                impl #RT::runtime::ParamValue for #name {
                    fn to_param_string(&self) -> ::std::string::String {
                        #RT::runtime::value_parts(&self.0, true).joined()
                    }
                    fn parts(&self) -> #RT::runtime::ParamParts {
                        #parts
                    }
                }
            }
        }
        schema => {
            let value = single(quote!(&self.0), schema);
            quote! {
                impl #RT::runtime::ParamValue for #name {
                    fn to_param_string(&self) -> ::std::string::String {
                        #value
                    }
                }
            }
        }
    }
}

/// `Default` returns the value the server assumes when the parameter is absent.
fn default_impl(param: &Param, name: &proc_macro2::Ident, models: &Models) -> TokenStream {
    let value = match &param.schema {
        ParamSchema::Bool { default: Some(d) } => quote!(#d),
        ParamSchema::Integer {
            default: Some(d),
            int,
            ..
        } => int_literal(*int, *d),
        ParamSchema::Number {
            default: Some(d), ..
        } => quote!(#d),
        ParamSchema::String {
            default: Some(d), ..
        } => quote!(::std::string::String::from(#d)),
        ParamSchema::Enum {
            default: Some(d), ..
        } => {
            let ty = inner_type(&param.schema, models);
            quote!(<#ty as ::std::convert::From<&str>>::from(#d))
        }
        _ => return quote!(),
    };
    quote! {
        /// The value the server uses when the parameter is not sent.
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self(#value)
            }
        }
    }
}
