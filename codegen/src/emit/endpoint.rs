//! The runtime's `Endpoint` for each request builder: the operation it sends and
//! the body a success carries, which typed mocks key and answer by.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::Models;
use crate::ir::Operation;
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The impl for `op`'s builder; `models` as seen from the operation's module.
pub(super) fn endpoint_impl(op: &Operation, models: &Models) -> TokenStream {
    let builder = ident(&op.builder_name);
    let super::success::SuccessCodec {
        mocked: body,
        encode,
        ..
    } = super::success::codec(&op.success.body, models);
    quote! {
        impl #RT::runtime::Endpoint for #builder {
            type Body = #body;
            const OPERATION: &'static #RT::runtime::Operation = &OPERATION;
            fn into_prepared(self) -> #RT::runtime::Prepared {
                self.into_request()
            }
            fn encode(
                body: &Self::Body,
            ) -> ::std::result::Result<#RT::runtime::Bytes, #RT::Error> {
                #encode
            }
        }
    }
}
