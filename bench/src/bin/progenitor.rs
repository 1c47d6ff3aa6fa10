//! Oxide's progenitor 0.15, driven as a library, as the comparison generator for
//! `cargo xtask bench`.
//!
//! ```text
//! progenitor subset   --spec FILE --tags "Access Tracking,Clusters" --out OUT.json [--json-media-types]
//! progenitor generate --spec FILE [--out DIR] [--runs N] [--interface positional|builder]
//! ```
//!
//! `subset` writes the common input of both generators (see `atlas_bench::subset`). `generate`
//! times progenitor's three stages separately, parse (YAML or JSON into progenitor's
//! `openapiv3::OpenAPI`), generate (`Generator::generate_tokens`) and format (`syn::parse2` +
//! `prettyplease::unparse`, as progenitor's README does in `build.rs`), and prints one JSON line
//! per stage on stdout: `progenitor/parse`, `progenitor/generate`, `progenitor/format` and
//! `progenitor/total` (the file is read once, outside the timings). With `--out DIR` it also writes a crate around the output, so that
//! `cargo check` can be timed on it.
//!
//! Settings: `GenerationSettings::default()`, which is what `generate_api!("spec.json")` and
//! `Generator::default()` in a `build.rs` use: positional methods on one `Client`, tags merged.
//! (`--interface builder` gives the builder style with tags merged; positional with separate
//! tags is `unimplemented!` in progenitor 0.15.)
//!
//! progenitor (through typify) recurses on schemas and overflows its stack on the Atlas specs,
//! which aborts the process. To be as favourable to it as possible, all the work runs on a thread
//! with a 256 MiB stack (the main thread has 8 MiB). It still overflows on some tags (see
//! `atlas_bench::subset::PROGENITOR_TAGS_2025`): then the process aborts and the
//! caller (the xtask, which runs this as a child process) records the failure; a panic or an
//! error from progenitor is reported on stderr with a non-zero exit status.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use atlas_bench::Sample;
use atlas_bench::subset;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

/// Stack size of the thread that runs progenitor.
const STACK_SIZE: usize = 256 * 1024 * 1024;

const USAGE: &str = "usage:
  progenitor subset   --spec FILE --tags \"TAG,TAG,...\"|@progenitor-2025|@progenitor-2025-plain-json|@progenitor-2023 --out OUT.json [--json-media-types]
  progenitor generate --spec FILE [--out DIR] [--runs N] [--interface positional|builder]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = std::thread::Builder::new()
        .name("progenitor".to_owned())
        .stack_size(STACK_SIZE)
        .spawn(move || run(&args))
        .map_err(|e| format!("cannot start the worker thread: {e}"))
        .and_then(|worker| {
            worker.join().unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                Err(format!("panicked: {message}"))
            })
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("progenitor: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    let options = Options::parse(rest)?;
    match command.as_str() {
        "subset" => subset_command(&options),
        "generate" => generate_command(&options),
        _ => Err(format!("unknown command {command:?}\n{USAGE}")),
    }
}

#[derive(Default)]
struct Options {
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    tags: Option<String>,
    runs: Option<usize>,
    interface: Option<String>,
    json_media_types: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
            };
            match flag.as_str() {
                "--spec" => options.spec = Some(value()?.into()),
                "--out" => options.out = Some(value()?.into()),
                "--tags" => options.tags = Some(value()?),
                "--runs" => {
                    let runs = value()?;
                    let runs = runs.parse().map_err(|e| format!("--runs {runs:?}: {e}"))?;
                    options.runs = Some(runs);
                }
                "--interface" => options.interface = Some(value()?),
                "--json-media-types" => options.json_media_types = true,
                _ => return Err(format!("unknown argument {flag:?}\n{USAGE}")),
            }
        }
        Ok(options)
    }

    fn spec(&self) -> Result<&Path, String> {
        self.spec
            .as_deref()
            .ok_or_else(|| format!("--spec is required\n{USAGE}"))
    }
}

fn subset_command(options: &Options) -> Result<(), String> {
    let spec_path = options.spec()?;
    let tags = options
        .tags
        .as_deref()
        .ok_or_else(|| format!("--tags is required\n{USAGE}"))?;
    let out = options
        .out
        .as_deref()
        .ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    // Presets name the tag lists of `atlas_bench::subset` (how they were found is documented
    // there), so `cargo xtask bench` does not repeat them.
    let tags: Vec<&str> = match tags {
        "@progenitor-2025" => subset::PROGENITOR_TAGS_2025.to_vec(),
        "@progenitor-2025-plain-json" => subset::PROGENITOR_TAGS_2025_PLAIN_JSON.to_vec(),
        "@progenitor-2023" => subset::PROGENITOR_TAGS_2023.to_vec(),
        preset if preset.starts_with('@') => {
            return Err(format!("unknown tag preset {preset}\n{USAGE}"));
        }
        list => list
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect(),
    };
    let spec = subset::load(spec_path).map_err(|e| e.to_string())?;
    let mut reduced = subset::subset(&spec, &tags).map_err(|e| e.to_string())?;
    if options.json_media_types {
        let renamed = subset::plain_json_media_types(&mut reduced);
        eprintln!("renamed {renamed} versioned media types to application/json");
    }
    let text = serde_json::to_string_pretty(&reduced)
        .map_err(|e| format!("cannot encode the reduced spec: {e}"))?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let schemas = reduced
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .map_or(0, serde_json::Map::len);
    eprintln!(
        "{}: {} operations, {schemas} schemas, {} tags",
        out.display(),
        subset::operation_count(&reduced),
        tags.len()
    );
    Ok(())
}

fn generate_command(options: &Options) -> Result<(), String> {
    let spec_path = options.spec()?;
    let runs = options.runs.unwrap_or(5).max(1);
    let mut settings = GenerationSettings::default();
    match options.interface.as_deref() {
        None | Some("positional") => {}
        Some("builder") => {
            settings
                .with_interface(InterfaceStyle::Builder)
                .with_tag(TagStyle::Merged);
        }
        Some(other) => return Err(format!("unknown --interface {other:?}\n{USAGE}")),
    }
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let json = subset::is_json(spec_path);

    let mut times: [Vec<Duration>; 4] = Default::default();
    let mut last = None;
    for run in 0..runs {
        let started = Instant::now();
        let spec = parse(&text, json).map_err(|e| format!("{}: {e}", spec_path.display()))?;
        let parsed = Instant::now();
        let mut generator = Generator::new(&settings);
        let tokens = generator
            .generate_tokens(&spec)
            .map_err(|e| format!("progenitor failed on {}: {e}", spec_path.display()))?;
        let generated = Instant::now();
        let file: syn::File =
            syn::parse2(tokens).map_err(|e| format!("progenitor's output does not parse: {e}"))?;
        let code = prettyplease::unparse(&file);
        let formatted = Instant::now();
        times[0].push(parsed - started);
        times[1].push(generated - parsed);
        times[2].push(formatted - generated);
        times[3].push(formatted - started);
        eprintln!(
            "run {}/{runs}: parse {:?}, generate {:?}, format {:?}",
            run + 1,
            parsed - started,
            generated - parsed,
            formatted - generated
        );
        let operations = spec
            .paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .map(|item| item.iter().count())
            .sum::<usize>();
        last = Some((code, operations, generator.uses_futures()));
    }
    let Some((code, operations, uses_futures)) = last else {
        return Err("no run".to_owned());
    };
    let lines = code.lines().count();
    for (stage, durations) in ["parse", "generate", "format", "total"].iter().zip(&times) {
        Sample::from_durations(format!("progenitor/{stage}"), durations)
            .with("lines", lines)
            .with("operations", operations)
            .print();
    }
    if let Some(dir) = &options.out {
        write_crate(dir, &code, uses_futures)?;
        eprintln!("wrote {} ({lines} lines)", dir.display());
    }
    Ok(())
}

/// Parses a spec into progenitor's `openapiv3` model, as a progenitor user would.
fn parse(text: &str, json: bool) -> Result<openapiv3::OpenAPI, String> {
    if json {
        serde_json::from_str(text).map_err(|e| format!("invalid OpenAPI JSON: {e}"))
    } else {
        yaml_serde::from_str(text).map_err(|e| format!("invalid OpenAPI YAML: {e}"))
    }
}

/// Writes a standalone crate (its own workspace) whose `src/lib.rs` is progenitor's output, with
/// the dependencies progenitor's README asks for, each only when the output uses it.
fn write_crate(dir: &Path, code: &str, uses_futures: bool) -> Result<(), String> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    // The package is named after its directory: cargo keys its fingerprints on the package name
    // and version, so two such crates with one name checked in one target directory would be
    // taken for each other.
    let name: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let package = match name.trim_matches('-') {
        "" => "progenitor-output".to_owned(),
        name => format!("progenitor-output-{name}"),
    };
    let mut manifest = format!(
        "[package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         # Not part of any enclosing workspace.\n\
         [workspace]\n\
         \n\
         [dependencies]\n\
         progenitor-client = \"0.15\"\n\
         reqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n",
    );
    let optional = [
        (
            "chrono",
            "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }",
        ),
        (
            "uuid",
            "uuid = { version = \"1\", features = [\"serde\", \"v4\"] }",
        ),
        ("regress", "regress = \"0.12\""),
        ("futures", "futures = \"0.3\""),
        ("bytes", "bytes = \"1\""),
        ("base64", "base64 = \"0.22\""),
        ("rand", "rand = \"0.9\""),
    ];
    for (name, line) in optional {
        let used = code.contains(&format!("{name}::")) || (name == "futures" && uses_futures);
        if used {
            let _ = writeln!(manifest, "{line}");
        }
    }
    let write = |path: PathBuf, content: &str| {
        std::fs::write(&path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    write(src.join("lib.rs"), code)
}
