//! Parameters → their schema types with the rules the spec states.

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::compile_pattern;
use super::types::TypeLowering;
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Diagnostic, FloatBounds, IntBounds, Param, ParamLocation, ParamSchema, ParamStyle,
};
use crate::load::Spec;

/// Resolves `#/components/parameters/…` references.
pub(crate) fn resolve_parameter<'a>(
    spec: &'a Spec,
    parameter: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<(&'a Parameter, String), Error> {
    super::resolve_component(spec, parameter, "parameters", |c| &c.parameters, at)
}

/// Lowers one parameter; the caller assigns `rust_name` and `type_name`. `context` names an
/// inline enumeration's type.
pub(crate) fn lower_param<'a>(
    spec: &'a Spec,
    types: &mut TypeLowering<'a>,
    parameter: &'a Parameter,
    at: &str,
    context: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Param, Error> {
    let (data, location, style) = match parameter {
        Parameter::Query {
            parameter_data,
            style,
            ..
        } => {
            let style = match style {
                openapiv3::QueryStyle::Form => ParamStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
            };
            (parameter_data, ParamLocation::Query, style)
        }
        Parameter::Path {
            parameter_data,
            style,
        } => {
            let style = match style {
                openapiv3::PathStyle::Simple => ParamStyle::Simple,
                openapiv3::PathStyle::Label => ParamStyle::Label,
                openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            };
            (parameter_data, ParamLocation::Path, style)
        }
        Parameter::Header { parameter_data, .. } => {
            (parameter_data, ParamLocation::Header, ParamStyle::Simple)
        }
        Parameter::Cookie { parameter_data, .. } => {
            (parameter_data, ParamLocation::Cookie, ParamStyle::Form)
        }
    };
    let allow_reserved = matches!(
        parameter,
        Parameter::Query {
            allow_reserved: true,
            ..
        }
    );
    let schema = param_schema(spec, types, data, at, context, diagnostics)?;
    Ok(Param {
        wire_name: data.name.clone(),
        rust_name: String::new(),
        type_name: String::new(),
        location,
        // Path parameters are always required, whatever the document says.
        required: data.required || location == ParamLocation::Path,
        description: data.description.clone(),
        deprecated: data.deprecated.unwrap_or(false),
        // The spec's default: `explode` is true for `form` and false for every other style.
        explode: data.explode.unwrap_or(style == ParamStyle::Form),
        style,
        allow_reserved,
        schema,
        shared: None,
    })
}

fn param_schema<'a>(
    spec: &'a Spec,
    types: &mut TypeLowering<'a>,
    data: &'a ParameterData,
    at: &str,
    context: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParamSchema, Error> {
    let schema_at = format!("{at}/schema");
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema_rules(
            spec,
            types,
            &data.name,
            (None, schema),
            &schema_at,
            context,
            diagnostics,
        ),
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            let schema = component_schema(spec, reference).ok_or_else(|| {
                unsupported(
                    spec,
                    &data.name,
                    &schema_at,
                    "a schema reference that does not name a component schema",
                )
            })?;
            schema_rules(
                spec,
                types,
                &data.name,
                (Some(reference), schema),
                &schema_at,
                context,
                diagnostics,
            )
        }
        ParameterSchemaOrContent::Content(content) => {
            // One media type is all the spec allows here.
            let Some((media_type, media)) = content.first() else {
                return Err(unsupported(
                    spec,
                    &data.name,
                    &format!("{at}/content"),
                    "an empty `content`",
                ));
            };
            let media_at = format!(
                "{at}/content/{}/schema",
                crate::error::escape_token(media_type)
            );
            let ty = match &media.schema {
                Some(schema) => types.type_ref_or_ref(context, schema, &media_at)?,
                None => crate::ir::TypeRef::Json,
            };
            if !super::media::is_json(media_type) {
                diagnostics.push(Diagnostic {
                    kind: crate::ir::NoteKind::Parameter,
                    pointer: format!("{at}/content"),
                    message: format!(
                        "parameter `{}` is `{media_type}`; its value is sent as JSON text",
                        data.name
                    ),
                });
            }
            Ok(ParamSchema::Value { ty, json: true })
        }
    }
}

fn unsupported(spec: &Spec, name: &str, at: &str, what: &str) -> Error {
    Error::at(
        ErrorKind::Unsupported,
        &spec.file,
        at,
        format!("parameter `{name}`: {what} is not supported"),
    )
}

use super::component_schema;

/// The rules of a parameter's schema (`reference`: the component it came from, if any).
fn schema_rules<'a>(
    spec: &'a Spec,
    types: &mut TypeLowering<'a>,
    name: &str,
    (reference, schema): (Option<&str>, &'a Schema),
    at: &str,
    context: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParamSchema, Error> {
    let unsupported = |what: &str| unsupported(spec, name, at, what);
    let at = at.strip_suffix("/schema").unwrap_or(at);
    let degrade = |types: &mut TypeLowering<'a>, diagnostics: &mut Vec<Diagnostic>, why: &str| {
        value_param(
            types,
            name,
            (reference, schema),
            at,
            context,
            why,
            diagnostics,
        )
    };
    // A component lowered to a string enum (a plain `enum`, or a `oneOf` of them).
    if let Some(component) = reference
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|n| types.component_name(n))
        .map(str::to_owned)
        && let Some(crate::ir::TypeDef {
            kind: crate::ir::TypeKind::StringEnum { variants },
            ..
        }) = types.find(&component)
    {
        let default = schema
            .schema_data
            .default
            .as_ref()
            .and_then(|v| v.as_str())
            .filter(|d| variants.iter().any(|(_, v)| v == d))
            .map(str::to_owned);
        return Ok(ParamSchema::Enum {
            ty: crate::ir::TypeRef::Named(component),
            default,
        });
    }
    if let Some(values) = super::shape::string_enum(schema) {
        let ty = match reference
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|n| types.component_name(n))
        {
            Some(component) => crate::ir::TypeRef::Named(component.to_owned()),
            None => types.named_enum(context, &values, &format!("{at}/schema")),
        };
        let default = schema
            .schema_data
            .default
            .as_ref()
            .and_then(|v| v.as_str())
            .filter(|d| values.iter().any(|v| v == d))
            .map(str::to_owned);
        return Ok(ParamSchema::Enum { ty, default });
    }
    if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
        let item_at = format!("{at}/schema/items");
        let item = match &array.items {
            Some(ReferenceOr::Item(item)) => schema_rules(
                spec,
                types,
                name,
                (None, item),
                &item_at,
                &format!("{context}Item"),
                diagnostics,
            )?,
            Some(ReferenceOr::Reference { reference }) => {
                let item = component_schema(spec, reference).ok_or_else(|| {
                    unsupported("an item reference that does not name a component schema")
                })?;
                schema_rules(
                    spec,
                    types,
                    name,
                    (Some(reference), item),
                    &item_at,
                    &format!("{context}Item"),
                    diagnostics,
                )?
            }
            None => {
                return Ok(degrade(types, diagnostics, "a list without `items`"));
            }
        };
        if matches!(item, ParamSchema::Array { .. } | ParamSchema::Value { .. }) {
            return Ok(degrade(types, diagnostics, "a list of lists or objects"));
        }
        return Ok(ParamSchema::Array {
            item: Box::new(item),
        });
    }
    let default = schema.schema_data.default.as_ref();
    let bad_default = |diagnostics: &mut Vec<Diagnostic>, expected: &str| {
        if let Some(value) = default {
            diagnostics.push(Diagnostic {
                kind: crate::ir::NoteKind::Default,
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
        SchemaKind::Type(Type::Object(_)) => {
            // Objects are part of the OpenAPI styles (`k=v` pairs, `name[k]=v`): no note.
            return Ok(degrade(types, diagnostics, ""));
        }
        // A schema `openapiv3` could not type exactly, e.g. `type: integer` with fractional
        // bounds (`minimum: 1199145600.0`).
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("integer") => {
                let int32 = any.format.as_deref() == Some("int32");
                let whole = |v: f64| (v.fract() == 0.0).then_some(v as i64);
                ParamSchema::Integer {
                    int32,
                    bounds: IntBounds {
                        min: any
                            .minimum
                            .and_then(whole)
                            .map(|m| (m, any.exclusive_minimum.unwrap_or(false))),
                        max: any
                            .maximum
                            .and_then(whole)
                            .map(|m| (m, any.exclusive_maximum.unwrap_or(false))),
                    },
                    default: default.and_then(|v| v.as_i64()),
                }
            }
            Some("number") => ParamSchema::Number {
                bounds: FloatBounds {
                    min: any
                        .minimum
                        .map(|m| (m, any.exclusive_minimum.unwrap_or(false))),
                    max: any
                        .maximum
                        .map(|m| (m, any.exclusive_maximum.unwrap_or(false))),
                },
                default: default.and_then(|v| v.as_f64()),
            },
            Some("boolean") => ParamSchema::Bool {
                default: default.and_then(|v| v.as_bool()),
            },
            _ => {
                return Ok(degrade(
                    types,
                    diagnostics,
                    "a schema without a single type",
                ));
            }
        },
        _ => {
            return Ok(degrade(types, diagnostics, "a union or composed schema"));
        }
    };
    if let Some(rule) = default_breaks_rules(&lowered) {
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Default,
            pointer: format!("{at}/schema/default"),
            message: format!(
                "default of `{name}` breaks its own rule ({rule}); no `Default` is generated"
            ),
        });
        clear_default(&mut lowered);
    }
    Ok(lowered)
}

/// A parameter whose schema is not a scalar, an enum or a list of those: a model value,
/// written as the style says (an object's properties as pairs; anything nested as JSON
/// text). `why` (empty for plain objects, which the styles cover) goes into a note.
fn value_param<'a>(
    types: &mut TypeLowering<'a>,
    name: &str,
    (reference, schema): (Option<&str>, &'a Schema),
    at: &str,
    context: &str,
    why: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> ParamSchema {
    let schema_at = format!("{at}/schema");
    let component = reference
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|n| types.component_name(n))
        .map(|n| crate::ir::TypeRef::Named(n.to_owned()));
    let ty = match component {
        Some(ty) => Ok(ty),
        None => types.type_ref_of(context, schema, &schema_at),
    };
    let ty = ty.unwrap_or_else(|e| {
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Parameter,
            pointer: schema_at.clone(),
            message: format!("parameter `{name}`: {}; typed as JSON", e.message),
        });
        crate::ir::TypeRef::Json
    });
    if !why.is_empty() {
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Parameter,
            pointer: schema_at,
            message: format!("parameter `{name}` is {why}; nested values are sent as JSON text"),
        });
    }
    ParamSchema::Value { ty, json: false }
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
        ParamSchema::Enum { default, .. } => *default = None,
        ParamSchema::DateTime | ParamSchema::Array { .. } | ParamSchema::Value { .. } => {}
    }
}
