//! How values look on the wire, knowing nothing of the client: parameter styles and
//! documented response headers. The bottom layer: the error type, authentication and the
//! runtime build on it, and it uses none of them.

pub(crate) mod headers;
pub(crate) mod query;
pub(crate) mod style;
