//! Changes to parameters: added, removed, renamed and moved parameters, and the rules
//! (type, bounds, pattern, default, style) their values are checked against.

use std::collections::BTreeMap;

use super::kind::ChangeKind;
use super::wording::{code, describe_param};
use super::{Diff, Impact};
use crate::ir::{FloatBounds, Param, ParamSchema};

impl Diff<'_> {
    pub(super) fn compare_params(&mut self, subject: &str, old: &[Param], new: &[Param]) {
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
                    && self.same_param_schema(&gone.schema, &a.schema)
                    && a.required == gone.required
            }) else {
                return true;
            };
            let moved = added.remove(position);
            self.push(
                Impact::Compatible,
                subject.to_owned(),
                ChangeKind::ParameterMoved,
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
                    && self.same_param_schema(&gone.schema, &a.schema)
                    && a.required == gone.required
            }) else {
                return true;
            };
            let renamed = added.remove(position);
            self.push(
                Impact::Breaking,
                subject.to_owned(),
                ChangeKind::ParameterRenamed,
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
                ChangeKind::ParameterRemoved,
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
                    ChangeKind::ParameterAdded,
                    format!(
                        "required parameter `{}` ({}) added",
                        fresh.wire_name,
                        describe_param(&fresh.schema, &self.new.types)
                    ),
                    "the method takes a new argument",
                );
            } else {
                self.push(
                    Impact::Compatible,
                    subject.to_owned(),
                    ChangeKind::ParameterAdded,
                    format!(
                        "optional parameter `{}` ({}) added",
                        fresh.wire_name,
                        describe_param(&fresh.schema, &self.new.types)
                    ),
                    "a new setter breaks nothing",
                );
            }
        }
        for (k, before) in &old_by {
            let Some(after) = new_by.get(k) else { continue };
            let name = &before.wire_name;
            if (
                before.style,
                before.explode,
                before.allow_reserved,
                before.delimiter,
            ) != (
                after.style,
                after.explode,
                after.allow_reserved,
                after.delimiter,
            ) {
                let describe = |p: &Param| {
                    format!(
                        "{}{}{}{}",
                        p.style.as_str(),
                        match p.delimiter {
                            Some(d) => format!(" joined by {d:?}"),
                            None => String::new(),
                        },
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
                    ChangeKind::ParameterStyleChanged,
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
                    ChangeKind::ParameterRequiredChanged,
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

    /// Whether `old` (in the old API) and `new` (in the new one) are the same schema, rules
    /// included. Types are compared by name ([`Diff::same_type`]): an id means nothing in the
    /// other API's table.
    fn same_param_schema(&self, old: &ParamSchema, new: &ParamSchema) -> bool {
        match (old, new) {
            (ParamSchema::Enum { ty: a, default: x }, ParamSchema::Enum { ty: b, default: y }) => {
                x == y && self.same_type(a, b)
            }
            (
                ParamSchema::Value { ty: a, json: x, .. },
                ParamSchema::Value { ty: b, json: y, .. },
            ) => x == y && self.same_type(a, b),
            (ParamSchema::Array { item: a }, ParamSchema::Array { item: b }) => {
                self.same_param_schema(a, b)
            }
            // The other kinds hold no type reference.
            (a, b) => a.type_ref().is_none() && a == b,
        }
    }

    pub(super) fn compare_param_schema(
        &mut self,
        subject: &str,
        name: &str,
        old: &ParamSchema,
        new: &ParamSchema,
    ) {
        let (was, now) = (
            describe_param(old, &self.old.types),
            describe_param(new, &self.new.types),
        );
        if was != now {
            self.push(
                Impact::Breaking,
                subject.to_owned(),
                ChangeKind::ParameterTypeChanged,
                format!("parameter `{name}`: {was} → {now}"),
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
                        ChangeKind::ParameterPatternChanged,
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
    pub(super) fn bound(
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
            ChangeKind::ParameterBoundChanged,
            format!("parameter `{name}`: {rule} {} → {}", show(old), show(new)),
            reason,
        );
    }

    pub(super) fn default_changed(
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
                ChangeKind::ParameterDefaultChanged,
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
