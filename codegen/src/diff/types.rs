//! Changes to named types: added, removed and renamed schemas, their fields, enum values and
//! union variants, and whether users can still build them.

use std::collections::{BTreeMap, BTreeSet};

use super::kind::ChangeKind;
use super::wording::{describe_kind, requiredness};
use super::{Diff, Impact};
use crate::ir::{Api, Field, TypeDef, TypeId, TypeKind, TypeNames, TypeRef};
use Impact::{Breaking, Compatible};

pub(super) fn types_by_name(api: &Api) -> BTreeMap<&str, &TypeDef> {
    api.types.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// Names every type alike, so a shape printed with it leaves out the names of the types it
/// refers to.
struct Anonymous;

impl TypeNames for Anonymous {
    fn type_name(&self, _: TypeId) -> &str {
        "ref"
    }
}

/// A type's shape with names of referenced types left out, to recognise renames.
pub(super) fn shape(def: &TypeDef) -> String {
    fn ty(t: &TypeRef) -> String {
        t.show(&Anonymous).to_string()
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
        TypeKind::StringEnum { variants, .. } => {
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
    pub(super) fn types(&mut self) {
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
                ChangeKind::SchemaRenamed,
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
                ChangeKind::SchemaRemoved,
                "removed".to_owned(),
                "code that names the type no longer compiles",
            );
        }
        for fresh in added {
            self.push(
                Impact::Compatible,
                format!("schema {}", fresh.name),
                ChangeKind::SchemaAdded,
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

    pub(super) fn compare_type(&mut self, old: &TypeDef, new: &TypeDef) {
        let subject = format!("schema {}", new.name);
        match (&old.kind, &new.kind) {
            (
                TypeKind::Struct {
                    fields: a,
                    additional: extra_a,
                    derive_default: default_a,
                    ..
                },
                TypeKind::Struct {
                    fields: b,
                    additional: extra_b,
                    derive_default: default_b,
                    ..
                },
            ) => {
                self.compare_building(&subject, (old.sent, *default_a), (new.sent, *default_b));
                self.compare_fields(&subject, new.sent, a, b);
                match (extra_a, extra_b) {
                    (None, None) => {}
                    (None, Some(_)) => self.push(
                        Compatible,
                        subject,
                        ChangeKind::AdditionalPropertiesAdded,
                        "additional properties kept in a new map field".to_owned(),
                        "a new field breaks nothing",
                    ),
                    (Some(_), None) => self.push(
                        Breaking,
                        subject,
                        ChangeKind::AdditionalPropertiesRemoved,
                        "additional properties no longer kept".to_owned(),
                        "the map field is gone",
                    ),
                    (Some(x), Some(y)) if !self.same_type(&x.ty, &y.ty) => self.push(
                        Breaking,
                        subject,
                        ChangeKind::AdditionalPropertiesChanged,
                        format!(
                            "additional property values: {} → {}",
                            x.ty.show(&self.old.types),
                            y.ty.show(&self.new.types)
                        ),
                        "the map's value type changed",
                    ),
                    _ => {}
                }
            }
            (
                TypeKind::StringEnum { variants: a, .. },
                TypeKind::StringEnum { variants: b, .. },
            ) => {
                let a: BTreeSet<&str> = a.iter().map(|(_, w)| w.as_str()).collect();
                let b: BTreeSet<&str> = b.iter().map(|(_, w)| w.as_str()).collect();
                for value in a.difference(&b) {
                    self.push(
                        Impact::Breaking,
                        subject.clone(),
                        ChangeKind::EnumValueRemoved,
                        format!("value `{value}` removed"),
                        "its variant is gone; code that matches on it no longer compiles",
                    );
                }
                for value in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        ChangeKind::EnumValueAdded,
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
                        ChangeKind::UnionVariantRemoved,
                        format!("discriminator value `{value}` removed"),
                        "its variant is gone; code that matches on it no longer compiles",
                    );
                }
                for value in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        ChangeKind::UnionVariantAdded,
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
                        ChangeKind::UnionVariantRemoved,
                        format!("variant `{name}` removed"),
                        "code that matches on it no longer compiles",
                    );
                }
                for name in b.difference(&a) {
                    self.push(
                        Impact::Compatible,
                        subject.clone(),
                        ChangeKind::UnionVariantAdded,
                        format!("variant `{name}` added"),
                        "unions are non-exhaustive",
                    );
                }
            }
            _ if shape(old) == shape(new) => {}
            _ => self.push(
                Impact::Breaking,
                subject,
                ChangeKind::SchemaKindChanged,
                format!(
                    "changed from {} to {}",
                    describe_kind(&old.kind),
                    describe_kind(&new.kind)
                ),
                "the Rust type has a different shape",
            ),
        }
    }

    /// How users build values of a struct: a constructor and setters while a request carries
    /// it ([`TypeDef::sent`]), `Default` when it derives one. Struct literals are never a way
    /// (models are `#[non_exhaustive]`).
    fn compare_building(&mut self, subject: &str, old: (bool, bool), new: (bool, bool)) {
        let ((sent_before, default_before), (sent_now, default_now)) = (old, new);
        match (sent_before, sent_now) {
            (false, true) => self.push(
                Compatible,
                subject.to_owned(),
                ChangeKind::ConstructorAdded,
                "`new` and setters added (a request now carries it)".to_owned(),
                "new methods break nothing",
            ),
            (true, false) => self.push(
                Breaking,
                subject.to_owned(),
                ChangeKind::ConstructorRemoved,
                "`new` and setters removed (no request carries it any more)".to_owned(),
                "code that builds the value no longer compiles",
            ),
            _ => {}
        }
        match (default_before, default_now) {
            (false, true) => self.push(
                Compatible,
                subject.to_owned(),
                ChangeKind::DefaultAdded,
                "implements `Default`".to_owned(),
                "a new trait implementation breaks nothing",
            ),
            (true, false) => self.push(
                Breaking,
                subject.to_owned(),
                ChangeKind::DefaultRemoved,
                "no longer implements `Default`".to_owned(),
                "code that calls `default()` no longer compiles",
            ),
            _ => {}
        }
    }

    /// `sent`: whether the new struct has a constructor, whose arguments are its required
    /// properties.
    pub(super) fn compare_fields(
        &mut self,
        subject: &str,
        sent: bool,
        old: &[Field],
        new: &[Field],
    ) {
        let old_by: BTreeMap<&str, &Field> =
            old.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let new_by: BTreeMap<&str, &Field> =
            new.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        for (name, field) in &old_by {
            let Some(now) = new_by.get(name) else {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    ChangeKind::FieldRemoved,
                    format!("field `{name}` removed"),
                    "code that reads the field no longer compiles",
                );
                continue;
            };
            if !self.same_type(&field.ty, &now.ty) {
                self.push(
                    Impact::Breaking,
                    subject.to_owned(),
                    ChangeKind::FieldTypeChanged,
                    format!(
                        "field `{name}`: {} → {}",
                        field.ty.show(&self.old.types),
                        now.ty.show(&self.new.types)
                    ),
                    "the field's Rust type changed",
                );
            }
            let was_optional = field.is_optional();
            let is_optional = now.is_optional();
            let argument_changed =
                sent && field.is_constructor_argument() != now.is_constructor_argument();
            if field.required != now.required || field.nullable != now.nullable {
                let (impact, reason) = if was_optional != is_optional {
                    (
                        Breaking,
                        if is_optional {
                            "the field becomes an `Option`"
                        } else {
                            "the field is no longer an `Option`"
                        },
                    )
                } else if argument_changed && now.required {
                    (Breaking, "`new` takes it as one more argument")
                } else if argument_changed {
                    (Breaking, "`new` no longer takes it")
                } else {
                    (
                        Compatible,
                        "the Rust type and the constructor stay the same",
                    )
                };
                self.push(
                    impact,
                    subject.to_owned(),
                    ChangeKind::FieldRequiredChanged,
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
                // Models are `#[non_exhaustive]`: no user writes a struct literal, so only
                // the constructor and decoding can break.
                let (impact, reason) = if sent && field.is_constructor_argument() {
                    (
                        Breaking,
                        "a new required property: `new` takes one more argument",
                    )
                } else if field.is_optional() || field.default_when_absent {
                    (
                        Compatible,
                        "models are non-exhaustive, so a new field breaks no code; bodies without it still decode",
                    )
                } else {
                    (
                        Breaking,
                        "a new required property without a default: bodies without it no longer decode",
                    )
                };
                self.push(
                    impact,
                    subject.to_owned(),
                    ChangeKind::FieldAdded,
                    format!("field `{name}` ({}) added", field.ty.show(&self.new.types)),
                    reason,
                );
            }
        }
    }
}
