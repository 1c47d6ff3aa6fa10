//! Encoding generated structs as JSON objects (their `Serialize`), and the switch that
//! encodes them as a server sends them.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::visit::FieldVisitor;

thread_local! {
    /// Whether [`as_response`] is encoding on this thread: read-only fields are written.
    static RESPONSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `encode` with every model encoded as a server sends it: read-only fields (`id`,
/// `stateName`, `created`, …) included, which a request leaves out. Typed mocks answer
/// through it (`Endpoint::encode`).
///
/// A flag of the thread rather than a second `Serialize` per model: serde's `serialize`
/// carries no context, and a second impl would double the encoders of ~800 generated models
/// for what only mocks need. Serializing is synchronous, so the flag covers exactly the
/// nested models `encode` writes; the previous value comes back when it returns or unwinds.
pub fn as_response<R>(encode: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            RESPONSE.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(RESPONSE.with(|flag| flag.replace(true)));
    encode()
}

fn encoding_response() -> bool {
    RESPONSE.with(std::cell::Cell::get)
}

/// Encodes a generated struct as a JSON object: the [`FieldVisitor`] its `Serialize` walks
/// its fields with ([`serialize`](super::serialize)).
///
/// The writing methods return nothing: the first error is kept, later entries are not
/// written, and [`end`](Self::end) returns it. A generated walk is then one plain call per
/// field, without a `?` (each a desugared branch to type-check) on every line.
pub struct Encoder<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Encoder<M> {
    /// Starts the object.
    ///
    /// # Errors
    /// The serializer's.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        let map = serializer.serialize_map(None)?;
        Ok(Self { map, error: None })
    }

    /// Writes `key: value` unless an earlier entry failed; keeps the first error.
    fn write<K: Serialize + ?Sized, T: Serialize + ?Sized>(&mut self, key: &K, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(key, value)
        {
            self.error = Some(error);
        }
    }

    /// Ends the object.
    ///
    /// # Errors
    /// The first entry's error, or the serializer's.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

impl<M: SerializeMap> FieldVisitor for Encoder<M> {
    fn entry<T: Serialize + fmt::Debug + ?Sized>(
        &mut self,
        wire: &'static str,
        _: &'static str,
        value: &T,
    ) {
        self.write(wire, value);
    }

    fn optional<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        _: &'static str,
        value: &Option<T>,
    ) {
        if let Some(value) = value {
            self.write(wire, value);
        }
    }

    fn date_time(&mut self, wire: &'static str, _: &'static str, value: &time::OffsetDateTime) {
        self.write(wire, &AsRfc3339(value));
    }

    fn optional_date_time(
        &mut self,
        wire: &'static str,
        _: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        if let Some(value) = value {
            self.write(wire, &AsRfc3339(value));
        }
    }

    fn nullable_date_time(
        &mut self,
        wire: &'static str,
        _: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        self.write(wire, &value.as_ref().map(AsRfc3339));
    }

    /// Written only by [`as_response`] (a server sets it, a request never carries it), and
    /// only when set.
    fn read_only<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<T>,
    ) {
        if encoding_response() {
            self.optional(wire, rust, value);
        }
    }

    fn read_only_date_time(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        if encoding_response() {
            self.optional_date_time(wire, rust, value);
        }
    }

    fn additional<T: Serialize + fmt::Debug>(
        &mut self,
        _: &'static str,
        entries: &BTreeMap<String, T>,
    ) {
        for (key, value) in entries {
            self.write(key, value);
        }
    }
}

struct AsRfc3339<'a>(&'a time::OffsetDateTime);

impl Serialize for AsRfc3339<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_date_times_as_rfc3339_and_null() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap();
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Encoder::new(&mut serializer).unwrap();
        map.nullable_date_time("a", "a", &None);
        map.optional_date_time("b", "b", &None);
        map.optional_date_time("c", "c", &Some(at));
        map.nullable_date_time("d", "d", &Some(at));
        map.end().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":null,"c":"2024-01-02T03:04:05Z","d":"2024-01-02T03:04:05Z"}"#
        );
    }

    #[test]
    fn the_first_failed_entry_is_the_error_and_nothing_after_it_is_written() {
        #[derive(Debug)]
        struct Refused(&'static str);
        impl Serialize for Refused {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom(self.0))
            }
        }
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Encoder::new(&mut serializer).unwrap();
        map.entry("a", "a", &1);
        map.entry("b", "b", &Refused("first"));
        map.entry("c", "c", &Refused("second"));
        map.entry("d", "d", &4);
        let error = map.end().unwrap_err();
        assert_eq!(error.to_string(), "first");
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"b":"#);
    }

    #[test]
    fn read_only_fields_are_written_only_as_a_response() {
        struct Cluster {
            name: String,
            state: Option<String>,
            created: Option<time::OffsetDateTime>,
        }
        impl Serialize for Cluster {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = Encoder::new(serializer)?;
                map.entry("name", "name", &self.name);
                map.read_only("stateName", "state", &self.state);
                map.read_only_date_time("created", "created", &self.created);
                map.end()
            }
        }
        let cluster = Cluster {
            name: "c".to_owned(),
            state: Some("IDLE".to_owned()),
            created: Some(time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap()),
        };
        let request = serde_json::to_string(&cluster).unwrap();
        let response = as_response(|| serde_json::to_string(&[&cluster]).unwrap());
        assert_eq!(request, r#"{"name":"c"}"#);
        assert_eq!(
            response,
            r#"[{"name":"c","stateName":"IDLE","created":"2024-01-02T03:04:05Z"}]"#
        );
        // Unset, they are left out as a server leaves them out; the flag ends with the call.
        let unset = Cluster {
            state: None,
            created: None,
            ..cluster
        };
        assert_eq!(
            as_response(|| serde_json::to_string(&unset).unwrap()),
            r#"{"name":"c"}"#
        );
        assert!(!encoding_response());
    }
}
