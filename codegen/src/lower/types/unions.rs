//! `oneOf` / `anyOf` schemas → unions: tagged by a discriminator when the spec gives one
//! (or every variant fixes the same property to distinct values), untagged otherwise.

use openapiv3::{ReferenceOr, Schema};

use super::{Lowering, Merged, kind_word, string_enum_kind};
use crate::error::Error;
use crate::ir::{Diagnostic, NoteKind, TaggedVariant, TypeKind, TypeRef};
use crate::lower::shape;
use crate::naming::{Namer, type_name, variant_name};

impl<'a> Lowering<'a> {
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
            let wanted = self.variant_wanted(&ty, i);
            variants.push((namer.claim(&wanted), ty));
        }
        Ok(TypeKind::Union {
            // Decided once every type is known (`defaults::mark`).
            fits: vec![crate::ir::Fit::default(); variants.len()],
            variants,
        })
    }

    /// `oneOf`/`anyOf` beside `properties` (and `required`) or `allOf`: a value satisfies
    /// the schema's own properties (and its `allOf` members') *and* one member, so each
    /// member that is an object gets those properties folded in, as `allOf` merges them: a
    /// struct `{name}{Member}` per member. A member that only requires some of them
    /// (`{required: [documentId]}`: one of these must be sent) is those properties with its
    /// names required. A member that already declares them all (Atlas's hardware specs) is
    /// typed as it is; when every member does, the union is what it was without them. A
    /// member that cannot carry them (a scalar, a union) is kept as it is, with a note.
    pub(super) fn union_with_properties(
        &mut self,
        name: &str,
        schema: &'a Schema,
        (keyword, members): (&str, &'a [ReferenceOr<Schema>]),
        at: &str,
    ) -> Result<TypeKind, Error> {
        let mut folds = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            folds.push(self.fold(schema, member, &format!("{at}/{keyword}/{i}"), at)?);
        }
        if folds.iter().all(|f| matches!(f, Fold::AsItIs)) {
            return self.union_kind(name, schema, (keyword, members), at);
        }
        let mut namer = Namer::with_reserved(["Unknown"]);
        let mut variants = Vec::with_capacity(members.len());
        for (i, (member, fold)) in members.iter().zip(folds).enumerate() {
            let member_at = format!("{at}/{keyword}/{i}");
            let (target, merged) = match fold {
                Fold::Folded(target, merged) => (target, merged),
                Fold::AsItIs | Fold::NotAnObject => {
                    if matches!(fold, Fold::NotAnObject) {
                        self.diagnostics.push(Diagnostic {
                            kind: NoteKind::Schema,
                            pointer: member_at.clone(),
                            message: format!("`properties` beside `{keyword}` are not typed for this member, which is not an object"),
                        });
                    }
                    let ty = self.type_ref_or_ref(
                        &format!("{name}Variant{}", i + 1),
                        member,
                        &member_at,
                    )?;
                    let wanted = self.variant_wanted(&ty, i);
                    variants.push((namer.claim(&wanted), ty));
                    continue;
                }
            };
            let (label, origin) = match member {
                // A member that only requires some of the properties is named after them.
                ReferenceOr::Item(item) => match shape::required_only(item) {
                    Some(names) if !names.is_empty() => (type_name(&names.join("_")), member_at),
                    _ => (format!("Variant{}", i + 1), member_at),
                },
                ReferenceOr::Reference { reference } => (
                    type_name(reference.rsplit('/').next().unwrap_or(reference)),
                    reference.clone(),
                ),
            };
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
            fits: vec![crate::ir::Fit::default(); variants.len()],
            variants,
        })
    }

    /// What folding `schema`'s own properties into `member` gives.
    fn fold(
        &self,
        schema: &'a Schema,
        member: &'a ReferenceOr<Schema>,
        member_at: &str,
        at: &str,
    ) -> Result<Fold<'a>, Error> {
        let (target, origin, mut visiting) = match member {
            ReferenceOr::Item(item) => (item, member_at.to_owned(), Vec::new()),
            ReferenceOr::Reference { reference } => (
                self.component(reference, member_at)?,
                reference.clone(),
                vec![reference.clone()],
            ),
        };
        if !foldable(target) {
            return Ok(Fold::NotAnObject);
        }
        // The member as it is, and with the schema's `allOf` members (a base) before it and
        // the schema's own properties after (later wins, as in `allOf`).
        let mut alone = Merged::default();
        self.merge_member(target, &origin, &mut alone, &mut visiting.clone())?;
        let mut merged = Merged::default();
        self.merge_members(schema, at, &mut merged, &mut Vec::new())?;
        self.merge_member(target, &origin, &mut merged, &mut visiting)?;
        self.merge_own(schema, at, &mut merged);
        // What a reader of the member sees: its properties' names, `required`, extra ones.
        fn shape<'m>(m: &'m Merged<'_>) -> (Vec<&'m str>, Vec<&'m str>, bool) {
            let mut names: Vec<&str> = m.properties.iter().map(|(w, _, _)| *w).collect();
            names.sort_unstable();
            let mut required: Vec<&str> = m.required.iter().map(String::as_str).collect();
            required.sort_unstable();
            (names, required, m.additional.is_some())
        }
        Ok(if shape(&alone) == shape(&merged) {
            Fold::AsItIs
        } else {
            Fold::Folded(target, merged)
        })
    }

    /// Merges a union member into `merged`: what it declares, and the names it requires
    /// without declaring them (`{required: [documentId]}`).
    fn merge_member(
        &self,
        target: &'a Schema,
        origin: &str,
        merged: &mut Merged<'a>,
        visiting: &mut Vec<String>,
    ) -> Result<(), Error> {
        self.merge(target, origin, merged, visiting)?;
        for name in shape::required_only(target).unwrap_or_default() {
            if !merged.required.contains(name) {
                merged.required.push(name.clone());
            }
        }
        Ok(())
    }

    /// A union variant's name for a member of type `ty` (the `i`th): its type's name, or a
    /// word for its kind and its position.
    fn variant_wanted(&self, ty: &TypeRef, i: usize) -> String {
        match ty {
            TypeRef::Named(target) => self.name(*target).to_owned(),
            other => format!("Variant{}", i + 1).replace("Variant", &kind_word(other)),
        }
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

/// What `schema`'s own properties do to one member of its union.
enum Fold<'a> {
    /// The member declares them all already: it is typed as it is.
    AsItIs,
    /// The member cannot carry them: typed as it is, with a note.
    NotAnObject,
    /// The member (its schema) with them folded in.
    Folded(&'a Schema, Merged<'a>),
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
