//! Compares two APIs at the level of the generated SDK (both lowered to the IR) and says, for
//! each change, whether code that uses the SDK keeps compiling and behaving.

mod kind;
mod operations;
mod parameters;
mod renames;
mod report;
mod specs;
mod types;
mod wording;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{Api, TypeNames, TypeRef};

pub use self::kind::ChangeKind;
pub use self::renames::{renames, renames_between};
pub use self::report::render_markdown;
pub use self::specs::{NotCompared, diff_specs};
pub use crate::ir::{FormerNames, Renames};

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
    /// What kind of change it is (serialized as e.g. `parameter_type_changed`).
    pub kind: ChangeKind,
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
    /// With `skip_unsupported`, the tags that were compared (`None`: as the options said).
    #[serde(skip)]
    pub compared_tags: Option<BTreeSet<String>>,
}

impl Report {
    /// Sorts the changes and sets the counts and the bump from them.
    fn summarize(&mut self) {
        self.changes.sort();
        self.changes.dedup();
        self.breaking = self
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count();
        self.compatible = self.changes.len() - self.breaking;
        self.bump = if self.breaking > 0 {
            Bump::Major
        } else if self.changes.iter().any(|c| c.kind.is_addition()) {
            Bump::Minor
        } else if self.compatible > 0 {
            Bump::Patch
        } else {
            Bump::None
        };
    }

    /// The report for a new crate that keeps `former` names as deprecated aliases (generated
    /// with them in [`crate::Options::former_names`]): the renames they cover break nothing
    /// for a release, since code that uses the old names still compiles, with warnings.
    pub fn keeping(mut self, former: &Renames) -> Report {
        const KEPT: &str = "the old name stays, deprecated, for one release: code that uses it compiles with a warning naming the new one";
        for change in &mut self.changes {
            let kept = match change.kind {
                ChangeKind::OperationRenamed => change
                    .subject
                    .strip_prefix("operation ")
                    .is_some_and(|id| former.operations.contains_key(id)),
                ChangeKind::SchemaRenamed => change
                    .subject
                    .strip_prefix("schema ")
                    .is_some_and(|name| former.types.contains_key(name)),
                // Only a renamed type (the same shape) is reported so.
                ChangeKind::ResponseTypeRenamed => !former.types.is_empty(),
                _ => false,
            };
            if kept {
                change.impact = Impact::Compatible;
                KEPT.clone_into(&mut change.reason);
            }
        }
        self.summarize();
        self
    }

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
    let mut diff = Diff::new(old, new);
    diff.types();
    diff.operations();
    let mut report = Report {
        old: old_name.to_owned(),
        new: new_name.to_owned(),
        changes: diff.changes,
        bump: Bump::None,
        breaking: 0,
        compatible: 0,
        not_compared: Vec::new(),
        compared_tags: None,
    };
    report.summarize();
    report
}

impl<'a> Diff<'a> {
    pub(super) fn new(old: &'a Api, new: &'a Api) -> Self {
        Diff {
            old,
            new,
            renamed: BTreeMap::new(),
            changes: Vec::new(),
        }
    }

    pub(super) fn push(
        &mut self,
        impact: Impact,
        subject: String,
        kind: ChangeKind,
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
    pub(super) fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let (a, b) = (self.old.types.type_name(*a), self.new.types.type_name(*b));
                a == b && !self.renamed.contains_key(a)
                    || self.renamed.get(a).map(String::as_str) == Some(b)
            }
            (TypeRef::Vec(a), TypeRef::Vec(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::OrNull(a), TypeRef::OrNull(b)) => self.same_type(a, b),
            (a, b) => a == b,
        }
    }
}
