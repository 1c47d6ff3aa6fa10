//! When an API stops serving an operation, and what replaces it.

/// The date an operation is withdrawn (the `x-sunset` extension, as MongoDB writes it), and
/// the operation its description names as the replacement, if it names one.
#[derive(Debug, Clone, PartialEq)]
pub struct Sunset {
    /// The date as the document writes it, e.g. `2026-01-15`.
    pub date: String,
    /// The replacing operation, found by its operationId or its summary in the description.
    pub replacement: Option<Replacement>,
}

/// An operation that replaces a sunset one.
#[derive(Debug, Clone, PartialEq)]
pub struct Replacement {
    /// Its operationId.
    pub id: String,
    /// Its method name.
    pub fn_name: String,
    /// Its tag's module, e.g. `flex_snapshots`.
    pub tag_module: String,
}
