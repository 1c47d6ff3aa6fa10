//! Changes to operations: added, removed, renamed and moved operations, their request
//! bodies and their responses.

use std::collections::{BTreeMap, BTreeSet};

use super::kind::ChangeKind;
use super::wording::describe_body;
use super::{Diff, Impact};
use crate::ir::{Operation, SuccessBody, TypeNames, TypeRef};
use Impact::{Breaking, Compatible};

impl Diff<'_> {
    pub(super) fn operations(&mut self) {
        let pairing = pair(self.old, self.new);
        for (op, now) in &pairing.pairs {
            self.compare_operation(op, now);
        }
        for op in &pairing.removed {
            self.push(
                Impact::Breaking,
                format!("operation {}", op.id),
                ChangeKind::OperationRemoved,
                format!("`{} {}` removed", op.method, op.path),
                "its method is gone from the client",
            );
        }
        for op in &pairing.added {
            self.push(
                Impact::Compatible,
                format!("operation {}", op.id),
                ChangeKind::OperationAdded,
                format!("`{} {}` added", op.method, op.path),
                "a new method breaks nothing",
            );
        }
    }

    pub(super) fn compare_operation(&mut self, old: &Operation, new: &Operation) {
        let subject = format!("operation {}", new.id);
        if old.method != new.method || old.path != new.path {
            self.push(
                Impact::Compatible,
                subject.clone(),
                ChangeKind::OperationMoved,
                format!(
                    "`{} {}` → `{} {}`",
                    old.method, old.path, new.method, new.path
                ),
                "the SDK method keeps its name and arguments",
            );
        }
        if old.accept != new.accept {
            self.push(
                Impact::Compatible,
                subject.clone(),
                ChangeKind::MediaTypeChanged,
                format!("`{}` → `{}`", old.accept, new.accept),
                "the SDK sends the new version itself; body changes are listed separately",
            );
        }
        if old.fn_name != new.fn_name || old.id != new.id {
            let ids = if old.id == new.id {
                String::new()
            } else {
                format!("`{}` is now `{}`: ", old.id, new.id)
            };
            let (impact, reason) = if old.fn_name == new.fn_name {
                (Impact::Compatible, "the SDK method keeps its name")
            } else {
                (Impact::Breaking, "calls must use the new method name")
            };
            self.push(
                impact,
                subject.clone(),
                ChangeKind::OperationRenamed,
                format!("{ids}method `{}` → `{}`", old.fn_name, new.fn_name),
                reason,
            );
        }
        if let (None, Some(sunset)) = (&old.sunset, &new.sunset) {
            let instead = sunset.replacement.as_ref().map_or(String::new(), |r| {
                format!("; the document names `{}` as its replacement", r.id)
            });
            self.push(
                Impact::Compatible,
                subject.clone(),
                ChangeKind::SunsetAdded,
                format!("sunset on {}{instead}", sunset.date),
                "the method stays and is deprecated: calls compile with a warning until the API withdraws it",
            );
        }
        self.compare_params(&subject, &old.params, &new.params);
        match (&old.success.body, &new.success.body) {
            (SuccessBody::Json(a), SuccessBody::Json(b)) if self.same_type(a, b) => {
                if let (TypeRef::Named(a), TypeRef::Named(b)) = (a, b)
                    && let (a, b) = (self.old.types.type_name(*a), self.new.types.type_name(*b))
                    && a != b
                {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        ChangeKind::ResponseTypeRenamed,
                        format!("response body `{a}` → `{b}`"),
                        "`send()` returns the renamed type",
                    );
                }
            }
            (SuccessBody::OptionalJson(a), SuccessBody::OptionalJson(b))
                if self.same_type(a, b) => {}
            (SuccessBody::Stream(a), SuccessBody::Stream(b))
                if a.framing == b.framing && self.same_type(&a.item, &b.item) => {}
            (SuccessBody::Empty, SuccessBody::Empty)
            | (SuccessBody::Text, SuccessBody::Text)
            | (SuccessBody::Bytes, SuccessBody::Bytes) => {}
            (a, b) => self.push(
                Impact::Breaking,
                subject.clone(),
                ChangeKind::ResponseTypeChanged,
                format!(
                    "response body {} → {}",
                    describe_body(a, &self.old.types),
                    describe_body(b, &self.new.types)
                ),
                "`send()` returns a different type",
            ),
        }
        self.compare_request_body(&subject, old.body.as_ref(), new.body.as_ref());
        if old.success.status != new.success.status {
            self.push(
                Impact::Compatible,
                subject.clone(),
                ChangeKind::SuccessStatusChanged,
                format!(
                    "success status {} → {}",
                    old.success.status, new.success.status
                ),
                "the SDK decodes any 2xx the same way",
            );
        }
        let a: BTreeSet<_> = old.errors.iter().map(|e| e.status).collect();
        let b: BTreeSet<_> = new.errors.iter().map(|e| e.status).collect();
        for status in b.difference(&a) {
            self.push(Impact::Compatible, subject.clone(), ChangeKind::ResponseStatusAdded, format!("error status {status} documented"), "it now arrives as `Error::Api` with its documented body instead of `Error::UnexpectedStatus`");
        }
        for status in a.difference(&b) {
            self.push(Impact::Compatible, subject.clone(), ChangeKind::ResponseStatusRemoved, format!("error status {status} no longer documented"), "it would now arrive as `Error::UnexpectedStatus`; `error.status()` and `error.error_code()` still work");
        }
        self.compare_error_bodies(&subject, old, new);
    }

    /// The type each error status both documents decodes into: code that reads a body as the
    /// old type (`error.body::<T>()`) gets `None` once it is another.
    fn compare_error_bodies(&mut self, subject: &str, old: &Operation, new: &Operation) {
        for after in &new.errors {
            let Some(before) = old.errors.iter().find(|e| e.status == after.status) else {
                continue;
            };
            let show = |ty: Option<&TypeRef>, types| {
                ty.map_or_else(|| "untyped".to_owned(), |t| format!("`{}`", t.show(types)))
            };
            let changed = match (&before.body, &after.body) {
                (Some(a), Some(b)) => {
                    !self.same_type(a, b)
                        || a.show(&self.old.types).to_string()
                            != b.show(&self.new.types).to_string()
                }
                (None, None) => false,
                _ => true,
            };
            if changed {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    ChangeKind::ErrorBodyChanged,
                    format!(
                        "error status {} body {} → {}",
                        after.status,
                        show(before.body.as_ref(), &self.old.types),
                        show(after.body.as_ref(), &self.new.types)
                    ),
                    "code that reads the body as the old type (`error.body::<T>()`) gets `None`",
                );
            }
        }
    }

    pub(super) fn compare_request_body(
        &mut self,
        subject: &str,
        old: Option<&crate::ir::RequestBody>,
        new: Option<&crate::ir::RequestBody>,
    ) {
        match (old, new) {
            (None, None) => {}
            (None, Some(body)) => {
                let (impact, reason) = if body.required {
                    (Breaking, "the method takes the body as a new argument")
                } else {
                    (Compatible, "a new `body` setter breaks nothing")
                };
                self.push(
                    impact,
                    subject.to_owned(),
                    ChangeKind::RequestBodyAdded,
                    format!("request body {} added", body.ty.show(&self.new.types)),
                    reason,
                );
            }
            (Some(body), None) => self.push(
                Breaking,
                subject.to_owned(),
                ChangeKind::RequestBodyRemoved,
                format!("request body {} removed", body.ty.show(&self.old.types)),
                if body.required {
                    "the method takes one argument fewer"
                } else {
                    "the `body` setter is gone"
                },
            ),
            (Some(a), Some(b)) => {
                if !self.same_type(&a.ty, &b.ty) {
                    self.push(
                        Breaking,
                        subject.to_owned(),
                        ChangeKind::RequestBodyTypeChanged,
                        format!(
                            "request body {} → {}",
                            a.ty.show(&self.old.types),
                            b.ty.show(&self.new.types)
                        ),
                        "the body argument or setter takes a different type",
                    );
                }
                if a.required != b.required {
                    self.push(
                        Breaking,
                        subject.to_owned(),
                        ChangeKind::RequestBodyRequiredChanged,
                        format!(
                            "request body: {} → {}",
                            if a.required { "required" } else { "optional" },
                            if b.required { "required" } else { "optional" }
                        ),
                        "a required body is a method argument, an optional one a setter",
                    );
                }
                if std::mem::discriminant(&a.encoding) != std::mem::discriminant(&b.encoding) {
                    self.push(
                        Compatible,
                        subject.to_owned(),
                        ChangeKind::RequestEncodingChanged,
                        format!("request body sent as `{}` → `{}`", a.media_type, b.media_type),
                        "the SDK encodes the body the new way itself (a changed body type is reported apart)",
                    );
                } else if a.media_type != b.media_type {
                    self.push(
                        Compatible,
                        subject.to_owned(),
                        ChangeKind::RequestMediaTypeChanged,
                        format!("request `{}` → `{}`", a.media_type, b.media_type),
                        "the SDK sends the new version itself",
                    );
                }
            }
        }
    }
}

/// The old and new operations, paired.
pub(super) struct Pairing<'a> {
    /// (old, new): the same operation.
    pub pairs: Vec<(&'a Operation, &'a Operation)>,
    /// Old operations with no new one.
    pub removed: Vec<&'a Operation>,
    /// New operations with no old one.
    pub added: Vec<&'a Operation>,
}

impl<'a> Pairing<'a> {
    /// The old operation paired with `new`.
    pub fn former(&self, new: &Operation) -> Option<&'a Operation> {
        self.pairs
            .iter()
            .find(|(_, now)| std::ptr::eq(*now, new))
            .map(|(old, _)| *old)
    }
}

/// Pairs the old and new operations, by method and path first: an operation MongoDB gives a
/// new `operationId` (317 in four days) is the same operation on the wire, and an id may even
/// pass to another route. Then by id (an operation that moved); what is left was removed or
/// added.
pub(super) fn pair<'a>(old: &'a crate::ir::Api, new: &'a crate::ir::Api) -> Pairing<'a> {
    let by_route = |api: &'a crate::ir::Api| {
        let mut routes: BTreeMap<(String, String), Vec<&'a Operation>> = BTreeMap::new();
        for op in operations(api) {
            routes.entry(route(op)).or_default().push(op);
        }
        routes
    };
    let old_by_route = by_route(old);
    let mut new_by_route = by_route(new);
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for (key, ops) in old_by_route {
        // Only a route one operation has on each side pairs by route (`/users/{id}` and
        // `/users/{login}` are one route, and two operations): the others pair by id.
        match (ops.as_slice(), new_by_route.get(&key).map(Vec::as_slice)) {
            ([op], Some([now])) => {
                pairs.push((*op, *now));
                new_by_route.remove(&key);
            }
            _ => unpaired.extend(ops),
        }
    }
    let mut new_by_id: BTreeMap<&str, &Operation> = new_by_route
        .into_values()
        .flatten()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mut removed = Vec::new();
    for op in unpaired {
        match new_by_id.remove(op.id.as_str()) {
            Some(now) => pairs.push((op, now)),
            None => removed.push(op),
        }
    }
    Pairing {
        pairs,
        removed,
        added: new_by_id.into_values().collect(),
    }
}

/// Every operation of `api`.
fn operations(api: &crate::ir::Api) -> impl Iterator<Item = &Operation> {
    api.tags.iter().flat_map(|t| &t.operations)
}

/// An operation's method and path template, its parameters' names left out (a rename may
/// rename them too: `{groupId}` and `{group_id}` are the same place).
fn route(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_name = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_name = true;
                path.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => path.push(c),
            _ => {}
        }
    }
    (op.method.to_string(), path)
}
