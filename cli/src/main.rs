//! `specwire`: a typed, async Rust client crate from an OpenAPI document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use specwire_cli::diff::DiffArgs;
use specwire_cli::standalone::{self, CrateArgs, Job};
use specwire_cli::strict::Strict;
use specwire_cli::{bundle, codegen, coverage, paths};

// The generator allocates many small values; mimalloc makes a generation about a tenth
// faster than the system allocator (the same choice as the workspace's xtask).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How generated headers name this command.
const COMMAND: &str = "specwire generate";

#[derive(Parser)]
#[command(
    name = "specwire",
    version,
    about = "Generate a typed, async Rust client crate from an OpenAPI document",
    long_about = "Generate a typed, async Rust client crate from an OpenAPI document \
                  (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; YAML or JSON; one file or several \
                  joined by $ref).\n\n\
                  Constructs the generator cannot type exactly are kept as raw JSON values \
                  and each is reported as a note with its location in the document.",
    after_help = "Examples:\n  \
                  specwire generate openapi.yaml --out petstore-client\n  \
                  specwire generate openapi.yaml --out petstore-client --check\n  \
                  specwire coverage openapi.yaml --strict all\n  \
                  specwire diff old.yaml new.yaml --current-version 1.4.0"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate from a document (or, with --check, tell whether it is up to date).
    ///
    /// The crate gets Cargo.toml, src/lib.rs, src/generated/ (one module per tag, each a
    /// Cargo feature) and a .specwire-manifest listing the files written. Regeneration
    /// replaces and removes only those files; anything else in the directory is kept, and a
    /// directory that holds other files and was not generated before is refused (see
    /// --allow-foreign-files). A failed run leaves the previous crate as it was.
    Generate(GenerateArgs),
    /// Report the changes between two documents as they affect the generated crate: breaking
    /// and compatible, in Markdown or JSON. Exits with 2 when something breaks.
    Diff(DiffArgs),
    /// Print how much of a document the generator covers, and its notes, writing nothing.
    Coverage(CoverageArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The OpenAPI document (YAML or JSON).
    spec: PathBuf,
    /// The crate's directory (created when missing).
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    crate_args: CrateArgs,
}

#[derive(clap::Args)]
struct CoverageArgs {
    /// The OpenAPI document (YAML or JSON).
    spec: PathBuf,
    /// `YYYY-MM-DD`: as `generate --api-version`.
    #[arg(long, value_name = "DATE")]
    api_version: Option<String>,
    /// Print the report (coverage and every note) as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Exit with 1 when the generator notes something of these kinds (as `generate
    /// --strict`).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    strict: Vec<String>,
    #[command(flatten)]
    reading: bundle::ReadingArgs,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate(args) => generate(&args),
        Command::Diff(args) => specwire_cli::diff::run(&args, shown),
        Command::Coverage(args) => print_coverage(&args),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}

/// Names a document relative to the current directory when it lies inside it.
fn shown(resolved: &Path, given: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    paths::shown(resolved, given, &cwd)
}

fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let spec = paths::from_current_dir(&args.spec);
    let out = paths::from_current_dir(&args.out);
    standalone::run(&Job {
        spec: &spec,
        spec_name: &shown(&spec, &args.spec),
        out: &out,
        command: COMMAND,
        args: &args.crate_args,
    })
}

fn print_coverage(args: &CoverageArgs) -> Result<ExitCode> {
    let strict = Strict::parse(&args.strict)?;
    let path = paths::from_current_dir(&args.spec);
    let name = shown(&path, &args.spec);
    let spec = bundle::read_spec_with(&path, &name, &args.reading.reading())?;
    let output = standalone::generate(
        spec,
        &standalone::Generation {
            command: COMMAND,
            base: codegen::Options::default(),
            api_version: args.api_version.clone(),
            previous: None,
            waiters: None,
            reading: args.reading.reading(),
        },
    )?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&coverage::json(&name, &output))?
        );
    } else {
        coverage::print(&output);
    }
    let violations = strict.violations(&output);
    for line in &violations {
        eprintln!("strict: {line}");
    }
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
