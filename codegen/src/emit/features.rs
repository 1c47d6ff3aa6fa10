//! Per-tag Cargo features: which tags need each type, computed from the reference closure
//! of their operations, and the `#[cfg]` that compiles a type only when one of them is on.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Operation, ParamSchema, SuccessBody, TypeIds, TypeRef};

/// The feature that enables every tag (and the schemas no operation uses).
pub(crate) const FULL: &str = "full";

/// Feature name of a tag module: `access_tracking` → `access-tracking`.
pub(crate) fn feature_name(module: &str) -> String {
    module.trim_start_matches("r#").replace('_', "-")
}

/// Which tags (by feature name) need each named type, and each shared parameter.
pub(crate) struct FeatureMap {
    all: BTreeSet<String>,
    types: BTreeMap<String, BTreeSet<String>>,
    params: BTreeMap<String, BTreeSet<String>>,
}

fn roots(op: &Operation) -> Vec<&TypeRef> {
    let mut roots = Vec::new();
    fn param_roots<'a>(schema: &'a ParamSchema, roots: &mut Vec<&'a TypeRef>) {
        match schema {
            ParamSchema::Enum { ty, .. } => roots.push(ty),
            ParamSchema::Array { item } => param_roots(item, roots),
            _ => {}
        }
    }
    for param in &op.params {
        param_roots(&param.schema, &mut roots);
    }
    if let Some(body) = &op.body {
        roots.push(&body.ty);
    }
    if let SuccessBody::Json(ty) | SuccessBody::OptionalJson(ty) = &op.success.body {
        roots.push(ty);
    }
    roots
}

fn named(ty: &TypeRef, out: &mut Vec<String>) {
    out.extend(ty.named().map(str::to_owned));
}

impl FeatureMap {
    pub(crate) fn new(api: &Api) -> Self {
        let ids = TypeIds::new(&api.types);
        let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut params: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut all = BTreeSet::new();
        for tag in &api.tags {
            let feature = feature_name(&tag.module);
            all.insert(feature.clone());
            let mut stack = Vec::new();
            for op in &tag.operations {
                for root in roots(op) {
                    named(root, &mut stack);
                }
                for param in &op.params {
                    if let Some(shared) = &param.shared {
                        params
                            .entry(shared.clone())
                            .or_default()
                            .insert(feature.clone());
                    }
                }
            }
            let mut seen = BTreeSet::new();
            while let Some(name) = stack.pop() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                if let Some(i) = ids.get(&name) {
                    for ty in api.types[i].kind.refs() {
                        named(ty, &mut stack);
                    }
                }
                types.entry(name).or_default().insert(feature.clone());
            }
        }
        Self { all, types, params }
    }

    fn gate(&self, needed_by: Option<&BTreeSet<String>>) -> TokenStream {
        match needed_by {
            // Needed by every tag: always compiled.
            Some(tags) if *tags == self.all => TokenStream::new(),
            Some(tags) => {
                let tags = tags.iter();
                quote!(#[cfg(any(#(feature = #tags),*))])
            }
            // No operation uses it: only with everything.
            None => quote!(#[cfg(feature = #FULL)]),
        }
    }

    /// The `#[cfg]` for a named type (empty when every tag needs it).
    pub(crate) fn type_gate(&self, name: &str) -> TokenStream {
        self.gate(self.types.get(name))
    }

    /// The `#[cfg]` for a shared parameter type.
    pub(crate) fn param_gate(&self, name: &str) -> TokenStream {
        self.gate(self.params.get(name))
    }

    /// The Cargo features: one per tag, and `full` enabling all of them.
    pub(crate) fn cargo_features(&self) -> BTreeMap<String, Vec<String>> {
        let mut features: BTreeMap<String, Vec<String>> =
            self.all.iter().map(|f| (f.clone(), Vec::new())).collect();
        features.insert(FULL.to_owned(), self.all.iter().cloned().collect());
        features
    }
}

/// The `[features]` entries as TOML lines (`full` first, then the tags in order).
pub(crate) fn features_toml(features: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::new();
    let line = |name: &str, implies: &[String]| {
        let list: Vec<String> = implies.iter().map(|f| format!("\"{f}\"")).collect();
        format!("{name} = [{}]\n", list.join(", "))
    };
    if let Some(full) = features.get(FULL) {
        out.push_str(&line(FULL, full));
    }
    for (name, implies) in features.iter().filter(|(n, _)| *n != FULL) {
        out.push_str(&line(name, implies));
    }
    out
}
