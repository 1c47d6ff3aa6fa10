//! Reading a spec file, and bundling the files it refers to: a `$ref` to another file beside
//! the spec (`common.yaml#/components/schemas/Error`, `pet.yaml`) is resolved here, so that
//! the generator (which does no I/O) sees one self-contained document.
//!
//! Where a reference sits is the structural walk's to know ([`codegen::walk`]). A
//! referenced schema becomes a component of the root document (`#/components/schemas/…`),
//! so recursive schemas stay references; a component that is itself a reference to a file
//! is that file's content under its own name; every other referenced object (a parameter,
//! a response, a path item, a map of components) is copied where it is used. A URL, a
//! missing file or a file that is not YAML or JSON is left as a reference: the generator
//! types what it names as any JSON value, with a note. Examples and extensions are data and
//! never opened.
//!
//! Which files are read is the user's to bound: a vendor's document decides which paths its
//! `$ref`s name. Every file read outside the root document's directory gets a `file` note
//! naming it (multi-file documents legitimately reach into `../common-types/`), an absolute
//! path is refused unless it lies inside the bound, and with [`Reading::within`] (the
//! command's `--refs-within DIR`) a file outside `DIR` is a located error.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::ir::Diagnostic;
use codegen::refs::Target;
use codegen::walk::{Dialect, Position, walk_at, walk_document};

use in_file::{InFile, Resolved, Scope};
use serde_json::{Map, Value};

mod in_file;

/// Which files a document's `$ref`s may have read.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Only files inside this directory (and the root document) are read; a reference to
    /// any other file is a located error. `None`: any file a relative reference names, each
    /// outside the root document's directory with a note; absolute paths are refused.
    pub within: Option<PathBuf>,
}

/// The `--refs-within` option of every command that reads a document.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReadingArgs {
    /// Read the files a document's `$ref`s name only inside this directory: a reference to a
    /// file outside it is an error (absolute paths too). Without it, relative references are
    /// followed anywhere, each file outside the document's directory with a `file` note, and
    /// absolute paths are refused.
    #[arg(long, value_name = "DIR")]
    pub refs_within: Option<PathBuf>,
}

impl ReadingArgs {
    /// The bound, resolved against the current directory.
    pub fn reading(&self) -> Reading {
        Reading {
            within: self
                .refs_within
                .as_deref()
                .map(crate::paths::from_current_dir),
        }
    }
}

/// Reads, bundles (when it refers to other files) and parses the spec at `path`; `shown` is
/// how generated headers and notes name it. Files outside the document's directory are read
/// with a note each; see [`read_spec_with`] to bound them.
pub fn read_spec(path: &Path, shown: &str) -> Result<codegen::Spec> {
    read_spec_with(path, shown, &Reading::default())
}

/// [`read_spec`], reading the files its references name as `reading` allows.
pub fn read_spec_with(path: &Path, shown: &str, reading: &Reading) -> Result<codegen::Spec> {
    let text =
        fs::read_to_string(path).with_context(|| format!("reading the spec {}", path.display()))?;
    if !has_external_refs(&text) {
        return Ok(codegen::Spec::parse(shown, &text)?);
    }
    let within = match &reading.within {
        Some(dir) => Some(canonical(dir).with_context(|| {
            format!(
                "--refs-within {}: not a directory to read in",
                dir.display()
            )
        })?),
        None => None,
    };
    let (bundled, notes) = bundle(path, shown, &text, within)?;
    let text = serde_json::to_string_pretty(&bundled)?;
    let mut spec = codegen::Spec::parse(shown, &text)?;
    spec.notes.splice(0..0, notes);
    Ok(spec)
}

/// Whether any `$ref` value in the text does not start with `#` (a cheap scan, so documents
/// without external references are parsed once, as written).
fn has_external_refs(text: &str) -> bool {
    text.match_indices("$ref").any(|(at, _)| {
        let rest = text[at + 4..].trim_start_matches(['"', '\'']).trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let value = rest.trim_start().trim_start_matches(['"', '\'']);
        !value.starts_with('#') && !value.is_empty()
    })
}

/// Reads a file of the document through the generator's one reader (the same repairs as
/// the root document gets); a UTF-8 byte-order mark at its start is skipped, with a note at
/// `at` (where the file is referred to from).
fn parse_document(shown: &str, text: &str, at: &str, notes: &mut Vec<Diagnostic>) -> Result<Value> {
    let read = codegen::read_text(shown, text)?;
    if read.byte_order_mark {
        let message = if at == "#" {
            codegen::BYTE_ORDER_MARK_NOTE.to_owned()
        } else {
            format!(
                "{shown} starts with a UTF-8 byte-order mark, which JSON forbids (RFC 8259); read without it"
            )
        };
        notes.push(repair(at, message));
    }
    Ok(read.value)
}

fn repair(at: &str, message: String) -> Diagnostic {
    Diagnostic {
        pointer: at.to_owned(),
        message,
        kind: codegen::ir::NoteKind::Repair,
    }
}

/// The root document with every external reference resolved, and the notes of what was
/// repaired on the way.
fn bundle(
    root_path: &Path,
    shown_root: &str,
    text: &str,
    within: Option<PathBuf>,
) -> Result<(Value, Vec<Diagnostic>)> {
    let mut notes = Vec::new();
    let mut root = parse_document(shown_root, text, "#", &mut notes)?;
    let root_file = canonical(root_path)?;
    let taken: BTreeSet<String> = SCHEMA_SECTIONS
        .iter()
        .filter_map(|section| root.pointer(&section[1..])?.as_object())
        .flat_map(|schemas| schemas.keys().cloned())
        .collect();
    let mut bundler = Bundler {
        dialect: Dialect::of(&root),
        root_file: root_file.clone(),
        shown_root: shown_root.to_owned(),
        documents: HashMap::new(),
        schemas: BTreeMap::new(),
        imported: HashMap::new(),
        taken,
        notes,
        within,
        noted_outside: BTreeSet::new(),
    };
    // The sections of components first: a component written as a reference to a file is
    // that file's content under the component's own name, and the references that name the
    // same file afterwards name the component, instead of bringing a second copy in.
    let sections: Map<String, Value> = match &root {
        Value::Object(object) => SECTIONS
            .iter()
            .filter_map(|key| Some(((*key).to_owned(), object.get(*key)?.clone())))
            .collect(),
        _ => Map::new(),
    };
    let mut first = Value::Object(sections);
    bundler.rewrite(&mut first, &root_file, "#", None, 0)?;
    if let (Value::Object(object), Value::Object(sections)) = (&mut root, first) {
        for (key, section) in sections {
            object.insert(key, section);
        }
    }
    bundler.rewrite(&mut root, &root_file, "#", None, 0)?;
    if !bundler.schemas.is_empty() {
        let object = root
            .as_object_mut()
            .context("the spec's top level is not a mapping")?;
        let components = object
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let schemas = components
            .as_object_mut()
            .context("`components` is not a mapping")?
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .context("`components/schemas` is not a mapping")?;
        for (name, schema) in std::mem::take(&mut bundler.schemas) {
            schemas.insert(name, schema);
        }
    }
    Ok((root, bundler.notes))
}

struct Bundler {
    /// The root document's dialect, which its files share.
    dialect: Dialect,
    root_file: PathBuf,
    shown_root: String,
    /// Other files, parsed once.
    documents: HashMap<PathBuf, Value>,
    /// Schemas brought in, by their new component name.
    schemas: BTreeMap<String, Value>,
    /// (file, fragment) → the local `$ref` it became.
    imported: HashMap<(PathBuf, String), String>,
    /// Component schema names in use.
    taken: BTreeSet<String>,
    /// What was repaired (a file named in the wrong letter case, a byte-order mark), and the
    /// files read outside the root document's directory.
    notes: Vec<Diagnostic>,
    /// The directory files must lie in (`--refs-within`), canonical.
    within: Option<PathBuf>,
    /// Files outside the root document's directory already noted (one note each).
    noted_outside: BTreeSet<PathBuf>,
}

/// The top-level sections of reusable parts: OpenAPI 3's `components`, Swagger 2.0's
/// `definitions`, `parameters` and `responses`.
const SECTIONS: [&str; 4] = ["components", "definitions", "parameters", "responses"];

/// Where a document keeps its named schemas: OpenAPI 3, and Swagger 2.0 (whose definitions
/// become component schemas when it is converted).
const SCHEMA_SECTIONS: [&str; 2] = ["#/components/schemas", "#/definitions"];

/// Whether `at` is a named schema of the document: `#/components/schemas/Pet`.
fn is_named_schema(at: &str) -> bool {
    SCHEMA_SECTIONS.iter().any(|section| {
        at.strip_prefix(section)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
    })
}

/// References nest this deep at most (a chain of files referring to each other by copy).
const MAX_DEPTH: usize = 64;

impl Bundler {
    /// Rewrites the references inside `value`, which lives in `file` at `at`: the root
    /// document (`position` is `None`), or a schema of another file brought in as a
    /// component. `depth` counts the files the references went through to reach it.
    fn rewrite(
        &mut self,
        value: &mut Value,
        file: &Path,
        at: &str,
        position: Option<Position>,
        depth: usize,
    ) -> Result<()> {
        let dialect = self.dialect;
        let mut in_file = InFile {
            bundler: self,
            root_tree: position.is_none(),
            scopes: vec![Scope {
                prefix: at.to_owned(),
                file: file.to_owned(),
                written_at: at.to_owned(),
                depth,
            }],
            error: None,
        };
        match position {
            None => walk_document(value, dialect, &mut in_file),
            Some(position) => walk_at(value, position, at, dialect, &mut in_file),
        }
        in_file.error.map_or(Ok(()), Err)
    }

    /// The file and fragment a reference in `file` names, when that file exists as written
    /// (no note, nothing read): for registering components before they are read.
    fn located(&self, reference: &str, file: &Path) -> Option<(PathBuf, String)> {
        let (path, fragment) = match Target::of(reference) {
            Target::File { path, fragment } => (path, fragment),
            _ => return None,
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        Some((canonical(&dir.join(path)).ok()?, fragment.to_owned()))
    }

    /// How notes and errors name a file: relative to the root document's directory
    /// (`schemas/pet.yaml`, `../common/types.yaml`), the same on every machine.
    fn shown(&self, path: &Path) -> String {
        let base = self.root_file.parent().unwrap_or(Path::new(""));
        relative_path(base, path)
    }

    /// Whether the file `target` (canonical) may be read for `reference` at `at`: inside the
    /// bound when there is one; an absolute path only inside it; outside the root document's
    /// directory with a note (once per file).
    fn allow(&mut self, target: &Path, reference: &str, absolute: bool, at: &str) -> Result<()> {
        let inside_bound = self.within.as_ref().map(|dir| target.starts_with(dir));
        let refused = match inside_bound {
            Some(false) => Some(format!(
                "`{reference}` names {}, outside the directory reading is bounded to ({}); move the file inside it or widen --refs-within",
                target.display(),
                self.within.as_deref().unwrap_or(Path::new("")).display()
            )),
            None if absolute => Some(format!(
                "`{reference}` is an absolute path, which a document may name only inside the directory given with --refs-within DIR"
            )),
            _ => None,
        };
        if let Some(message) = refused {
            bail!("{}: {at}/$ref: {message}", self.shown_root);
        }
        // Within a bound the user named, the files it holds are theirs to have read.
        let root_dir = self.root_file.parent().unwrap_or(Path::new(""));
        if self.within.is_none()
            && !target.starts_with(root_dir)
            && self.noted_outside.insert(target.to_owned())
        {
            self.notes.push(Diagnostic {
                pointer: format!("{at}/$ref"),
                message: format!(
                    "`{reference}` reads {}, outside the document's directory (bound what is read with --refs-within DIR)",
                    self.shown(target)
                ),
                kind: codegen::ir::NoteKind::File,
            });
        }
        Ok(())
    }

    /// What a `$ref` in `file` becomes: left as it is (a local reference of the root
    /// document, a URL, a missing file), a new `{"$ref": …}` (to the root document, or to
    /// a schema brought in as a component), or the referenced object copied in place (when
    /// `in_place`, or it was read before).
    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        at: &str,
        in_place: bool,
        entry: Option<&str>,
        depth: usize,
    ) -> Result<Resolved> {
        let shown_root = self.shown_root.clone();
        let located = |message: String| anyhow::anyhow!("{shown_root}: {at}/$ref: {message}");
        // A URL is never fetched, and a file that is missing or not a document is not read:
        // the reference is left for the generator, which types what it names as any JSON
        // value with a note that says what to save where.
        let (target, fragment) = match Target::of(reference) {
            Target::Url(_) => return Ok(Resolved::Left),
            Target::Local(fragment) | Target::Anchor(fragment) => ("", fragment),
            Target::File { path, fragment } => (path, fragment),
        };
        let absolute = Path::new(target).is_absolute();
        let target = if target.is_empty() {
            file.to_owned()
        } else {
            let dir = file.parent().unwrap_or(Path::new("."));
            match canonical(&dir.join(target)) {
                Ok(path) => path,
                Err(_) => match path_ignoring_case(dir, target) {
                    Some(path) => {
                        self.notes.push(repair(
                            &format!("{at}/$ref"),
                            format!(
                                "`{reference}` names no file, but {} differs from it only in letter case (as on a case-insensitive file system); read that file",
                                self.shown(&path)
                            ),
                        ));
                        path
                    }
                    None => return Ok(Resolved::Left),
                },
            }
        };
        if target == self.root_file {
            // A reference into the root document stays one (from another file it is
            // rewritten to its local form).
            return Ok(if file == self.root_file {
                Resolved::Left
            } else {
                Resolved::Reference(format!("#{fragment}"))
            });
        }
        let key = (target.clone(), fragment.to_owned());
        // A component registered for the file it names is copied in, not named by itself.
        if let Some(local) = self.imported.get(&key)
            && Some(local.as_str()) != entry
        {
            return Ok(Resolved::Reference(local.clone()));
        }
        if !self.documents.contains_key(&target) {
            if !matches!(
                target.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                return Ok(Resolved::Left);
            }
            self.allow(&target, reference, absolute, at)?;
            let text = fs::read_to_string(&target).map_err(|e| {
                located(format!("`{reference}`: reading {}: {e}", target.display()))
            })?;
            let shown = self.shown(&target);
            let document = parse_document(&shown, &text, &format!("{at}/$ref"), &mut self.notes)
                .with_context(|| format!("{}: {at}/$ref: `{reference}`", self.shown_root))?;
            self.documents.insert(target.clone(), document);
        }
        let mut found = self.documents[&target]
            .pointer(fragment)
            .cloned()
            .ok_or_else(|| {
                located(format!(
                    "`{reference}` points to nothing in {}",
                    self.shown(&target)
                ))
            })?;
        let written_at = format!("{}#{fragment}", self.shown(&target));
        if in_place {
            // Copied in place; the walk goes on into it, resolving its references from its
            // own file.
            return Ok(Resolved::Copied {
                value: found,
                key,
                written_at,
            });
        }
        let wanted = fragment
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .map(|n| n.replace("~1", "/").replace("~0", "~"))
            .or_else(|| target.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Schema".to_owned());
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    wanted.clone()
                } else {
                    format!("{wanted}{n}")
                }
            })
            .find(|n| !self.taken.contains(n))
            .unwrap_or(wanted);
        self.taken.insert(name.clone());
        let local = format!(
            "#/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        // Recorded before its own references are resolved, so a cycle ends here.
        self.imported.insert(key, local.clone());
        self.rewrite(
            &mut found,
            &target,
            &written_at,
            Some(Position::Schema),
            depth + 1,
        )?;
        self.schemas.insert(name, found);
        Ok(Resolved::Reference(local))
    }
}

/// `path` relative to the directory `base` (both canonical), with `..` where it lies outside:
/// `/a/b/c.yaml` from `/a/d` is `../b/c.yaml`. Separators are `/` on every platform.
fn relative_path(base: &Path, path: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = path.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The one file under `dir` at `relative` whose path differs from it only in the letter case
/// of its names (Windows and macOS find such a file; Linux does not), canonical. `None` when
/// there is none, or more than one.
fn path_ignoring_case(dir: &Path, relative: &str) -> Option<PathBuf> {
    let mut current = canonical(dir).ok()?;
    for component in Path::new(relative).components() {
        let name = match component {
            std::path::Component::Normal(name) => name.to_str()?,
            std::path::Component::ParentDir => {
                current = current.parent()?.to_owned();
                continue;
            }
            std::path::Component::CurDir => continue,
            _ => return None,
        };
        let exact = current.join(name);
        if fs::symlink_metadata(&exact).is_ok() {
            current = exact;
            continue;
        }
        let mut matches = fs::read_dir(&current).ok()?.filter_map(|entry| {
            let entry = entry.ok()?;
            let found = entry.file_name().into_string().ok()?;
            found.eq_ignore_ascii_case(name).then(|| entry.path())
        });
        let found = matches.next()?;
        if matches.next().is_some() {
            return None;
        }
        current = found;
    }
    canonical(&current).ok()
}

fn canonical(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).with_context(|| format!("{} does not exist", path.display()))
}

#[cfg(test)]
mod tests;
