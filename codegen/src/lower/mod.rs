//! Lowering: the typed OpenAPI document → the generator's IR ([`crate::ir`]).

mod bodies;
mod defaults;
mod distinct;
mod document;
mod fits;
mod integers;
pub(crate) mod media;
pub(crate) mod operations;
mod param_rules;
mod params;
mod recursion;
mod responses;
mod sent;
mod shape;
mod shared_enums;
mod shared_params;
mod sunset;
mod types;
mod waiters;
mod webhooks;

use std::collections::BTreeMap;

use crate::Options;
use crate::error::Error;
use crate::ir::{Api, Coverage, Diagnostic, Tag};
use crate::load::Spec;
use crate::naming::{Namer, module_name, type_name};

pub(crate) use self::operations::UNTAGGED;

pub(crate) fn lower(spec: &Spec, options: &Options) -> Result<Api, Error> {
    if let Some(version) = &options.api_version
        && media::parse_date(version).is_none()
    {
        return Err(Error {
            kind: crate::ErrorKind::Unsupported,
            file: spec.file.clone(),
            location: None,
            operation: None,
            message: format!("API version `{version}` is not a date in the form YYYY-MM-DD"),
        });
    }
    if let Some(path) = &options.error_type
        && syn::parse_str::<syn::Path>(path).is_err()
    {
        return Err(Error {
            kind: crate::ErrorKind::Unsupported,
            file: spec.file.clone(),
            location: None,
            operation: None,
            message: format!("the error type is not a Rust path: `{path}`"),
        });
    }
    for (schema, path) in &options.runtime_types {
        if syn::parse_str::<syn::Path>(path).is_err() {
            return Err(Error {
                kind: crate::ErrorKind::Unsupported,
                file: spec.file.clone(),
                location: None,
                operation: None,
                message: format!("runtime type for `{schema}` is not a Rust path: `{path}`"),
            });
        }
    }
    let reachable = options
        .tags
        .as_ref()
        .map(|tags| reachable_schemas(spec, tags));
    let mut lowering = types::Lowering::new(spec, options);
    lowering.notes().extend(spec.notes.iter().cloned());
    lowering.lower_components(reachable.as_ref())?;
    let operations::Lowered {
        operations,
        mut shared_params,
    } = operations::lower_operations(&mut lowering)?;
    let (mut webhooks, webhooks_in_spec) = webhooks::lower_webhooks(&mut lowering)?;

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
    // Besides the generated crate's own modules: Cargo's `default` and the generator's `full`
    // feature are named like tag modules; the runtime crate and `generated` are items of a
    // standalone crate's root, which would hide a tag module of that name.
    let mut module_namer = Namer::with_reserved([
        "models",
        "parameters",
        "runtime",
        "default",
        "full",
        crate::runtime_contract::CRATE,
        "generated",
    ]);
    if !webhooks.is_empty() {
        module_namer.claim("webhooks");
    }
    let mut type_namer = Namer::default();
    let mut tags: Vec<Tag> = by_tag
        .into_iter()
        .map(|(name, operations)| Tag {
            module: module_namer.claim(&module_name(&name)),
            type_name: type_namer.claim(&type_name(&name)),
            description: descriptions.get(name.as_str()).copied().flatten().cloned(),
            name,
            operations,
            waiters: Vec::new(),
        })
        .collect();
    tags.sort_by(|a, b| a.module.cmp(&b.module));
    sunset::find_replacements(&mut tags);
    waiters::attach(&options.waiters, &mut tags, lowering.notes());

    let servers = document::servers(spec, lowering.notes());
    let security = document::security(spec, lowering.notes());
    let operations_generated = tags.iter().map(|t| t.operations.len()).sum();
    let types::Lowered {
        types: mut type_defs,
        renumber,
        mut diagnostics,
        loose,
        inline_types,
    } = lowering.finish()?;
    renumber.operations(&mut tags, &mut shared_params)?;
    renumber.webhooks(&mut webhooks)?;
    let model_names: std::collections::BTreeSet<&str> =
        type_defs.iter().map(|d| d.name.as_str()).collect();
    distinct::keep_apart(&mut tags, &model_names);
    shared_params::hoist(&mut tags, &mut shared_params);
    recursion::break_alias_cycles(type_defs.defs_mut(), &mut diagnostics);
    recursion::box_cycles(type_defs.defs_mut());
    shared_enums::share(&mut type_defs);
    defaults::mark(&mut type_defs);
    fits::mark(&mut type_defs);
    sent::mark(&tags, &mut type_defs);
    diagnostics.sort();
    diagnostics.dedup();
    let schemas_in_spec = match &reachable {
        Some(reachable) => reachable.len(),
        None => spec
            .openapi
            .components
            .as_ref()
            .map_or(0, |c| c.schemas.len()),
    };
    let coverage = Coverage {
        operations_in_spec: count_operations(spec, options),
        operations_generated,
        schemas_in_spec,
        schemas_generated: type_defs
            .iter()
            .filter(|d| {
                d.pointer.starts_with("#/components/schemas/")
                    && d.pointer.matches('/').count() == 3
            })
            .map(|d| d.pointer.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        inline_types,
        loose,
        webhooks_in_spec,
        webhooks_generated: webhooks.len(),
    };
    Ok(Api {
        tags,
        types: type_defs,
        shared_params,
        diagnostics,
        coverage,
        servers,
        security,
        webhooks,
    })
}

/// Operations in the document, within the tag filter.
fn count_operations(spec: &Spec, options: &Options) -> usize {
    spec.openapi
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op))
        .chain(spec.extension_operations.iter().map(|e| &e.operation))
        .filter(|op| {
            let tag = op.tags.first().map_or(operations::UNTAGGED, String::as_str);
            options.tags.as_ref().is_none_or(|tags| tags.contains(tag))
        })
        .count()
}

/// Component schema names reachable from the operations of `tags` (and the parameters
/// their path items share), through every reference they make.
fn reachable_schemas(
    spec: &Spec,
    tags: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeSet<String> {
    use crate::walk::Position;
    use serde_json::Value;
    let mut roots: Vec<(Position, &Value)> = Vec::new();
    for item in spec
        .raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        let extension = crate::upgrade::extension_operations(item);
        let fixed = crate::http::UPGRADED_METHODS
            .iter()
            .filter_map(|method| item.get(*method));
        for operation in fixed.chain(extension.into_values().map(|(_, operation)| operation)) {
            let tag = operation
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or(operations::UNTAGGED);
            if tags.contains(tag) {
                roots.push((Position::Operation, operation));
                let shared = item.get("parameters").and_then(Value::as_array);
                roots.extend(
                    shared
                        .into_iter()
                        .flatten()
                        .map(|p| (Position::Parameter, p)),
                );
            }
        }
    }
    crate::refs::reach(&spec.raw, roots).schemas()
}

/// Resolves a `$ref` to `#/components/<kind>/<name>` to the item and the pointer where it
/// lives, following components that are references themselves (`A: {$ref: B}`).
pub(crate) fn resolve_component<'a, T>(
    spec: &'a Spec,
    item: &'a openapiv3::ReferenceOr<T>,
    kind: &str,
    table: impl FnOnce(
        &'a openapiv3::Components,
    ) -> &'a indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>,
    at: &str,
) -> Result<(&'a T, String), Error> {
    let reference = match item {
        openapiv3::ReferenceOr::Item(item) => return Ok((item, at.to_owned())),
        openapiv3::ReferenceOr::Reference { reference } => reference,
    };
    spec.openapi
        .components
        .as_ref()
        .map(table)
        .and_then(|entries| crate::refs::component(entries, kind, reference))
        .map(|(item, found)| (item, found.to_owned()))
        .ok_or_else(|| {
            Error::at(
                crate::ErrorKind::Unsupported,
                &spec.file,
                at,
                format!(
                    "`$ref: {reference}` must name an entry under #/components/{kind}/ directly"
                ),
            )
        })
}

/// The component schema a `$ref` to `#/components/schemas/…` names, following components
/// that are themselves references (`A: {$ref: B}`). `None` when it names no schema there,
/// or the chain is a cycle.
pub(crate) fn component_schema<'a>(
    spec: &'a Spec,
    reference: &str,
) -> Option<&'a openapiv3::Schema> {
    let schemas = &spec.openapi.components.as_ref()?.schemas;
    crate::refs::component(schemas, "schemas", reference).map(|(schema, _)| schema)
}

/// An inline schema, or the component schema its `$ref` names.
pub(crate) fn schema_or_component<'a>(
    spec: &'a Spec,
    schema: &'a openapiv3::ReferenceOr<openapiv3::Schema>,
) -> Option<&'a openapiv3::Schema> {
    match schema {
        openapiv3::ReferenceOr::Item(item) => Some(item),
        openapiv3::ReferenceOr::Reference { reference } => component_schema(spec, reference),
    }
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
 kind: crate::ir::NoteKind::Pattern,
                pointer: pointer.to_owned(),
                message: format!(
                    "pattern `{pattern}` does not compile as a JavaScript regular expression ({e}); its check is skipped"
                ),
            });
            None
        }
    }
}
