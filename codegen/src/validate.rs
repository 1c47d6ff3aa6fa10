//! Helpers over the raw document: the operation a JSON pointer falls in. (Dangling `$ref`s, duplicate `operationId`s and parameters without a
//! schema are repaired with notes by [`crate::upgrade`], not refused.)

use serde_json::Value;

/// The `operationId` of the operation that contains `pointer`, if it is inside one.
pub(crate) fn operation_at<'a>(raw: &'a Value, pointer: &str) -> Option<&'a str> {
    let mut tokens = pointer.strip_prefix("#/paths/")?.splitn(3, '/');
    let path = tokens.next()?;
    let method = tokens.next()?;
    raw.pointer(&format!("/paths/{path}/{method}/operationId"))?
        .as_str()
}
