//! `cargo xtask names`: the property that every name the generator invents compiles.
//!
//! A template spec (tags, operations, path/query/header/cookie parameters, schemas with
//! properties and enums, security schemes, response headers) gets every name replaced by a
//! hostile one (Rust keywords, prelude names, the builder's own fields and methods, names
//! that collide after case conversion, digits first, non-ASCII, empty); each case is
//! generated, and the cases are compiled in batches, one crate per batch (`cargo check`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Value, json};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// How many specs to generate.
    #[arg(long, default_value_t = 200)]
    cases: u64,
    /// Seed of the first case (case `i` uses `seed + i`).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Cases compiled together in one crate.
    #[arg(long, default_value_t = 100)]
    batch: u64,
}

/// Names that have broken generators: keywords, prelude and std names, the generated code's
/// own identifiers, collisions after case conversion, and text that is no identifier at all.
const NAMES: &[&str] = &[
    "type",
    "ref",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "async",
    "await",
    "dyn",
    "match",
    "impl",
    "mod",
    "use",
    "where",
    "union",
    "static",
    "loop",
    "yield",
    "gen",
    "try",
    "abstract",
    "macro_rules",
    "Option",
    "Result",
    "String",
    "Box",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "From",
    "Into",
    "Iterator",
    "std",
    "core",
    "alloc",
    "serde",
    "client",
    "options",
    "body",
    "new",
    "send",
    "send_raw",
    "send_with_response",
    "timeout",
    "accept",
    "header",
    "into_request",
    "into_stream",
    "raw_body",
    "default",
    "full",
    "models",
    "parameters",
    "runtime",
    "generated",
    "atlas_sdk",
    "specwire",
    "Error",
    "Unknown",
    "ResponseHeaders",
    "OPERATION",
    "Request",
    "Schema",
    "value",
    "get",
    "as_str",
    "into_inner",
    "additional_properties",
    "1st",
    "123",
    "0",
    "_",
    "__",
    "-",
    "$",
    "@id",
    "a b",
    "a-b",
    "a_b",
    "AB",
    "aB",
    "Ab",
    "ab",
    "A_B",
    "ümlaut",
    "名前",
    "émoji😀",
    "",
    " ",
    "x.y",
    "x[0]",
    "Content-Type",
    "Authorization",
    "Accept",
    "X-Request-Id",
    "r#type",
    "Type",
    "TYPE",
    "type_",
    "Self_",
    "self_",
    "crate_",
];

/// A hostile name: one of [`NAMES`], sometimes two joined by a separator, sometimes with
/// its case changed.
pub(crate) fn hostile_name(rng: &mut fastrand::Rng) -> String {
    let pick = |rng: &mut fastrand::Rng| NAMES[rng.usize(..NAMES.len())].to_owned();
    let mut name = pick(rng);
    if rng.u8(..4) == 0 {
        let separator = ["", "-", "_", " ", "."][rng.usize(..5)];
        name = format!("{name}{separator}{}", pick(rng));
    }
    match rng.u8(..8) {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        _ => name,
    }
}

/// A header-safe hostile name (header and response-header names must be tokens; others are
/// left out with a note, which another case covers).
fn header_name(rng: &mut fastrand::Rng) -> String {
    let name: String = hostile_name(rng)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if name.is_empty() {
        "X-Empty".to_owned()
    } else {
        name
    }
}

/// The template with every name drawn from `rng`.
fn case_spec(rng: &mut fastrand::Rng) -> Value {
    let pool: Vec<String> = (0..24).map(|_| hostile_name(rng)).collect();
    let name = |i: usize| pool[i].as_str();
    let (schema_a, schema_b, enum_name, tag) = (name(0), name(1), name(2), name(3));
    let (p1, p2, p3, p4) = (name(4), name(5), name(6), name(7));
    let (q1, q2, q3) = (name(8), name(9), name(10));
    let cookie = name(11);
    let (op1, op2, op3) = (name(12), name(13), name(14));
    let (f1, f2, f3, f4) = (name(15), name(16), name(17), name(18));
    let (v1, v2, v3) = (name(19), name(20), name(21));
    let security = name(22);
    let second_tag = name(23);
    let header = header_name(rng);
    let response_header = header_name(rng);
    let path_param = hostile_name(rng).replace(['{', '}', '/'], "");
    let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1"},
        "servers": [{"url": "https://example.com/api"}],
        "paths": {
            format!("/things/{{{path_param}}}"): {
                "parameters": [
                    {"name": path_param, "in": "path", "required": true, "schema": {"type": "string"}}
                ],
                "get": {
                    "tags": [tag],
                    "operationId": op1,
                    "parameters": [
                        {"name": q1, "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": q2, "in": "query", "required": true, "schema": {"type": "array", "items": reference(enum_name)}},
                        {"name": q3, "in": "query", "style": "deepObject", "schema": reference(schema_b)},
                        {"name": header, "in": "header", "schema": {"type": "string"}},
                        {"name": cookie, "in": "cookie", "schema": {"type": "boolean"}},
                        {"name": p1, "in": "query", "schema": {"type": "string", "enum": [v1, v2, v3]}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {response_header: {"schema": {"type": "integer"}}},
                            "content": {"application/json": {"schema": reference(schema_a)}}
                        },
                        "default": {"description": "error"}
                    }
                },
                "post": {
                    "tags": [second_tag],
                    "operationId": op2,
                    "requestBody": {
                        "required": true,
                        "content": {"application/x-www-form-urlencoded": {"schema": reference(schema_b)}}
                    },
                    "responses": {"204": {"description": "done"}}
                }
            },
            format!("/other/{}", p2.replace(['{', '}', '/'], "")): {
                "put": {
                    "operationId": op3,
                    "parameters": [{"name": p3, "in": "query", "schema": {"type": "string", "format": "date-time"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {p4: {"type": "string"}}}}}},
                    "responses": {"2XX": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": reference(schema_b)}}}}}
                },
                "delete": {
                    "responses": {"302": {"description": "moved", "headers": {"Location": {"schema": {"type": "string"}}}}}
                }
            }
        },
        "components": {
            "securitySchemes": {security: {"type": "http", "scheme": "bearer"}},
            "schemas": {
                schema_a: {
                    "type": "object",
                    "required": [f1],
                    "properties": {
                        f1: {"type": "string"},
                        f2: {"type": "integer", "format": "int32", "nullable": true},
                        f3: reference(schema_b),
                        f4: {"type": "array", "items": reference(schema_a)}
                    },
                    "additionalProperties": {"type": "string"}
                },
                schema_b: {
                    "type": "object",
                    "properties": {
                        f2: reference(enum_name),
                        f3: {"oneOf": [{"type": "string"}, {"type": "integer"}]}
                    }
                },
                enum_name: {"type": "string", "enum": [v1, v2, v3, f1]}
            }
        }
    })
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = crate::workspace_root();
    // Shared with `corpus` and `full-specs`: the runtime compiles once.
    let target = crate::builds::GeneratedTarget::new();
    let work = tempfile::Builder::new().prefix("atlas-names-").tempdir()?;
    let started = Instant::now();
    let (mut generated, mut rejected, mut failed_batches) = (0u64, 0u64, 0u64);
    let batch_size = args.batch.max(1);
    let mut case = 0;
    while case < args.cases {
        let dir = work.path().join(format!("batch{case}"));
        fs::create_dir_all(dir.join("src"))?;
        let mut lib = String::from("//! Generated name cases; see `cargo xtask names`.\n\n");
        let mut seeds = Vec::new();
        for _ in 0..batch_size.min(args.cases - case) {
            let seed = args.seed.wrapping_add(case);
            case += 1;
            let mut rng = fastrand::Rng::with_seed(seed);
            let text = serde_json::to_string_pretty(&case_spec(&mut rng))?;
            let module = format!("case_{seed}");
            let result =
                codegen::Spec::parse(&format!("names-{seed}.json"), &text).and_then(|spec| {
                    let options = codegen::Options {
                        accessors: codegen::Accessors::None,
                        features: false,
                        ..codegen::Options::default()
                    };
                    codegen::generate_single_file(&spec, &options, &module)
                });
            match result {
                Ok(code) => {
                    fs::write(dir.join(format!("src/{module}.rs")), code)?;
                    fs::write(dir.join(format!("src/{module}.json")), &text)?;
                    let _ = writeln!(lib, "include!(\"{module}.rs\");");
                    seeds.push(seed);
                    generated += 1;
                }
                // A broken document (two operations given the same id, say) is refused with
                // a location; that is the right outcome, and another seed covers the names.
                Err(error) if error.kind != codegen::ErrorKind::Internal => rejected += 1,
                Err(error) => anyhow::bail!("seed {seed}: {error}"),
            }
        }
        fs::write(dir.join("src/lib.rs"), lib)?;
        write_manifest(&dir, &root)?;
        let output = target
            .cargo()
            .args(["check", "--quiet", "--message-format", "short"])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .output()
            .context("running cargo check")?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(": warning") || l.contains(": error"))
            .collect();
        if !output.status.success() || !problems.is_empty() {
            failed_batches += 1;
            let kept = root.join(format!(
                "target/names-failed/batch{}",
                seeds.first().copied().unwrap_or(0)
            ));
            let _ = fs::remove_dir_all(&kept);
            copy_dir(&dir, &kept)?;
            println!(
                "batch of seeds {:?}..: {} problems (kept in {}):",
                seeds.first(),
                problems.len(),
                kept.display()
            );
            for line in problems.iter().take(20) {
                println!("  {line}");
            }
        }
    }
    println!(
        "names: {} cases in {:.1} s: {generated} generated and checked, {rejected} refused as broken documents, {failed_batches} failed batches",
        args.cases,
        started.elapsed().as_secs_f64()
    );
    Ok(if failed_batches == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn write_manifest(dir: &Path, root: &Path) -> Result<()> {
    let runtime = fs::canonicalize(root.join(crate::codegen::RUNTIME_CRATE))?;
    let manifest = format!(
        "[package]\nname = \"names-batch\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nspecwire = {{ path = \"{}\", default-features = false, features = [\"rustls-ring\"] }}\n\n[workspace]\n",
        runtime.to_string_lossy().replace('\\', "/")
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            fs::copy(&path, &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_deterministic_and_valid_documents() {
        let a = case_spec(&mut fastrand::Rng::with_seed(3));
        let b = case_spec(&mut fastrand::Rng::with_seed(3));
        assert_eq!(a, b);
        let text = serde_json::to_string(&a).unwrap();
        // It parses as OpenAPI; generation may still refuse a broken combination.
        let parsed = codegen::Spec::parse("case.json", &text);
        assert!(
            parsed.is_ok() || parsed.as_ref().is_err_and(|e| e.location.is_some()),
            "{parsed:?}"
        );
    }
}
