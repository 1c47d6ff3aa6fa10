//! The specwire generator: an OpenAPI document in (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2),
//! the modules of a typed, async Rust client on the `specwire` runtime out.
//!
//! The pipeline is pure (no I/O, no toolchain calls): [`Spec::parse`] loads and validates the
//! text, [`generate`] lowers it to the IR ([`ir`]), emits tokens and formats them into files.
//! The `specwire` command (`specwire-cli`) and the workspace's `xtask` read and write the
//! files.

#![warn(missing_docs)]

pub mod diff;
mod emit;
mod error;
pub mod http;
pub mod ir;
mod load;
mod lower;
pub mod naming;
pub mod refs;
mod runtime_contract;
mod smoke;
mod upgrade;
mod validate;
pub mod waiters;
pub mod walk;

use std::collections::{BTreeMap, BTreeSet};

pub use error::{Error, ErrorKind, Location};
pub use load::{BYTE_ORDER_MARK_NOTE, Source, Spec, Text, read_text};
pub use runtime_contract::{CRATE as RUNTIME_CRATE, ITEMS as RUNTIME_ITEMS, runtime_probe};
pub use smoke::{RoundTripProgram, conformance_program, round_trip_program};
pub use upgrade::{ExtensionOperation, Version, WebhookOperation};

/// This generator's version, recorded in every generated file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How the client reaches each tag's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accessors {
    /// `impl crate::Client { fn <tag>() }`: for a hand-written SDK crate whose own `Client`
    /// wraps the runtime's (it implements `AsRef<specwire::Client>`).
    Inherent,
    /// A `ClientExt` trait implemented for the runtime's `Client`, with `client_builder()`
    /// and `SERVER_URL`: a crate of its own.
    Trait,
    /// None: `<Tag>::new(client)`.
    None,
}

/// How to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command that regenerates the output, named in the `@generated` header.
    pub command: String,
    /// How `client.<tag>()` accessors are offered.
    pub accessors: Accessors,
    /// Gate each tag's modules behind a Cargo feature named after the tag (and each type
    /// behind the features of the tags that need it). The crate must declare the features
    /// [`Output::features`] lists.
    pub features: bool,
    /// Component schemas written by hand instead of generated, by schema name → Rust path
    /// (an SDK's `ApiError`: `crate::ApiError`). None by default.
    pub runtime_types: BTreeMap<String, String>,
    /// The error type operations return, as a Rust path: an SDK's own
    /// (`crate::Error`, a `specwire::Error<ApiError>`). `None`: the runtime's `Error`. The
    /// generated root names it `Error` either way.
    pub error_type: Option<String>,
    /// Only these tags' operations, and only the schemas they reach (`None`: everything).
    pub tags: Option<BTreeSet<String>>,
    /// `YYYY-MM-DD`: each operation uses its newest versioned media type not later than this
    /// date; operations without one are left out and reported (`None`: newest).
    pub api_version: Option<String>,
    /// Names a previous document gave renamed operations and types, kept as deprecated
    /// aliases (a method and a builder type on the tag, a type alias among the models), so
    /// that code written against the previous crate compiles, with warnings that name the new
    /// names. See [`diff::renames_between`].
    pub former_names: Option<diff::Renames>,
    /// Waiters to generate (`wait_until_…` methods), from a waiter table.
    pub waiters: waiters::WaiterTable,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            command: "cargo xtask codegen".to_owned(),
            accessors: Accessors::Trait,
            features: true,
            runtime_types: BTreeMap::new(),
            error_type: None,
            tags: None,
            api_version: None,
            former_names: None,
            waiters: waiters::WaiterTable::default(),
        }
    }
}

impl Options {
    /// The options of modules generated into a hand-written SDK crate, as atlas-sdk's are:
    /// accessors are inherent methods of the crate's own `Client`, operations return
    /// `crate::Error`, and the component schemas named in `hand_written` are the crate's own
    /// types (`crate::<Name>`), not generated.
    pub fn embedded_in_sdk(hand_written: &[&str]) -> Self {
        Self {
            accessors: Accessors::Inherent,
            error_type: Some("crate::Error".to_owned()),
            runtime_types: hand_written
                .iter()
                .map(|name| ((*name).to_owned(), format!("crate::{name}")))
                .collect(),
            ..Self::default()
        }
    }
}

/// The generated files, keyed by path relative to the output directory (`mod.rs`,
/// `access_tracking/mod.rs`, …), plus what the generator had to degrade.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative path → file contents.
    pub files: BTreeMap<String, String>,
    /// Things handled in a degraded way, such as skipped pattern checks.
    pub diagnostics: Vec<ir::Diagnostic>,
    /// Cargo features the code uses (feature → features it enables): one per tag, and
    /// `full`. Empty unless [`Options::features`].
    pub features: BTreeMap<String, Vec<String>>,
    /// How much of the specification the output covers.
    pub coverage: ir::Coverage,
}

impl Output {
    /// The `[features]` entries for `Cargo.toml`, one per line.
    pub fn features_toml(&self) -> String {
        emit::features::features_toml(&self.features)
    }
}

/// Lowers `spec` to the IR.
pub fn lower(spec: &Spec, options: &Options) -> Result<ir::Api, Error> {
    lower::lower(spec, options)
}

fn header(source: &Source, options: &Options) -> String {
    format!(
        "// @generated by `{}` (specwire {VERSION}) from {} (sha256 {}).\n// Do not edit: change the specification or the generator and regenerate.\n\n",
        options.command, source.file, source.sha256
    )
}

/// Generates the SDK's modules from `spec`. Deterministic: the same spec and options give
/// byte-identical files.
///
/// The same as [`lower`], then [`emit`]; those stages are public so that benchmarks can time
/// each.
pub fn generate(spec: &Spec, options: &Options) -> Result<Output, Error> {
    let api = lower::lower(spec, options)?;
    emit(&spec.source(), api, options)
}

/// Emits and formats (`syn` + `prettyplease`) every generated file from the lowered `api`:
/// the stage after [`lower`]. Each thread formats the files it emits.
///
/// It needs only the spec's [`Source`], not the document: a caller that owns the [`Spec`]
/// can drop it between [`lower`] and `emit` (the xtask does), so that emitting reuses the
/// document's memory instead of asking the kernel for fresh pages. On the 2025 spec that
/// lowers the peak by about a fifth and generation by about a tenth.
pub fn emit(source: &Source, api: ir::Api, options: &Options) -> Result<Output, Error> {
    let files = emit::files(&api, options, &header(source, options), &source.file)?;
    let features = if options.features {
        emit::features::FeatureMap::new(&api).cargo_features()
    } else {
        BTreeMap::new()
    };
    Ok(Output {
        files,
        diagnostics: api.diagnostics,
        features,
        coverage: api.coverage,
    })
}

/// The source of `examples/twins.rs` for a generated crate named `crate_name`: every struct
/// model's hand-written codec against a serde-derived twin, on JSON built from the IR (see
/// `emit/twins.rs`). The crate needs `serde` with `derive` as a dev-dependency.
pub fn codec_twins_program(
    spec: &Spec,
    options: &Options,
    crate_name: &str,
) -> Result<String, Error> {
    let api = lower::lower(spec, options)?;
    let program = emit::twins::program(&api, crate_name);
    let text = emit::format_tokens(program, &spec.file, "examples/twins.rs")?;
    Ok(format!(
        "// @generated by specwire {VERSION} from {} (sha256 {}). Do not edit.\n\n{text}",
        spec.file, spec.sha256
    ))
}

/// Generates everything as one file holding `pub mod <module> { … }`, for `include!` (the
/// fixture tests compile generated code this way).
pub fn generate_single_file(spec: &Spec, options: &Options, module: &str) -> Result<String, Error> {
    if syn::parse_str::<syn::Ident>(module).is_err() {
        return Err(Error {
            kind: ErrorKind::Unsupported,
            file: spec.file.clone(),
            location: None,
            operation: None,
            message: format!("`{module}` is not a valid module name"),
        });
    }
    let api = lower::lower(spec, options)?;
    let root = emit::root_module(&api, options, emit::Tree::Whole);
    emit::render_single(&root, module, &header(&spec.source(), options), &spec.file)
}
