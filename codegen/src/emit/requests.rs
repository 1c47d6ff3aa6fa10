//! Where a builder's parameters are written (path segments in their style, query pairs,
//! headers and cookies): the tables of the operation's `static`, which the runtime's `Draft`
//! reads.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Operation, Param, ParamLocation, ParamSchema, ParamStyle, PathPart};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The operation's `params` table: each parameter's wire name and where it is written, in
/// the specification's order (the order setters index and broken rules are reported in).
pub(crate) fn param_table(op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .map(|p| {
            let wire = &p.wire_name;
            if default_style(p) {
                match p.location {
                    ParamLocation::Path => return quote!(#RT::runtime::ParamSpec::segment(#wire)),
                    ParamLocation::Query => return quote!(#RT::runtime::ParamSpec::query(#wire)),
                    ParamLocation::Header | ParamLocation::Cookie => {}
                }
            }
            let placement = ident(match p.location {
                ParamLocation::Path => "Path",
                ParamLocation::Query => "Query",
                ParamLocation::Header => "Header",
                ParamLocation::Cookie => "Cookie",
            });
            // A path's reserved characters are always encoded.
            let reserved = p.allow_reserved && p.location != ParamLocation::Path;
            let style = delimited(style_tokens(p.style, p.explode, reserved), p.delimiter);
            quote!(#RT::runtime::ParamSpec::new(#wire, #RT::runtime::Placement::#placement(#style)))
        })
        .collect()
}

/// The operation's `path_parts` table: the template's text, and the index of each path
/// parameter in `params`.
pub(crate) fn path_table(op: &Operation) -> Vec<TokenStream> {
    op.path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#RT::runtime::PathPiece::Literal(#text)),
            PathPart::Param(index) => {
                let index = proc_macro2::Literal::usize_unsuffixed(*index);
                quote!(#RT::runtime::PathPiece::Param(#index))
            }
        })
        .collect()
}

/// Whether the parameter is written the way `ParamSpec::query` / `segment` say: the
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
