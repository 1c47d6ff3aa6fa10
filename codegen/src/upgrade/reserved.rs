//! The generator's own markers (`x-atlas-tuple`, `x-atlas-delimiter`, …) carry facts between
//! the passes of `upgrade` inside the document, until the last pass moves them into a table
//! of their own (`marks.rs`). A document that brings keys of that namespace itself must not
//! steer the generated code, so they are taken out before any pass runs: afterwards every
//! such key in the document is one the generator wrote.

use serde_json::{Map, Value};

use super::Notes;
use crate::ir::NoteKind;

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

/// Calls `visit` with every object of `raw` that is not data (examples and the values of
/// extensions are), and its JSON pointer; `visit` sees an object before its members. The
/// walk is iterative, so a deeply nested document costs no stack.
pub(super) fn outside_data(raw: &mut Value, mut visit: impl FnMut(&mut Map<String, Value>, &str)) {
    let mut stack: Vec<(&mut Value, String)> = vec![(raw, "#".to_owned())];
    while let Some((value, at)) = stack.pop() {
        match value {
            Value::Object(map) => {
                visit(map, &at);
                for (key, child) in map.iter_mut() {
                    if key == "example" || key == "examples" || key.starts_with("x-") {
                        continue;
                    }
                    let child_at = format!("{at}/{}", crate::error::escape_token(key));
                    stack.push((child, child_at));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    stack.push((child, format!("{at}/{i}")));
                }
            }
            _ => {}
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
