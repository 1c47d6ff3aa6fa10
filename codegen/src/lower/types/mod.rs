//! Component schemas and inline schemas → named types and type references.

use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::integers::{IntSchema, int_type, of_format};
use super::shape;
use crate::Options;
use crate::error::{Error, ErrorKind, pointer};
use crate::ir::{
    Additional, Diagnostic, Field, Loose, TypeDef, TypeId, TypeKind, TypeNames, TypeRef,
};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name, variant_name};

mod all_of;
mod ids;
mod unions;

use self::all_of::Merged;
pub(crate) use self::ids::Lowered;

/// A string enum's variants, named from their values.
pub(crate) fn string_enum_kind(values: &[String]) -> TypeKind {
    let mut namer = Namer::with_reserved(["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .map(|value| (namer.claim(&variant_name(value)), value.clone()))
        .collect();
    TypeKind::StringEnum {
        variants,
        same_as: None,
    }
}

/// A variant name for an unnamed union member.
fn kind_word(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "Bool",
        TypeRef::Int(_) => "Integer",
        TypeRef::F64 => "Number",
        TypeRef::String | TypeRef::DateTime => "String",
        TypeRef::Vec(_) => "List",
        TypeRef::Map(_) | TypeRef::JsonObject => "Map",
        _ => "Value",
    }
    .to_owned()
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The members of the closed tuple of scalars at `at`, as `upgrade` marks it
/// (`integer:int32`, …).
fn tuple_members(
    marks: &crate::upgrade::Marks,
    at: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<TypeRef>> {
    marks
        .tuple(at)?
        .iter()
        .map(|member| {
            Some(match member.as_str()? {
                "boolean" => TypeRef::Bool,
                m if m.starts_with("integer") => {
                    TypeRef::Int(of_format(m.strip_prefix("integer:"), at, diagnostics))
                }
                m if m.starts_with("number") => TypeRef::F64,
                m if m.starts_with("string") => TypeRef::String,
                _ => return None,
            })
        })
        .collect()
}

/// The note for an array with an `enum` of its own whose values type the items.
const ARRAY_ENUM_NOTE: &str =
    "enum on an array read as the items' enum; a single value is accepted as a one-element list";

/// The note for an array with an `enum` of its own whose items have a type of their own.
const ARRAY_ENUM_IGNORED_NOTE: &str = "enum on an array ignored, as its items have a type of their own; a single value is accepted as a one-element list";

/// Lowering in progress: the document, the options, the type table being built and the one
/// list of notes. Each lowering step is a function of it (types here, operations, bodies,
/// responses, parameters and webhooks in their own files).
pub(crate) struct Lowering<'a> {
    spec: &'a Spec,
    options: &'a Options,
    /// Component schema name → its type's id (every component has one from the start, so
    /// references can point at types not lowered yet).
    component_ids: BTreeMap<String, TypeId>,
    type_namer: Namer,
    module_namer: Namer,
    /// Rust name per id, claimed when the id is handed out.
    names: Vec<String>,
    /// Definition per id, filled once the type's shape is known (a component outside the
    /// tag filter stays empty).
    defs: Vec<Option<TypeDef>>,
    diagnostics: Vec<Diagnostic>,
    pub(crate) loose: Vec<Loose>,
    pub(crate) inline_types: usize,
    /// Inline schemas being lowered inside one another right now (see [`MAX_INLINE_DEPTH`]).
    inline_depth: usize,
}

/// Inline schemas nested inside one another before the innermost is typed as JSON. Real
/// documents nest a dozen deep; an `allOf` that merges a component's properties into an
/// inline schema, whose own inline members merge the first component again, never ends.
const MAX_INLINE_DEPTH: usize = 24;

impl<'a> Lowering<'a> {
    pub(crate) fn new(spec: &'a Spec, options: &'a Options) -> Self {
        let mut lowering = Self {
            spec,
            options,
            component_ids: BTreeMap::new(),
            type_namer: Namer::default(),
            module_namer: Namer::with_reserved(["mod"]),
            names: Vec::new(),
            defs: Vec::new(),
            diagnostics: Vec::new(),
            loose: Vec::new(),
            inline_types: 0,
            inline_depth: 0,
        };
        let components = spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.schemas.keys());
        for name in components {
            let id = lowering.reserve(&type_name(name));
            lowering.component_ids.insert(name.clone(), id);
        }
        lowering
    }

    /// The document being lowered.
    pub(crate) fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// The generator's options.
    pub(crate) fn options(&self) -> &'a Options {
        self.options
    }

    /// The notes so far; every step adds its own here.
    pub(crate) fn notes(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.diagnostics
    }

    /// The Rust name of the type `id`.
    pub(crate) fn name(&self, id: TypeId) -> &str {
        self.names.type_name(id)
    }

    /// A named string enum for an inline enumeration (used by parameters).
    pub(crate) fn named_enum(&mut self, context: &str, values: &[String], at: &str) -> TypeRef {
        self.inline_types += 1;
        let id = self.reserve(&type_name(context));
        self.push(id, at.to_owned(), None, string_enum_kind(values));
        TypeRef::Named(id)
    }

    /// The type `ty` names once aliases are followed, as far as it is made yet.
    pub(crate) fn find(&self, ty: &TypeRef) -> Option<&TypeDef> {
        let id = crate::ir::resolve(ty, |id| self.defs.get(id.0)?.as_ref())?.id()?;
        self.defs.get(id.0)?.as_ref()
    }

    /// The type of a component schema.
    pub(crate) fn component_type(&self, name: &str) -> Option<TypeRef> {
        self.component_ids.get(name).map(|&id| TypeRef::Named(id))
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
            let Some(&id) = self.component_ids.get(name) else {
                continue;
            };
            let at = pointer(["components", "schemas", name.as_str()]);
            if let Some(path) = self.options.runtime_types.get(name) {
                self.push(id, at, None, TypeKind::Runtime(path.clone()));
                continue;
            }
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &at)?;
                    self.push(id, at, None, TypeKind::Alias(target));
                    continue;
                }
            };
            let kind = self.named_kind(id, schema, &at)?;
            self.push(id, at, schema.schema_data.description.clone(), kind);
        }
        Ok(())
    }

    fn push(&mut self, id: TypeId, at: String, description: Option<String>, kind: TypeKind) {
        let name = self.names[id.0].clone();
        let module = self.module_namer.claim(&crate::naming::module_name(&name));
        self.defs[id.0] = Some(TypeDef {
            name,
            module,
            pointer: at,
            description,
            kind,
            // Decided once every operation is known (`sent::mark`).
            sent: false,
        });
    }

    fn reference(&self, reference: &str, at: &str) -> Result<TypeRef, Error> {
        reference
            .strip_prefix(COMPONENT_PREFIX)
            .and_then(|name| self.component_ids.get(name))
            .map(|&id| TypeRef::Named(id))
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
    fn named_kind(&mut self, id: TypeId, schema: &'a Schema, at: &str) -> Result<TypeKind, Error> {
        let name = &self.name(id).to_owned();
        let union_members = if shape::one_of(schema).is_empty() {
            ("anyOf", shape::any_of(schema))
        } else {
            ("oneOf", shape::one_of(schema))
        };
        let all_of = !shape::all_of(schema).is_empty();
        let undiscriminated = schema.schema_data.discriminator.is_none();
        // `allOf` beside the union is more properties every member must also have (Okta's
        // signing key: a base, then RSA or EC): folded like the schema's own.
        if !union_members.1.is_empty()
            && undiscriminated
            && (all_of || shape::has_properties(schema))
        {
            return self.union_with_properties(name, schema, union_members, at);
        }
        if all_of {
            return self.all_of_kind(name, schema, at);
        }
        if !union_members.1.is_empty() {
            return self.union_kind(name, schema, union_members, at);
        }
        if let Some(discriminator) = schema
            .schema_data
            .discriminator
            .as_ref()
            .filter(|d| !d.mapping.is_empty())
        {
            return self.tagged_kind(name, discriminator, &[], at);
        }
        if let Some(object) = shape::object(schema).filter(|o| !o.properties.is_empty()) {
            let properties = object
                .properties
                .iter()
                .map(|(wire, property)| (wire.as_str(), property, at.to_owned()))
                .collect();
            let additional = object.additional.map(|a| (a, at.to_owned()));
            return self.struct_kind(name, properties, object.required, additional);
        }
        if let Some(values) = shape::string_enum(schema) {
            return Ok(string_enum_kind(&values));
        }
        Ok(TypeKind::Alias(self.inline(name, schema, at)?))
    }

    /// The component schema a `$ref` names, following references between components.
    fn component(&self, reference: &str, at: &str) -> Result<&'a Schema, Error> {
        super::component_schema(self.spec, reference).ok_or_else(|| {
            Error::at(
                ErrorKind::Unsupported,
                &self.spec.file,
                at,
                format!("`$ref: {reference}` must name a schema under {COMPONENT_PREFIX}"),
            )
        })
    }

    /// `{name}Base`: a struct of the properties the component `reference` declares itself.
    fn own_properties(&mut self, name: &str, reference: &str, at: &str) -> Result<TypeRef, Error> {
        let schema = self.component(reference, at)?;
        let id = self.reserve(&format!("{}Base", name.trim_end_matches('_')));
        let base = self.name(id).to_owned();
        self.inline_types += 1;
        let kind = match shape::object(schema) {
            Some(object) => {
                let properties = object
                    .properties
                    .iter()
                    .map(|(wire, property)| (wire.as_str(), property, reference.to_owned()))
                    .collect();
                let additional = object.additional.map(|a| (a, reference.to_owned()));
                self.struct_kind(&base, properties, object.required, additional)?
            }
            None => TypeKind::Struct {
                fields: Vec::new(),
                additional: None,
                closed: false,
                derive_default: false,
            },
        };
        self.push(
            id,
            reference.to_owned(),
            schema.schema_data.description.clone(),
            kind,
        );
        Ok(TypeRef::Named(id))
    }

    fn struct_kind(
        &mut self,
        name: &str,
        properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>, String)>,
        required: &[String],
        additional: Option<(&'a AdditionalProperties, String)>,
    ) -> Result<TypeKind, Error> {
        let mut namer = Namer::default();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire_name, property, at) in properties {
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
            let single_as_list = self.single_as_list(property, &field_at);
            let required = required.iter().any(|r| r == wire_name);
            // A required property whose component admits `null` (`{$ref: nullTime}`) must
            // take it. An optional one already reads `null` as absent; making it nullable
            // too would change its type for what it already accepts.
            let nullable = data.is_some_and(|d| d.nullable)
                || required && self.admits_null(property, &field_at);
            fields.push(Field {
                single_as_list,
                // Decided once every type is known (`defaults::mark`).
                default_when_absent: false,
                wire_name: wire_name.to_owned(),
                rust_name,
                boxed: false,
                required,
                nullable,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                default: data.and_then(|d| d.default.as_ref()).map(|v| v.to_string()),
                ty,
            });
        }
        let closed = matches!(additional, Some((AdditionalProperties::Any(false), _)));
        // Declared extra properties are kept, not dropped: a map beside the named fields.
        let additional = match additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(schema), at)) => {
                let value_at = format!("{at}/additionalProperties");
                Some(self.member_type(&format!("{name}Value"), schema.as_ref(), &value_at)?)
            }
        }
        .map(|ty| Additional {
            rust_name: namer.claim("additional_properties"),
            ty,
        });
        Ok(TypeKind::Struct {
            fields,
            additional,
            closed,
            // Decided once every type is known (`defaults::mark`).
            derive_default: false,
        })
    }

    /// A reference to the type of `schema`, naming inline objects and enums after `context`.
    pub(crate) fn type_ref_or_ref(
        &mut self,
        context: &str,
        schema: &'a ReferenceOr<Schema>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(schema) => self.type_ref(context, schema, at),
        }
    }

    /// A reference to the type of an inline `schema`, naming it after `context` if it needs a
    /// name.
    pub(crate) fn type_ref_of(
        &mut self,
        context: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<TypeRef, Error> {
        self.type_ref(context, schema, at)
    }

    fn type_ref(&mut self, context: &str, schema: &'a Schema, at: &str) -> Result<TypeRef, Error> {
        if self.inline_depth >= MAX_INLINE_DEPTH {
            return Ok(self.loose(
                at,
                TypeRef::Json,
                "inline schemas nested without end (an `allOf` that merges a schema into itself): any JSON value",
            ));
        }
        self.inline_depth += 1;
        let typed = self.type_ref_bounded(context, schema, at);
        self.inline_depth -= 1;
        typed
    }

    fn type_ref_bounded(
        &mut self,
        context: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<TypeRef, Error> {
        // `allOf: [$ref]` with nothing beside it but annotations (a description, `nullable`)
        // is the referenced type itself: 3.0's way to annotate a reference.
        if let Some(reference) = shape::annotated_ref(schema) {
            return self.reference(reference, at);
        }
        if shape::needs_name(schema) {
            self.inline_types += 1;
            let id = self.reserve(&type_name(context));
            let kind = self.named_kind(id, schema, at)?;
            self.push(
                id,
                at.to_owned(),
                schema.schema_data.description.clone(),
                kind,
            );
            return Ok(TypeRef::Named(id));
        }
        self.inline(context, schema, at)
    }

    /// Types that need no name of their own.
    fn inline(&mut self, context: &str, schema: &'a Schema, at: &str) -> Result<TypeRef, Error> {
        if let Some(members) = tuple_members(&self.spec().marks, at, &mut self.diagnostics) {
            return Ok(TypeRef::Tuple(members));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(integer)) => {
                let int = IntSchema::of(integer, schema.schema_data.default.as_ref());
                TypeRef::Int(int_type(&int, at, &mut self.diagnostics))
            }
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::String(string)) => {
                // Body fields are not checked against patterns, but a pattern that does not
                // compile is still a spec error worth a note.
                if let Some(pattern) = &string.pattern {
                    super::compile_pattern(
                        pattern,
                        &format!("{at}/pattern"),
                        &mut self.diagnostics,
                    );
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                let item_at = format!("{at}/items");
                let item = match &array.items {
                    None => self.loose(&item_at, TypeRef::Json, "the array's items have no schema"),
                    Some(item) => self.member_type(&format!("{context}Item"), item, &item_at)?,
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
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => TypeRef::String,
                Some("boolean") => TypeRef::Bool,
                Some("integer") => {
                    let int = IntSchema::loose(any, schema.schema_data.default.as_ref());
                    TypeRef::Int(int_type(&int, at, &mut self.diagnostics))
                }
                Some("number") => TypeRef::F64,
                Some("array") => {
                    let item_at = format!("{at}/items");
                    // No list equals a string, so an `enum` on the array can only mean its
                    // items' values. The note's second half is about struct fields (where
                    // `single_as_list` puts a serde adapter), the only place Atlas has such
                    // arrays; a list inside a list or a map is out of the adapter's reach.
                    let array_enum = shape::array_enum(schema);
                    if let Some(array_enum) = &array_enum {
                        let message = if array_enum.types_items() {
                            ARRAY_ENUM_NOTE
                        } else {
                            ARRAY_ENUM_IGNORED_NOTE
                        };
                        self.diagnostics.push(Diagnostic {
                            kind: crate::ir::NoteKind::Schema,
                            pointer: at.to_owned(),
                            message: message.to_owned(),
                        });
                    }
                    let item = match (&array_enum, &any.items) {
                        (Some(array_enum), _) if array_enum.types_items() => {
                            self.array_enum_items(context, &array_enum.values, at)
                        }
                        (_, None) => {
                            self.loose(&item_at, TypeRef::Json, "the array's items have no schema")
                        }
                        (_, Some(item)) => {
                            self.member_type(&format!("{context}Item"), item, &item_at)?
                        }
                    };
                    TypeRef::Vec(Box::new(item))
                }
                _ if !any.enumeration.is_empty() => self.loose(
                    at,
                    TypeRef::Json,
                    "an enum of values of several types: any JSON value",
                ),
                _ => self.loose(
                    at,
                    TypeRef::Json,
                    "the schema declares no type: any JSON value",
                ),
            },
            // Lists with members are named by `type_ref`; an empty one constrains nothing
            // (`allOf`) or admits nothing (`oneOf`, `anyOf`): either way, no Rust type says
            // more than JSON.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => self
                .loose(
                    at,
                    TypeRef::Json,
                    "an empty allOf/oneOf/anyOf: any JSON value",
                ),
            // "Anything but X" has no Rust type: JSON, as honest as it gets.
            SchemaKind::Not { .. } => self.loose(
                at,
                TypeRef::Json,
                "a `not` schema (anything but a given shape): any JSON value",
            ),
        })
    }

    fn additional(
        &mut self,
        context: &str,
        additional: Option<&'a AdditionalProperties>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_at = format!("{at}/additionalProperties");
                let value =
                    self.member_type(&format!("{context}Value"), schema.as_ref(), &value_at)?;
                TypeRef::Map(Box::new(value))
            }
            Some(AdditionalProperties::Any(true)) => self.loose(
                at,
                TypeRef::JsonObject,
                "the object allows any properties and names none",
            ),
            _ => self.loose(at, TypeRef::JsonObject, "the object declares no properties"),
        })
    }

    /// The type of a list's items or a map's values: [`TypeRef::OrNull`] when the schema, or
    /// the component it names, admits `null` (a container engine's port map sends
    /// `{"2377/tcp": null}`), since no field carries the nullability there.
    fn member_type<S: std::borrow::Borrow<Schema>>(
        &mut self,
        context: &str,
        schema: &'a ReferenceOr<S>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        let ty = match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at)?,
            ReferenceOr::Item(item) => self.type_ref(context, item.borrow(), at)?,
        };
        Ok(if self.admits_null(schema, at) {
            TypeRef::OrNull(Box::new(ty))
        } else {
            ty
        })
    }

    /// Whether `schema`, or the component it names, is `nullable`.
    fn admits_null<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &'a ReferenceOr<S>,
        at: &str,
    ) -> bool {
        match schema {
            ReferenceOr::Item(item) => item.borrow().schema_data.nullable,
            // An unresolvable reference was already reported by `reference`.
            ReferenceOr::Reference { reference } => self
                .component(reference, at)
                .is_ok_and(|target| target.schema_data.nullable),
        }
    }

    /// The items' type of an array whose `enum` sits on the array itself: a string enum of
    /// those values, named like the items of any inline array (`{context}Item`).
    fn array_enum_items(&mut self, context: &str, values: &[String], at: &str) -> TypeRef {
        self.inline_types += 1;
        let id = self.reserve(&type_name(&format!("{context}Item")));
        let description = format!(
            "The values of the list at `{at}`: the specification puts this `enum` on the array, not on its items."
        );
        self.push(
            id,
            format!("{at}/enum"),
            Some(description),
            string_enum_kind(values),
        );
        TypeRef::Named(id)
    }

    /// Whether the property's schema (inline, or the component it names) is an array with an
    /// `enum` of its own: then a single value is accepted as a one-element list.
    fn single_as_list(&self, property: &'a ReferenceOr<Box<Schema>>, at: &str) -> bool {
        let schema = match property {
            ReferenceOr::Item(schema) => Some(schema.as_ref()),
            // An unresolvable reference was already reported by `reference`.
            ReferenceOr::Reference { reference } => self.component(reference, at).ok(),
        };
        schema.is_some_and(|s| shape::array_enum(s).is_some())
    }

    /// Records a value typed as JSON, with the reason.
    fn loose(&mut self, at: &str, ty: TypeRef, reason: &str) -> TypeRef {
        self.loose.push(Loose {
            pointer: at.to_owned(),
            representation: ty.show(&self.names[..]).to_string(),
            reason: reason.to_owned(),
        });
        ty
    }
}
