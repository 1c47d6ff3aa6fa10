//! A generated struct's fields, walked once by its own code
//! ([`Object::visit_fields`](super::Object::visit_fields)) for both its `Serialize` and its
//! `Debug`.
//!
//! Each walk is one call per field, naming the field on the wire and in Rust and saying how
//! it is written. The encoder ([`Encoder`](super::encode::Encoder)) takes the wire names and
//! the rules; `DebugFields` takes the Rust names and shows every field, as
//! `#[derive(Debug)]` would. A derived `Debug` per model cost the compiler as much as its
//! encoder did (`cargo xtask compile-profile`): both now share one body per model.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Receives a generated struct's fields, in declaration order: `wire` is the field's JSON
/// key, `rust` its Rust name.
pub trait FieldVisitor {
    /// A field always written.
    fn entry<T: Serialize + fmt::Debug + ?Sized>(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &T,
    );

    /// An optional field, left out of the JSON when `None`.
    fn optional<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<T>,
    );

    /// A date-time, written as RFC 3339 text.
    fn date_time(&mut self, wire: &'static str, rust: &'static str, value: &time::OffsetDateTime);

    /// An optional date-time, left out when `None`.
    fn optional_date_time(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    );

    /// A required nullable date-time, `null` when `None`.
    fn nullable_date_time(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    );

    /// An optional field the server sets: written only as a response.
    fn read_only<T: Serialize + fmt::Debug>(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<T>,
    );

    /// [`read_only`](Self::read_only) for a date-time.
    fn read_only_date_time(
        &mut self,
        wire: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    );

    /// The `additionalProperties` map, field `rust`: each entry is a key of the object.
    fn additional<T: Serialize + fmt::Debug>(
        &mut self,
        rust: &'static str,
        entries: &BTreeMap<String, T>,
    );
}

/// A struct's `Debug`, field by field under their Rust names, every field shown (`None`
/// and read-only ones too): the text `#[derive(Debug)]` gives.
pub(super) struct DebugFields<'a, 'b>(pub(super) fmt::DebugStruct<'a, 'b>);

impl FieldVisitor for DebugFields<'_, '_> {
    fn entry<T: Serialize + fmt::Debug + ?Sized>(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &T,
    ) {
        self.0.field(rust, &value);
    }

    fn optional<T: Serialize + fmt::Debug>(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &Option<T>,
    ) {
        self.0.field(rust, value);
    }

    fn date_time(&mut self, _: &'static str, rust: &'static str, value: &time::OffsetDateTime) {
        self.0.field(rust, value);
    }

    fn optional_date_time(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        self.0.field(rust, value);
    }

    fn nullable_date_time(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        self.0.field(rust, value);
    }

    fn read_only<T: Serialize + fmt::Debug>(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &Option<T>,
    ) {
        self.0.field(rust, value);
    }

    fn read_only_date_time(
        &mut self,
        _: &'static str,
        rust: &'static str,
        value: &Option<time::OffsetDateTime>,
    ) {
        self.0.field(rust, value);
    }

    fn additional<T: Serialize + fmt::Debug>(
        &mut self,
        rust: &'static str,
        entries: &BTreeMap<String, T>,
    ) {
        self.0.field(rust, entries);
    }
}
