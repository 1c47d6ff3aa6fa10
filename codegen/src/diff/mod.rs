//! Compares two APIs at the level of the generated SDK (both lowered to the IR) and says, for
//! each change, whether code that uses the SDK keeps compiling and behaving.

mod report;
mod specs;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{
    Api, Field, FloatBounds, Operation, Param, ParamSchema, SuccessBody, TypeDef, TypeKind, TypeRef,
};

pub use self::report::render_markdown;
pub use self::specs::{NotCompared, diff_specs};
use Impact::{Breaking, Compatible};

/// What a change means for code that uses the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code that compiled may stop compiling, or valid calls may now be refused.
    Breaking,
    /// Existing code keeps working.
    Compatible,
}

/// The version bump the changes call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing a user can see changed.
    None,
    /// Only fixes and documentation.
    Patch,
    /// Additions.
    Minor,
    /// Breaking changes.
    Major,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking or compatible.
    pub impact: Impact,
    /// Where: `operation listAccessLogsByClusterName`, `schema MongoDBAccessLogs`, ….
    pub subject: String,
    /// A machine-readable kind, e.g. `parameter_type_changed`.
    pub kind: &'static str,
    /// What changed.
    pub detail: String,
    /// Why it is (or is not) breaking.
    pub reason: String,
}

/// All changes between two APIs.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The old spec, as named by the caller.
    pub old: String,
    /// The new spec.
    pub new: String,
    /// Changes, breaking first.
    pub changes: Vec<Change>,
    /// The bump these changes call for.
    pub bump: Bump,
    /// Counts for a summary line.
    pub breaking: usize,
    /// Counts for a summary line.
    pub compatible: usize,
    /// Tags left out because the generator cannot lower them yet (see [`diff_specs`]).
    pub not_compared: Vec<NotCompared>,
}

impl Report {
    /// Whether anything breaks.
    pub fn is_breaking(&self) -> bool {
        self.breaking > 0
    }

    /// The next version after `current` (semver; for `0.x` a breaking change bumps the minor
    /// part, as Cargo treats it).
    pub fn next_version(&self, current: &str) -> Option<String> {
        let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
        let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
        Some(match self.bump {
            Bump::None => current.to_owned(),
            Bump::Major if major == 0 => format!("0.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
            // Cargo treats 0.x.y → 0.x.(y+1) as compatible, so additions bump the patch.
            Bump::Minor if major == 0 => format!("0.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

struct Diff<'a> {
    old: &'a Api,
    new: &'a Api,
    /// Old type name → new type name, for types renamed with the same shape.
    renamed: BTreeMap<String, String>,
    changes: Vec<Change>,
}

/// Compares `old` and `new`.
pub fn diff(old_name: &str, old: &Api, new_name: &str, new: &Api) -> Report {
    let mut diff = Diff {
        old,
        new,
        renamed: BTreeMap::new(),
        changes: Vec::new(),
    };
    diff.types();
    diff.operations();
    let mut changes = diff.changes;
    changes.sort();
    changes.dedup();
    let breaking = changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    let compatible = changes.len() - breaking;
    let bump = if breaking > 0 {
        Bump::Major
    } else if changes.iter().any(|c| c.kind.ends_with("added")) {
        Bump::Minor
    } else if compatible > 0 {
        Bump::Patch
    } else {
        Bump::None
    };
    Report {
        old: old_name.to_owned(),
        new: new_name.to_owned(),
        changes,
        bump,
        breaking,
        compatible,
        not_compared: Vec::new(),
    }
}

fn types_by_name(api: &Api) -> BTreeMap<&str, &TypeDef> {
    api.types.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// A type's shape with names of referenced types left out, to recognise renames.
fn shape(def: &TypeDef) -> String {
    fn ty(t: &TypeRef) -> String {
        match t {
            TypeRef::Named(_) => "ref".to_owned(),
            TypeRef::Vec(inner) => format!("vec<{}>", ty(inner)),
            TypeRef::Map(inner) => format!("map<{}>", ty(inner)),
            other => format!("{other:?}"),
        }
    }
    match &def.kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            let mut parts: Vec<String> = fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{}:{}:{}",
                        f.wire_name,
                        ty(&f.ty),
                        f.required,
                        f.nullable
                    )
                })
                .collect();
            parts.sort();
            let extra = additional.as_ref().map(|a| ty(&a.ty)).unwrap_or_default();
            format!("struct{{{}}}+{extra}", parts.join(","))
        }
        TypeKind::StringEnum { variants } => {
            let mut values: Vec<&str> = variants.iter().map(|(_, w)| w.as_str()).collect();
            values.sort_unstable();
            format!("enum{{{}}}", values.join(","))
        }
        TypeKind::Alias(target) => format!("alias<{}>", ty(target)),
        TypeKind::Runtime(path) => format!("runtime<{path}>"),
        TypeKind::TaggedUnion { property, variants } => {
            let mut values: Vec<String> = variants.iter().flat_map(|v| v.values.clone()).collect();
            values.sort_unstable();
            format!("tagged<{property}>{{{}}}", values.join(","))
        }
        TypeKind::Union { variants, .. } => {
            let parts: Vec<String> = variants.iter().map(|(_, t)| ty(t)).collect();
            format!("union{{{}}}", parts.join(","))
        }
    }
}

impl Diff<'_> {
    fn push(
        &mut self,
        impact: Impact,
        subject: String,
        kind: &'static str,
        detail: String,
        reason: &str,
    ) {
        self.changes.push(Change {
            impact,
            subject,
            kind,
            detail,
            reason: reason.to_owned(),
        });
    }

    /// Whether `old` (in the old API) and `new` (in the new one) are the same type.
    fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                a == b && !self.renamed.contains_key(a) || self.renamed.get(a) == Some(b)
            }
            (TypeRef::Vec(a), TypeRef::Vec(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.same_type(a, b)
            }
            (a, b) => a == b,
        }
    }

    fn types(&mut self) {
        let old = types_by_name(self.old);
        let new = types_by_name(self.new);
        let removed: Vec<&TypeDef> = old
            .iter()
            .filter(|(n, _)| !new.contains_key(*n))
            .map(|(_, t)| *t)
            .collect();
        let mut added: Vec<&TypeDef> = new
            .iter()
            .filter(|(n, _)| !old.contains_key(*n))
            .map(|(_, t)| *t)
            .collect();
        // A removed and an added type of the same shape are one renamed type.
        for gone in &removed {
            let signature = shape(gone);
            if let Some(position) = added.iter().position(|a| shape(a) == signature) {
                let renamed = added.remove(position);
                self.renamed.insert(gone.name.clone(), renamed.name.clone());
            }
        }
        for (from, to) in self.renamed.clone() {
            self.push(
                Impact::Breaking,
                format!("schema {from}"),
                "schema_renamed",
                format!("renamed to `{to}` (same shape)"),
                "code that names the type must use the new name",
            );
            self.compare_type(old[from.as_str()], new[to.as_str()]);
        }
        let truly_removed: Vec<&TypeDef> = removed
            .into_iter()
            .filter(|g| !self.renamed.contains_key(&g.name))
            .collect();
        for gone in truly_removed {
            self.push(
                Impact::Breaking,
                format!("schema {}", gone.name),
                "schema_removed",
                "removed".to_owned(),
                "code that names the type no longer compiles",
            );
        }
        for fresh in added {
            self.push(
                Impact::Compatible,
                format!("schema {}", fresh.name),
                "schema_added",
                "added".to_owned(),
                "new types break nothing",
            );
        }
        for (name, old_def) in &old {
            if let Some(new_def) = new.get(name) {
                self.compare_type(old_def, new_def);
            }
        }
    }

    fn compare_type(&mut self, old: &TypeDef, new: &TypeDef) {
        let subject = format!("schema {}", new.name);
        match (&old.kind, &new.kind) {
            (
                TypeKind::Struct {
                    fields: a,
                    additional: extra_a,
                    ..
                },
                TypeKind::Struct {
                    fields: b,
                    additional: extra_b,
                    ..
                },
            ) => {
                self.compare_fields(&subject, a, b);
                match (extra_a, extra_b) {
                    (None, None) => {}
                    (None, Some(_)) => self.push(
                        Compatible,
                        subject,
                        "additional_properties_added",
                        "additional properties kept in a new map field".to_owned(),
                        "a new field breaks nothing",
                    ),
                    (Some(_), None) => self.push(
                        Breaking,
                        subject,
                        "additional_properties_removed",
                        "additional properties no longer kept".to_owned(),
                        "the map field is gone",
                    ),
                    (Some(x), Some(y)) if !self.same_type(&x.ty, &y.ty) => self.push(
                        Breaking,
                        subject,
                        "additional_properties_changed",
                        format!(
                            "additional property values: {} → {}",
                            describe_type(&x.ty),
                            describe_type(&y.ty)
                        ),
                        "the map's value type changed",
                    ),
                    _ => {}
                }
            }
            (TypeKind::StringEnum { variants: a }, TypeKind::StringEnum { variants: b }) => {
                let a: BTreeSet<&str> = a.iter().map(|(_, w)| w.as_str()).collect();
                let b: BTreeSet<&str> = b.iter().map(|(_, w)| w.as_str()).collect();
                for value in a.difference(&b) {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        "enum_value_removed",
                        format!("value `{value}` removed"),
                        "its variant is gone; code that matches on it no longer compiles",
                    );
                }
                for value in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        "enum_value_added",
                        format!("value `{value}` added"),
                        "enums are non-exhaustive and keep unknown values",
                    );
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) if self.same_type(a, b) => {}
            (
                TypeKind::TaggedUnion { variants: a, .. },
                TypeKind::TaggedUnion { variants: b, .. },
            ) => {
                let a: BTreeSet<&str> = a
                    .iter()
                    .flat_map(|v| v.values.iter().map(String::as_str))
                    .collect();
                let b: BTreeSet<&str> = b
                    .iter()
                    .flat_map(|v| v.values.iter().map(String::as_str))
                    .collect();
                for value in a.difference(&b) {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        "union_variant_removed",
                        format!("discriminator value `{value}` removed"),
                        "its variant is gone; code that matches on it no longer compiles",
                    );
                }
                for value in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        "union_variant_added",
                        format!("discriminator value `{value}` added"),
                        "unions are non-exhaustive and keep unknown values",
                    );
                }
            }
            (TypeKind::Union { variants: a, .. }, TypeKind::Union { variants: b, .. }) => {
                let a: BTreeSet<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
                let b: BTreeSet<&str> = b.iter().map(|(n, _)| n.as_str()).collect();
                for name in a.difference(&b) {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        "union_variant_removed",
                        format!("variant `{name}` removed"),
                        "code that matches on it no longer compiles",
                    );
                }
                for name in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        "union_variant_added",
                        format!("variant `{name}` added"),
                        "unions are non-exhaustive",
                    );
                }
            }
            _ if shape(old) == shape(new) => {}
            _ => self.push(
                Impact::Breaking,
                subject,
                "schema_kind_changed",
                format!(
                    "changed from {} to {}",
                    describe_kind(&old.kind),
                    describe_kind(&new.kind)
                ),
                "the Rust type has a different shape",
            ),
        }
    }

    fn compare_fields(&mut self, subject: &str, old: &[Field], new: &[Field]) {
        let old_by: BTreeMap<&str, &Field> =
            old.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let new_by: BTreeMap<&str, &Field> =
            new.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        for (name, field) in &old_by {
            let Some(now) = new_by.get(name) else {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    "field_removed",
                    format!("field `{name}` removed"),
                    "code that reads the field no longer compiles",
                );
                continue;
            };
            if !self.same_type(&field.ty, &now.ty) {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    "field_type_changed",
                    format!(
                        "field `{name}`: {} → {}",
                        describe_type(&field.ty),
                        describe_type(&now.ty)
                    ),
                    "the field's Rust type changed",
                );
            }
            let was_optional = !field.required || field.nullable;
            let is_optional = !now.required || now.nullable;
            if field.required != now.required || field.nullable != now.nullable {
                let impact = if was_optional == is_optional {
                    Impact::Compatible
                } else {
                    Impact::Breaking
                };
                let reason = if was_optional == is_optional {
                    "the Rust type stays the same"
                } else if is_optional {
                    "the field becomes an `Option`"
                } else {
                    "the field is no longer an `Option`"
                };
                self.push(
                    impact,
                    subject.to_owned(),
                    "field_required_changed",
                    format!(
                        "field `{name}`: {} → {}",
                        requiredness(field.required, field.nullable),
                        requiredness(now.required, now.nullable)
                    ),
                    reason,
                );
            }
        }
        for (name, field) in &new_by {
            if !old_by.contains_key(name) {
                let (impact, reason) = if !field.required || field.nullable {
                    (
                        Impact::Compatible,
                        "a new optional field; decoding older bodies still works",
                    )
                } else {
                    (
                        Impact::Breaking,
                        "a new required field: bodies without it no longer decode, and struct literals need it",
                    )
                };
                self.push(
                    impact,
                    subject.to_owned(),
                    "field_added",
                    format!("field `{name}` ({}) added", describe_type(&field.ty)),
                    reason,
                );
            }
        }
    }

    fn operations(&mut self) {
        let old: BTreeMap<&str, &Operation> = self
            .old
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .map(|o| (o.id.as_str(), o))
            .collect();
        let new: BTreeMap<&str, &Operation> = self
            .new
            .tags
            .iter()
            .flat_map(|t| &t.operations)
            .map(|o| (o.id.as_str(), o))
            .collect();
        for (id, op) in &old {
            match new.get(id) {
                None => self.push(
                    Impact::Breaking,
                    format!("operation {id}"),
                    "operation_removed",
                    format!("`{} {}` removed", op.method, op.path),
                    "its method is gone from the client",
                ),
                Some(now) => self.compare_operation(op, now),
            }
        }
        for (id, op) in &new {
            if !old.contains_key(id) {
                self.push(
                    Impact::Compatible,
                    format!("operation {id}"),
                    "operation_added",
                    format!("`{} {}` added", op.method, op.path),
                    "a new method breaks nothing",
                );
            }
        }
    }

    fn compare_operation(&mut self, old: &Operation, new: &Operation) {
        let subject = format!("operation {}", new.id);
        if old.method != new.method || old.path != new.path {
            self.push(
                Impact::Compatible,
                subject.clone(),
                "operation_moved",
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
                "media_type_changed",
                format!("`{}` → `{}`", old.accept, new.accept),
                "the SDK sends the new version itself; body changes are listed separately",
            );
        }
        if old.fn_name != new.fn_name {
            self.push(
                Impact::Breaking,
                subject.clone(),
                "operation_renamed",
                format!("method `{}` → `{}`", old.fn_name, new.fn_name),
                "calls must use the new method name",
            );
        }
        self.compare_params(&subject, &old.params, &new.params);
        match (&old.success.body, &new.success.body) {
            (SuccessBody::Json(a), SuccessBody::Json(b)) if self.same_type(a, b) => {
                if let (TypeRef::Named(a), TypeRef::Named(b)) = (a, b)
                    && a != b
                {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        "response_type_renamed",
                        format!("response body `{a}` → `{b}`"),
                        "`send()` returns the renamed type",
                    );
                }
            }
            (SuccessBody::OptionalJson(a), SuccessBody::OptionalJson(b))
                if self.same_type(a, b) => {}
            (SuccessBody::Empty, SuccessBody::Empty)
            | (SuccessBody::Text, SuccessBody::Text)
            | (SuccessBody::Bytes, SuccessBody::Bytes) => {}
            (a, b) => self.push(
                Impact::Breaking,
                subject.clone(),
                "response_type_changed",
                format!("response body {} → {}", describe_body(a), describe_body(b)),
                "`send()` returns a different type",
            ),
        }
        self.compare_request_body(&subject, old.body.as_ref(), new.body.as_ref());
        if old.success.status != new.success.status {
            self.push(
                Impact::Compatible,
                subject.clone(),
                "success_status_changed",
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
            self.push(Impact::Compatible, subject.clone(), "response_status_added", format!("error status {status} documented"), "it now arrives as `Error::Api` with the decoded `ApiError` instead of `Error::UnexpectedStatus`");
        }
        for status in a.difference(&b) {
            self.push(Impact::Compatible, subject.clone(), "response_status_removed", format!("error status {status} no longer documented"), "it would now arrive as `Error::UnexpectedStatus`; `error.status()` and `error.error_code()` still work");
        }
    }

    fn compare_request_body(
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
                    "request_body_added",
                    format!("request body {} added", describe_type(&body.ty)),
                    reason,
                );
            }
            (Some(body), None) => self.push(
                Breaking,
                subject.to_owned(),
                "request_body_removed",
                format!("request body {} removed", describe_type(&body.ty)),
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
                        "request_body_type_changed",
                        format!(
                            "request body {} → {}",
                            describe_type(&a.ty),
                            describe_type(&b.ty)
                        ),
                        "the body argument or setter takes a different type",
                    );
                }
                if a.required != b.required {
                    self.push(
                        Breaking,
                        subject.to_owned(),
                        "request_body_required_changed",
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
                        "request_encoding_changed",
                        format!("request body sent as `{}` → `{}`", a.media_type, b.media_type),
                        "the SDK encodes the body the new way itself (a changed body type is reported apart)",
                    );
                } else if a.media_type != b.media_type {
                    self.push(
                        Compatible,
                        subject.to_owned(),
                        "request_media_type_changed",
                        format!("request `{}` → `{}`", a.media_type, b.media_type),
                        "the SDK sends the new version itself",
                    );
                }
            }
        }
    }

    fn compare_params(&mut self, subject: &str, old: &[Param], new: &[Param]) {
        let key = |p: &Param| (p.location.as_str(), p.wire_name.clone());
        let old_by: BTreeMap<_, &Param> = old.iter().map(|p| (key(p), p)).collect();
        let new_by: BTreeMap<_, &Param> = new.iter().map(|p| (key(p), p)).collect();
        let mut removed: Vec<&Param> = old_by
            .iter()
            .filter(|(k, _)| !new_by.contains_key(*k))
            .map(|(_, p)| *p)
            .collect();
        let mut added: Vec<&Param> = new_by
            .iter()
            .filter(|(k, _)| !old_by.contains_key(*k))
            .map(|(_, p)| *p)
            .collect();
        // A parameter that reappears elsewhere (query → header) with its name, schema and
        // requiredness keeps its setter: the SDK sends it in the new place.
        removed.retain(|gone| {
            let Some(position) = added.iter().position(|a| {
                a.wire_name == gone.wire_name
                    && a.schema == gone.schema
                    && a.required == gone.required
            }) else {
                return true;
            };
            let moved = added.remove(position);
            self.push(
                Impact::Compatible,
                subject.to_owned(),
                "parameter_moved",
                format!(
                    "parameter `{}` moved from the {} to the {}",
                    gone.wire_name,
                    gone.location.as_str(),
                    moved.location.as_str()
                ),
                "its setter or argument keeps its name and type; the SDK sends it in the new place",
            );
            false
        });
        // A parameter that disappears while one of the same kind and schema appears was renamed.
        removed.retain(|gone| {
            let Some(position) = added.iter().position(|a| {
                a.location == gone.location
                    && a.schema == gone.schema
                    && a.required == gone.required
            }) else {
                return true;
            };
            let renamed = added.remove(position);
            self.push(
                Impact::Breaking,
                subject.to_owned(),
                "parameter_renamed",
                format!(
                    "parameter `{}` renamed to `{}`",
                    gone.wire_name, renamed.wire_name
                ),
                "its setter or argument has a new name",
            );
            false
        });
        for gone in removed {
            self.push(
                Impact::Breaking,
                subject.to_owned(),
                "parameter_removed",
                format!("parameter `{}` removed", gone.wire_name),
                if gone.required {
                    "the method takes one argument fewer"
                } else {
                    "its setter is gone"
                },
            );
        }
        for fresh in added {
            if fresh.required {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    "parameter_added",
                    format!(
                        "required parameter `{}` ({}) added",
                        fresh.wire_name,
                        describe_param(&fresh.schema)
                    ),
                    "the method takes a new argument",
                );
            } else {
                self.push(
                    Impact::Compatible,
                    subject.to_owned(),
                    "parameter_added",
                    format!(
                        "optional parameter `{}` ({}) added",
                        fresh.wire_name,
                        describe_param(&fresh.schema)
                    ),
                    "a new setter breaks nothing",
                );
            }
        }
        for (k, before) in &old_by {
            let Some(after) = new_by.get(k) else { continue };
            let name = &before.wire_name;
            if (before.style, before.explode, before.allow_reserved)
                != (after.style, after.explode, after.allow_reserved)
            {
                let describe = |p: &Param| {
                    format!(
                        "{}{}{}",
                        p.style.as_str(),
                        if p.explode { ", exploded" } else { "" },
                        if p.allow_reserved {
                            ", reserved characters as they are"
                        } else {
                            ""
                        }
                    )
                };
                self.push(
                    Impact::Compatible,
                    subject.to_owned(),
                    "parameter_style_changed",
                    format!(
                        "parameter `{name}`: {} → {}",
                        describe(before),
                        describe(after)
                    ),
                    "the SDK writes the value in the new style itself",
                );
            }
            if before.required != after.required {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    "parameter_required_changed",
                    format!(
                        "parameter `{name}`: {} → {}",
                        if before.required {
                            "required"
                        } else {
                            "optional"
                        },
                        if after.required {
                            "required"
                        } else {
                            "optional"
                        }
                    ),
                    "required parameters are method arguments, optional ones are setters",
                );
            }
            self.compare_param_schema(subject, name, &before.schema, &after.schema);
        }
    }

    fn compare_param_schema(
        &mut self,
        subject: &str,
        name: &str,
        old: &ParamSchema,
        new: &ParamSchema,
    ) {
        if describe_param(old) != describe_param(new) {
            self.push(
                Impact::Breaking,
                subject.to_owned(),
                "parameter_type_changed",
                format!(
                    "parameter `{name}`: {} → {}",
                    describe_param(old),
                    describe_param(new)
                ),
                "its setter or argument takes a different Rust type",
            );
            return;
        }
        if let (Some((a, da)), Some((b, db))) = (numeric(old), numeric(new)) {
            self.bound(
                subject,
                name,
                "minimum",
                a.min.map(|m| m.0),
                b.min.map(|m| m.0),
                true,
            );
            self.bound(
                subject,
                name,
                "maximum",
                a.max.map(|m| m.0),
                b.max.map(|m| m.0),
                false,
            );
            self.default_changed(subject, name, da, db);
            return;
        }
        match (old, new) {
            (ParamSchema::Bool { default: da }, ParamSchema::Bool { default: db }) => {
                self.default_changed(
                    subject,
                    name,
                    da.map(|d| d.to_string()),
                    db.map(|d| d.to_string()),
                );
            }
            (
                ParamSchema::String {
                    min_length: mina,
                    max_length: maxa,
                    pattern: pa,
                    default: da,
                    ..
                },
                ParamSchema::String {
                    min_length: minb,
                    max_length: maxb,
                    pattern: pb,
                    default: db,
                    ..
                },
            ) => {
                self.bound(
                    subject,
                    name,
                    "minLength",
                    mina.map(|n| n as f64),
                    minb.map(|n| n as f64),
                    true,
                );
                self.bound(
                    subject,
                    name,
                    "maxLength",
                    maxa.map(|n| n as f64),
                    maxb.map(|n| n as f64),
                    false,
                );
                if pa.as_deref().map(normalize_pattern) != pb.as_deref().map(normalize_pattern) {
                    let (impact, reason) = match (pa, pb) {
                        (Some(_), None) => (Impact::Compatible, "fewer values are refused"),
                        _ => (
                            Impact::Breaking,
                            "values that passed the old pattern may be refused before sending",
                        ),
                    };
                    self.push(
                        impact,
                        subject.to_owned(),
                        "parameter_pattern_changed",
                        format!(
                            "parameter `{name}`: pattern {} → {}",
                            code(pa.as_deref()),
                            code(pb.as_deref())
                        ),
                        reason,
                    );
                }
                self.default_changed(subject, name, da.clone(), db.clone());
            }
            _ => {}
        }
    }

    /// A bound that tightens breaks valid calls; one that loosens or disappears does not.
    fn bound(
        &mut self,
        subject: &str,
        name: &str,
        rule: &str,
        old: Option<f64>,
        new: Option<f64>,
        lower: bool,
    ) {
        if old == new {
            return;
        }
        let tighter = match (old, new) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => {
                if lower {
                    b > a
                } else {
                    b < a
                }
            }
            (None, None) => false,
        };
        let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| format!("`{v}`"));
        let (impact, reason) = if tighter {
            (
                Impact::Breaking,
                "values that were valid are now refused before sending",
            )
        } else {
            (Impact::Compatible, "every value that was valid still is")
        };
        self.push(
            impact,
            subject.to_owned(),
            "parameter_bound_changed",
            format!("parameter `{name}`: {rule} {} → {}", show(old), show(new)),
            reason,
        );
    }

    fn default_changed(
        &mut self,
        subject: &str,
        name: &str,
        old: Option<String>,
        new: Option<String>,
    ) {
        if old != new {
            self.push(
                Impact::Compatible,
                subject.to_owned(),
                "parameter_default_changed",
                format!(
                    "parameter `{name}`: default {} → {}",
                    code(old.as_deref()),
                    code(new.as_deref())
                ),
                "the server's behaviour changes when the parameter is not sent; `Default` follows",
            );
        }
    }
}

/// Bounds (as fractions) and default of a numeric parameter.
fn numeric(schema: &ParamSchema) -> Option<(FloatBounds, Option<String>)> {
    match schema {
        ParamSchema::Integer {
            bounds, default, ..
        } => Some((
            FloatBounds {
                min: bounds.min.map(|(m, e)| (m as f64, e)),
                max: bounds.max.map(|(m, e)| (m as f64, e)),
            },
            default.map(|d| d.to_string()),
        )),
        ParamSchema::Number { bounds, default } => Some((*bounds, default.map(|d| d.to_string()))),
        _ => None,
    }
}

/// Drops identity escapes (`\:` is `:` in JavaScript), so equivalent patterns compare equal.
fn normalize_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(next) if !next.is_ascii_alphanumeric() && !"\\^$.|?*+()[]{}/-".contains(next) => {
                out.push(next)
            }
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn code(value: Option<&str>) -> String {
    value.map_or("none".to_owned(), |v| format!("`{v}`"))
}

fn requiredness(required: bool, nullable: bool) -> &'static str {
    match (required, nullable) {
        (true, false) => "required",
        (true, true) => "required, nullable",
        (false, false) => "optional",
        (false, true) => "optional, nullable",
    }
}

pub(crate) fn describe_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => format!("`{n}`"),
        TypeRef::Runtime(p) => format!("`{p}`"),
        TypeRef::Vec(i) => format!("list of {}", describe_type(i)),
        TypeRef::Map(i) => format!("map of {}", describe_type(i)),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::I32 => "int32".to_owned(),
        TypeRef::I64 => "int64".to_owned(),
        TypeRef::F64 => "number".to_owned(),
        TypeRef::String => "string".to_owned(),
        TypeRef::DateTime => "date-time".to_owned(),
        TypeRef::Json => "any JSON".to_owned(),
        TypeRef::JsonObject => "JSON object".to_owned(),
    }
}

fn describe_body(body: &SuccessBody) -> String {
    match body {
        SuccessBody::Empty => "none".to_owned(),
        SuccessBody::Json(t) => describe_type(t),
        SuccessBody::OptionalJson(t) => format!("{} or none", describe_type(t)),
        SuccessBody::Text => "text".to_owned(),
        SuccessBody::Bytes => "byte stream".to_owned(),
    }
}

fn describe_kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "object",
        TypeKind::StringEnum { .. } => "enum",
        TypeKind::Alias(_) => "alias",
        TypeKind::Runtime(_) => "runtime type",
        TypeKind::TaggedUnion { .. } => "tagged union",
        TypeKind::Union { .. } => "union",
    }
}

/// The parameter's Rust-visible type.
fn describe_param(schema: &ParamSchema) -> String {
    match schema {
        ParamSchema::Bool { .. } => "boolean".to_owned(),
        ParamSchema::Integer { int32: true, .. } => "int32".to_owned(),
        ParamSchema::Integer { int32: false, .. } => "int64".to_owned(),
        ParamSchema::Number { .. } => "number".to_owned(),
        ParamSchema::DateTime => "date-time".to_owned(),
        ParamSchema::String { .. } => "string".to_owned(),
        ParamSchema::Enum { ty, .. } => describe_type(ty),
        ParamSchema::Array { item } => format!("list of {}", describe_param(item)),
        ParamSchema::Value { ty, json: true } => format!("{} as JSON text", describe_type(ty)),
        ParamSchema::Value { ty, json: false } => describe_type(ty),
    }
}
