//! The `cargo xtask codegen` command as maintainers and CI run it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn xtask() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.current_dir(root());
    command
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The drift gate: the checked-in SDK is exactly what the generator makes of `spec/`.
#[test]
fn checked_in_sdk_is_up_to_date() {
    let output = xtask().args(["codegen", "--check"]).output().unwrap();
    assert!(
        output.status.success(),
        "the checked-in SDK is stale; run `cargo xtask codegen`:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_reports_a_diff_and_how_to_fix_it() {
    let out = tempfile::tempdir().unwrap();
    let status = xtask()
        .args(["codegen", "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let file = out.path().join("src/generated/access_tracking/mod.rs");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace("Groups this tag's operations", "Edited by hand"),
    )
    .unwrap();
    fs::write(out.path().join("stray.rs"), "// not generated\n").unwrap();
    let output = xtask()
        .args(["codegen", "--check", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("-    /// Edited by hand"), "{stdout}");
    assert!(
        stdout.contains("+    /// Groups this tag's operations"),
        "{stdout}"
    );
    assert!(stdout.contains("extra: stray.rs"), "{stdout}");
    assert!(
        stdout.contains("a/src/generated/access_tracking/mod.rs (on disk)"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("2 generated file(s)"), "{stderr}");
    assert!(stderr.contains("Run `cargo xtask codegen`"), "{stderr}");
}

/// A failing regeneration leaves the previous output exactly as it was.
#[test]
fn failed_generation_writes_nothing() {
    // A directory of its own, so the check for leftover staging directories sees only ours.
    let base = tempfile::tempdir().unwrap();
    let out = tempfile::TempDir::new_in(base.path()).unwrap();
    let status = xtask()
        .args(["codegen", "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let before = snapshot_dir(out.path());
    // The generated modules, `Cargo.toml` and `src/lib.rs`.
    assert_eq!(before.len(), 16);

    let spec = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    let text = fs::read_to_string(root().join("spec/atlas-api.yaml")).unwrap();
    fs::write(
        spec.path(),
        text.replace(
            "$ref: '#/components/schemas/MongoDBAccessLogs'",
            "$ref: '#/components/schemas/Gone'",
        ),
    )
    .unwrap();
    let output = xtask()
        .args(["codegen", "--spec"])
        .arg(spec.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "#/components/schemas/MongoDBAccessLogsList/properties/accessLogs/items/$ref"
        ),
        "{stderr}"
    );
    assert_eq!(snapshot_dir(out.path()), before);
    // No staging directories are left behind either.
    let leftovers: Vec<_> = fs::read_dir(out.path().parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".codegen-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn regeneration_replaces_stale_files() {
    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("old_tag.rs"), "// from an older spec\n").unwrap();
    let status = xtask()
        .args(["codegen", "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!out.path().join("old_tag.rs").exists());
    assert!(
        out.path()
            .join("src/generated/models/mongo_db_access_logs.rs")
            .exists()
    );
    let manifest = fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("full = [\"access-tracking\"]\naccess-tracking = []\n"),
        "{manifest}"
    );
}

#[test]
fn diff_reports_the_access_tracking_migration_and_exits_2() {
    let output = xtask()
        .args([
            "diff",
            "tests/fixtures/atlas-api-2023.yaml",
            "spec/atlas-api.yaml",
            "--current-version",
            "0.1.0",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains(
            "**Suggested version bump: major (breaking)** — 10 breaking, 13 compatible change(s)."
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "| schema ApiMongoDBAccessLogsView | renamed to `MongoDBAccessLogs` (same shape) |"
        ),
        "{report}"
    );
    assert!(
        report.contains("Next version: 0.1.0 → **0.2.0**"),
        "{report}"
    );

    let same = xtask()
        .args([
            "diff",
            "spec/atlas-api.yaml",
            "spec/atlas-api.yaml",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(json["bump"], "none");
    assert_eq!(json["changes"], serde_json::json!([]));
}

#[test]
fn provenance_names_the_spec_of_the_checked_in_sdk() {
    let output = xtask().arg("provenance").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("  spec:         spec/atlas-api.yaml"),
        "{text}"
    );
    assert!(text.contains("spec/atlas-api.yaml is that spec."), "{text}");
}
