//! Component schemas and inline schemas → named types and type references.

use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::Options;
use crate::error::{Error, ErrorKind, pointer};
use crate::ir::{Additional, Diagnostic, Field, TypeDef, TypeKind, TypeRef};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

pub(crate) struct TypeLowering<'a> {
    spec: &'a Spec,
    options: &'a Options,
    /// Component schema name → Rust type name.
    component_names: BTreeMap<String, String>,
    type_namer: Namer,
    module_namer: Namer,
    defs: Vec<TypeDef>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> TypeLowering<'a> {
    pub(crate) fn new(spec: &'a Spec, options: &'a Options) -> Self {
        let mut type_namer = Namer::default();
        let component_names = spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|name| (name.clone(), type_namer.claim(&type_name(name))))
            .collect();
        Self {
            spec,
            options,
            component_names,
            type_namer,
            module_namer: Namer::with_reserved(["mod"]),
            defs: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn finish(mut self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        self.defs.sort_by(|a, b| a.name.cmp(&b.name));
        (self.defs, self.diagnostics)
    }

    /// Lowers the component schemas (only those in `only`, when given).
    pub(crate) fn lower_components(
        &mut self,
        only: Option<&std::collections::BTreeSet<String>>,
    ) -> Result<(), Error> {
        let Some(components) = &self.spec.openapi.components else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            if only.is_some_and(|only| !only.contains(name)) {
                continue;
            }
            let rust_name = self.component_names[name].clone();
            let at = pointer(["components", "schemas", name.as_str()]);
            if let Some(path) = self.options.runtime_types.get(name) {
                self.push(rust_name, at, None, TypeKind::Runtime(path.clone()));
                continue;
            }
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &at)?;
                    self.push(rust_name, at, None, TypeKind::Alias(target));
                    continue;
                }
            };
            let kind = self.named_kind(&rust_name, schema, &at)?;
            self.push(rust_name, at, schema.schema_data.description.clone(), kind);
        }
        Ok(())
    }

    fn push(&mut self, name: String, at: String, description: Option<String>, kind: TypeKind) {
        let module = self
            .module_namer
            .claim(&snake_name(&name).replace("r#", ""));
        self.defs.push(TypeDef {
            name,
            module,
            pointer: at,
            description,
            kind,
        });
    }

    fn reference(&self, reference: &str, at: &str) -> Result<TypeRef, Error> {
        reference
            .strip_prefix(COMPONENT_PREFIX)
            .and_then(|name| self.component_names.get(name))
            .map(|name| TypeRef::Named(name.clone()))
            .ok_or_else(|| {
                Error::at(
                    ErrorKind::Unsupported,
                    &self.spec.file,
                    at,
                    format!("`$ref: {reference}` must name a schema under {COMPONENT_PREFIX}"),
                )
            })
    }

    /// The shape of a type that gets a name of its own.
    fn named_kind(&mut self, name: &str, schema: &Schema, at: &str) -> Result<TypeKind, Error> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => self
                .struct_kind(
                    name,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    at,
                ),
            SchemaKind::Any(any) if !any.properties.is_empty() => self.struct_kind(
                name,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
            ),
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let mut namer = Namer::with_reserved(["Unknown"]);
                let variants = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|value| (namer.claim(&type_name(value)), value.clone()))
                    .collect();
                Ok(TypeKind::StringEnum { variants })
            }
            _ => Ok(TypeKind::Alias(self.inline(name, schema, at)?)),
        }
    }

    fn struct_kind(
        &mut self,
        name: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &str,
    ) -> Result<TypeKind, Error> {
        let mut namer = Namer::default();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire_name, property) in properties {
            let field_at = format!("{at}/properties/{}", crate::error::escape_token(wire_name));
            let rust_name = namer.claim(&snake_name(wire_name));
            let context = format!("{name}{}", type_name(wire_name));
            let (ty, data) = match property {
                ReferenceOr::Reference { reference } => {
                    (self.reference(reference, &field_at)?, None)
                }
                ReferenceOr::Item(schema) => (
                    self.type_ref(&context, schema, &field_at)?,
                    Some(&schema.schema_data),
                ),
            };
            let boxed = ty == TypeRef::Named(name.to_owned());
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name,
                boxed,
                required: required.contains(wire_name),
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                default: data.and_then(|d| d.default.as_ref()).map(|v| v.to_string()),
                ty,
            });
        }
        // Declared extra properties are kept, not dropped: a map beside the named fields.
        let additional = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let value_at = format!("{at}/additionalProperties");
                Some(match schema.as_ref() {
                    ReferenceOr::Reference { reference } => self.reference(reference, &value_at)?,
                    ReferenceOr::Item(item) => {
                        self.type_ref(&format!("{name}Value"), item, &value_at)?
                    }
                })
            }
        }
        .map(|ty| Additional {
            rust_name: namer.claim("additional_properties"),
            ty,
        });
        Ok(TypeKind::Struct { fields, additional })
    }

    /// A reference to the type of `schema`, naming inline objects and enums after `context`.
    pub(crate) fn type_ref_or_ref(
        &mut self,
        context: &str,
        schema: &ReferenceOr<Schema>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.type_ref(context, schema, at),
        }
    }

    fn type_ref(&mut self, context: &str, schema: &Schema, at: &str) -> Result<TypeRef, Error> {
        let needs_name = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
            SchemaKind::Any(any) => !any.properties.is_empty(),
            SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
            _ => false,
        };
        if needs_name {
            let name = self.type_namer.claim(&type_name(context));
            let kind = self.named_kind(&name, schema, at)?;
            self.push(
                name.clone(),
                at.to_owned(),
                schema.schema_data.description.clone(),
                kind,
            );
            return Ok(TypeRef::Named(name));
        }
        self.inline(context, schema, at)
    }

    /// Types that need no name of their own.
    fn inline(&mut self, context: &str, schema: &Schema, at: &str) -> Result<TypeRef, Error> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Array(array)) => {
                let item_at = format!("{at}/items");
                let item = match &array.items {
                    None => TypeRef::Json,
                    Some(ReferenceOr::Reference { reference }) => {
                        self.reference(reference, &item_at)?
                    }
                    Some(ReferenceOr::Item(item)) => {
                        self.type_ref(&format!("{context}Item"), item, &item_at)?
                    }
                };
                TypeRef::Vec(Box::new(item))
            }
            SchemaKind::Type(Type::Object(object)) => {
                self.additional(context, object.additional_properties.as_ref(), at)?
            }
            SchemaKind::Any(any)
                if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() =>
            {
                self.additional(context, any.additional_properties.as_ref(), at)?
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &self.spec.file,
                    at,
                    "oneOf/anyOf/allOf/not schemas are not supported yet",
                ));
            }
        })
    }

    fn additional(
        &mut self,
        context: &str,
        additional: Option<&AdditionalProperties>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_at = format!("{at}/additionalProperties");
                let value = match schema.as_ref() {
                    ReferenceOr::Reference { reference } => self.reference(reference, &value_at)?,
                    ReferenceOr::Item(item) => {
                        self.type_ref(&format!("{context}Value"), item, &value_at)?
                    }
                };
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::JsonObject,
        })
    }
}
