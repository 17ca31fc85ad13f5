//! The link syntax that `otpauth://` and `otpauth-migration://` share: a
//! query string and an `Issuer:account` label. Apart from [`crate::uri`]
//! so that the migration parser, which [`crate::uri`] calls for migration
//! links, does not have to call back into it.

/// `(key, value)` pairs of a query string; values keep a raw `=` (padding).
pub(crate) fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Splits `Issuer:account` (spaces after the colon are not part of the
/// account). A label without a colon is the account name alone.
pub fn split_label(label: &str) -> (String, String) {
    match label.split_once(':') {
        Some((issuer, account)) => (issuer.trim().to_owned(), account.trim_start().to_owned()),
        None => (String::new(), label.to_owned()),
    }
}
