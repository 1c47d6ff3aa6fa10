//! `into_stream` for list operations: every item of every page.

use proc_macro2::TokenStream;
use quote::quote;

use super::params::shape;
use super::types::Models;
use crate::ir::{Int, Operation, Pagination, ParamSchema};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// `into_stream`: every item of every page, fetched one page at a time.
pub(crate) fn stream_method(
    op: &Operation,
    pagination: &Pagination,
    models: &Models,
) -> TokenStream {
    let item = models.rust_type(&pagination.item);
    let page_param = &op.params[pagination.page_num];
    let page_field = ident(&page_param.rust_name);
    let page_int32 = matches!(
        page_param.schema,
        ParamSchema::Integer { int: Int::I32, .. }
    );
    let first_value = if page_int32 {
        quote!(first_page)
    } else {
        quote!(i64::from(first_page))
    };
    let page_wire = &page_param.wire_name;
    let fallible_page = shape(page_param, models).fallible;
    let first_page = {
        let get = if page_int32 {
            quote!(value.get())
        } else {
            quote!(i32::try_from(value.get()).unwrap_or(1))
        };
        if fallible_page {
            quote!(match &self.#page_field { ::std::option::Option::Some(::std::result::Result::Ok(value)) => #get, _ => 1 })
        } else {
            quote!(match &self.#page_field { ::std::option::Option::Some(value) => #get, _ => 1 })
        }
    };
    let page_size = match pagination.items_per_page {
        Some((index, default)) => {
            let param = &op.params[index];
            let field = ident(&param.rust_name);
            let get = if matches!(param.schema, ParamSchema::Integer { int: Int::I32, .. }) {
                quote!(i64::from(value.get()))
            } else {
                quote!(value.get())
            };
            if shape(param, models).fallible {
                quote!(match &self.#field { ::std::option::Option::Some(::std::result::Result::Ok(value)) => #get, _ => #default })
            } else {
                quote!(match &self.#field { ::std::option::Option::Some(value) => #get, _ => #default })
            }
        }
        None => quote!(100i64),
    };
    let results = ident(&pagination.results_field);
    let items = if pagination.results_optional {
        quote!(body.#results.unwrap_or_default())
    } else {
        quote!(body.#results)
    };
    // `totalCount` as `i64` (a 32-bit count is widened; converting an `i64` would be a
    // useless conversion).
    let widen = |value: TokenStream| {
        if pagination.total_count_i32 {
            quote!(i64::from(#value))
        } else {
            value
        }
    };
    let total = match &pagination.total_count_field {
        Some((field, true)) => {
            let field = ident(field);
            if pagination.total_count_i32 {
                quote!(body.#field.map(i64::from))
            } else {
                quote!(body.#field)
            }
        }
        Some((field, false)) => {
            let field = ident(field);
            let value = widen(quote!(body.#field));
            quote!(::std::option::Option::Some(#value))
        }
        None => quote!(::std::option::Option::None),
    };
    let docs = super::docs::doc(&format!(
        "Walks every page, starting at `pageNum` (default 1), and yields the items one by one\n(`.next().await`, `.try_collect().await`, or any `Stream` adapter);\n[`into_pages`]({}) walks page by page, with each\npage's `totalCount` and number.\n\nA page is fetched when the previous one is used up. The walk stops after the page\nthat reaches `totalCount` or, when the response has no count, after a page shorter\nthan `itemsPerPage`; an empty page always ends it. An error ends the stream after\nit is yielded.",
        RT.path("ItemStream::into_pages")
    ));
    quote! {
        #docs
        pub fn into_stream(self) -> #RT::ItemStream<#item> {
            let first_page: i32 = #first_page;
            let page_size: i64 = #page_size;
            // The runtime holds the prepared request and sends each page (see its docs).
            #RT::runtime::paginate_prepared(
                self.#page_field(#first_value).into_request(),
                #page_wire,
                first_page,
                page_size,
                |body: <Self as #RT::runtime::Endpoint>::Body| #RT::runtime::Page::new(#items, #total),
            )
        }
    }
}
