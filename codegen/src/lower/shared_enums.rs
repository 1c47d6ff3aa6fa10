//! String enums with the same values are one Rust type: the first in the table is written
//! out, the others become other names of it.
//!
//! Documents repeat enums: MongoDB's declares its cloud providers, regions and instance sizes
//! again under each schema that uses them (665 string enums, 327 sets of values). Each enum
//! costs the crate about ten trait bodies to compile; sharing them made the full Atlas
//! crate's check about a tenth faster and 100 MB smaller. Nothing a user writes changes: an
//! alias names, matches and builds the variants as the enum does, and a value of one is a
//! value of the other.
//!
//! Only the emitted form changes: each enum keeps its own values in the IR (its
//! `same_as` says which it is written as), so the diff, samples and union fits read it as
//! before, and reaching an alias reaches its enum, which the per-tag features follow.

use std::collections::BTreeMap;

use crate::ir::{TypeId, TypeKind, TypeRef, Types};

/// Points every string enum whose values another, earlier enum of `types` has (the same
/// variants and wire values, in any order) at that one.
pub(crate) fn share(types: &mut Types) {
    let mut first_with: BTreeMap<Vec<(String, String)>, TypeId> = BTreeMap::new();
    let mut links = Vec::new();
    for (index, def) in types.iter().enumerate() {
        let TypeKind::StringEnum { variants, .. } = &def.kind else {
            continue;
        };
        let mut values = variants.clone();
        values.sort();
        match first_with.get(&values) {
            Some(first) => links.push((index, *first)),
            None => {
                first_with.insert(values, TypeId(index));
            }
        }
    }
    for (index, first) in links {
        if let TypeKind::StringEnum { same_as, .. } = &mut types.defs_mut()[index].kind {
            *same_as = Some(TypeRef::Named(first));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeDef;

    fn string_enum(name: &str, values: &[&str]) -> TypeDef {
        TypeDef::test(
            name,
            TypeKind::StringEnum {
                variants: values
                    .iter()
                    .map(|v| (v.to_uppercase(), (*v).to_owned()))
                    .collect(),
                same_as: None,
            },
        )
    }

    fn same_as(types: &Types) -> Vec<Option<usize>> {
        types
            .iter()
            .map(|def| match &def.kind {
                TypeKind::StringEnum {
                    same_as: Some(TypeRef::Named(id)),
                    ..
                } => Some(id.0),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_enum_of_values_an_earlier_one_has_is_written_as_that_one_whatever_their_order() {
        let mut types = Types::new(vec![
            string_enum("Provider", &["aws", "gcp"]),
            string_enum("Region", &["eu", "us"]),
            string_enum("OtherProvider", &["gcp", "aws"]),
            string_enum("ThirdProvider", &["aws", "gcp"]),
            string_enum("MoreProviders", &["aws", "gcp", "azure"]),
        ]);
        share(&mut types);
        assert_eq!(same_as(&types), [None, None, Some(0), Some(0), None]);
        // Each keeps its own values.
        let TypeKind::StringEnum { variants, .. } = &types[2].kind else {
            panic!("still an enum");
        };
        assert_eq!(variants[0].1, "gcp");
    }

    #[test]
    fn the_same_variant_name_for_another_wire_value_is_another_enum() {
        let mut types = Types::new(vec![
            TypeDef::test(
                "A",
                TypeKind::StringEnum {
                    variants: vec![("On".to_owned(), "on".to_owned())],
                    same_as: None,
                },
            ),
            TypeDef::test(
                "B",
                TypeKind::StringEnum {
                    variants: vec![("On".to_owned(), "ON".to_owned())],
                    same_as: None,
                },
            ),
        ]);
        share(&mut types);
        assert_eq!(same_as(&types), [None, None]);
    }
}
