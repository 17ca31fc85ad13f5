//! The one error type commands return. `kind` is stable and the UI
//! translates it (with `params`); `message` is the core's English text, a
//! fallback for kinds the UI does not know yet. Core's errors convert
//! through [`Kind`]; the app's own failures name their kind here.

use std::collections::BTreeMap;

use authdesk_core::error::{Kind, innermost};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CmdError {
    pub kind: &'static str,
    pub message: String,
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub params: BTreeMap<&'static str, String>,
}

impl CmdError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Self {
        self.params.insert(key, value.to_string());
        self
    }

    /// The settings file could not be written.
    pub fn settings_save(e: std::io::Error) -> Self {
        Self::new("settings_save", format!("could not save the settings: {e}"))
    }

    pub fn locked() -> Self {
        Self::new("locked", "the vault is locked")
    }

    pub fn not_found() -> Self {
        Self::new("not_found", "that account no longer exists")
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every core error, the same way: the innermost error's kind and values
/// (a bad character inside a link's secret, not "invalid link"), the
/// outer message as the fallback text. Kinds are spelt once, in core.
impl<E: Kind> From<E> for CmdError {
    fn from(e: E) -> Self {
        let inner = innermost(&e);
        let mut err = CmdError::new(inner.kind(), e.to_string());
        err.params.extend(inner.params());
        err
    }
}
