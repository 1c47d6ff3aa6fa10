//! Lowering: the typed OpenAPI document → the generator's IR ([`crate::ir`]).

mod operations;
mod params;
mod types;

use std::collections::BTreeMap;

use crate::Options;
use crate::error::Error;
use crate::ir::{Api, Diagnostic, Tag};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name};

pub(crate) fn lower(spec: &Spec, options: &Options) -> Result<Api, Error> {
    let mut diagnostics = Vec::new();
    let types = types::TypeLowering::new(spec, options);
    let mut types = types;
    types.lower_components()?;
    let operations = operations::lower_operations(spec, &mut types, &mut diagnostics)?;

    let descriptions: BTreeMap<&str, Option<&String>> = spec
        .openapi
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_ref()))
        .collect();
    let mut by_tag: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (tag, operation) in operations {
        by_tag.entry(tag).or_default().push(operation);
    }
    let mut module_namer = Namer::with_reserved(["models", "runtime"]);
    let mut type_namer = Namer::default();
    let mut tags: Vec<Tag> = by_tag
        .into_iter()
        .map(|(name, operations)| Tag {
            module: module_namer.claim(&snake_name(&name)),
            type_name: type_namer.claim(&type_name(&name)),
            description: descriptions.get(name.as_str()).copied().flatten().cloned(),
            name,
            operations,
        })
        .collect();
    tags.sort_by(|a, b| a.module.cmp(&b.module));

    let (type_defs, type_diagnostics) = types.finish();
    diagnostics.extend(type_diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        tags,
        types: type_defs,
        diagnostics,
    })
}

/// Records that a pattern could not be compiled and its check is skipped.
pub(crate) fn compile_pattern(
    pattern: &str,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    match regress::Regex::new(pattern) {
        Ok(_) => Some(pattern.to_owned()),
        Err(e) => {
            diagnostics.push(Diagnostic {
                pointer: pointer.to_owned(),
                message: format!(
                    "pattern `{pattern}` does not compile as a JavaScript regular expression ({e}); its check is skipped"
                ),
            });
            None
        }
    }
}
