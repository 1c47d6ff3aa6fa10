//! `wait_until_…` methods on a tag, from the waiter table: each builds the operation's
//! request and returns a `specwire::Waiter` over it, with the table's rules as a static.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder_start::{constructor_args, operation_module_name};
use super::docs::doc;
use super::types::Models;
use crate::ir::Tag;
use crate::naming::ident;
use crate::runtime_contract::RT;
use crate::waiters::{OutcomeName, Waiter};

/// Defaults of a table entry that does not say.
const MIN_DELAY_SECONDS: f64 = 2.0;
const MAX_DELAY_SECONDS: f64 = 60.0;
const TIMEOUT_SECONDS: f64 = 1800.0;

/// The statics holding the tag's waiter rules (they go beside the tag's type).
pub(super) fn waiter_statics(tag: &Tag) -> Vec<TokenStream> {
    tag.waiters.iter().map(spec_static).collect()
}

/// The tag's `wait_until_…` methods (they go in its `impl`); `models` as the tag sees them.
pub(super) fn waiter_methods(tag: &Tag, models: &Models) -> Vec<TokenStream> {
    tag.waiters
        .iter()
        .map(|waiter| {
            let op = &tag.operations[waiter.operation];
            let name = ident(&waiter.fn_name);
            let start = ident(&op.fn_name);
            let module = ident(&operation_module_name(op));
            let builder = ident(&op.builder_name);
            let spec = static_name(waiter);
            let (args, arg_names) = constructor_args(op, models);
            let docs = doc(&format!(
                "Sends [`{}`](Self::{}) (`{} {}`) until {}.\n\nThe waiter polls with growing delays (never shorter than the server's `Retry-After`) and gives up after its deadline (`.deadline(…)` changes it); see `{}::Waiter`.",
                op.fn_name,
                op.fn_name,
                op.method,
                op.path,
                rules_text(waiter),
                crate::runtime_contract::CRATE,
            ));
            // A deprecated operation's waiter is deprecated too, and calls it without a warning.
            let deprecated = op.deprecated.then(|| {
                quote!(#[deprecated = "polls an operation deprecated in the API specification"] #[allow(deprecated)])
            });
            quote! {
                #docs
                #deprecated
                pub fn #name(&self, #(#args),*) -> #RT::Waiter<self::#module::#builder> {
                    #RT::Waiter::new(self.#start(#(#arg_names),*), &#spec)
                }
            }
        })
        .collect()
}

fn static_name(waiter: &Waiter) -> proc_macro2::Ident {
    ident(&crate::naming::waiter_static_name(&waiter.name))
}

fn millis(seconds: Option<f64>, default: f64) -> u64 {
    (seconds.unwrap_or(default) * 1000.0).round() as u64
}

fn spec_static(waiter: &Waiter) -> TokenStream {
    let name = static_name(waiter);
    let waiter_name = &waiter.name;
    let entry = &waiter.entry;
    let acceptors = entry.acceptors.iter().map(|acceptor| {
        let outcome = format_ident!(
            "{}",
            match acceptor.outcome {
                OutcomeName::Success => "Success",
                OutcomeName::Failure => "Failure",
                OutcomeName::Retry => "Retry",
            }
        );
        let matcher = match (&acceptor.status, &acceptor.error_code, &acceptor.field) {
            (Some(status), _, _) => {
                let status = proc_macro2::Literal::u16_unsuffixed(*status);
                quote!(#RT::runtime::Matcher::Status(#status))
            }
            (None, Some(code), _) => quote!(#RT::runtime::Matcher::ErrorCode(#code)),
            (None, None, field) if acceptor.present => {
                let pointer = field.clone().unwrap_or_default();
                quote!(#RT::runtime::Matcher::Present { pointer: #pointer })
            }
            (None, None, field) => {
                let pointer = field.clone().unwrap_or_default();
                let values = &acceptor.values;
                quote!(#RT::runtime::Matcher::Field { pointer: #pointer, values: &[#(#values),*] })
            }
        };
        quote!(#RT::runtime::Acceptor { outcome: #RT::runtime::Outcome::#outcome, matcher: #matcher })
    });
    let millis = |seconds, default| proc_macro2::Literal::u64_unsuffixed(millis(seconds, default));
    let min = millis(entry.min_delay_seconds, MIN_DELAY_SECONDS);
    let max = millis(entry.max_delay_seconds, MAX_DELAY_SECONDS);
    let timeout = millis(entry.timeout_seconds, TIMEOUT_SECONDS);
    quote! {
        static #name: #RT::runtime::WaitSpec = #RT::runtime::WaitSpec {
            name: #waiter_name,
            acceptors: &[#(#acceptors),*],
            min_delay: ::std::time::Duration::from_millis(#min),
            max_delay: ::std::time::Duration::from_millis(#max),
            timeout: ::std::time::Duration::from_millis(#timeout),
        };
    }
}

/// The rules in words, for the method's docs.
fn rules_text(waiter: &Waiter) -> String {
    let rules: Vec<String> = waiter
        .entry
        .acceptors
        .iter()
        .map(|acceptor| {
            let when = match (&acceptor.status, &acceptor.error_code, &acceptor.field) {
                (Some(status), _, _) => format!("the status is {status}"),
                (None, Some(code), _) => format!("the error code is `{code}`"),
                (None, None, field) => format!(
                    "`{}` is {}",
                    field.as_deref().unwrap_or_default(),
                    acceptor
                        .values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            };
            match acceptor.outcome {
                OutcomeName::Success => format!("success when {when}"),
                OutcomeName::Failure => format!("failure when {when}"),
                OutcomeName::Retry => format!("keeps polling when {when}"),
            }
        })
        .collect();
    format!("an acceptor decides: {}", rules.join("; "))
}
