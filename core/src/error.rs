//! What every error of core's operations tells a front end besides its
//! English message: a stable kind to branch on and translate, the values
//! the message is made of, and the finer error it carries, if any.
//!
//! Front ends map errors through this trait alone (the app's `CmdError`
//! has one `From` for every `Kind`), so a kind is spelt once, here in core.
//! Kinds are stable: tests, the UI's translations and other projects' test
//! manifests (`../shared/testdata`) name them. Messages name no front
//! end's command or flag; each front end adds its own hints.

/// The values a message is made of, by name, for a front end that says it
/// in its own words (the UI's `{path}`, `{version}`, …).
pub type Params = Vec<(&'static str, String)>;

/// A stable kind, the message's values, the finer error within.
pub trait Kind: std::error::Error {
    /// A stable snake_case name of what went wrong.
    fn kind(&self) -> &'static str;

    /// The values the message is made of, by name.
    fn params(&self) -> Params {
        Params::new()
    }

    /// The finer error this one wraps when that one says more (a bad
    /// secret inside a link, a full disk inside a save): front ends that
    /// translate show the innermost.
    fn inner(&self) -> Option<&dyn Kind> {
        None
    }
}

/// The innermost error of `e` along [`Kind::inner`].
pub fn innermost(mut e: &dyn Kind) -> &dyn Kind {
    while let Some(inner) = e.inner() {
        e = inner;
    }
    e
}

/// A path as messages show it.
pub(crate) fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{CodeError, ParamsError};
    use crate::secret::Base32Error;
    use crate::uri::UriError;

    #[test]
    fn the_innermost_error_names_the_failure() {
        let e = UriError::InvalidSecret(Base32Error::InvalidChar {
            position: 3,
            ch: '1',
        });
        assert_eq!(e.kind(), "invalid_secret");
        let inner = innermost(&e);
        assert_eq!(inner.kind(), "invalid_secret_char");
        assert_eq!(
            inner.params(),
            vec![("position", "3".to_owned()), ("char", "1".to_owned())]
        );
        let e = CodeError::Params(ParamsError::Digits(12));
        assert_eq!(innermost(&e).kind(), "invalid_digits");
        assert_eq!(innermost(&e).params(), vec![("value", "12".to_owned())]);
    }
}
