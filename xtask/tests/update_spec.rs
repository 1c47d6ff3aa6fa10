//! `cargo xtask update-spec` on a scratch workspace (the files it reads and writes, copied):
//! the Access Tracking tag's 2023 document updated to its 2025 one, whose rename of
//! `ApiMongoDBAccessLogsView` stays as a deprecated alias; and a broken document, which
//! changes nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A workspace holding what update-spec touches, with `spec` as its current document.
fn scratch(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let at = |p: &str| dir.path().join(p);
    fs::create_dir_all(at("spec")).unwrap();
    fs::create_dir_all(at("atlas-sdk/src/generated")).unwrap();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "CHANGELOG.md",
        "atlas-sdk/Cargo.toml",
    ] {
        fs::copy(root().join(file), at(file)).unwrap();
    }
    fs::write(at("spec/waiters.toml"), "").unwrap();
    fs::copy(root().join(spec), at("spec/atlas-api.yaml")).unwrap();
    dir
}

fn update(workspace: &Path, new: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["update-spec", new, "--workspace"])
        .arg(workspace)
        .output()
        .unwrap()
}

fn version(manifest: &Path) -> String {
    let table: toml::Table = toml::from_str(&fs::read_to_string(manifest).unwrap()).unwrap();
    table["package"]["version"].as_str().unwrap().to_owned()
}

#[test]
fn a_new_document_is_a_release_with_its_report_and_aliases() {
    let dir = scratch("tests/fixtures/atlas-api-2023.yaml");
    let before = version(&root().join("atlas-sdk/Cargo.toml"));
    let output = update(dir.path(), "tests/fixtures/atlas-access-tracking.yaml");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let at = |p: &str| dir.path().join(p);

    // The spec is the new document, byte for byte.
    assert_eq!(
        fs::read(at("spec/atlas-api.yaml")).unwrap(),
        fs::read(root().join("tests/fixtures/atlas-access-tracking.yaml")).unwrap()
    );
    // The renamed schema keeps its old name, deprecated.
    let names = fs::read_to_string(at("spec/former-names.toml")).unwrap();
    assert!(
        names.contains("ApiMongoDBAccessLogsView = \"MongoDBAccessLogs\""),
        "{names}"
    );
    let models = fs::read_to_string(at("atlas-sdk/src/generated/models/mod.rs")).unwrap();
    assert!(
        models.contains("pub type ApiMongoDBAccessLogsView = self::MongoDBAccessLogs;"),
        "{models}"
    );
    // The report is the first thing under "Unreleased", and the version is the next minor
    // (0.x: something breaks).
    let log = fs::read_to_string(at("CHANGELOG.md")).unwrap();
    let unreleased = log.find("\n## Unreleased").unwrap();
    let entry = log
        .find("### API document: atlas-access-tracking.yaml")
        .unwrap();
    assert!(entry > unreleased, "{log}");
    assert!(log[entry..].contains("breaking"), "{log}");
    let (major, rest) = before.split_once('.').unwrap();
    let minor: u32 = rest.split('.').next().unwrap().parse().unwrap();
    let next = format!("{major}.{}.0", minor + 1);
    assert!(log[entry..].contains(&format!("Version {before} → **{next}**")));
    assert_eq!(version(&at("atlas-sdk/Cargo.toml")), next);
    let workspace = fs::read_to_string(at("Cargo.toml")).unwrap();
    assert!(workspace.contains(&format!(
        "package = \"mongodb-atlas-sdk\", version = \"{next}\""
    )));
}

#[test]
fn a_document_that_does_not_generate_changes_nothing() {
    let dir = scratch("tests/fixtures/atlas-access-tracking.yaml");
    let broken = dir.path().join("broken.yaml");
    // Not even YAML: an unclosed flow sequence.
    fs::write(&broken, "openapi: 3.0.1\ninfo: [title\n").unwrap();
    let files = [
        "spec/atlas-api.yaml",
        "CHANGELOG.md",
        "atlas-sdk/Cargo.toml",
        "Cargo.toml",
    ];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    let output = update(dir.path(), broken.to_str().unwrap());
    assert!(!output.status.success());
    // A document that reads but does not generate: the rename table written for the
    // generation is taken back too.
    let unclosed = dir.path().join("unclosed.yaml");
    fs::write(
        &unclosed,
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a/{b:\n    get:\n      operationId: getA\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    let output = update(dir.path(), unclosed.to_str().unwrap());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has an unclosed `{`"), "{stderr}");
    assert!(
        stderr.contains("does not generate; nothing was changed"),
        "{stderr}"
    );
    let after: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(!dir.path().join("spec/former-names.toml").exists());
    assert_eq!(
        fs::read_dir(dir.path().join("atlas-sdk/src/generated"))
            .unwrap()
            .count(),
        0
    );
}
