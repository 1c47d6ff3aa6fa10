//! Checks on the raw document that `openapiv3` cannot express, reported with JSON pointers:
//! dangling `$ref`s, duplicate `operationId`s, parameters without a schema.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, ErrorKind, escape_token};

pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn validate(file: &str, raw: &Value) -> Result<(), Error> {
    check_refs(file, raw, raw, &mut String::from("#"))?;
    check_operations(file, raw)
}

/// The `operationId` of the operation that contains `pointer`, if it is inside one.
pub(crate) fn operation_at<'a>(raw: &'a Value, pointer: &str) -> Option<&'a str> {
    let mut tokens = pointer.strip_prefix("#/paths/")?.splitn(3, '/');
    let path = tokens.next()?;
    let method = tokens.next()?;
    raw.pointer(&format!("/paths/{path}/{method}/operationId"))?
        .as_str()
}

fn check_refs(file: &str, root: &Value, value: &Value, at: &mut String) -> Result<(), Error> {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let resolved = target
                    .strip_prefix('#')
                    .filter(|p| p.is_empty() || p.starts_with('/'))
                    .map(|p| root.pointer(p));
                let message = match resolved {
                    Some(Some(_)) => None,
                    Some(None) => Some(format!(
                        "`$ref: {target}` points to nothing in this document"
                    )),
                    None => Some(format!(
                        "`$ref: {target}` points outside this document; only local references (`#/…`) are supported"
                    )),
                };
                if let Some(message) = message {
                    let pointer = format!("{at}/$ref");
                    let kind = if resolved.is_some() {
                        ErrorKind::DanglingRef
                    } else {
                        ErrorKind::Unsupported
                    };
                    return Err(Error::at(kind, file, &pointer, message)
                        .in_operation(operation_at(root, &pointer)));
                }
            }
            // Under `properties` (and other maps of names) the keys are names, not keywords.
            let names = at.ends_with("/properties")
                || at.ends_with("/schemas")
                || at.ends_with("/paths")
                || at.ends_with("/examples");
            for (key, child) in map {
                if names {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&escape_token(key));
                    check_refs(file, root, child, at)?;
                    at.truncate(len);
                    continue;
                }
                // An example is data: a `$ref` key inside one is a value, not a reference.
                // Extensions (`x-…`) are the vendor's own data too. (An entry of `examples`
                // may itself be a `$ref` to `#/components/examples/…`; its `value` is data.)
                if key == "example" || key.starts_with("x-") {
                    continue;
                }
                if key == "examples"
                    && let Value::Object(examples) = child
                {
                    let len = at.len();
                    at.push_str("/examples");
                    for (name, example) in examples {
                        let Value::Object(example) = example else {
                            continue;
                        };
                        let reference: serde_json::Map<String, Value> = example
                            .iter()
                            .filter(|(k, _)| *k == "$ref")
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        let len = at.len();
                        at.push('/');
                        at.push_str(&escape_token(name));
                        check_refs(file, root, &Value::Object(reference), at)?;
                        at.truncate(len);
                    }
                    at.truncate(len);
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(key));
                check_refs(file, root, child, at)?;
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                check_refs(file, root, child, at)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_operations(file: &str, raw: &Value) -> Result<(), Error> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Err(Error::at(
            ErrorKind::Structure,
            file,
            "#",
            "the document has no `paths` object",
        ));
    };
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths {
        let item_pointer = format!("#/paths/{}", escape_token(path));
        let shared_parameters = item.get("parameters");
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let op_pointer = format!("{item_pointer}/{method}");
            // Without an `operationId` the operation is named after its method and path
            // (`lower::operations`).
            let id = operation.get("operationId").and_then(Value::as_str);
            if let Some(id) = id
                && let Some(first) = seen.insert(id, op_pointer.clone())
            {
                return Err(Error::at(
                    ErrorKind::DuplicateOperationId,
                    file,
                    format!("{op_pointer}/operationId"),
                    format!("operationId `{id}` is also used by {first}"),
                )
                .in_operation(Some(id)));
            }
            for (list, list_pointer) in [
                (shared_parameters, format!("{item_pointer}/parameters")),
                (
                    operation.get("parameters"),
                    format!("{op_pointer}/parameters"),
                ),
            ] {
                let Some(list) = list.and_then(Value::as_array) else {
                    continue;
                };
                for (i, parameter) in list.iter().enumerate() {
                    let (parameter, pointer) =
                        resolve(raw, parameter, format!("{list_pointer}/{i}"));
                    if parameter.get("schema").is_none() && parameter.get("content").is_none() {
                        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                        return Err(Error::at(
                            ErrorKind::ParameterWithoutSchema,
                            file,
                            pointer,
                            format!("parameter `{name}` has neither `schema` nor `content`"),
                        )
                        .in_operation(id));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Follows `$ref`s (already checked to resolve) to the object they name, with its pointer
/// (`pointer` when `value` is no reference).
fn resolve<'a>(raw: &'a Value, value: &'a Value, pointer: String) -> (&'a Value, String) {
    let (value, followed) = crate::load::follow_refs(raw, value);
    (value, followed.map_or(pointer, str::to_owned))
}
