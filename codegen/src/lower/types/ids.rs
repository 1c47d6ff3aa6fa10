//! Type ids while lowering: handed out as types are met (every component first, so a
//! reference can name a type not lowered yet), then renumbered into the name-ordered table.

use super::Lowering;
use crate::error::{Error, ErrorKind};
use crate::ir::{Diagnostic, Loose, Param, Tag, TypeId, TypeNames, TypeRef, Types};

/// What lowering the types yields ([`Lowering::finish`]).
pub(crate) struct Lowered {
    /// The type table.
    pub(crate) types: Types,
    /// Lowering's ids → the table's, for the references outside the table.
    pub(crate) renumber: Renumber,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) loose: Vec<Loose>,
    pub(crate) inline_types: usize,
}

/// The ids handed out while lowering → their places in the name-ordered table (`None` for a
/// type never made), with the names and file an error needs.
pub(crate) struct Renumber {
    to: Vec<Option<TypeId>>,
    /// Names by lowering's ids.
    names: Vec<String>,
    file: String,
}

impl Renumber {
    /// Renumbers every reference the operations of `tags` and the shared parameters hold
    /// (they were lowered beside the types, with lowering's ids).
    pub(crate) fn operations(&self, tags: &mut [Tag], shared: &mut [Param]) -> Result<(), Error> {
        for op in tags.iter_mut().flat_map(|t| &mut t.operations) {
            let at = crate::error::pointer(["paths", op.path.as_str(), &op.method.to_lowercase()]);
            for ty in op.refs_mut() {
                self.apply(ty, &at)?;
            }
        }
        for ty in shared.iter_mut().filter_map(Param::type_ref_mut) {
            self.apply(ty, "#/components/parameters")?;
        }
        Ok(())
    }

    /// Renumbers the payload types of `webhooks`.
    pub(crate) fn webhooks(&self, webhooks: &mut [crate::ir::Webhook]) -> Result<(), Error> {
        for hook in webhooks {
            let at = crate::error::pointer(["webhooks", hook.name.as_str()]);
            self.apply(&mut hook.ty, &at)?;
        }
        Ok(())
    }

    /// Moves the id in `ty` to its place in the table; `at` is where the reference sits, for
    /// the error when its type was never made.
    fn apply(&self, ty: &mut TypeRef, at: &str) -> Result<(), Error> {
        let Some(id) = ty.named_mut() else {
            return Ok(());
        };
        match self.to.get(id.0).copied().flatten() {
            Some(new) => {
                *id = new;
                Ok(())
            }
            None => Err(Error::at(
                ErrorKind::Unsupported,
                &self.file,
                at,
                format!(
                    "refers to `{}`, which the tag filter leaves out",
                    self.names.type_name(*id)
                ),
            )),
        }
    }
}

impl Lowering<'_> {
    /// The type table, ordered by name, and the renumbering that takes the ids handed out
    /// while lowering to their places in it (apply it to every reference made outside the
    /// table). A reference to a type never made (a component outside the tag filter) is an
    /// error.
    pub(crate) fn finish(mut self) -> Result<Lowered, Error> {
        let mut order: Vec<usize> = (0..self.defs.len())
            .filter(|&i| self.defs[i].is_some())
            .collect();
        order.sort_by(|&a, &b| self.names[a].cmp(&self.names[b]));
        let mut to = vec![None; self.defs.len()];
        for (new, &old) in order.iter().enumerate() {
            to[old] = Some(TypeId(new));
        }
        let renumber = Renumber {
            to,
            names: self.names,
            file: self.spec.file.clone(),
        };
        let mut defs = Vec::with_capacity(order.len());
        for old in order {
            let Some(mut def) = self.defs[old].take() else {
                continue;
            };
            for ty in def.kind.refs_mut() {
                renumber.apply(ty, &def.pointer)?;
            }
            defs.push(def);
        }
        self.loose.sort();
        self.loose.dedup();
        Ok(Lowered {
            types: Types::new(defs),
            renumber,
            diagnostics: self.diagnostics,
            loose: self.loose,
            inline_types: self.inline_types,
        })
    }

    /// A fresh id for a type to be named after `wanted` (its name claimed now, its shape
    /// filled in by [`Lowering::push`]).
    pub(super) fn reserve(&mut self, wanted: &str) -> TypeId {
        let name = self.type_namer.claim(wanted);
        self.names.push(name);
        self.defs.push(None);
        TypeId(self.names.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::Renumber;
    use crate::ir::{TypeId, TypeRef};

    #[test]
    fn renumbering_moves_ids_through_lists_and_maps_and_refuses_types_never_made() {
        // Lowering made types 0 and 2; the table puts 2 first.
        let renumber = Renumber {
            to: vec![Some(TypeId(1)), None, Some(TypeId(0))],
            names: vec!["Zebra".to_owned(), "Left".to_owned(), "Apple".to_owned()],
            file: "a.yaml".to_owned(),
        };
        let mut ty = TypeRef::Vec(Box::new(TypeRef::Map(Box::new(TypeRef::Named(TypeId(2))))));
        renumber.apply(&mut ty, "#/x").expect("placed");
        assert_eq!(
            ty,
            TypeRef::Vec(Box::new(TypeRef::Map(Box::new(TypeRef::Named(TypeId(0))))))
        );
        let mut scalar = TypeRef::Int(crate::ir::Int::I32);
        renumber
            .apply(&mut scalar, "#/x")
            .expect("nothing to place");
        let mut dangling = TypeRef::Named(TypeId(1));
        let error = renumber
            .apply(&mut dangling, "#/paths/~1a/get")
            .expect_err("type 1 was never made");
        assert_eq!(
            error.to_string(),
            "a.yaml: #/paths/~1a/get: refers to `Left`, which the tag filter leaves out"
        );
    }
}
