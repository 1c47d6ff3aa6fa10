//! HTTP facts several passes of the generator check, written once: the methods a path item
//! holds, and what a token (a method or a header field name) may contain.

/// The methods a path item holds as fixed fields, in the specification's order (`query`
/// since OpenAPI 3.2).
pub const FIXED_METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// The fixed methods the typed model has a field for: 3.2's `query` is read beside the
/// methods no fixed field holds (`upgrade::extension_operations`).
pub const UPGRADED_METHODS: &[&str] = FIXED_METHODS.split_at(8).0;

/// The methods the `http` crate has a constant for; a generated crate builds any other from
/// its bytes.
pub(crate) const HTTP_CRATE_METHODS: [&str; 9] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
];

/// Whether `name` is an RFC 9110 token: one or more `tchar`s. Methods and header field names
/// are tokens.
pub(crate) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_tchars_only() {
        assert!(is_token("X-Request-Id"));
        assert!(is_token("COPY"));
        assert!(is_token("a!#$%&'*+-.^_`|~9"));
        assert!(!is_token(""));
        assert!(!is_token("Bad Name"));
        assert!(!is_token("x:y"));
        assert!(!is_token("é"));
    }

    #[test]
    fn an_upgraded_document_has_the_fixed_methods_before_query() {
        assert_eq!(UPGRADED_METHODS.len(), 8);
        assert!(!UPGRADED_METHODS.contains(&"query"));
        assert_eq!(FIXED_METHODS.last(), Some(&"query"));
    }
}
