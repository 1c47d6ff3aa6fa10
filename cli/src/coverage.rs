//! The coverage report: how much of a document the generated code covers, and the notes.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::codegen;

/// Prints each note, then the coverage line and the values typed as JSON, to stderr.
pub fn print(output: &codegen::Output) {
    for diagnostic in &output.diagnostics {
        eprintln!(
            "note ({}): {}: {}",
            diagnostic.kind, diagnostic.pointer, diagnostic.message
        );
    }
    eprintln!("coverage: {}", summary(output));
    for loose in &output.coverage.loose {
        eprintln!(
            "  loose: {}: {} ({})",
            loose.pointer, loose.representation, loose.reason
        );
    }
}

/// The one-line summary: operations, schemas, webhooks, loose values and notes.
pub fn summary(output: &codegen::Output) -> String {
    let c = &output.coverage;
    let webhooks = if c.webhooks_in_spec > 0 {
        format!(", {}/{} webhooks", c.webhooks_generated, c.webhooks_in_spec)
    } else {
        String::new()
    };
    format!(
        "{}/{} operations, {}/{} component schemas (+{} inline types){webhooks}, {} values typed as JSON, {} notes",
        c.operations_generated,
        c.operations_in_spec,
        c.schemas_generated,
        c.schemas_in_spec,
        c.inline_types,
        c.loose.len(),
        output.diagnostics.len()
    )
}

/// The report as JSON: the document's file name, the coverage, and every note.
pub fn json(spec_name: &str, output: &codegen::Output) -> serde_json::Value {
    let file = Path::new(spec_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    serde_json::json!({
        "spec": file,
        "coverage": output.coverage,
        "notes": output
            .diagnostics
            .iter()
            .map(|d| serde_json::json!({"kind": d.kind, "pointer": d.pointer, "message": d.message}))
            .collect::<Vec<_>>(),
    })
}

/// Writes [`json`] to `path`, pretty-printed.
pub fn write_json(path: &Path, spec_name: &str, output: &codegen::Output) -> Result<()> {
    let text = serde_json::to_string_pretty(&json(spec_name, output))? + "\n";
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
