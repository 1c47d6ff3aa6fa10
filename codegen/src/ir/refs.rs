//! The walk over every type reference an operation or parameter holds, which the passes
//! that follow references (features, whether a request carries a type, renumbering) share.

use super::{Operation, Param, ParamSchema, SuccessBody, TypeRef};

impl ParamSchema {
    /// The type reference the schema holds, through lists: an enum's or a value's type.
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            ParamSchema::Enum { ty, .. } | ParamSchema::Value { ty, .. } => Some(ty),
            ParamSchema::Array { item } => item.type_ref(),
            _ => None,
        }
    }

    fn type_ref_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            ParamSchema::Enum { ty, .. } | ParamSchema::Value { ty, .. } => Some(ty),
            ParamSchema::Array { item } => item.type_ref_mut(),
            _ => None,
        }
    }
}

impl Param {
    /// [`ParamSchema::type_ref`], to change it.
    pub(crate) fn type_ref_mut(&mut self) -> Option<&mut TypeRef> {
        self.schema.type_ref_mut()
    }
}

impl Operation {
    /// The types a request sends: its parameters' and its body's, in each media type.
    pub fn sent_refs(&self) -> Vec<&TypeRef> {
        self.params
            .iter()
            .filter_map(|p| p.schema.type_ref())
            .chain(
                self.body.iter().flat_map(|b| {
                    std::iter::once(&b.ty).chain(b.alternatives.iter().map(|a| &a.ty))
                }),
            )
            .collect()
    }

    /// Every type reference the operation holds: what it sends ([`Operation::sent_refs`]),
    /// its success body and those of its alternative media types, the items it pages over,
    /// its response headers and its error bodies.
    pub fn refs(&self) -> Vec<&TypeRef> {
        let mut refs = self.sent_refs();
        let bodies = std::iter::once(&self.success.body)
            .chain(self.success.alternatives.iter().map(|a| &a.body));
        refs.extend(bodies.filter_map(SuccessBody::type_ref));
        refs.extend(self.pagination.as_ref().map(|p| &p.item));
        refs.extend(self.success.headers.iter().map(|h| &h.ty));
        refs.extend(self.errors.iter().filter_map(|e| e.body.as_ref()));
        refs
    }

    /// [`Operation::refs`], to change them.
    pub(crate) fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut refs: Vec<&mut TypeRef> = self
            .params
            .iter_mut()
            .filter_map(Param::type_ref_mut)
            .collect();
        if let Some(body) = self.body.as_mut() {
            refs.push(&mut body.ty);
            refs.extend(body.alternatives.iter_mut().map(|a| &mut a.ty));
        }
        let bodies = std::iter::once(&mut self.success.body)
            .chain(self.success.alternatives.iter_mut().map(|a| &mut a.body));
        refs.extend(bodies.filter_map(SuccessBody::type_ref_mut));
        refs.extend(self.pagination.as_mut().map(|p| &mut p.item));
        refs.extend(self.success.headers.iter_mut().map(|h| &mut h.ty));
        refs.extend(self.errors.iter_mut().filter_map(|e| e.body.as_mut()));
        refs
    }
}

impl SuccessBody {
    /// The type the body carries: the JSON body's, or each item's of a stream.
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            SuccessBody::Json(ty)
            | SuccessBody::OptionalJson(ty)
            | SuccessBody::Stream(crate::ir::StreamBody { item: ty, .. }) => Some(ty),
            SuccessBody::Empty | SuccessBody::Text | SuccessBody::Bytes => None,
        }
    }

    /// [`SuccessBody::type_ref`], to change it.
    pub(crate) fn type_ref_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            SuccessBody::Json(ty)
            | SuccessBody::OptionalJson(ty)
            | SuccessBody::Stream(crate::ir::StreamBody { item: ty, .. }) => Some(ty),
            SuccessBody::Empty | SuccessBody::Text | SuccessBody::Bytes => None,
        }
    }
}
