//! `--strict`: the kinds of notes that make a run fail before anything is written.

use anyhow::{Result, bail};

use crate::codegen;

/// The kinds `--strict` names, checked before anything is generated.
#[derive(Debug, Default)]
pub struct Strict {
    kinds: Vec<codegen::ir::NoteKind>,
    loose: bool,
}

impl Strict {
    /// Reads `--strict`'s list: note kinds, `loose` (values typed as JSON), or `all`.
    pub fn parse(names: &[String]) -> Result<Strict> {
        let mut strict = Strict::default();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match name {
                "all" => {
                    strict.kinds = codegen::ir::NoteKind::ALL.to_vec();
                    strict.loose = true;
                }
                "loose" => strict.loose = true,
                other => match codegen::ir::NoteKind::parse(other) {
                    Some(kind) => strict.kinds.push(kind),
                    None => bail!(
                        "--strict: unknown kind `{other}`; expected `all`, `loose` or one of {}",
                        codegen::ir::NoteKind::ALL
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            }
        }
        Ok(strict)
    }

    /// The notes (and loose values) `output` has of the chosen kinds, one line each.
    pub fn violations(&self, output: &codegen::Output) -> Vec<String> {
        let notes = output
            .diagnostics
            .iter()
            .filter(|d| self.kinds.contains(&d.kind))
            .map(|d| format!("{} note: {}: {}", d.kind, d.pointer, d.message));
        let loose = output
            .coverage
            .loose
            .iter()
            .filter(|_| self.loose)
            .map(|l| format!("loose: {}: {} ({})", l.pointer, l.representation, l.reason));
        notes.chain(loose).collect()
    }

    /// Fails, after printing each violation, when `output` has any.
    pub fn enforce(&self, output: &codegen::Output) -> Result<()> {
        let violations = self.violations(output);
        if violations.is_empty() {
            return Ok(());
        }
        for line in &violations {
            eprintln!("strict: {line}");
        }
        bail!(
            "--strict: {} note(s) of the kinds you chose; nothing was written",
            violations.len()
        )
    }
}
