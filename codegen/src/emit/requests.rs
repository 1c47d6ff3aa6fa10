//! How a builder writes its parameters into the request: path segments in their style,
//! query pairs, headers and cookies.

use proc_macro2::TokenStream;
use quote::quote;

use super::params::shape;
use super::types::Models;
use crate::ir::{Operation, Param, ParamLocation, ParamSchema, ParamStyle, PathPart};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The statements writing the path: literals, and each path parameter in its style.
pub(crate) fn path_steps(op: &Operation, models: &Models) -> Vec<TokenStream> {
    op.path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(request.push_literal(#text);),
            PathPart::Param(index) => {
                let p = &op.params[*index];
                let field = ident(&p.rust_name);
                let wire = &p.wire_name;
                let value = if shape(p, models).fallible {
                    quote!(self.#field?)
                } else {
                    quote!(self.#field)
                };
                if default_style(p) {
                    quote!(request.push_segment(#wire, &#value)?;)
                } else {
                    let style = delimited(style_tokens(p.style, p.explode, false), p.delimiter);
                    quote!(request.push_path_styled(#wire, &#value, #style)?;)
                }
            }
        })
        .collect()
}

/// The statements adding the query, header and cookie parameters, in the spec's order.
pub(crate) fn param_steps(op: &Operation, models: &Models) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let fallible = shape(p, models).fallible;
            let push = push_call(p);
            let style = style_argument(p);
            // A header value is checked for characters a header cannot carry.
            let checked = (p.location == ParamLocation::Header).then(|| quote!(?));
            match (p.required, fallible) {
                (true, true) => quote!(#push(#wire, &self.#field? #style)#checked;),
                (true, false) => quote!(#push(#wire, &self.#field #style)#checked;),
                (false, true) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        #push(#wire, &value? #style)#checked;
                    }
                },
                (false, false) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        #push(#wire, &value #style)#checked;
                    }
                },
            }
        })
        .collect()
}

/// Whether the parameter is written the way `push_query` / `push_segment` write it: the
/// default style of its location, and (for a path) a single value.
fn default_style(p: &Param) -> bool {
    match p.location {
        _ if p.delimiter.is_some() => false,
        ParamLocation::Query => p.style == ParamStyle::Form && p.explode && !p.allow_reserved,
        ParamLocation::Path => {
            p.style == ParamStyle::Simple
                && !matches!(
                    p.schema,
                    ParamSchema::Array { .. } | ParamSchema::Value { .. }
                )
        }
        ParamLocation::Header | ParamLocation::Cookie => false,
    }
}

/// The `PreparedRequest` method that adds a query, header or cookie parameter.
fn push_call(p: &Param) -> TokenStream {
    match p.location {
        ParamLocation::Query if default_style(p) => quote!(request.push_query),
        ParamLocation::Query | ParamLocation::Path => quote!(request.push_query_styled),

        ParamLocation::Header => quote!(request.push_header),
        ParamLocation::Cookie => quote!(request.push_cookie),
    }
}

/// `, <style>` after the value, unless the call assumes the default; a `?` for the calls
/// that check the value.
fn style_argument(p: &Param) -> TokenStream {
    if p.location == ParamLocation::Query && default_style(p) {
        return quote!();
    }
    let style = delimited(
        style_tokens(p.style, p.explode, p.allow_reserved),
        p.delimiter,
    );
    quote!(, #style)
}

/// `style` with `.delimited_by(…)` when the parameter has a delimiter of its own.
pub(crate) fn delimited(style: TokenStream, delimiter: Option<char>) -> TokenStream {
    match delimiter {
        Some(delimiter) => quote!(#style.delimited_by(#delimiter)),
        None => style,
    }
}

/// The runtime's `Style::form(true)` and its siblings.
pub(crate) fn style_tokens(style: ParamStyle, explode: bool, allow_reserved: bool) -> TokenStream {
    let constructor = ident(match style {
        ParamStyle::Form => "form",
        ParamStyle::Simple => "simple",
        ParamStyle::Label => "label",
        ParamStyle::Matrix => "matrix",
        ParamStyle::SpaceDelimited => "space_delimited",
        ParamStyle::PipeDelimited => "pipe_delimited",
        ParamStyle::DeepObject => "deep_object",
    });
    let reserved = allow_reserved.then(|| quote!(.allow_reserved()));
    quote!(#RT::runtime::Style::#constructor(#explode) #reserved)
}
