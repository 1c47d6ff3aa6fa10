//! Checks of the generator's own source, in the manner of rust-analyzer's tidy tests: rules
//! of the house that a reviewer would otherwise have to remember.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("codegen/src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The module path of a file: `lower/types/mod.rs` → `[lower, types]`, `lib.rs` → `[]`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).expect("a file under the root");
    let mut segments: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(segments.last().map(String::as_str), Some("mod" | "lib")) {
        segments.pop();
    }
    segments
}

/// The code of a file that the build compiles outside tests: its unit-test module (last, by
/// the house style) and comment lines left out.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names through `crate::` or `super::`, as module paths from the root;
/// `use super::{a, b::c}` names `a` and `b::c`.
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (start, keyword) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        let preceded = code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if preceded {
            continue;
        }
        let mut base: Vec<String> = if keyword == "crate::" {
            Vec::new()
        } else {
            module[..module.len().saturating_sub(1)].to_vec()
        };
        let rest = &code[start + keyword.len()..];
        let path_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let mut segments: Vec<&str> = rest[..path_end]
            .split("::")
            .filter(|s| !s.is_empty())
            .collect();
        while segments.first() == Some(&"super") {
            base.pop();
            segments.remove(0);
        }
        base.extend(segments.iter().map(|s| (*s).to_owned()));
        if rest[path_end..].starts_with('{') {
            let group_end = rest[path_end..]
                .find('}')
                .map_or(rest.len(), |e| path_end + e);
            for item in rest[path_end + 1..group_end].split(',') {
                let first = item.trim().split("::").next().unwrap_or("");
                if !first.is_empty() && first != "self" {
                    let mut path = base.clone();
                    path.push(first.to_owned());
                    paths.push(path);
                }
            }
        }
        paths.push(base);
    }
    paths
}

/// Groups of two or more files that reach each other, each sorted.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(file) = stack.pop() {
            for next in edges.get(&file).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|file| (file, reaches(file))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (file, reached) in &reach {
        let group: Vec<String> = reached
            .iter()
            .filter(|other| reach.get(other).is_some_and(|back| back.contains(*file)))
            .cloned()
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

#[test]
fn no_two_files_of_the_generator_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&root);
    let modules: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|f| {
            (
                module_of(&root, f),
                f.strip_prefix(&root).unwrap().display().to_string(),
            )
        })
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&root, file);
        let name = &modules[&module];
        let text = std::fs::read_to_string(file).expect("a source file");
        for path in named_paths(&module, &code(&text)) {
            // The longest prefix that is a file: `crate::lower::shape::is_string` → `lower/shape.rs`.
            let target = (1..=path.len()).rev().find_map(|n| modules.get(&path[..n]));
            if let Some(target) = target.filter(|t| *t != name) {
                edges
                    .entry(name.clone())
                    .or_default()
                    .insert(target.clone());
            }
        }
    }
    assert_eq!(
        circles(&edges),
        Vec::<Vec<String>>::new(),
        "files that import each other: move what they share to a file of its own"
    );
}

/// The parameters of every `fn` in `code`, as (name, count): a signature's top-level commas.
fn parameter_counts(code: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (start, _) in code.match_indices("fn ") {
        let preceded = code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let rest = &code[start + 3..];
        let name_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if preceded || name_end == 0 {
            continue;
        }
        let Some(open) = rest.find('(') else { continue };
        // Generics before the list (`fn f<'a, T>(…)`) hold no parentheses.
        if rest[name_end..open].contains(['{', ';']) {
            continue;
        }
        // Commas at the top of the list, and whether the last thing in it is one.
        let (mut depth, mut angle, mut count) = (0usize, 0usize, 0usize);
        let mut last = None;
        for c in rest[open..].chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '<' => angle += 1,
                '>' if angle > 0 && last != Some('-') => angle -= 1,
                ',' if depth == 1 && angle == 0 => count += 1,
                _ => {}
            }
            if !c.is_whitespace() && depth >= 1 && !(depth == 1 && c == '(') {
                last = Some(c);
            }
        }
        let params = match last {
            None => 0,
            Some(',') => count,
            Some(_) => count + 1,
        };
        found.push((rest[..name_end].to_owned(), params));
    }
    found
}

/// Lowering's steps share one context (`Lowering`: the document, the options, the type table
/// and the notes), so none needs a long list of arguments, and none is allowed one.
#[test]
fn no_lowering_function_takes_more_than_five_arguments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for file in rust_files(&root.join("lower")) {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for (name, count) in parameter_counts(&code(&text)) {
            if count > 5 {
                long.push(format!("{}: {name} takes {count}", file.display()));
            }
        }
    }
    assert_eq!(long, Vec::<String>::new());
    let all: String = rust_files(&root)
        .iter()
        .map(|f| code(&std::fs::read_to_string(f).expect("a source file")))
        .collect();
    // The one allowance left is written into generated constructors, inside `quote!`.
    let allowed = all
        .lines()
        .filter(|l| l.contains("clippy::too_many_arguments") && !l.contains("quote!"))
        .count();
    assert_eq!(
        allowed, 0,
        "a `too_many_arguments` allowance in the generator's own code"
    );
}

#[test]
fn the_argument_count_counts_parameters() {
    let code = "fn a() {}\nfn b<'a, T: Into<X<'a, Y>>>(x: T, y: &'a [u8; 4]) {}\npub(super) fn c(\n    x: u8,\n    y: impl Fn(u8, u8) -> u8,\n    z: (u8, u8),\n) -> u8 { 0 }";
    assert_eq!(
        parameter_counts(code),
        vec![
            ("a".to_owned(), 0),
            ("b".to_owned(), 2),
            ("c".to_owned(), 3)
        ]
    );
}

#[test]
fn the_circle_check_finds_a_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("c.rs", "d.rs"),
    ] {
        edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }
    assert_eq!(circles(&edges), vec![vec!["a.rs", "b.rs", "c.rs"]]);
    let module = vec!["emit".to_owned(), "waiters".to_owned()];
    assert_eq!(
        named_paths(&module, "use super::operations::{constructor_args, x};"),
        vec![
            vec!["emit", "operations", "constructor_args"],
            vec!["emit", "operations", "x"],
            vec!["emit", "operations"],
        ]
    );
}

/// The runtime paths a source names: `#RT::a::b` and `RT.path("a::b")`.
fn runtime_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (start, _) in text.match_indices("#RT::") {
        let rest = &text[start + "#RT::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        paths.push(rest[..end].trim_end_matches(':').to_owned());
    }
    for (start, _) in text.match_indices("RT.path(\"") {
        let rest = &text[start + "RT.path(\"".len()..];
        paths.push(rest[..rest.find('"').unwrap_or(0)].to_owned());
    }
    paths
}

/// Generated code names the runtime only through `runtime_contract.rs`: every path is one of
/// its items (or below one), every item is named somewhere, and no file writes the crate's
/// path itself.
#[test]
fn codegen_names_the_runtime_only_through_the_registry() {
    use specwire_codegen::{RUNTIME_CRATE, RUNTIME_ITEMS};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let registered = |path: &str| {
        RUNTIME_ITEMS.iter().copied().find(|item| {
            path == *item || path.strip_prefix(item).is_some_and(|r| r.starts_with("::"))
        })
    };
    let mut used = BTreeSet::new();
    let mut unregistered = Vec::new();
    for file in rust_files(&root) {
        if file.ends_with("runtime_contract.rs") {
            continue;
        }
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        // A unit-test module (last, by the house style) may spell generated text out.
        let text = &text[..text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len())];
        for path in runtime_paths(text) {
            match registered(&path) {
                Some(item) => {
                    used.insert(item);
                }
                None => unregistered.push(format!("{name}: {path}")),
            }
        }
        let literal = format!("::{RUNTIME_CRATE}::");
        assert!(
            !text.contains(&literal),
            "{name} writes `{literal}`: name runtime items as `#RT::…` or `RT.path(…)`"
        );
    }
    assert_eq!(unregistered, Vec::<String>::new(), "not in ITEMS");
    let unused: Vec<&str> = RUNTIME_ITEMS
        .iter()
        .copied()
        .filter(|i| !used.contains(i))
        .collect();
    assert_eq!(unused, Vec::<&str>::new(), "in ITEMS but named nowhere");
}

/// The code (outside unit tests, comments left out) of every Rust file of the crates that
/// read documents: the generator, its command and the benchmark's subset cutter.
fn document_readers() -> Vec<(String, String)> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned();
    ["codegen/src", "cli/src", "bench/src"]
        .iter()
        .flat_map(|dir| rust_files(&workspace.join(dir)))
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("a source file");
            let name = file
                .strip_prefix(&workspace)
                .unwrap_or(&file)
                .display()
                .to_string();
            (name, code(&text))
        })
        .collect()
}

/// Files of `readers` whose code holds any of `needles`, except `allowed`.
fn holders<'a>(
    readers: &'a [(String, String)],
    needles: &[&str],
    allowed: &[&str],
) -> Vec<&'a str> {
    readers
        .iter()
        .filter(|(name, code)| {
            !allowed.contains(&name.as_str()) && needles.iter().any(|n| code.contains(n))
        })
        .map(|(name, _)| name.as_str())
        .collect()
}

/// One of each concept, so that each doc comment that says "the one" is true:
/// - references are read and followed only by `refs.rs` (a local reference as a JSON
///   pointer, a component's name);
/// - positions are known only from the structural walk: no pass skips examples or
///   extensions by their key names, as a hand-written recursion over every key would;
/// - Rust names are invented only in `naming.rs` (an operation's types, setters, waiters);
/// - the HTTP methods of a path item are listed only in `http.rs`;
/// - documents are read only through `load.rs`'s reader (the peer generator's own parse, in
///   the benchmark's progenitor program, is the peer's path and is not ours).
#[test]
fn one_of_each_concept() {
    // The check finds a file that breaks a rule, and spares an allowed one.
    let planted = [
        ("a.rs".to_owned(), "x.strip_prefix('#')".to_owned()),
        ("b.rs".to_owned(), "x.strip_prefix('#')".to_owned()),
        ("c.rs".to_owned(), "x.strip_prefix('/')".to_owned()),
    ];
    assert_eq!(
        holders(&planted, &["strip_prefix('#')"], &["b.rs"]),
        ["a.rs"]
    );
    let readers = document_readers();
    assert_eq!(
        holders(
            &readers,
            &[
                "strip_prefix('#')",
                "strip_prefix(\"#/components/",
                "split_once('#')"
            ],
            &["codegen/src/refs.rs", "codegen/src/upgrade/refs.rs"],
        ),
        Vec::<&str>::new(),
        "follow or name references through specwire_codegen::refs"
    );
    assert_eq!(
        holders(&readers, &["== \"example\"", "!= \"example\""], &[],),
        Vec::<&str>::new(),
        "find positions through specwire_codegen::walk, which knows where data sits"
    );
    assert_eq!(
        holders(
            &readers,
            &[
                "trim_end_matches(\"Request\")",
                "format!(\"with_",
                "\"WAIT_UNTIL_"
            ],
            &["codegen/src/naming.rs"],
        ),
        Vec::<&str>::new(),
        "invent Rust names through specwire_codegen::naming"
    );
    assert_eq!(
        holders(
            &readers,
            &["\"get\", \"put\", \"post\""],
            &["codegen/src/http.rs"]
        ),
        Vec::<&str>::new(),
        "name path-item methods through specwire_codegen::http"
    );
    assert_eq!(
        holders(
            &readers,
            &["yaml_serde::from_str", "serde_json::from_str(text)"],
            &["codegen/src/load.rs", "bench/src/bin/progenitor.rs"],
        ),
        Vec::<&str>::new(),
        "read documents through specwire_codegen::read_text"
    );
}

/// The backticked names in the code map of `ARCHITECTURE.md` that look like files or
/// directories (`walk.rs`, `upgrade/`, `bundle/in_file.rs`).
fn mapped_names(architecture: &str) -> BTreeSet<String> {
    let start = architecture
        .find("## Code map")
        .expect("a code map section");
    let end = architecture[start..]
        .find("\n## Invariants")
        .map_or(architecture.len(), |e| start + e);
    architecture[start..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| name.ends_with(".rs") || (name.ends_with('/') && !name.contains(' ')))
        .map(str::to_owned)
        .collect()
}

/// Whether the code map names `relative` (a file under a crate's `src/`): by its path, by its
/// name, or (a `mod.rs`, `lib.rs` or `main.rs`) by its directory.
fn is_mapped(names: &BTreeSet<String>, relative: &str) -> bool {
    let file = relative.rsplit('/').next().unwrap_or(relative);
    let dir = relative.rsplit_once('/').map(|(dir, _)| format!("{dir}/"));
    names.iter().any(|name| {
        name == relative
            || relative.ends_with(&format!("/{name}"))
            || (name == file && !matches!(file, "mod.rs" | "lib.rs" | "main.rs" | "tests.rs"))
    }) || (matches!(file, "mod.rs" | "lib.rs" | "main.rs" | "tests.rs")
        && dir.is_none_or(|dir| {
            names
                .iter()
                .any(|name| name == &dir || dir.ends_with(&format!("/{name}")))
        }))
}

/// `ARCHITECTURE.md`'s code map is the tree's: every hand-written source file of the
/// workspace is named in it (by path, name or directory), and every file it names exists.
#[test]
fn the_code_map_names_every_file_and_only_files_that_exist() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned();
    let architecture =
        std::fs::read_to_string(workspace.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let names = mapped_names(&architecture);
    let mut files = Vec::new();
    for krate in ["codegen", "cli", "xtask", "specwire", "atlas-sdk", "bench"] {
        let src = workspace.join(krate).join("src");
        for file in rust_files(&src) {
            let relative = file.strip_prefix(&src).unwrap().display().to_string();
            // A `tests.rs` holds the unit tests of the file beside it.
            if !relative.starts_with("generated/") && !relative.ends_with("tests.rs") {
                files.push(relative);
            }
        }
    }
    let unmapped: Vec<&String> = files.iter().filter(|f| !is_mapped(&names, f)).collect();
    assert_eq!(
        unmapped,
        Vec::<&String>::new(),
        "files the code map does not name"
    );
    // Any Rust file of the workspace may be named (tests and build scripts too).
    let everything: Vec<String> = [
        "codegen",
        "cli",
        "xtask",
        "specwire",
        "atlas-sdk",
        "bench",
        "tests",
    ]
    .iter()
    .flat_map(|krate| rust_files(&workspace.join(krate)))
    .map(|f| f.strip_prefix(&workspace).unwrap().display().to_string())
    .collect();
    let stale: Vec<&String> = names
        .iter()
        .filter(|name| name.ends_with(".rs"))
        .filter(|name| {
            !everything
                .iter()
                .any(|f| f == *name || f.ends_with(&format!("/{name}")))
        })
        .collect();
    assert_eq!(
        stale,
        Vec::<&String>::new(),
        "files the code map names that do not exist"
    );
}
