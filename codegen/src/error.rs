//! Errors the generator reports: each names the spec file and where in it the problem is.

use std::fmt;

/// Where in the specification a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based) in the spec's text, for syntax errors.
    LineColumn {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JSON pointer into the document, such as `#/paths/~1api~1atlas~1v2~1groups/get`.
    Pointer(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
            Location::Pointer(pointer) => f.write_str(pointer),
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid YAML or JSON.
    Syntax,
    /// The document does not have the shape of an OpenAPI document (Swagger 2.0, OpenAPI 3.0,
    /// 3.1 or 3.2), even after the repairs the generator makes with a note (a dangling `$ref`,
    /// a duplicate or missing `operationId` and a parameter without a schema are repaired,
    /// not refused).
    Structure,
    /// A valid construct this generator does not handle yet.
    Unsupported,
    /// A bug in the generator (it produced code that does not parse).
    Internal,
}

/// A problem in the specification, or (rarely) in the generator, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The spec file, as the caller named it.
    pub file: String,
    /// Where in the file.
    pub location: Option<Location>,
    /// The `operationId` of the operation concerned, if any.
    pub operation: Option<String>,
    /// A sentence about the problem.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(location) = &self.location {
            write!(f, ": {location}")?;
        }
        if let Some(operation) = &self.operation {
            write!(f, " (operation `{operation}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl Error {
    pub(crate) fn at(
        kind: ErrorKind,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            file: file.to_owned(),
            location: Some(Location::Pointer(pointer.into())),
            operation: None,
            message: message.into(),
        }
    }

    pub(crate) fn in_operation(mut self, operation_id: Option<&str>) -> Self {
        if self.operation.is_none() {
            self.operation = operation_id.map(str::to_owned);
        }
        self
    }
}

/// Escapes one JSON-pointer token (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds `#/a/b/c` from unescaped tokens.
pub(crate) fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("#");
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    out
}
