//! Parameters → their schema types with the rules the spec states.

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::compile_pattern;
use crate::error::{Error, ErrorKind};
use crate::ir::{Diagnostic, FloatBounds, IntBounds, Param, ParamLocation, ParamSchema};
use crate::load::Spec;

/// Resolves `#/components/parameters/…` references.
pub(crate) fn resolve_parameter<'a>(
    spec: &'a Spec,
    parameter: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<(&'a Parameter, String), Error> {
    super::resolve_component(spec, parameter, "parameters", |c| &c.parameters, at)
}

/// Lowers one parameter; the caller assigns `rust_name` and `type_name`.
pub(crate) fn lower_param(
    spec: &Spec,
    parameter: &Parameter,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Param, Error> {
    let (data, location) = match parameter {
        Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
        Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
        Parameter::Header { parameter_data, .. } | Parameter::Cookie { parameter_data, .. } => {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &spec.file,
                at,
                format!(
                    "parameter `{}`: header and cookie parameters are not supported yet",
                    parameter_data.name
                ),
            ));
        }
    };
    let schema = param_schema(spec, data, at, diagnostics)?;
    Ok(Param {
        wire_name: data.name.clone(),
        rust_name: String::new(),
        type_name: String::new(),
        location,
        // Path parameters are always required, whatever the document says.
        required: data.required || location == ParamLocation::Path,
        description: data.description.clone(),
        deprecated: data.deprecated.unwrap_or(false),
        schema,
        shared: None,
    })
}

fn param_schema(
    spec: &Spec,
    data: &ParameterData,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParamSchema, Error> {
    let unsupported = |what: &str| {
        Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            format!("{at}/schema"),
            format!("parameter `{}`: {what} is not supported yet", data.name),
        )
    };
    let schema: &Schema = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema,
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| spec.openapi.components.as_ref()?.schemas.get(name))
            .and_then(|s| s.as_item())
            .ok_or_else(|| {
                unsupported("a schema reference that does not name a component schema")
            })?,
        ParameterSchemaOrContent::Content(_) => {
            return Err(unsupported("`content` instead of `schema`"));
        }
    };
    let default = schema.schema_data.default.as_ref();
    let bad_default = |diagnostics: &mut Vec<Diagnostic>, expected: &str| {
        if let Some(value) = default {
            diagnostics.push(Diagnostic {
                pointer: format!("{at}/schema/default"),
                message: format!("default {value} is not {expected}; it is ignored"),
            });
        }
    };
    let mut lowered = match &schema.schema_kind {
        SchemaKind::Type(Type::Boolean(_)) => {
            let default_value = default.and_then(|v| v.as_bool());
            if default_value.is_none() {
                bad_default(diagnostics, "a boolean");
            }
            ParamSchema::Bool {
                default: default_value,
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            let int32 = matches!(
                integer.format,
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
            );
            let default_value = default
                .and_then(|v| v.as_i64())
                .filter(|v| !int32 || i32::try_from(*v).is_ok());
            if default_value.is_none() {
                bad_default(
                    diagnostics,
                    if int32 {
                        "a 32-bit integer"
                    } else {
                        "an integer"
                    },
                );
            }
            ParamSchema::Integer {
                int32,
                bounds: IntBounds {
                    min: integer.minimum.map(|m| (m, integer.exclusive_minimum)),
                    max: integer.maximum.map(|m| (m, integer.exclusive_maximum)),
                },
                default: default_value,
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            let default_value = default.and_then(|v| v.as_f64());
            if default_value.is_none() {
                bad_default(diagnostics, "a number");
            }
            ParamSchema::Number {
                bounds: FloatBounds {
                    min: number.minimum.map(|m| (m, number.exclusive_minimum)),
                    max: number.maximum.map(|m| (m, number.exclusive_maximum)),
                },
                default: default_value,
            }
        }
        SchemaKind::Type(Type::String(string)) => {
            if !string.enumeration.is_empty() {
                return Err(unsupported("an enumerated string"));
            }
            if matches!(
                string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
            ) {
                if default.is_some() {
                    bad_default(diagnostics, "supported for date-time parameters");
                }
                ParamSchema::DateTime
            } else {
                let default_value = default.and_then(|v| v.as_str()).map(str::to_owned);
                if default_value.is_none() {
                    bad_default(diagnostics, "a string");
                }
                ParamSchema::String {
                    min_length: string.min_length.map(|n| n as u64),
                    max_length: string.max_length.map(|n| n as u64),
                    pattern: string.pattern.as_deref().and_then(|p| {
                        compile_pattern(p, &format!("{at}/schema/pattern"), diagnostics)
                    }),
                    format: match &string.format {
                        VariantOrUnknownOrEmpty::Item(f) => Some(format!("{f:?}").to_lowercase()),
                        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                        VariantOrUnknownOrEmpty::Empty => None,
                    },
                    default: default_value,
                }
            }
        }
        SchemaKind::Type(Type::Array(_)) => return Err(unsupported("an array")),
        SchemaKind::Type(Type::Object(_)) => return Err(unsupported("an object")),
        _ => return Err(unsupported("this schema")),
    };
    if let Some(rule) = default_breaks_rules(&lowered) {
        diagnostics.push(Diagnostic {
            pointer: format!("{at}/schema/default"),
            message: format!(
                "default of `{}` breaks its own rule ({rule}); no `Default` is generated",
                data.name
            ),
        });
        clear_default(&mut lowered);
    }
    Ok(lowered)
}

/// The rule a parameter's default breaks, if any (a spec error that would otherwise make
/// `Default` produce a value `new` refuses).
fn default_breaks_rules(schema: &ParamSchema) -> Option<String> {
    let outside = |value: f64, min: Option<(f64, bool)>, max: Option<(f64, bool)>| {
        let low = min.is_some_and(|(m, excl)| value < m || excl && value == m);
        let high = max.is_some_and(|(m, excl)| value > m || excl && value == m);
        (low || high).then(|| "minimum/maximum".to_owned())
    };
    match schema {
        ParamSchema::Integer {
            bounds,
            default: Some(d),
            ..
        } => outside(
            *d as f64,
            bounds.min.map(|(m, e)| (m as f64, e)),
            bounds.max.map(|(m, e)| (m as f64, e)),
        ),
        ParamSchema::Number {
            bounds,
            default: Some(d),
        } => outside(*d, bounds.min, bounds.max),
        ParamSchema::String {
            min_length,
            max_length,
            pattern,
            default: Some(d),
            ..
        } => {
            let chars = d.chars().count() as u64;
            if min_length.is_some_and(|m| chars < m) || max_length.is_some_and(|m| chars > m) {
                return Some("minLength/maxLength".to_owned());
            }
            let regex = pattern.as_deref().and_then(|p| regress::Regex::new(p).ok());
            regex
                .filter(|r| r.find(d).is_none())
                .map(|_| "pattern".to_owned())
        }
        _ => None,
    }
}

fn clear_default(schema: &mut ParamSchema) {
    match schema {
        ParamSchema::Bool { default } => *default = None,
        ParamSchema::Integer { default, .. } => *default = None,
        ParamSchema::Number { default, .. } => *default = None,
        ParamSchema::String { default, .. } => *default = None,
        ParamSchema::DateTime => {}
    }
}
