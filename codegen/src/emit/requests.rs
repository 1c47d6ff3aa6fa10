//! How a builder writes its parameters into the request: path segments in their style,
//! query pairs, headers and cookies.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Operation, Param, ParamLocation, ParamSchema, ParamStyle, PathPart};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The statements writing the path: literals, and each path parameter in its style.
///
/// Every parameter is one call on the request with the builder's field as it is (a value,
/// or the rule it broke): the request keeps the first broken rule for `finish`, so
/// `into_request` has no `?` or `if let` per parameter.
pub(crate) fn path_steps(op: &Operation) -> Vec<TokenStream> {
    op.path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(request.push_literal(#text);),
            PathPart::Param(index) => {
                let p = &op.params[*index];
                let field = ident(&p.rust_name);
                let wire = &p.wire_name;
                if default_style(p) {
                    quote!(request.segment(#wire, &self.#field);)
                } else {
                    let style = delimited(style_tokens(p.style, p.explode, false), p.delimiter);
                    quote!(request.path_styled(#wire, &self.#field, #style);)
                }
            }
        })
        .collect()
}

/// The statements adding the query, header and cookie parameters, in the spec's order (one
/// call each, as [`path_steps`]).
pub(crate) fn param_steps(op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let call = write_call(p);
            let style = style_argument(p);
            quote!(#call(#wire, &self.#field #style);)
        })
        .collect()
}

/// Whether the parameter is written the way `query` / `segment` write it: the
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
fn write_call(p: &Param) -> TokenStream {
    match p.location {
        ParamLocation::Query if default_style(p) => quote!(request.query),
        ParamLocation::Query | ParamLocation::Path => quote!(request.query_styled),
        ParamLocation::Header => quote!(request.header),
        ParamLocation::Cookie => quote!(request.cookie),
    }
}

/// `, <style>` after the value, unless the call assumes the default.
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
