//! `into_stream` for list operations: every item of every page.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::Models;
use crate::ir::{Operation, Pagination};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// `into_stream`: every item of every page, fetched one page at a time.
pub(crate) fn stream_method(
    op: &Operation,
    pagination: &Pagination,
    models: &Models,
) -> TokenStream {
    let item = models.rust_type(&pagination.item);
    let page_wire = &op.params[pagination.page_num].wire_name;
    let page_index = proc_macro2::Literal::usize_unsuffixed(pagination.page_num);
    let (size_index, default_size) = match pagination.items_per_page {
        Some((index, default)) => {
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            (quote!(::std::option::Option::Some(#index)), default)
        }
        None => (quote!(::std::option::Option::None), 100),
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
        pub fn into_stream(mut self) -> #RT::ItemStream<#item> {
            let (first_page, page_size) = self.draft.start_walk(#page_index, #size_index, #default_size);
            // The runtime holds the prepared request and sends each page (see its docs).
            #RT::runtime::paginate_prepared(
                self.into_request(),
                #page_wire,
                first_page,
                page_size,
                |body: <Self as #RT::runtime::Endpoint>::Body| #RT::runtime::Page::new(#items, #total),
            )
        }
    }
}
