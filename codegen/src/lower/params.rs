//! Parameters → their schema types with the rules the spec states.

use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr};

use super::component_schema;
use super::param_rules::Site;
use super::types::Lowering;
use crate::error::Error;
use crate::ir::{Diagnostic, Param, ParamLocation, ParamSchema, ParamStyle};
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
    lowering: &mut Lowering<'a>,
    parameter: &'a Parameter,
    at: &str,
    context: &str,
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
    let mut schema = param_schema(lowering, data, at, context)?;
    // OpenAPI 3.2's `in: querystring`, read as an exploded query object by `upgrade`: its
    // properties are the fields of a form.
    if lowering.spec().marks.querystring(at)
        && let ParamSchema::Value { form, .. } = &mut schema
    {
        *form = true;
    }
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
        delimiter: lowering.spec().marks.delimiter(at),
        schema,
        shared: None,
    })
}

fn param_schema<'a>(
    lowering: &mut Lowering<'a>,
    data: &'a ParameterData,
    at: &str,
    context: &str,
) -> Result<ParamSchema, Error> {
    let schema_at = format!("{at}/schema");
    let spec = lowering.spec();
    let mut site = Site {
        spec,
        types: lowering,
        name: &data.name,
    };
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
            site.rules((None, schema), &schema_at, context)
        }
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            let schema = component_schema(spec, reference).ok_or_else(|| {
                site.unsupported(
                    &schema_at,
                    "a schema reference that does not name a component schema",
                )
            })?;
            site.rules((Some(reference), schema), &schema_at, context)
        }
        ParameterSchemaOrContent::Content(content) => {
            // One media type is all the spec allows here.
            let Some((media_type, media)) = content.first() else {
                return Err(site.unsupported(&format!("{at}/content"), "an empty `content`"));
            };
            let media_at = format!(
                "{at}/content/{}/schema",
                crate::error::escape_token(media_type)
            );
            let ty = match &media.schema {
                Some(schema) => site.types.type_ref_or_ref(context, schema, &media_at)?,
                None => crate::ir::TypeRef::Json,
            };
            if !super::media::is_json(media_type) {
                site.types.notes().push(Diagnostic {
                    kind: crate::ir::NoteKind::Parameter,
                    pointer: format!("{at}/content"),
                    message: format!(
                        "parameter `{}` is `{media_type}`; its value is sent as JSON text",
                        data.name
                    ),
                });
            }
            Ok(ParamSchema::Value {
                ty,
                json: true,
                form: false,
            })
        }
    }
}
