//! What the programs the generator writes beside a crate share (`examples/conformance.rs`,
//! `examples/round_trips.rs`): the outcome of a check, the union round trip, the report
//! they print, and the step from tokens to a formatted file.

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::load::Spec;
use crate::runtime_contract::RT;

/// The items every program uses: `Outcome`, `round_trip` (with `difference`) and `report`.
pub(super) fn shared_items() -> TokenStream {
    quote! {
        use #RT::runtime::serde_json;

    /// What one call came to.
    enum Outcome {
        /// A success status whose body decoded.
        Ok(u16),
        /// The server reported that the request breaks the specification.
        Violation(String),
        /// The success body did not decode into the SDK's type.
        Decode(String),
        /// The minimal body did not decode into the SDK's request type.
        Body(String),
        /// Anything else.
        Failed(String),
        /// An example decoded and encoded again gave back the same JSON.
        Same,
        /// An example did not come back as it was (or only as `Unknown`).
        RoundTrip(String),
    }

    /// Decodes `json` as `T`, refuses `Unknown`, and encodes it again as a server sends
    /// it (read-only fields included): the JSON must be the same.
    fn round_trip<T>(json: &str, is_unknown: impl Fn(&T) -> bool) -> Outcome
    where
        T: #RT::runtime::serde::de::DeserializeOwned + #RT::runtime::serde::Serialize,
    {
        let Ok(original) = serde_json::from_str::<serde_json::Value>(json) else {
            return Outcome::RoundTrip("the example is not JSON".to_owned());
        };
        let value: T = match serde_json::from_value(original.clone()) {
            Ok(value) => value,
            Err(error) => return Outcome::Decode(error.to_string()),
        };
        if is_unknown(&value) {
            return Outcome::RoundTrip("no variant fits the example: kept as Unknown".to_owned());
        }
        match #RT::runtime::object::as_response(|| serde_json::to_value(&value)) {
            Ok(again) => match difference(&original, &again, "") {
                None => Outcome::Same,
                Some(found) => Outcome::RoundTrip(found),
            },
            Err(error) => Outcome::RoundTrip(error.to_string()),
        }
    }

    /// Where `after` first differs from `before`, as a JSON pointer and both values.
    /// (Its depth is the example's, which serde_json bounds.)
    fn difference(before: &serde_json::Value, after: &serde_json::Value, at: &str) -> Option<String> {
        use serde_json::Value;
        match (before, after) {
            (Value::Object(old), Value::Object(new)) => {
                for (key, was) in old {
                    let here = format!("{at}/{key}");
                    match new.get(key) {
                        None => return Some(format!("{here}: {was} was dropped")),
                        Some(now) => {
                            if let Some(found) = difference(was, now, &here) {
                                return Some(found);
                            }
                        }
                    }
                }
                new.iter()
                    .find(|(key, _)| !old.contains_key(*key))
                    .map(|(key, now)| format!("{at}/{key}: {now} was added"))
            }
            (Value::Array(old), Value::Array(new)) if old.len() == new.len() => old
                .iter()
                .zip(new)
                .enumerate()
                .find_map(|(i, (was, now))| difference(was, now, &format!("{at}/{i}"))),
            _ if before == after => None,
            _ => Some(format!("{}: {before} came back as {after}", if at.is_empty() { "/" } else { at })),
        }
    }

        /// Prints one line per check, `id<TAB>outcome<TAB>detail`, then a summary.
        fn report(results: &[(&str, Outcome)]) {
        let (mut ok, mut violation, mut decode, mut body, mut failed) = (0, 0, 0, 0, 0);
        for (id, outcome) in results {
            let (kind, detail) = match outcome {
                Outcome::Ok(status) => { ok += 1; ("ok", status.to_string()) }
                Outcome::Violation(v) => { violation += 1; ("violation", v.clone()) }
                Outcome::Decode(e) => { decode += 1; ("decode", e.clone()) }
                Outcome::Body(e) => { body += 1; ("body", e.clone()) }
                Outcome::Failed(e) => { failed += 1; ("failed", e.clone()) }
                Outcome::Same => { ok += 1; ("ok", "the same JSON".to_owned()) }
                Outcome::RoundTrip(e) => { failed += 1; ("roundtrip", e.clone()) }
            };
            println!("{id}\t{kind}\t{}", detail.replace(['\n', '\t'], " "));
        }
        println!("summary\toperations={}\tok={ok}\tviolation={violation}\tdecode={decode}\tbody={body}\tfailed={failed}", results.len());
        }
    }
}

/// The formatted source of a program, under a header naming the document it comes from;
/// `what` names the program in the error a generator bug would give.
pub(super) fn finish(spec: &Spec, program: TokenStream, what: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(program).map_err(|e| Error {
        kind: crate::ErrorKind::Internal,
        file: spec.file.clone(),
        location: None,
        operation: None,
        message: format!("the {what} does not parse ({e}); this is a generator bug"),
    })?;
    Ok(format!(
        "// @generated by specwire {} from {} (sha256 {}). Do not edit.\n\n{}",
        crate::VERSION,
        spec.file,
        spec.sha256,
        prettyplease::unparse(&file)
    ))
}
