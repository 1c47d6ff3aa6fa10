//! Required fields a response leaves out decode as their type's zero value, as MongoDB's Go
//! SDK does, instead of failing the whole response: Atlas omits some required properties
//! (secrets such as `serviceKey`, fields of other variants), and Prism builds the example of
//! a property an `allOf` child overrides from the parent's schema, which lacks the child's
//! required properties.
//!
//! A type has a zero value when it is a scalar, a list, a map, JSON, or a struct all of whose
//! fields are `Option`s or have one. Structs are decided as a least fixed point, so a cycle
//! of required struct fields never gets one (its `Default` would never end). Only the structs
//! some required field needs derive `Default` (besides those whose fields are all optional,
//! which always have), to keep the generated code small.
//!
//! An untagged union still tells its variants apart by their required properties
//! (`fits.rs`): a default completes an object whose type is known, it does not choose one.

use crate::ir::{Field, TypeKind, TypeRef, Types};

/// Sets [`Field::default_when_absent`] and the structs' `derive_default`.
pub(crate) fn mark(table: &mut Types) {
    let types = ZeroValues::new(table);
    let defs: &Types = table;
    let mut needed = vec![false; defs.len()];
    let mut defaulted: Vec<(usize, usize)> = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let TypeKind::Struct { fields, .. } = &def.kind else {
            continue;
        };
        for (j, field) in fields.iter().enumerate() {
            if field.is_optional() {
                continue;
            }
            // A required date-time, enum or union has no zero value: absent, it fails the
            // response, as before.
            match types.zero_value(&field.ty) {
                Zero::No => {}
                Zero::Builtin => defaulted.push((i, j)),
                Zero::Struct(target) => {
                    defaulted.push((i, j));
                    needed[target] = true;
                }
            }
        }
    }
    let defs = table.defs_mut();
    for (i, j) in defaulted {
        if let TypeKind::Struct { fields, .. } = &mut defs[i].kind
            && let Some(field) = fields.get_mut(j)
        {
            field.default_when_absent = true;
        }
    }
    for (def, needed) in defs.iter_mut().zip(needed) {
        if let TypeKind::Struct {
            fields,
            derive_default,
            ..
        } = &mut def.kind
        {
            *derive_default = needed || fields.iter().all(Field::is_optional);
        }
    }
}

/// Whether a type has a zero value, and which struct provides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zero {
    /// No `Default`.
    No,
    /// A standard type's `Default` (scalars, lists, maps, JSON).
    Builtin,
    /// The `Default` of the struct at this index.
    Struct(usize),
}

/// What deciding zero values needs to know of the named types.
struct ZeroValues<'d> {
    defs: &'d Types,
    /// Per type: `Some(true)` a struct with a zero value, `Some(false)` a struct without (or
    /// not yet known to have one), `None` not a struct.
    defaultable: Vec<Option<bool>>,
}

impl<'d> ZeroValues<'d> {
    fn new(defs: &'d Types) -> Self {
        let mut types = ZeroValues {
            defs,
            defaultable: defs
                .iter()
                .map(|d| matches!(d.kind, TypeKind::Struct { .. }).then_some(false))
                .collect(),
        };
        // Least fixed point: each pass can only turn `false` into `true`, so it ends after at
        // most one pass per struct.
        loop {
            let mut changed = false;
            for (i, def) in defs.iter().enumerate() {
                if types.defaultable[i] != Some(false) {
                    continue;
                }
                if let TypeKind::Struct { fields, .. } = &def.kind
                    && fields
                        .iter()
                        .all(|f| f.is_optional() || types.zero_value(&f.ty) != Zero::No)
                {
                    types.defaultable[i] = Some(true);
                    changed = true;
                }
            }
            if !changed {
                return types;
            }
        }
    }

    /// Whether `ty` has a zero value, following aliases to the struct that provides it.
    fn zero_value(&self, ty: &TypeRef) -> Zero {
        match self.defs.resolve(ty) {
            Some(
                TypeRef::Bool
                | TypeRef::Int(_)
                | TypeRef::F64
                | TypeRef::String
                | TypeRef::Json
                | TypeRef::JsonObject
                | TypeRef::Vec(_)
                | TypeRef::Map(_),
            ) => Zero::Builtin,
            // `OffsetDateTime` has no `Default`, nor do the runtime's types in general.
            Some(TypeRef::DateTime | TypeRef::Runtime(_)) | None => Zero::No,
            // A tuple's members may have no zero value; absence is an error there.
            Some(TypeRef::Tuple(_)) => Zero::No,
            // Never a field's own type (only inside lists and maps); `None` would do.
            Some(TypeRef::OrNull(_)) => Zero::Builtin,
            Some(TypeRef::Named(id)) => match self.defaultable.get(id.index()) {
                Some(Some(true)) => Zero::Struct(id.index()),
                // Enums, unions, runtime types and structs without a zero value.
                _ => Zero::No,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mark;
    use crate::ir::{Field, TypeDef, TypeId, TypeKind, TypeRef, Types};

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef::test(
            name,
            TypeKind::Struct {
                fields,
                additional: None,
                closed: false,
                derive_default: false,
            },
        )
    }

    /// A reference to the type `name` of the same test, placed by [`table`].
    fn named(name: &str) -> TypeRef {
        TypeRef::Runtime(format!("@{name}"))
    }

    /// The table of `defs`, each [`named`] reference turned into the id of the type it names.
    fn table(mut defs: Vec<TypeDef>) -> Types {
        let names: Vec<String> = defs.iter().map(|d| format!("@{}", d.name)).collect();
        for def in &mut defs {
            for ty in def.kind.refs_mut() {
                let mut ty = ty;
                while let TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) = ty {
                    ty = inner;
                }
                if let TypeRef::Runtime(name) = ty {
                    let at = names
                        .iter()
                        .position(|n| n == name)
                        .expect("named in the test");
                    *ty = TypeRef::Named(TypeId(at));
                }
            }
        }
        Types::new(defs)
    }

    /// (derive_default, [default_when_absent per field]) of the struct `name`.
    fn marks(defs: &[TypeDef], name: &str) -> (bool, Vec<bool>) {
        let def = defs.iter().find(|d| d.name == name).expect("defined");
        match &def.kind {
            TypeKind::Struct {
                fields,
                derive_default,
                ..
            } => (
                *derive_default,
                fields.iter().map(|f| f.default_when_absent).collect(),
            ),
            _ => panic!("{name} is not a struct"),
        }
    }

    #[test]
    fn required_struct_fields_default_when_their_struct_can() {
        let defs = vec![
            // Used as a required field: derives Default, though `mappings` is required.
            strukt(
                "Definition",
                vec![
                    Field::test("mappings", named("Mappings"), true),
                    Field::test("numPartitions", TypeRef::Int(crate::ir::Int::I32), false),
                ],
            ),
            // All optional: derives Default as always.
            strukt(
                "Mappings",
                vec![Field::test("dynamic", TypeRef::Bool, false)],
            ),
            strukt(
                "Response",
                vec![
                    Field::test("latestDefinition", named("DefinitionAlias"), true),
                    Field::test("created", TypeRef::DateTime, true),
                    Field::test("status", named("Status"), true),
                    Field::test("timed", named("Timed"), true),
                    Field::test("name", TypeRef::String, true),
                ],
            ),
            TypeDef::test("DefinitionAlias", TypeKind::Alias(named("Definition"))),
            TypeDef::test(
                "Status",
                TypeKind::StringEnum {
                    variants: vec![("Ready".to_owned(), "READY".to_owned())],
                    same_as: None,
                },
            ),
            // A required date-time: no zero value, so no Default and no default field.
            strukt("Timed", vec![Field::test("at", TypeRef::DateTime, true)]),
            // Defaultable but never a required field's type: no Default derived.
            strukt(
                "Unused",
                vec![Field::test("n", TypeRef::Int(crate::ir::Int::I64), true)],
            ),
        ];
        let mut defs = table(defs);
        mark(&mut defs);
        assert_eq!(marks(&defs, "Definition"), (true, vec![true, false]));
        assert_eq!(marks(&defs, "Mappings"), (true, vec![false]));
        assert_eq!(
            marks(&defs, "Response"),
            (false, vec![true, false, false, false, true])
        );
        assert_eq!(marks(&defs, "Timed"), (false, vec![false]));
        assert_eq!(marks(&defs, "Unused"), (false, vec![true]));
    }

    #[test]
    fn cycles_of_required_struct_fields_have_no_zero_value() {
        let mut boxed_a = Field::test("a", named("A"), true);
        boxed_a.boxed = true;
        let defs = vec![
            // A ⇄ B through required fields: neither can default.
            strukt("A", vec![Field::test("b", named("B"), true)]),
            strukt("B", vec![boxed_a]),
            // C → D required, D → C optional: both default.
            strukt("C", vec![Field::test("d", named("D"), true)]),
            strukt("D", vec![Field::test("c", named("C"), false)]),
            strukt("User", vec![Field::test("c", named("C"), true)]),
        ];
        let mut defs = table(defs);
        mark(&mut defs);
        assert_eq!(marks(&defs, "A"), (false, vec![false]));
        assert_eq!(marks(&defs, "B"), (false, vec![false]));
        assert_eq!(marks(&defs, "C"), (true, vec![true]));
        assert_eq!(marks(&defs, "D"), (true, vec![false]));
    }
}
