//! Reading a spec file, and bundling the files it refers to: a `$ref` to another file beside
//! the spec (`common.yaml#/components/schemas/Error`, `pet.yaml`) is resolved here, so that
//! the generator (which does no I/O) sees one self-contained document.
//!
//! Referenced schemas become components of the root document (`#/components/schemas/…`), so
//! recursive schemas stay references; every other referenced object (a parameter, a
//! response, a path item) is copied where it is used. A URL, a missing file or a file that is
//! not YAML or JSON is left as a reference: the generator types what it names as any JSON
//! value, with a note. Examples and extensions are data and never opened.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::ir::Diagnostic;
use serde_json::{Map, Value};

/// Reads, bundles (when it refers to other files) and parses the spec at `path`; `shown` is
/// how generated headers and notes name it.
pub fn read_spec(path: &Path, shown: &str) -> Result<codegen::Spec> {
    let text =
        fs::read_to_string(path).with_context(|| format!("reading the spec {}", path.display()))?;
    if !has_external_refs(&text) {
        return Ok(codegen::Spec::parse(shown, &text)?);
    }
    let (bundled, notes) = bundle(path, shown, &text)?;
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

/// Parses a file of the document; a UTF-8 byte-order mark at its start is skipped, with a
/// note at `at` (where the file is referred to from).
fn parse_document(
    path: &Path,
    shown: &str,
    text: &str,
    at: &str,
    notes: &mut Vec<Diagnostic>,
) -> Result<Value> {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            let message = if at == "#" {
                codegen::BYTE_ORDER_MARK_NOTE.to_owned()
            } else {
                format!(
                    "{shown} starts with a UTF-8 byte-order mark, which JSON forbids (RFC 8259); read without it"
                )
            };
            notes.push(repair(at, message));
            rest
        }
        None => text,
    };
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).with_context(|| format!("{}: not valid JSON", path.display()))
    } else {
        yaml_serde::from_str(text).with_context(|| format!("{}: not valid YAML", path.display()))
    }
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
fn bundle(root_path: &Path, shown_root: &str, text: &str) -> Result<(Value, Vec<Diagnostic>)> {
    let mut notes = Vec::new();
    let mut root = parse_document(root_path, shown_root, text, "#", &mut notes)?;
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
    /// What was repaired (a file named in the wrong letter case, a byte-order mark).
    notes: Vec<Diagnostic>,
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

    /// How notes and errors name a file: relative to the root document's directory when it
    /// lies below it (the same on every machine), else as it is.
    fn shown(&self, path: &Path) -> String {
        let base = self.root_file.parent().unwrap_or(Path::new(""));
        path.strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
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
        let located =
            |message: String| anyhow::anyhow!("{}: {at}/$ref: {message}", self.shown_root);
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
            let text = fs::read_to_string(&target).map_err(|e| {
                located(format!("`{reference}`: reading {}: {e}", target.display()))
            })?;
            let shown = self.shown(&target);
            let document = parse_document(
                &target,
                &shown,
                &text,
                &format!("{at}/$ref"),
                &mut self.notes,
            )?;
            self.documents.insert(target.clone(), document);
        }
        let mut found = self.documents[&target]
            .pointer(fragment)
            .cloned()
            .ok_or_else(|| {
                located(format!(
                    "`{reference}` points to nothing in {}",
                    target.display()
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
}
