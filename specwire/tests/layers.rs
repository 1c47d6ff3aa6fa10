//! The runtime is layered (ARCHITECTURE.md): each module uses only the layers
//! below it, so there are no module cycles. Checked on the source text: a `crate::` path to
//! a higher layer in a lower module fails, naming the file and line.

use std::path::Path;

/// Layers from the bottom; a module may name modules of its own layer or below.
const LAYERS: &[&[&str]] = &[
    &["wire"],
    &[
        "error",
        "error_body",
        "envelope",
        "nullable",
        "multipart",
        "retry",
        "webhook",
    ],
    &["auth", "interceptor", "response", "stand_in", "client"],
    &["runtime"],
    &["mock"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a source file belongs to: `auth/digest.rs` → `auth`.
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().map_or(String::new(), |c| {
        c.as_os_str().to_string_lossy().into_owned()
    });
    first.trim_end_matches(".rs").to_owned()
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_reaches_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(own) = layer_of(&module_of(relative)) else {
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        // Only the code before the unit tests: tests may use anything.
        let code = text
            .split("#[cfg(test)]")
            .next()
            .and_then(|code| code.split("#[cfg(all(test").next())
            .unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let target: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(theirs) = layer_of(&target)
                    && theirs > own
                {
                    violations.push(format!(
                        "{}:{}: `{}` (layer {own}) uses `crate::{target}` (layer {theirs})",
                        relative.display(),
                        number + 1,
                        module_of(relative)
                    ));
                }
            }
        }
    }
    assert!(checked > 15, "only {checked} files checked");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// Small files with one job each: no hand-written source of the runtime, the Atlas SDK, the
/// generator, its command, the maintainers' commands or the benchmarks is over 700 lines
/// (generated code aside).
#[test]
fn no_hand_written_file_is_over_700_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("../atlas-sdk/src"), &mut files);
    sources(&root.join("../codegen/src"), &mut files);
    sources(&root.join("../cli/src"), &mut files);
    sources(&root.join("../xtask/src"), &mut files);
    sources(&root.join("../bench/src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "generated"))
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 700).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(files.len() > 60, "only {} files found", files.len());
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// The runtime serves any API: none of its sources names MongoDB or Atlas (their facts live
/// in `atlas-sdk`).
#[test]
fn the_runtime_names_no_api_of_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.push(root.join("Cargo.toml"));
    files.push(root.join("README.md"));
    let named: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).unwrap().to_lowercase();
            ["mongodb", "atlas"]
                .into_iter()
                .filter(move |name| text.contains(name))
                .map(move |name| format!("{}: {name}", file.display()))
        })
        .collect();
    assert!(files.len() > 30, "only {} files found", files.len());
    assert!(named.is_empty(), "{}", named.join("\n"));
}
