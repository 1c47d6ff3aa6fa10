//! Reading a spec file, and bundling the files it refers to: a `$ref` to another file beside
//! the spec (`common.yaml#/components/schemas/Error`, `pet.yaml`) is resolved here, so that
//! the generator (which does no I/O) sees one self-contained document.
//!
//! Referenced schemas become components of the root document (`#/components/schemas/…`), so
//! recursive schemas stay references; every other referenced object (a parameter, a
//! response, a path item) is copied where it is used. A URL, a missing file or a file that is
//! not YAML or JSON is left as a reference: the generator types what it names as any JSON
//! value, with a note. Examples and extensions are data and never opened.
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
use serde_json::{Map, Value};

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
    let taken: BTreeSet<String> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut bundler = Bundler {
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
    bundler.rewrite(&mut root, &root_file, &mut String::from("#"), 0)?;
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

/// References nest this deep at most (a chain of files referring to each other by copy).
const MAX_DEPTH: usize = 64;

impl Bundler {
    /// Rewrites the references inside `value`, which lives in `file` at `at`.
    fn rewrite(
        &mut self,
        value: &mut Value,
        file: &Path,
        at: &mut String,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_DEPTH {
            bail!(
                "{}: {at}: references nest more than {MAX_DEPTH} levels deep",
                self.shown_root
            );
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned() {
                    if let Some(replacement) = self.resolve(&reference, file, at, depth)? {
                        *value = replacement;
                    }
                    return Ok(());
                }
                for (key, child) in map.iter_mut() {
                    // Examples and extensions are data, never read by the generator: their
                    // files are not opened (a broken example file must not stop generation).
                    if key == "example" || key == "examples" || key.starts_with("x-") {
                        continue;
                    }
                    let len = at.len();
                    at.push('/');
                    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    self.rewrite(child, file, at, depth)?;
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    self.rewrite(child, file, at, depth)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
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

    /// What a `$ref` in `file` becomes: `None` to leave it (a local reference of the root
    /// document), a new `{"$ref": …}` for a schema, or the referenced object itself.
    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        at: &str,
        depth: usize,
    ) -> Result<Option<Value>> {
        let shown_root = self.shown_root.clone();
        let located = |message: String| anyhow::anyhow!("{shown_root}: {at}/$ref: {message}");
        // A URL is never fetched, and a file that is missing or not a document is not read:
        // the reference is left for the generator, which types what it names as any JSON
        // value with a note that says what to save where.
        if reference.contains("://") {
            return Ok(None);
        }
        let (target, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, fragment),
            None => (reference, ""),
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
                    None => return Ok(None),
                },
            }
        };
        if target == self.root_file {
            // A reference into the root document stays one (from another file it is
            // rewritten to its local form).
            return Ok((file != self.root_file)
                .then(|| serde_json::json!({"$ref": format!("#{fragment}")})));
        }
        let key = (target.clone(), fragment.to_owned());
        if let Some(local) = self.imported.get(&key) {
            return Ok(Some(serde_json::json!({ "$ref": local })));
        }
        if !self.documents.contains_key(&target) {
            if !matches!(
                target.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                return Ok(None);
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
        if !is_schema_position(at) {
            // Copied in place, with the references inside it resolved from its own file.
            let mut inner = format!("{}#{fragment}", self.shown(&target));
            self.rewrite(&mut found, &target, &mut inner, depth + 1)?;
            return Ok(Some(found));
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
        let mut inner = format!("{}#{fragment}", self.shown(&target));
        self.rewrite(&mut found, &target, &mut inner, depth + 1)?;
        self.schemas.insert(name, found);
        Ok(Some(serde_json::json!({ "$ref": local })))
    }
}

/// Whether a reference at `at` stands for a schema: under `schema`, `schemas`, `items`,
/// `properties`, `additionalProperties`, `allOf`/`oneOf`/`anyOf`/`not`.
fn is_schema_position(at: &str) -> bool {
    let tokens: Vec<&str> = at.split('/').collect();
    let Some(last) = tokens.last() else {
        return false;
    };
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i]);
    matches!(*last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(parent, Some("properties" | "schemas"))
        || matches!(parent, Some("allOf" | "oneOf" | "anyOf"))
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
mod tests {
    use super::*;

    #[test]
    fn external_references_are_found_by_a_scan() {
        assert!(!has_external_refs("a:\n  $ref: '#/components/schemas/A'\n"));
        assert!(!has_external_refs(r##"{"$ref": "#/x"}"##));
        assert!(has_external_refs(
            "a:\n  $ref: common.yaml#/components/schemas/A\n"
        ));
        assert!(has_external_refs(r#"{"$ref": "pet.json"}"#));
        assert!(!has_external_refs("description: costs $refunds"));
    }

    #[test]
    fn schema_positions() {
        assert!(is_schema_position(
            "#/paths/~1x/get/responses/200/content/application~1json/schema"
        ));
        assert!(is_schema_position("#/components/schemas/A/properties/b"));
        assert!(is_schema_position("#/components/schemas/A/allOf/0"));
        assert!(!is_schema_position("#/paths/~1x/get/parameters/0"));
        assert!(!is_schema_position("#/paths/~1x/get/responses/200"));
    }

    /// Azure DevOps' descriptions name files in a letter case the repository does not have;
    /// Windows editors start files with a byte-order mark. Both are read, each with a note.
    #[test]
    fn a_file_named_in_another_letter_case_and_a_byte_order_mark_are_repairs() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("schemas")).unwrap();
        fs::write(
            dir.path().join("schemas/pet.yaml"),
            "\u{feff}Pet:\n  type: object\n  properties:\n    name: {type: string}\n",
        )
        .unwrap();
        let root = dir.path().join("api.yaml");
        fs::write(
            &root,
            "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: pets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'Schemas/Pet.YAML#/Pet'}\n",
        )
        .unwrap();
        let spec = read_spec(&root, "api.yaml").unwrap();
        let file = "schemas/pet.yaml";
        let at = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref";
        let notes: Vec<(&str, String)> = spec
            .notes
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.clone()))
            .collect();
        assert_eq!(
            notes,
            [
                ("#", codegen::BYTE_ORDER_MARK_NOTE.to_owned()),
                (
                    at,
                    format!(
                        "`Schemas/Pet.YAML#/Pet` names no file, but {} differs from it only in letter case (as on a case-insensitive file system); read that file",
                        file
                    )
                ),
                (
                    at,
                    format!(
                        "{} starts with a UTF-8 byte-order mark, which JSON forbids (RFC 8259); read without it",
                        file
                    )
                ),
            ]
        );
        assert!(
            spec.notes
                .iter()
                .all(|d| d.kind == codegen::ir::NoteKind::Repair)
        );
        assert_eq!(
            spec.raw["components"]["schemas"]["Pet"]["properties"]["name"],
            serde_json::json!({"type": "string"})
        );
    }

    #[test]
    fn two_files_that_differ_only_in_case_are_not_guessed_between() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), "A: {}\n").unwrap();
        fs::write(dir.path().join("A.YAML"), "A: {}\n").unwrap();
        assert_eq!(path_ignoring_case(dir.path(), "a.Yaml"), None);
        assert_eq!(
            path_ignoring_case(dir.path(), "./a.yaml"),
            Some(canonical(&dir.path().join("a.yaml")).unwrap())
        );
    }

    /// A root document in `dir/api/` whose one response schema is `$ref: {reference}`.
    fn document_referring_to(dir: &Path, reference: &str) -> PathBuf {
        fs::create_dir_all(dir.join("api")).unwrap();
        let root = dir.join("api/api.yaml");
        fs::write(
            &root,
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      operationId: pets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{reference}'}}\n"),
        )
        .unwrap();
        root
    }

    const AT: &str = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref";

    /// The root document's reader repairs what YAML allows and JSON cannot hold; a file a
    /// `$ref` names goes through the same reader (it used to fail: "not valid YAML").
    #[test]
    fn a_referenced_file_is_read_with_the_root_documents_repairs() {
        let dir = tempfile::tempdir().unwrap();
        let root = document_referring_to(dir.path(), "pet.yaml#/Pet");
        fs::write(
            dir.path().join("api/pet.yaml"),
            "Pet:\n  type: integer\n  maximum: 340282366920938463463374607431768211455\n",
        )
        .unwrap();
        let spec = read_spec(&root, "api.yaml").unwrap();
        assert_eq!(
            spec.raw["components"]["schemas"]["Pet"],
            serde_json::json!({"type": "integer"})
        );
        let notes: Vec<(&str, &str)> = spec
            .notes
            .iter()
            .map(|d| (d.pointer.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [(
                "#/components/schemas/Pet",
                "`maximum: 3.402823669209385e+38` is beyond a 64-bit integer; the bound is not checked"
            )]
        );
    }

    #[test]
    fn a_file_outside_the_documents_directory_is_read_with_a_note_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = document_referring_to(dir.path(), "../common/types.yaml#/Pet");
        fs::create_dir(dir.path().join("common")).unwrap();
        fs::write(
            dir.path().join("common/types.yaml"),
            "Pet: {type: string}\n",
        )
        .unwrap();
        let spec = read_spec(&root, "api.yaml").unwrap();
        let notes: Vec<(&str, codegen::ir::NoteKind, &str)> = spec
            .notes
            .iter()
            .map(|d| (d.pointer.as_str(), d.kind, d.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [(
                AT,
                codegen::ir::NoteKind::File,
                "`../common/types.yaml#/Pet` reads ../common/types.yaml, outside the document's directory (bound what is read with --refs-within DIR)"
            )]
        );
        assert_eq!(
            spec.raw["components"]["schemas"]["Pet"],
            serde_json::json!({"type": "string"})
        );
        // Bounded to a directory that holds both, it is read without a note.
        let within = Reading {
            within: Some(dir.path().to_owned()),
        };
        let spec = read_spec_with(&root, "api.yaml", &within).unwrap();
        assert!(spec.notes.is_empty(), "{:?}", spec.notes);
    }

    #[test]
    fn a_file_outside_the_bound_is_a_located_error_and_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = document_referring_to(dir.path(), "../secret.yaml");
        // Not YAML: had it been read, the error would say so instead.
        fs::write(dir.path().join("secret.yaml"), "{ not yaml: [").unwrap();
        let within = Reading {
            within: Some(dir.path().join("api")),
        };
        let error = read_spec_with(&root, "api.yaml", &within)
            .unwrap_err()
            .to_string();
        let secret = canonical(&dir.path().join("secret.yaml")).unwrap();
        let bound = canonical(&dir.path().join("api")).unwrap();
        assert_eq!(
            error,
            format!(
                "api.yaml: {AT}: `../secret.yaml` names {}, outside the directory reading is bounded to ({}); move the file inside it or widen --refs-within",
                secret.display(),
                bound.display()
            )
        );
    }

    #[test]
    fn an_absolute_path_is_refused_unless_it_lies_inside_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("types")).unwrap();
        let types = dir.path().join("types/pet.yaml");
        fs::write(&types, "Pet: {type: string}\n").unwrap();
        let absolute = format!("{}#/Pet", canonical(&types).unwrap().display());
        let root = document_referring_to(dir.path(), &absolute);
        let error = read_spec(&root, "api.yaml").unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "api.yaml: {AT}: `{absolute}` is an absolute path, which a document may name only inside the directory given with --refs-within DIR"
            )
        );
        let within = Reading {
            within: Some(dir.path().to_owned()),
        };
        let spec = read_spec_with(&root, "api.yaml", &within).unwrap();
        assert_eq!(
            spec.raw["components"]["schemas"]["Pet"],
            serde_json::json!({"type": "string"})
        );
    }

    #[test]
    fn paths_are_shown_relative_to_the_documents_directory() {
        assert_eq!(
            relative_path(Path::new("/a/d"), Path::new("/a/b/c.yaml")),
            "../b/c.yaml"
        );
        assert_eq!(
            relative_path(Path::new("/a"), Path::new("/a/b/c.yaml")),
            "b/c.yaml"
        );
    }
}
