//! The type table: every named type of an API, addressed by [`TypeId`], with the one
//! alias-following [`Types::resolve`] every pass uses.

use super::types::{MAX_ALIAS_DEPTH, TypeDef, TypeId, TypeKind, TypeNames, TypeRef};

/// Named types (component schemas and named inline schemas), ordered by Rust name; a
/// [`TypeRef::Named`] holds a position in it.
///
/// It dereferences to the slice of definitions, so iterating, `len` and indexing by position
/// read like a `Vec` (a type's id is its position).
#[derive(Debug, Clone, Default)]
pub struct Types {
    defs: Vec<TypeDef>,
}

impl Types {
    /// A table of `defs`, whose references already use their positions as ids.
    pub(crate) fn new(defs: Vec<TypeDef>) -> Types {
        Types { defs }
    }

    /// The definition of `id`, or `None` for an id of another table. (Not `get`: the slice's
    /// `get` by position stays reachable through `Deref`.)
    pub fn def(&self, id: TypeId) -> Option<&TypeDef> {
        self.defs.get(id.0)
    }

    /// `ty` with aliases followed: the first reference that is not a named alias (a scalar,
    /// a list, a map, or a named type of another kind). `None` for a cycle of aliases (or a
    /// chain longer than [`MAX_ALIAS_DEPTH`]).
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> Option<&'a TypeRef> {
        resolve(ty, |id| self.def(id))
    }

    /// The definitions, to set what the passes after lowering decide (boxing, defaults,
    /// whether a request carries a type). Names and order stay as they are.
    pub(crate) fn defs_mut(&mut self) -> &mut [TypeDef] {
        &mut self.defs
    }
}

/// `ty` with aliases followed, where `def` finds the definition of an id (which may not be
/// made yet while lowering). The one alias-following loop.
pub(crate) fn resolve<'a>(
    ty: &'a TypeRef,
    def: impl Fn(TypeId) -> Option<&'a TypeDef>,
) -> Option<&'a TypeRef> {
    let mut ty = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        let TypeRef::Named(id) = ty else {
            return Some(ty);
        };
        match def(*id).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => ty = target,
            _ => return Some(ty),
        }
    }
    None
}

impl std::ops::Deref for Types {
    type Target = [TypeDef];

    fn deref(&self) -> &[TypeDef] {
        &self.defs
    }
}

impl<'a> IntoIterator for &'a Types {
    type Item = &'a TypeDef;
    type IntoIter = std::slice::Iter<'a, TypeDef>;

    fn into_iter(self) -> Self::IntoIter {
        self.defs.iter()
    }
}

impl TypeNames for Types {
    fn type_name(&self, id: TypeId) -> &str {
        self.def(id).map_or("", |d| d.name.as_str())
    }
}
