//! How xtask runs Cargo, and where the crates it generates (corpus, conformance, full specs,
//! hostile names) are built.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The Cargo that runs xtask (`$CARGO`), or the one on `PATH`.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The one target directory shared by every crate xtask generates, so that the runtime and
/// its dependencies compile once for all of them.
pub(crate) struct GeneratedTarget {
    dir: PathBuf,
}

impl GeneratedTarget {
    /// `target/generated` of this workspace.
    pub(crate) fn new() -> Self {
        Self {
            dir: crate::workspace_root().join("target/generated"),
        }
    }

    /// The target directory of parallel worker `worker` (the first is [`GeneratedTarget::new`]'s):
    /// Cargo locks a target directory for a whole build, so workers that build at once each
    /// need their own (each builds the shared dependencies once).
    pub(crate) fn worker(worker: usize) -> Self {
        let shared = Self::new();
        match worker {
            0 => shared,
            n => Self {
                dir: shared.dir.with_file_name(format!("generated-{}", n + 1)),
            },
        }
    }

    /// The directory itself, where the built programs are found.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Cargo, building into this directory. Incremental compilation is off: each generated
    /// crate is built once or twice and then forgotten, so its incremental cache is never
    /// reused, and over the wild documents those caches came to 28 GB and filled CI's disk.
    pub(crate) fn cargo(&self) -> Command {
        let mut command = cargo();
        command
            .env("CARGO_TARGET_DIR", &self.dir)
            .env("CARGO_INCREMENTAL", "0");
        command
    }

    /// Removes the artifacts of the generated crate at `manifest_dir` (its libraries and
    /// programs), keeping the dependencies every other crate shares. A corpus run calls this
    /// after each document, so its disk use stays that of one crate.
    pub(crate) fn forget(&self, manifest_dir: &Path) -> Result<()> {
        let package = package_name(manifest_dir)?;
        let status = self
            .cargo()
            .args(["clean", "--quiet", "--package", &package, "--manifest-path"])
            .arg(manifest_dir.join("Cargo.toml"))
            .status()
            .with_context(|| format!("removing the build of {package}"))?;
        if !status.success() {
            bail!("cargo clean --package {package} failed");
        }
        Ok(())
    }
}

/// A Cargo manifest, read as TOML: the one reader of manifests in xtask.
pub(crate) fn read_manifest(path: &Path) -> Result<toml::Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The package name in the manifest of the crate at `dir`.
pub(crate) fn package_name(dir: &Path) -> Result<String> {
    let path = dir.join("Cargo.toml");
    let manifest = read_manifest(&path)?;
    manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("{} names no package", path.display()))
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn the_package_name_is_the_package_tables() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let manifest = "[lib]\nname = \"lib_name\"\n\n[package]\nname = \"corpus-3-1-jupyterhub\"\nversion = \"0.0.0\"\n";
        std::fs::write(dir.path().join("Cargo.toml"), manifest)?;
        assert_eq!(package_name(dir.path())?, "corpus-3-1-jupyterhub");
        std::fs::write(dir.path().join("Cargo.toml"), "[lib]\nname = \"x\"\n")?;
        let error = package_name(dir.path()).err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.ends_with("Cargo.toml names no package")));
        Ok(())
    }
}
