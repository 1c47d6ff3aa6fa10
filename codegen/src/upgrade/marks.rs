//! Facts `upgrade` learns that the typed model has no field for (a tuple's members, the
//! character that joins a list, a parameter that was `in: querystring`), handed to lowering
//! in a table of their own.
//!
//! While the passes run, each fact rides inside the document as a marker key
//! ([`Mark::key`]) on the object it belongs to, so that a copy the resolver makes carries
//! it along; the document's own keys of that namespace were removed before the first pass
//! (`reserved.rs`). The last pass ([`harvest`]) takes every marker out into [`Marks`], keyed
//! by the JSON pointer of its object in the upgraded document. The document lowering reads
//! is then the author's namespace only, and lowering asks the table by the pointer it already
//! has for its notes.

use std::collections::BTreeMap;

use serde_json::Value;

/// What a marker says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mark {
    /// On an array schema: its closed tuple of scalars (`["integer:int32", "number"]`).
    Tuple,
    /// On a parameter or a form field's encoding: the character that joins an unexploded
    /// list where no 3.x style says it (Swagger 2.0's `tsv`; `ssv` and `pipes` outside the
    /// query).
    Delimiter,
    /// On a parameter: it was `in: querystring`, and its properties are sent as a form's.
    Querystring,
}

impl Mark {
    const ALL: [Mark; 3] = [Mark::Tuple, Mark::Delimiter, Mark::Querystring];

    /// The key the marker has in the document while the passes run.
    pub(crate) const fn key(self) -> &'static str {
        match self {
            Mark::Tuple => "x-atlas-tuple",
            Mark::Delimiter => "x-atlas-delimiter",
            Mark::Querystring => "x-atlas-querystring",
        }
    }
}

/// The markers of an upgraded document, by the pointer of the object each was on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks(BTreeMap<(String, Mark), Value>);

impl Marks {
    /// The members of the closed tuple of scalars the array schema at `at` is.
    pub(crate) fn tuple(&self, at: &str) -> Option<&[Value]> {
        self.get(at, Mark::Tuple)?.as_array().map(Vec::as_slice)
    }

    /// The character that joins the unexploded list of the parameter or encoding at `at`.
    pub(crate) fn delimiter(&self, at: &str) -> Option<char> {
        self.get(at, Mark::Delimiter)?.as_str()?.chars().next()
    }

    /// Whether the parameter at `at` was `in: querystring`.
    pub(crate) fn querystring(&self, at: &str) -> bool {
        self.get(at, Mark::Querystring).is_some()
    }

    fn get(&self, at: &str, mark: Mark) -> Option<&Value> {
        self.0.get(&(at.to_owned(), mark))
    }
}

/// Takes every marker out of `raw` into the table. Examples and the values of other
/// extensions are data, and the passes never write markers there.
pub(crate) fn harvest(raw: &mut Value) -> Marks {
    let mut marks = Marks::default();
    super::reserved::outside_data(raw, |map, at| {
        for mark in Mark::ALL {
            if let Some(value) = map.remove(mark.key()) {
                marks.0.insert((at.to_owned(), mark), value);
            }
        }
    });
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_leave_the_document_for_the_table_by_pointer() {
        let mut raw = serde_json::json!({
            "paths": {"/a/{b}": {"get": {"parameters": [
                {"name": "b", "in": "path", "x-atlas-delimiter": "|"},
                {"name": "q", "in": "query", "x-atlas-querystring": true}
            ]}}},
            "components": {"schemas": {"Point": {
                "type": "array",
                "x-atlas-tuple": ["number", "integer:int32"],
                "example": {"x-atlas-tuple": 1}
            }}}
        });
        let marks = harvest(&mut raw);
        assert_eq!(
            raw,
            serde_json::json!({
                "paths": {"/a/{b}": {"get": {"parameters": [
                    {"name": "b", "in": "path"},
                    {"name": "q", "in": "query"}
                ]}}},
                "components": {"schemas": {"Point": {
                    "type": "array",
                    "example": {"x-atlas-tuple": 1}
                }}}
            })
        );
        assert_eq!(
            marks.tuple("#/components/schemas/Point"),
            Some(&[Value::from("number"), Value::from("integer:int32")][..])
        );
        assert_eq!(
            marks.delimiter("#/paths/~1a~1{b}/get/parameters/0"),
            Some('|')
        );
        assert!(marks.querystring("#/paths/~1a~1{b}/get/parameters/1"));
        assert!(!marks.querystring("#/paths/~1a~1{b}/get/parameters/0"));
        assert_eq!(marks.delimiter("#/paths/~1a~1{b}/get/parameters/1"), None);
        assert_eq!(marks.0.len(), 3);
    }
}
