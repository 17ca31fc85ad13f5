//! Printing that several commands share: how an added account is reported,
//! how a time reads, and how a JSON document reaches stdout.
//!
//! Kept out of `commands` so that the command modules can print the same
//! way without importing the dispatcher that calls them.

use std::io::Write;

use authdesk_core::vault::{AddOutcome, Vault};
use serde::Serialize;

use crate::failure::Failure;

/// One line per account an add touched, worded the same whether it came
/// from a URI, a typed key or a scanned QR code, so scripts see one shape.
pub fn report_add(vault: &Vault, outcome: AddOutcome) {
    let (verb, id) = match outcome {
        AddOutcome::Added(id) => ("Added", id),
        AddOutcome::AlreadyPresent(id) => ("Already present", id),
    };
    if let Some(e) = vault.get(id) {
        println!("{verb}: {} [{}]", e.data.display_name(), e.short_id());
    }
}

/// A pretty JSON document and a newline on stdout. Writing can fail (a
/// closed pipe, a full disk), and that is reported as a failure rather than
/// the panic `println!` would give.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| Failure::WriteOutput { source: e.into() })?;
    writeln!(out).map_err(|source| Failure::WriteOutput { source })
}

/// "1 account", "2 accounts": the CLI speaks English only, so the English
/// rule (one, other) is all it needs.
pub fn count(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}
