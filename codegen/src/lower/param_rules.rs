//! A parameter's schema → [`ParamSchema`]: its type and the rules the spec states (bounds,
//! lengths, pattern, default), or a model value written as the style says when the schema is
//! not a scalar, an enum or a list of those.

use openapiv3::{
    AnySchema, IntegerType, ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::integers::{IntSchema, int_type};
use super::types::Lowering;
use super::{compile_pattern, component_schema};
use crate::error::{Error, ErrorKind};
use crate::ir::{Diagnostic, FloatBounds, Int, IntBounds, NoteKind, ParamSchema, TypeRef};
use crate::load::Spec;

/// One parameter being lowered: what every rule needs besides the schema at hand (which
/// changes for a list's items).
pub(super) struct Site<'s, 'a> {
    pub(super) spec: &'a Spec,
    pub(super) types: &'s mut Lowering<'a>,
    /// The parameter's wire name, for errors and notes.
    pub(super) name: &'s str,
}

/// Why a schema is sent as a model value instead of a typed scalar (empty for plain objects,
/// which the styles cover: no note).
type Degrade = &'static str;

impl<'a> Site<'_, 'a> {
    /// An error for a construct no parameter can take, at JSON pointer `at`.
    pub(super) fn unsupported(&self, at: &str, what: &str) -> Error {
        Error::at(
            ErrorKind::Unsupported,
            &self.spec.file,
            at,
            format!("parameter `{}`: {what} is not supported", self.name),
        )
    }

    /// The rules of the schema at `at` (its `…/schema` pointer); `reference` is the component
    /// it came from, if any, and `context` names an inline enumeration's type.
    pub(super) fn rules(
        &mut self,
        (reference, schema): (Option<&str>, &'a Schema),
        at: &str,
        context: &str,
    ) -> Result<ParamSchema, Error> {
        let unsupported_at = at;
        let at = at.strip_suffix("/schema").unwrap_or(at);
        if let Some(lowered) = self.enumeration(reference, schema, at, context) {
            return Ok(lowered);
        }
        if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
            let item_at = format!("{at}/schema/items");
            let item_context = format!("{context}Item");
            let item = match &array.items {
                Some(ReferenceOr::Item(item)) => {
                    self.rules((None, item), &item_at, &item_context)?
                }
                Some(ReferenceOr::Reference { reference }) => {
                    let item = component_schema(self.spec, reference).ok_or_else(|| {
                        self.unsupported(
                            unsupported_at,
                            "an item reference that does not name a component schema",
                        )
                    })?;
                    self.rules((Some(reference), item), &item_at, &item_context)?
                }
                None => {
                    return Ok(self.value(
                        (reference, schema),
                        at,
                        context,
                        "a list without `items`",
                    ));
                }
            };
            if matches!(item, ParamSchema::Array { .. } | ParamSchema::Value { .. }) {
                return Ok(self.value(
                    (reference, schema),
                    at,
                    context,
                    "a list of lists or objects",
                ));
            }
            return Ok(ParamSchema::Array {
                item: Box::new(item),
            });
        }
        let mut lowered = match self.scalar(schema, at) {
            Ok(lowered) => lowered,
            Err(why) => return Ok(self.value((reference, schema), at, context, why)),
        };
        if let Some(rule) = default_breaks_rules(&lowered) {
            self.types.notes().push(Diagnostic {
                kind: NoteKind::Default,
                pointer: format!("{at}/schema/default"),
                message: format!(
                    "default of `{}` breaks its own rule ({rule}); no `Default` is generated",
                    self.name
                ),
            });
            clear_default(&mut lowered);
        }
        Ok(lowered)
    }

    /// A string enumeration: a component lowered to one (a plain `enum`, or a `oneOf` of
    /// them), or an inline `enum` (named after `context`).
    fn enumeration(
        &mut self,
        reference: Option<&str>,
        schema: &'a Schema,
        at: &str,
        context: &str,
    ) -> Option<ParamSchema> {
        let component = reference
            .and_then(|r| crate::refs::name_in("schemas", r))
            .and_then(|n| self.types.component_type(&n));
        if let Some(component) = &component
            && let Some(crate::ir::TypeDef {
                kind: crate::ir::TypeKind::StringEnum { variants, .. },
                ..
            }) = self.types.find(component)
        {
            let default = default_among(schema, variants.iter().map(|(_, wire)| wire.as_str()));
            return Some(ParamSchema::Enum {
                ty: component.clone(),
                default,
            });
        }
        let values = super::shape::string_enum(schema)?;
        let ty = match component {
            Some(component) => component,
            None => self
                .types
                .named_enum(context, &values, &format!("{at}/schema")),
        };
        let default = default_among(schema, values.iter().map(String::as_str));
        Some(ParamSchema::Enum { ty, default })
    }

    /// A boolean, number, string or date-time with its rules; `Err` with the reason when the
    /// schema is none of those.
    fn scalar(&mut self, schema: &Schema, at: &str) -> Result<ParamSchema, Degrade> {
        let default = schema.schema_data.default.as_ref();
        let lowered = match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => ParamSchema::Bool {
                default: self.default_as(default, Value::as_bool, "a boolean", at),
            },
            SchemaKind::Type(Type::Integer(integer)) => self.integer(integer, default, at),
            SchemaKind::Type(Type::Number(number)) => ParamSchema::Number {
                bounds: FloatBounds {
                    min: number.minimum.map(|m| (m, number.exclusive_minimum)),
                    max: number.maximum.map(|m| (m, number.exclusive_maximum)),
                },
                default: self.default_as(default, Value::as_f64, "a number", at),
            },
            SchemaKind::Type(Type::String(string)) => self.string(string, default, at),
            // Objects are part of the OpenAPI styles (`k=v` pairs, `name[k]=v`): no note.
            SchemaKind::Type(Type::Object(_)) => return Err(""),
            SchemaKind::Any(any) => loose_scalar(any, default, at, self.types.notes())?,
            _ => return Err("a union or composed schema"),
        };
        Ok(lowered)
    }

    fn integer(&mut self, integer: &IntegerType, default: Option<&Value>, at: &str) -> ParamSchema {
        let int = int_type(
            &IntSchema::of(integer, default),
            &format!("{at}/schema"),
            self.types.notes(),
        );
        let fits = |v: &Value| v.as_i64().filter(|v| int.holds(i128::from(*v)));
        ParamSchema::Integer {
            int,
            bounds: IntBounds {
                min: integer.minimum.map(|m| (m, integer.exclusive_minimum)),
                max: integer.maximum.map(|m| (m, integer.exclusive_maximum)),
            },
            default: self.default_as(default, fits, expected_integer(int), at),
        }
    }

    fn string(&mut self, string: &StringType, default: Option<&Value>, at: &str) -> ParamSchema {
        if matches!(
            string.format,
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
        ) {
            if default.is_some() {
                self.bad_default(default, "supported for date-time parameters", at);
            }
            return ParamSchema::DateTime;
        }
        let owned = |v: &Value| v.as_str().map(str::to_owned);
        ParamSchema::String {
            min_length: string.min_length.map(|n| n as u64),
            max_length: string.max_length.map(|n| n as u64),
            pattern: string.pattern.as_deref().and_then(|p| {
                compile_pattern(p, &format!("{at}/schema/pattern"), self.types.notes())
            }),
            format: match &string.format {
                VariantOrUnknownOrEmpty::Item(f) => Some(format!("{f:?}").to_lowercase()),
                VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            },
            default: self.default_as(default, owned, "a string", at),
        }
    }

    /// The default read by `read`; a note when there is one `read` cannot use.
    fn default_as<T>(
        &mut self,
        default: Option<&Value>,
        read: impl Fn(&Value) -> Option<T>,
        expected: &str,
        at: &str,
    ) -> Option<T> {
        let value = default.and_then(read);
        if value.is_none() {
            self.bad_default(default, expected, at);
        }
        value
    }

    fn bad_default(&mut self, default: Option<&Value>, expected: &str, at: &str) {
        if let Some(value) = default {
            self.types.notes().push(Diagnostic {
                kind: NoteKind::Default,
                pointer: format!("{at}/schema/default"),
                message: format!("default {value} is not {expected}; it is ignored"),
            });
        }
    }

    /// A parameter whose schema is not a scalar, an enum or a list of those: a model value,
    /// written as the style says (an object's properties as pairs; anything nested as JSON
    /// text). `why` (empty for plain objects, which the styles cover) goes into a note.
    fn value(
        &mut self,
        (reference, schema): (Option<&str>, &'a Schema),
        at: &str,
        context: &str,
        why: Degrade,
    ) -> ParamSchema {
        let schema_at = format!("{at}/schema");
        let component = reference
            .and_then(|r| crate::refs::name_in("schemas", r))
            .and_then(|n| self.types.component_type(&n));
        let ty = match component {
            Some(ty) => Ok(ty),
            None => self.types.type_ref_of(context, schema, &schema_at),
        };
        let name = self.name;
        let ty = ty.unwrap_or_else(|e| {
            self.types.notes().push(Diagnostic {
                kind: NoteKind::Parameter,
                pointer: schema_at.clone(),
                message: format!("parameter `{name}`: {}; typed as JSON", e.message),
            });
            TypeRef::Json
        });
        if !why.is_empty() {
            self.types.notes().push(Diagnostic {
                kind: NoteKind::Parameter,
                pointer: schema_at,
                message: format!(
                    "parameter `{name}` is {why}; nested values are sent as JSON text"
                ),
            });
        }
        ParamSchema::Value {
            ty,
            json: false,
            form: false,
        }
    }
}

/// The schema's default when it is one of `values`.
fn default_among<'v>(schema: &Schema, mut values: impl Iterator<Item = &'v str>) -> Option<String> {
    let default = schema
        .schema_data
        .default
        .as_ref()
        .and_then(Value::as_str)?;
    values.any(|v| v == default).then(|| default.to_owned())
}

/// A schema `openapiv3` could not type exactly, e.g. `type: integer` with fractional bounds
/// (`minimum: 1199145600.0`).
fn loose_scalar(
    any: &AnySchema,
    default: Option<&Value>,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParamSchema, Degrade> {
    let bound =
        |m: Option<f64>, exclusive: Option<bool>| m.map(|m| (m, exclusive.unwrap_or(false)));
    Ok(match any.typ.as_deref() {
        Some("integer") => {
            let whole = |v: f64| (v.fract() == 0.0).then_some(v as i64);
            let int = int_type(
                &IntSchema::loose(any, default),
                &format!("{at}/schema"),
                diagnostics,
            );
            ParamSchema::Integer {
                int,
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
                default: default
                    .and_then(Value::as_i64)
                    .filter(|d| int.holds(i128::from(*d))),
            }
        }
        Some("number") => ParamSchema::Number {
            bounds: FloatBounds {
                min: bound(any.minimum, any.exclusive_minimum),
                max: bound(any.maximum, any.exclusive_maximum),
            },
            default: default.and_then(Value::as_f64),
        },
        Some("boolean") => ParamSchema::Bool {
            default: default.and_then(Value::as_bool),
        },
        _ => return Err("a schema without a single type"),
    })
}

/// What a note says an integer parameter's default should have been.
fn expected_integer(int: Int) -> &'static str {
    match int {
        Int::I32 => "a 32-bit integer",
        Int::I64 => "an integer",
        Int::I8 => "an 8-bit integer",
        Int::I16 => "a 16-bit integer",
        Int::U8 => "an 8-bit unsigned integer",
        Int::U16 => "a 16-bit unsigned integer",
        Int::U32 => "a 32-bit unsigned integer",
        Int::U64 => "a 64-bit unsigned integer",
    }
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
