//! Maintainer commands: `cargo xtask codegen [--check]`, `cargo xtask test`, `cargo xtask
//! corpus`, `cargo xtask full-specs`, `cargo xtask bench`, ….

mod bench;
mod builds;
mod codegen;
mod compile_profile;
mod conformance;
mod corpus;
mod full_specs;
mod fuzz;
mod latest_deps;
mod names;
mod provenance;
mod reviewed;
mod test;
mod update_spec;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for atlas-sdk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the SDK's generated modules from the OpenAPI document.
    Codegen(codegen::Args),
    /// Compare two specs at the level of the generated SDK: a Markdown (or JSON) report of
    /// breaking and compatible changes; exits with 2 when something breaks (the same as
    /// `specwire diff`).
    Diff(codegen_cli::diff::DiffArgs),
    /// Generate every OpenAPI document found into a crate of its own, `cargo check` them,
    /// and print a table (operations, notes by kind, compiles, warnings, times).
    Corpus(corpus::Args),
    /// Run the conformance program of real documents (../shared/specs/wild) against Prism
    /// serving each, with examples and with random responses, and compare the operations that
    /// do not pass with their reviewed baseline (tests/baselines/conformance-wild.txt).
    Conformance(conformance::Args),
    /// Mutate real specs at random and run each through the whole pipeline: every case must
    /// generate or fail with a located error (no panic, no internal error).
    Fuzz(fuzz::Args),
    /// Generate specs whose every name is hostile (keywords, prelude names, collisions, …)
    /// and `cargo check` them in batches.
    Names(names::Args),
    /// Make a new MongoDB document the shipped SDK's: replace the spec, regenerate keeping the
    /// old names of renamed operations and types as deprecated aliases, write the diff's
    /// report into CHANGELOG.md under "Unreleased" and set the crate's next version.
    UpdateSpec(update_spec::Args),
    /// Check the runtime and a generated crate against the newest versions of their
    /// dependencies (no lock file), warnings denied, and list what is newer than Cargo.lock.
    LatestDeps(latest_deps::Args),
    /// Show which spec and generator version the checked-in SDK came from.
    Provenance,
    /// Install the test peers (Prism) if needed and run the whole test suite.
    Test(test::Args),
    /// Generate MongoDB's full specs into standalone crates, build them (all features and
    /// single tags, no warnings allowed), hold the coverage baselines and run every 2025
    /// operation against Prism.
    FullSpecs(full_specs::Args),
    /// Where rustc spends its time checking a generated crate (the SDK by default): its
    /// self-profile, by query and by kind of generated function.
    CompileProfile(compile_profile::Args),
    /// Benchmarks: generation speed, compile cost of generated code and runtime overhead,
    /// beside progenitor and bare reqwest; writes BENCHMARKS.md.
    Bench(bench::Args),
    /// One timed generation (what `bench` runs in a fresh process per measurement).
    #[command(hide = true)]
    BenchGenerationRun(bench::GenerationRunArgs),
}

/// The workspace root (xtask lives one level below it).
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}

/// A path the user gave (relative to the current directory), or `default` (relative to the
/// workspace root) when none was given.
pub(crate) fn user_path(given: Option<&std::path::Path>, default: &str) -> PathBuf {
    match given {
        Some(path) => codegen_cli::paths::from_current_dir(path),
        None => workspace_root().join(default),
    }
}

/// How a path is named in generated headers and reports: relative to the workspace root when
/// `resolved` lies inside it (so the output does not depend on where the command ran), else
/// as the user wrote it.
pub(crate) fn shown_path(resolved: &std::path::Path, as_given: &std::path::Path) -> String {
    codegen_cli::paths::shown(resolved, as_given, &workspace_root())
}

pub(crate) use codegen_cli::thousands;

/// `twilio/twilio_api_v2010.yaml` → `twilio-twilio-api-v2010`.
pub(crate) fn slug(document: &str) -> String {
    let stem = document.rsplit_once('.').map_or(document, |(stem, _)| stem);
    let mut slug: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    slug.trim_matches('-').to_owned()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Diff(args) => codegen_cli::diff::run(&args, shown_path),
        Command::UpdateSpec(args) => update_spec::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Conformance(args) => conformance::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Names(args) => names::run(args),
        Command::LatestDeps(args) => latest_deps::run(args),
        Command::Provenance => provenance::run(),
        Command::Test(args) => test::run(args),
        Command::FullSpecs(args) => full_specs::run(args),
        Command::CompileProfile(args) => compile_profile::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchGenerationRun(args) => bench::generation_run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_crate_names() {
        assert_eq!(
            slug("twilio/twilio_api_v2010.yaml"),
            "twilio-twilio-api-v2010"
        );
        assert_eq!(slug("oai/petstore.yaml"), "oai-petstore");
        assert_eq!(slug("a..b__c.json"), "a-b-c");
    }
}
