//! `oneOf` / `anyOf` schemas → unions: tagged by a discriminator when the spec gives one
//! (or every variant fixes the same property to distinct values), untagged otherwise.

use openapiv3::{ReferenceOr, Schema};

use super::{Merged, TypeLowering, kind_word, string_enum_kind};
use crate::error::Error;
use crate::ir::{Diagnostic, NoteKind, TaggedVariant, TypeKind, TypeRef};
use crate::lower::shape;
use crate::naming::{Namer, type_name, variant_name};

impl<'a> TypeLowering<'a> {
    /// `oneOf` / `anyOf`: a union of string enums is one string enum; with a discriminator a
    /// tagged union; otherwise an untagged union.
    pub(super) fn union_kind(
        &mut self,
        name: &str,
        schema: &'a Schema,
        (keyword, members): (&str, &'a [ReferenceOr<Schema>]),
        at: &str,
    ) -> Result<TypeKind, Error> {
        let resolved: Vec<&Schema> = members
            .iter()
            .enumerate()
            .map(|(i, m)| match m {
                ReferenceOr::Item(item) => Ok(item),
                ReferenceOr::Reference { reference } => {
                    self.component(reference, &format!("{at}/{keyword}/{i}"))
                }
            })
            .collect::<Result<_, _>>()?;
        if resolved.iter().all(|s| shape::is_string(s)) {
            let enums: Option<Vec<Vec<String>>> =
                resolved.iter().map(|s| shape::string_enum(s)).collect();
            return Ok(match enums {
                Some(lists) => {
                    let mut values: Vec<String> = Vec::new();
                    for value in lists.into_iter().flatten() {
                        if !values.contains(&value) {
                            values.push(value);
                        }
                    }
                    string_enum_kind(&values)
                }
                // A free string among the members: any string goes.
                None => TypeKind::Alias(TypeRef::String),
            });
        }
        if let Some(discriminator) = &schema.schema_data.discriminator {
            return self.tagged_kind(name, discriminator, members, at);
        }
        let mut namer = Namer::with_reserved(["Unknown"]);
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = format!("{at}/{keyword}/{i}");
            let ty =
                self.type_ref_or_ref(&format!("{name}Variant{}", i + 1), member, &member_at)?;
            let wanted = match &ty {
                TypeRef::Named(target) => self.name(*target).to_owned(),
                other => format!("Variant{}", i + 1).replace("Variant", &kind_word(other)),
            };
            variants.push((namer.claim(&wanted), ty));
        }
        Ok(TypeKind::Union {
            // Decided once every type is known (`defaults::mark`).
            must_have: vec![Vec::new(); variants.len()],
            variants,
        })
    }

    /// `oneOf`/`anyOf` beside `properties` (and `required`): a value satisfies the schema's
    /// own properties *and* one member, so each member that is an object gets those
    /// properties folded in, as `allOf` merges them: a struct `{name}{Member}` per member. A
    /// member that only requires some of them (`{required: [documentId]}`: one of these
    /// must be sent) is those properties with its names required.
    /// A member that is not a plain object (a scalar, a union of its own) cannot carry them:
    /// it stays as it is, with a note, rather than the properties being lost unsaid.
    pub(super) fn union_with_properties(
        &mut self,
        name: &str,
        schema: &'a Schema,
        (keyword, members): (&str, &'a [ReferenceOr<Schema>]),
        at: &str,
    ) -> Result<TypeKind, Error> {
        let mut namer = Namer::with_reserved(["Unknown"]);
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = format!("{at}/{keyword}/{i}");
            let (target, label, origin) = match member {
                // A member that only requires some of the properties is named after them.
                ReferenceOr::Item(item) => match shape::required_only(item) {
                    Some(names) if !names.is_empty() => {
                        (item, type_name(&names.join("_")), member_at.clone())
                    }
                    _ => (item, format!("Variant{}", i + 1), member_at.clone()),
                },
                ReferenceOr::Reference { reference } => (
                    self.component(reference, &member_at)?,
                    type_name(reference.rsplit('/').next().unwrap_or(reference)),
                    reference.clone(),
                ),
            };
            if !foldable(target) {
                self.diagnostics.push(Diagnostic {
                    kind: NoteKind::Schema,
                    pointer: member_at.clone(),
                    message: format!("`properties` beside `{keyword}` are not typed for this member, which is not an object"),
                });
                let ty =
                    self.type_ref_or_ref(&format!("{name}Variant{}", i + 1), member, &member_at)?;
                let wanted = match &ty {
                    TypeRef::Named(target) => self.name(*target).to_owned(),
                    other => kind_word(other),
                };
                variants.push((namer.claim(&wanted), ty));
                continue;
            }
            let mut merged = Merged::default();
            let mut visiting: Vec<String> = match member {
                ReferenceOr::Reference { reference } => vec![reference.clone()],
                ReferenceOr::Item(_) => Vec::new(),
            };
            self.merge(target, &origin, &mut merged, &mut visiting)?;
            for name in shape::required_only(target).unwrap_or_default() {
                if !merged.required.contains(name) {
                    merged.required.push(name.clone());
                }
            }
            // The schema's own properties and `required` (later wins, as in `allOf`).
            self.merge_own(schema, at, &mut merged);
            self.inline_types += 1;
            let id = self.reserve(&type_name(&format!("{name}{label}")));
            let struct_name = self.name(id).to_owned();
            let required = merged.required.clone();
            let kind = self.struct_kind(
                &struct_name,
                merged.properties,
                &required,
                merged.additional,
            )?;
            self.push(id, origin, target.schema_data.description.clone(), kind);
            variants.push((namer.claim(&label), TypeRef::Named(id)));
        }
        Ok(TypeKind::Union {
            // Decided once every type is known (`defaults::mark`).
            must_have: vec![Vec::new(); variants.len()],
            variants,
        })
    }

    /// A discriminated union: variants from the mapping (or, without one, from the members,
    /// selected by their schema names).
    pub(super) fn tagged_kind(
        &mut self,
        name: &str,
        discriminator: &'a openapiv3::Discriminator,
        members: &'a [ReferenceOr<Schema>],
        at: &str,
    ) -> Result<TypeKind, Error> {
        // target reference → discriminator values, in first-seen order.
        let mut targets: Vec<(String, Vec<String>)> = Vec::new();
        let mut add =
            |target: &str, value: &str| match targets.iter_mut().find(|(t, _)| t == target) {
                Some((_, values)) => values.push(value.to_owned()),
                None => targets.push((target.to_owned(), vec![value.to_owned()])),
            };
        for (value, target) in &discriminator.mapping {
            add(target, value);
        }
        for member in members {
            if let ReferenceOr::Reference { reference } = member
                && !discriminator.mapping.values().any(|t| t == reference)
            {
                let implicit = reference.rsplit('/').next().unwrap_or(reference);
                add(reference, implicit);
            }
        }
        let mapping_at = format!("{at}/discriminator/mapping");
        let mut namer = Namer::with_reserved(["Unknown"]);
        let mut variants = Vec::with_capacity(targets.len());
        for (target, values) in targets {
            let mut ty = self.reference(&target, &mapping_at)?;
            if ty.id().is_some_and(|id| self.name(id) == name) {
                // The parent maps values to itself: those objects have only the parent's own
                // properties, which get a struct of their own.
                ty = self.own_properties(name, &target, &mapping_at)?;
            }
            let wanted = match values.as_slice() {
                [single] => variant_name(single),
                _ => match &ty {
                    TypeRef::Named(target) => self.name(*target).to_owned(),
                    _ => "Variant".to_owned(),
                },
            };
            variants.push(TaggedVariant {
                name: namer.claim(&wanted),
                values,
                ty,
            });
        }
        Ok(TypeKind::TaggedUnion {
            property: discriminator.property_name.clone(),
            variants,
        })
    }
}

/// Whether the schema is an object the properties of another can be folded into: an object,
/// an `allOf` or a list of required names, not a union or a scalar.
fn foldable(schema: &Schema) -> bool {
    if shape::required_only(schema).is_some() {
        return true;
    }
    shape::one_of(schema).is_empty()
        && shape::any_of(schema).is_empty()
        && schema.schema_data.discriminator.is_none()
        && (shape::object(schema).is_some() || !shape::all_of(schema).is_empty())
}
