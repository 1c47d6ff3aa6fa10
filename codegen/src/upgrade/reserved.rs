//! The generator's own markers (`x-atlas-tuple`, `x-atlas-delimiter`, …) carry facts between
//! the passes of `upgrade` inside the document, until the last pass moves them into a table
//! of their own (`marks.rs`). A document that brings keys of that namespace itself must not
//! steer the generated code, so they are taken out before any pass runs: afterwards every
//! such key in the document is one the generator wrote.

use serde_json::{Map, Value};

use super::Notes;
use crate::ir::NoteKind;
use crate::walk::{Dialect, Position, Visit, walk_document};

/// The prefix of the generator's markers.
pub(crate) const PREFIX: &str = "x-atlas-";

/// Removes every key of the reserved namespace from `raw`, each with a note. Examples and the
/// values of other extensions are data and are left as written.
pub(crate) fn strip(raw: &mut Value, notes: &mut Notes) {
    outside_data(raw, |map, at| {
        let reserved: Vec<String> = map
            .keys()
            .filter(|key| key.starts_with(PREFIX))
            .cloned()
            .collect();
        for key in reserved {
            map.remove(&key);
            notes.push(
                NoteKind::Unused,
                at,
                format!(
                    "`{key}` is ignored: keys starting `{PREFIX}` are reserved for the generator's own markers"
                ),
            );
        }
    });
}

/// Calls `visit` with every object of `raw` the structural walk knows (every position, and
/// the objects that hold them), and its JSON pointer; `visit` sees an object before its
/// members. Examples and the values of extensions are data, never visited.
pub(super) fn outside_data(raw: &mut Value, visit: impl FnMut(&mut Map<String, Value>, &str)) {
    let dialect = Dialect::of(raw);
    walk_document(raw, dialect, &mut Objects(visit));
}

struct Objects<F>(F);

impl<F: FnMut(&mut Map<String, Value>, &str)> Visit for Objects<F> {
    fn enter(&mut self, _position: Position, value: &mut Value, at: &str) -> bool {
        self.container(value, at);
        true
    }

    fn container(&mut self, value: &mut Value, at: &str) {
        if let Value::Object(map) = value {
            (self.0)(map, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_keys_are_removed_with_a_note_and_data_is_kept() {
        let mut raw = serde_json::json!({
            "components": {"schemas": {"Point": {
                "type": "array",
                "x-atlas-tuple": ["number", "number"],
                "example": {"x-atlas-tuple": 1},
                "x-vendor": {"x-atlas-delimiter": "|"}
            }}}
        });
        let mut notes = Notes::default();
        strip(&mut raw, &mut notes);
        assert_eq!(
            raw,
            serde_json::json!({
                "components": {"schemas": {"Point": {
                    "type": "array",
                    "example": {"x-atlas-tuple": 1},
                    "x-vendor": {"x-atlas-delimiter": "|"}
                }}}
            })
        );
        let notes: Vec<(String, String)> = notes
            .0
            .into_iter()
            .map(|d| (d.pointer, d.message))
            .collect();
        assert_eq!(
            notes,
            [(
                "#/components/schemas/Point".to_owned(),
                "`x-atlas-tuple` is ignored: keys starting `x-atlas-` are reserved for the generator's own markers".to_owned()
            )]
        );
    }
}
