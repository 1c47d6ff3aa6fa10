//! `oneOf` / `anyOf` schemas → unions: tagged by a discriminator when the spec gives one
//! (or every variant fixes the same property to distinct values), untagged otherwise.

use openapiv3::{ReferenceOr, Schema};

use super::{TypeLowering, kind_word, string_enum_kind};
use crate::error::Error;
use crate::ir::{TaggedVariant, TypeKind, TypeRef};
use crate::lower::shape;
use crate::naming::{Namer, variant_name};

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
