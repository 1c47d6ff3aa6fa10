//! How an operation is started: the arguments of the tag method that makes its builder,
//! and the module the builder lives in. The tag's methods (`operations.rs`) and its waiters
//! (`waiters.rs`) both start operations, so both take these from here.

use proc_macro2::TokenStream;
use quote::quote;

use super::bodies::body_input;
use super::params::shape;
use super::types::Models;
use crate::ir::{Operation, Param};
use crate::naming::ident;

fn required_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

/// The builder's constructor arguments: required parameters, then a required body. `models`
/// is the path to the models module from where the arguments are written.
pub(super) fn constructor_args(
    op: &Operation,
    models: &Models,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    for p in required_params(op) {
        let arg = ident(&p.rust_name);
        let input = shape(p, models).input;
        args.push(quote!(#arg: #input));
        names.push(quote!(#arg));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = body_input(body, models);
        args.push(quote!(body: #ty));
        names.push(quote!(body));
    }
    (args, names)
}

/// The allowance a function taking the client (or `self`) and `args` needs.
pub(super) fn many_arguments(args: &[TokenStream]) -> Option<TokenStream> {
    super::many_arguments_allowance(
        args.len() + 1,
        "one argument per required parameter of the operation",
    )
}

/// The operation's module (and file) name: its method name, with a keyword spelled `type_`
/// rather than `r#type`, since a module named `mod` would be the file `mod.rs` of its tag.
pub(super) fn operation_module_name(op: &Operation) -> String {
    crate::naming::unraw(&op.fn_name)
}
