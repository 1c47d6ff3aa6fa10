//! Per-tag Cargo features: which tags need each type, computed from the reference closure
//! of their operations, and the `#[cfg]` that compiles a type only when one of them is on.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeId};

/// The feature that enables every tag (and the schemas no operation uses).
pub(crate) const FULL: &str = "full";

pub(crate) use crate::naming::feature_name;

/// Which tags (by feature name) need each named type, and each shared parameter.
pub(crate) struct FeatureMap {
    all: BTreeSet<String>,
    types: BTreeMap<String, BTreeSet<String>>,
    params: BTreeMap<String, BTreeSet<String>>,
}

impl FeatureMap {
    pub(crate) fn new(api: &Api) -> Self {
        let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut params: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut all = BTreeSet::new();
        for tag in &api.tags {
            let feature = feature_name(&tag.module);
            all.insert(feature.clone());
            let mut stack: Vec<TypeId> = Vec::new();
            for op in &tag.operations {
                stack.extend(op.refs().into_iter().filter_map(|ty| ty.named()));
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
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                if let Some(def) = api.types.def(id) {
                    stack.extend(def.kind.refs().into_iter().filter_map(|ty| ty.named()));
                    types
                        .entry(def.name.clone())
                        .or_default()
                        .insert(feature.clone());
                }
            }
        }
        Self { all, types, params }
    }

    fn gate(&self, needed_by: Option<&BTreeSet<String>>) -> TokenStream {
        match needed_by {
            // Needed by every tag: always compiled.
            Some(tags) if *tags == self.all => TokenStream::new(),
            // One tag: `any` of one condition is noise (clippy's `non_minimal_cfg`).
            Some(tags) if tags.len() == 1 => {
                let tag = tags.iter();
                quote!(#[cfg(#(feature = #tag)*)])
            }
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

    /// One feature that compiles the named type: the first tag that needs it, `full` when
    /// none does, `None` when every tag does (it is always compiled).
    pub(crate) fn enabling(&self, name: &str) -> Option<String> {
        match self.types.get(name) {
            Some(tags) if *tags == self.all => None,
            Some(tags) => tags.first().cloned(),
            None => Some(FULL.to_owned()),
        }
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
