//! What an untagged union's variant must be to fit a value ([`Fit`]), decided once every
//! type is known.
//!
//! A struct decodes leniently on its own: a required property left out takes its zero value
//! (`defaults.rs`), and a string enum keeps a value it does not know. Inside a union without
//! a discriminator that leniency would pick the first variant for almost any object and lose
//! what the value carried (`{"type": "video_url", "video_url": …}` read as the text variant,
//! re-encoded as `{"text": "", "type": "video_url"}`). So a variant fits only an object that
//! has its required properties, whose enum and `const` properties hold one of their values,
//! and, under `additionalProperties: false`, that has no other property. When several fit, a
//! variant that declares every property of the value goes before one that would drop some
//! (`{"state": …, "quoted_status_id": …}` is the shallow quote, not a quote without its
//! status). What no variant fits is kept whole, as the union's `Unknown`.

use crate::ir::{Fit, TypeKind, TypeRef, Types};

/// Sets every untagged union's `fits`.
pub(crate) fn mark(table: &mut Types) {
    let decided: Vec<Option<Vec<Fit>>> = table
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union { variants, .. } => Some(
                variants
                    .iter()
                    .map(|(_, ty)| variant_fit(table, ty))
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    for (def, decided) in table.defs_mut().iter_mut().zip(decided) {
        if let (TypeKind::Union { fits, .. }, Some(decided)) = (&mut def.kind, decided) {
            *fits = decided;
        }
    }
}

/// The fit of a variant: what its struct (through aliases) asks; nothing for other types,
/// which decoding alone tells apart (a string is no object).
fn variant_fit(table: &Types, ty: &TypeRef) -> Fit {
    let Some(TypeKind::Struct {
        fields,
        closed,
        additional,
        ..
    }) = table
        .resolve(ty)
        .and_then(TypeRef::id)
        .and_then(|id| table.def(id))
        .map(|def| &def.kind)
    else {
        return Fit::default();
    };
    Fit {
        required: fields
            .iter()
            .filter(|f| f.required && !f.write_only)
            .map(|f| f.wire_name.clone())
            .collect(),
        values: fields
            .iter()
            .filter_map(|f| Some((f.wire_name.clone(), enum_values(table, &f.ty)?)))
            .collect(),
        known: additional
            .is_none()
            .then(|| fields.iter().map(|f| f.wire_name.clone()).collect()),
        closed: *closed,
    }
}

/// The wire values of a string enum `ty` names (through aliases).
fn enum_values(table: &Types, ty: &TypeRef) -> Option<Vec<String>> {
    let id = table.resolve(ty)?.id()?;
    match &table.def(id)?.kind {
        TypeKind::StringEnum { variants, .. } => {
            Some(variants.iter().map(|(_, wire)| wire.clone()).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, TypeDef};

    #[test]
    fn variants_ask_for_their_required_properties_enums_and_closedness() {
        let defs = vec![
            TypeDef::test(
                "Kind",
                TypeKind::StringEnum {
                    variants: vec![("Text".to_owned(), "text".to_owned())],
                    same_as: None,
                },
            ),
            TypeDef::test(
                "KindAlias",
                TypeKind::Alias(TypeRef::Named(crate::ir::TypeId(0))),
            ),
            TypeDef::test(
                "Part",
                TypeKind::Struct {
                    fields: vec![
                        Field::test("type", TypeRef::Named(crate::ir::TypeId(1)), true),
                        Field::test("text", TypeRef::String, true),
                        Field::test("note", TypeRef::String, false),
                    ],
                    additional: None,
                    closed: true,
                    derive_default: false,
                },
            ),
            TypeDef::test(
                "Union",
                TypeKind::Union {
                    variants: vec![
                        ("Part".to_owned(), TypeRef::Named(crate::ir::TypeId(2))),
                        ("Text".to_owned(), TypeRef::String),
                    ],
                    fits: vec![Fit::default(); 2],
                },
            ),
        ];
        let mut table = Types::new(defs);
        mark(&mut table);
        let Some(TypeKind::Union { fits, .. }) = table.def(crate::ir::TypeId(3)).map(|d| &d.kind)
        else {
            panic!("no union");
        };
        assert_eq!(
            fits,
            &[
                Fit {
                    required: vec!["type".to_owned(), "text".to_owned()],
                    values: vec![("type".to_owned(), vec!["text".to_owned()])],
                    known: Some(vec![
                        "type".to_owned(),
                        "text".to_owned(),
                        "note".to_owned()
                    ]),
                    closed: true,
                },
                Fit::default(),
            ]
        );
    }
}
