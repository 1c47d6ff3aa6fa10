//! Runtime overhead: the `runtime` program of `atlas-bench` decodes a 20,000-entry access-log
//! response and makes requests to a loopback server, through the SDK and without it.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use super::Runs;
use super::process;
use super::stats::{Sample, parse_samples};

/// The runtime samples, as the program printed them.
pub(crate) fn section(program: &Path, runs: Runs) -> Result<Vec<Sample>> {
    let mut command = Command::new(program);
    if runs.quick {
        command.arg("--quick");
    }
    let measured = process::run_ok(&mut command)?;
    parse_samples(&String::from_utf8_lossy(&measured.output.stdout))
}
