//! The walk's visit of a tree being bundled: which file each part of it came from, and what
//! each reference found where the structure allows one becomes.

use std::path::PathBuf;

use codegen::walk::{Position, Visit};
use serde_json::Value;

use super::{Bundler, MAX_DEPTH, SCHEMA_SECTIONS, is_named_schema};

/// What a reference becomes.
pub(super) enum Resolved {
    /// It stays as written.
    Left,
    /// It becomes this local reference.
    Reference(String),
    /// It is replaced by what it names, taken from a file and a fragment (`key`; where it
    /// is written at `written_at`): references inside it are resolved from that file.
    Copied {
        value: Value,
        key: (PathBuf, String),
        written_at: String,
    },
}

/// A part of the tree being walked that came from one file: everything at `prefix` and
/// below it, until a part copied from another file.
pub(super) struct Scope {
    /// Its pointer in the tree the walk is in.
    pub(super) prefix: String,
    pub(super) file: PathBuf,
    /// The same place as its file writes it (`common.yaml#/Pet`), for notes and errors.
    pub(super) written_at: String,
    /// How many files the references went through to reach it.
    pub(super) depth: usize,
}

/// The walk's visit of one tree: each reference found where the structure allows one is
/// resolved from the file its part came from; the first error stops the rest.
pub(super) struct InFile<'b> {
    pub(super) bundler: &'b mut Bundler,
    /// Whether the tree is the root document (where `#/components/schemas/X` is a
    /// component), not a schema brought in from a file.
    pub(super) root_tree: bool,
    /// The parts copied from files, outermost first: the walk goes depth first, so the
    /// parts holding the current position are a stack.
    pub(super) scopes: Vec<Scope>,
    pub(super) error: Option<anyhow::Error>,
}

impl InFile<'_> {
    /// Resolves the reference `value` holds, if any, and what replaced it in turn (a file's
    /// part that is itself a reference).
    fn resolve(&mut self, position: Option<Position>, value: &mut Value, at: &str) {
        while self.scopes.len() > 1 {
            let prefix = &self.scopes[self.scopes.len() - 1].prefix;
            if at == prefix
                || at
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            {
                break;
            }
            self.scopes.pop();
        }
        while self.error.is_none() {
            let Some(Value::String(reference)) = value.get("$ref") else {
                return;
            };
            let reference = reference.clone();
            let Some(scope) = self.scopes.last() else {
                return;
            };
            let written_at = format!(
                "{}{}",
                scope.written_at,
                &at[scope.prefix.len().min(at.len())..]
            );
            let (file, depth) = (scope.file.clone(), scope.depth);
            if depth >= MAX_DEPTH {
                self.error = Some(anyhow::anyhow!(
                    "{}: {written_at}: references nest more than {MAX_DEPTH} levels deep",
                    self.bundler.shown_root
                ));
                return;
            }
            // A component that is a reference to a file is that file's content; any other
            // schema that is one names the content brought in as a component.
            let entry = self.root_tree && position == Some(Position::Schema) && is_named_schema(at);
            let in_place = position != Some(Position::Schema) || entry;
            let entry_at = entry.then_some(at);
            match self
                .bundler
                .resolve(&reference, &file, &written_at, in_place, entry_at, depth)
            {
                Ok(Resolved::Left) => return,
                Ok(Resolved::Reference(local)) => {
                    *value = serde_json::json!({ "$ref": local });
                    return;
                }
                Ok(Resolved::Copied {
                    value: copied,
                    key,
                    written_at,
                }) => {
                    *value = copied;
                    let file = key.0.clone();
                    if self.root_tree && SCHEMA_SECTIONS.contains(&at) {
                        // A map of schemas written as a reference: its names are the
                        // components', and a reference to one of its entries names that
                        // component.
                        let (file, fragment) = &key;
                        for name in value.as_object().into_iter().flat_map(|m| m.keys()) {
                            let token = codegen::refs::escape(name);
                            self.bundler.taken.insert(name.clone());
                            self.bundler.imported.insert(
                                (file.clone(), format!("{fragment}/{token}")),
                                format!("{at}/{token}"),
                            );
                        }
                    }
                    if entry {
                        self.bundler.imported.insert(key, at.to_owned());
                    }
                    if self.scopes.last().is_some_and(|s| s.prefix == at) {
                        self.scopes.pop();
                    }
                    self.scopes.push(Scope {
                        prefix: at.to_owned(),
                        file,
                        written_at,
                        depth: depth + 1,
                    });
                }
                Err(error) => self.error = Some(error),
            }
        }
    }
}

impl InFile<'_> {
    /// Registers each component schema written as a reference to a file as the name of
    /// that file's part, before any is read: a reference to the same part from elsewhere
    /// (another component's property) then names the component instead of bringing in a
    /// second copy.
    fn register_components(&mut self, schemas: &Value, at: &str) {
        let Some(file) = self.scopes.last().map(|scope| scope.file.clone()) else {
            return;
        };
        for (name, schema) in schemas.as_object().into_iter().flatten() {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            if let Some(key) = self.bundler.located(reference, &file) {
                let local = format!("{at}/{}", codegen::refs::escape(name));
                self.bundler.imported.entry(key).or_insert(local);
            }
        }
    }
}

impl Visit for InFile<'_> {
    fn enter(&mut self, position: Position, value: &mut Value, at: &str) -> bool {
        self.resolve(Some(position), value, at);
        self.error.is_none()
    }

    fn container(&mut self, value: &mut Value, at: &str) {
        self.resolve(None, value, at);
        if self.root_tree && SCHEMA_SECTIONS.contains(&at) {
            self.register_components(value, at);
        }
    }
}
