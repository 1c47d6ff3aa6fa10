//! The codec-twins program (`examples/twins.rs` of a crate generated with `--twins`): proof
//! that the hand-written model codec (`runtime::object`, see `object.rs`) decodes and
//! encodes like serde's derive.
//!
//! For every struct model it declares a twin: the same fields, with serde attributes that
//! state the codec's rules (rename, absent optional fields, `null` kept apart for patchable
//! fields, RFC 3339 date-times, a single value as a list, read-only fields never sent,
//! `additionalProperties` as a flattened map). It then decodes the same JSON texts with
//! both, valid ones built from the IR ([`super::samples`]) and broken ones (a required field
//! left out, a field of the wrong JSON kind, a repeated key, no object at all), re-encodes
//! what decoded, and reports every case where the two differ: in the value, or in the error
//! text.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use super::fields::{Seed, field_shape};
use super::samples::{Samples, wrong_kind};
use super::types::Models;
use crate::ir::{Additional, Api, Field, TypeKind};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The program, for the crate whose library is `krate`.
pub(crate) fn program(api: &Api, krate: &str) -> TokenStream {
    let krate = format_ident!("{}", krate.replace('-', "_"));
    let samples = Samples::new(&api.types);
    let models = Models::from_a_model(&api.types);
    let mut twins = Vec::new();
    let mut checks = Vec::new();
    let mut calls = Vec::new();
    for def in &api.types {
        let TypeKind::Struct {
            fields, additional, ..
        } = &def.kind
        else {
            continue;
        };
        let name = ident(&def.name);
        twins.push(twin(&name, fields, additional.as_ref(), &models));
        let check = format_ident!("check_{}", def.module.trim_start_matches("r#"));
        let cases = cases(&samples, fields).into_iter();
        let type_name = &def.name;
        checks.push(quote! {
            fn #check(report: &mut Report) {
                for case in [#(#cases),*] {
                    report.compare::<#name, twins::#name>(#type_name, case);
                }
            }
        });
        calls.push(quote!(#check(&mut report);));
    }
    let models = twins.len();
    quote! {
        //! Decodes the same JSON texts with each model's hand-written codec and with a
        //! serde-derived twin, re-encodes what decoded, and prints every case where the two
        //! differ (`model<TAB>json<TAB>codec<TAB>twin`), then a summary. Fails when any do.
        //! A value is compared by its `Debug` text (same struct and field names, so the same
        //! text when the fields are equal) and by its encoding.
        #![allow(deprecated, reason = "every model is checked, deprecated ones included")]
        #![allow(clippy::all, reason = "a generated test program")]
        #![allow(dead_code, reason = "twins' fields are read through `Debug` and `Serialize` only")]

        use #RT::runtime::serde_json;
        use #krate::models::*;

        /// The serde-derived twins: field for field the models, their codec's rules as
        /// serde attributes. `super::` names the models.
        mod twins {
            #(#twins)*
        }

        #[derive(Default)]
        struct Report {
            cases: usize,
            decoded: usize,
            refused: usize,
            sequences: usize,
            mismatches: ::std::vec::Vec<::std::string::String>,
        }

        impl Report {
            fn compare<C, T>(&mut self, model: &str, json: &str)
            where
                C: ::std::fmt::Debug + #RT::runtime::serde::de::DeserializeOwned + #RT::runtime::serde::Serialize,
                T: ::std::fmt::Debug + #RT::runtime::serde::de::DeserializeOwned + #RT::runtime::serde::Serialize,
            {
                let codec = round_trip::<C>(json);
                let twin = round_trip::<T>(json);
                self.cases += 1;
                // The one difference by design: the codec decodes through
                // `deserialize_map`, so a JSON array is refused as not an object, where the
                // derive reads it as the fields in order.
                let not_an_object = format!("decode: invalid type: sequence, expected struct {model} at line 1 column 0");
                if json.starts_with('[') && codec.as_ref().err() == ::std::option::Option::Some(&not_an_object) {
                    self.sequences += 1;
                } else if codec != twin {
                    self.mismatches.push(format!("{model}\t{json}\t{codec:?}\t{twin:?}"));
                } else if codec.is_ok() {
                    self.decoded += 1;
                } else {
                    self.refused += 1;
                }
            }
        }

        /// What decoding `json` as `X` gives: the value (its `Debug` text, which shows every
        /// field, read-only ones too) and its encoding, or the error's text.
        fn round_trip<X>(json: &str) -> ::std::result::Result<(::std::string::String, serde_json::Value), ::std::string::String>
        where
            X: ::std::fmt::Debug + #RT::runtime::serde::de::DeserializeOwned + #RT::runtime::serde::Serialize,
        {
            let value: X = serde_json::from_str(json).map_err(|e| format!("decode: {e}"))?;
            let encoded = serde_json::to_value(&value).map_err(|e| format!("encode: {e}"))?;
            ::std::result::Result::Ok((format!("{value:?}"), encoded))
        }

        #(#checks)*

        fn main() -> ::std::process::ExitCode {
            let mut report = Report::default();
            #(#calls)*
            for line in &report.mismatches {
                println!("{line}");
            }
            println!(
                "summary\tmodels={}\tcases={}\tdecoded_alike={}\trefused_alike={}\tarrays_refused_by_the_codec={}\tmismatches={}",
                #models, report.cases, report.decoded, report.refused, report.sequences, report.mismatches.len()
            );
            if report.mismatches.is_empty() {
                ::std::process::ExitCode::SUCCESS
            } else {
                ::std::process::ExitCode::FAILURE
            }
        }
    }
}

/// The twin of one struct model.
fn twin(
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: Option<&Additional>,
    models: &Models,
) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let shape = field_shape(field, models);
        let ty = shape.ty();
        let wire = &field.wire_name;
        let mut attrs = vec![quote!(rename = #wire)];
        // Encoding and decoding by the rules `field_shape` gives the codec.
        // Plain `Serialize` is a request's encoding: read-only fields left out.
        match shape.write {
            "read_only" | "read_only_date_time" => attrs.push(quote!(skip_serializing)),
            "optional" | "optional_date_time" => {
                attrs.push(quote!(
                    skip_serializing_if = "::std::option::Option::is_none"
                ));
            }
            _ => {}
        }
        if shape.optional || field.default_when_absent {
            attrs.push(quote!(default));
        }
        let decoder = match shape.seed {
            Some(Seed::NullableOneOrMany) => Some(RT.path("runtime::single_as_list_nullable")),
            Some(Seed::OptionalOneOrMany) => Some(RT.path("runtime::single_as_list_option")),
            Some(Seed::OneOrMany) => Some(RT.path("runtime::single_as_list")),
            // The codec's slot is the field itself: present (even `null`) is `Some`.
            None if shape.patchable => Some(RT.path("runtime::nullable_field")),
            _ => None,
        };
        let with = match shape.seed {
            Some(Seed::OptionalRfc3339) => Some(RT.path("time::serde::rfc3339::option")),
            Some(Seed::Rfc3339) => Some(RT.path("time::serde::rfc3339")),
            _ => None,
        };
        if let Some(decoder) = decoder {
            attrs.push(quote!(deserialize_with = #decoder));
        }
        if let Some(with) = with {
            attrs.push(quote!(with = #with));
        }
        quote! {
            #[serde(#(#attrs),*)]
            pub #member: #ty,
        }
    });
    let extra = additional.map(|extra| {
        let member = ident(&extra.rust_name);
        let value = models.nested(&extra.ty);
        quote! {
            #[serde(flatten)]
            pub #member: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let struct_name = name.to_string();
    let serde_crate = RT.path("runtime::serde");
    quote! {
        #[derive(::std::fmt::Debug, #RT::runtime::serde::Serialize, #RT::runtime::serde::Deserialize)]
        #[serde(crate = #serde_crate, rename = #struct_name)]
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

/// The JSON texts both decoders read for a model with `fields`.
fn cases(samples: &Samples<'_>, fields: &[Field]) -> Vec<String> {
    let full = samples.object(fields, true, 0);
    let Value::Object(full_map) = &full else {
        return Vec::new();
    };
    let mut texts = vec![
        full.to_string(),
        samples.object(fields, false, 0).to_string(),
        "{}".to_owned(),
        "[1]".to_owned(),
        "null".to_owned(),
    ];
    let with = |f: &dyn Fn(&mut Map<String, Value>)| {
        let mut map = full_map.clone();
        f(&mut map);
        Value::Object(map).to_string()
    };
    texts.push(with(&|m| {
        m.values_mut().for_each(|v| *v = Value::Null);
    }));
    texts.push(with(&|m| {
        m.insert("zzUnknownKey".to_owned(), json!({"nested": [1]}));
    }));
    for field in fields {
        let wire = &field.wire_name;
        texts.push(with(&|m| {
            if let Some(v) = m.get_mut(wire) {
                *v = wrong_kind(v);
            }
        }));
        if field.required {
            texts.push(with(&|m| {
                m.remove(wire);
            }));
        }
    }
    // A repeated key: the first one again, in front (text, since a map cannot hold it).
    if let Some((key, value)) = full_map.iter().next() {
        let rest = full.to_string();
        let key = Value::String(key.clone());
        texts.push(format!("{{{key}:{value},{}", &rest[1..]));
    }
    texts.dedup();
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widget() -> (Api, Vec<Field>) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/types.yaml");
        let text = std::fs::read_to_string(path).expect("the fixture is in the repository");
        let spec = crate::Spec::parse("types.yaml", &text).expect("parses");
        let api = crate::lower::lower(&spec, &crate::Options::default()).expect("lowers");
        let fields = api
            .types
            .iter()
            .find_map(|def| match &def.kind {
                TypeKind::Struct { fields, .. } if def.name == "Widget" => Some(fields.clone()),
                _ => None,
            })
            .expect("Widget is a struct");
        (api, fields)
    }

    #[test]
    fn cases_cover_valid_missing_mistyped_and_repeated_fields() {
        let (api, fields) = widget();
        let texts = cases(&Samples::new(&api.types), &fields);
        assert_eq!(
            texts[1],
            r#"{"created":"2024-01-02T03:04:05Z","id":"text"}"#
        );
        assert_eq!(&texts[2..5], ["{}", "[1]", "null"]);
        assert!(texts[0].contains(r#""note":"text""#), "{}", texts[0]);
        // `created` left out (required), and given a boolean instead of a date-time.
        let top = |t: &String| serde_json::from_str::<Map<String, Value>>(t).ok();
        assert!(
            texts
                .iter()
                .filter_map(top)
                .any(|m| !m.contains_key("created") && m.len() > 1)
        );
        assert!(
            texts
                .iter()
                .filter_map(top)
                .any(|m| m.get("created") == Some(&json!(false)))
        );
        let repeated = texts.last().expect("the repeated-key case comes last");
        let child = r#"[{"created":"2024-01-02T03:04:05Z","id":"text"}]"#;
        let twice = format!(r#"{{"children":{child},"children":{child},"count32":7"#);
        assert!(repeated.starts_with(&twice), "{repeated}");
    }

    #[test]
    fn twins_state_the_codecs_rules_as_serde_attributes() {
        let (api, _) = widget();
        let program = program(&api, "fixture").to_string();
        for expected in [
            r#"rename = "note" , skip_serializing_if = "::std::option::Option::is_none" , default , deserialize_with = "::specwire::runtime::nullable_field""#,
            r#"rename = "created" , with = "::specwire::time::serde::rfc3339""#,
            r#"rename = "updated" , skip_serializing_if = "::std::option::Option::is_none" , default , with = "::specwire::time::serde::rfc3339::option""#,
            r#"crate = "::specwire::runtime::serde" , rename = "Widget""#,
        ] {
            assert!(program.contains(expected), "missing {expected}");
        }
    }
}
