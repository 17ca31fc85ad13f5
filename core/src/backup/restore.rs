//! Restoring a backup is a merge, never a replace:
//!
//! - Two entries are the same account when their secret and OTP parameters
//!   match ([`EntryData::same_account`](crate::EntryData::same_account)).
//!   The same account is kept once: the newer metadata (issuer, account,
//!   icon, groups) wins, and an HOTP counter takes the maximum.
//! - The same issuer and account with a different secret are two accounts:
//!   both are kept and reported as "kept twice", for the user to sort out.
//! - Nothing is ever removed from the vault.
//!
//! "Newer" is the later `modified` time; equal times are decided by the
//! metadata itself, so that restoring A then B gives what B then A gives.
//! Restoring the same backup twice changes nothing the second time.

use serde::Serialize;

use crate::entry::{Entry, EntryData};
use crate::otp::OtpType;
use crate::vault::Contents;

/// What a restore did (or, on a copy, would do), by account name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Added although an account with the same name but another secret
    /// exists: both are kept.
    pub kept_twice: Vec<String>,
}

impl RestoreReport {
    pub fn changes_anything(&self) -> bool {
        !self.added.is_empty() || !self.updated.is_empty()
    }
}

fn rank(e: &Entry) -> (i64, &str, &str, &Option<String>, &Vec<String>) {
    (
        e.modified,
        &e.data.issuer,
        &e.data.account,
        &e.icon,
        &e.groups,
    )
}

fn same_name(a: &EntryData, b: &EntryData) -> bool {
    a.issuer.to_lowercase() == b.issuer.to_lowercase()
        && a.account.to_lowercase() == b.account.to_lowercase()
}

/// Merges `incoming` into `contents`. For a preview, run it on a clone.
pub fn restore(contents: &mut Contents, incoming: &[Entry]) -> RestoreReport {
    let mut report = RestoreReport::default();
    for b in incoming {
        let name = b.data.display_name();
        if let Some(v) = contents
            .entries
            .iter_mut()
            .find(|v| v.data.same_account(&b.data))
        {
            let before = v.clone();
            if rank(b) > rank(v) {
                v.data.issuer.clone_from(&b.data.issuer);
                v.data.account.clone_from(&b.data.account);
                v.icon.clone_from(&b.icon);
                v.groups.clone_from(&b.groups);
                v.modified = b.modified;
            }
            if v.data.otp.kind == OtpType::Hotp {
                v.data.otp.counter = v.data.otp.counter.max(b.data.otp.counter);
            }
            if *v == before {
                report.unchanged.push(name);
            } else {
                report.updated.push(v.data.display_name());
            }
            continue;
        }
        let twice = contents.entries.iter().any(|v| same_name(&v.data, &b.data));
        let mut entry = b.clone();
        // An id already taken here (or deleted here, which a later merge
        // of the vault file would honour) gets a fresh one.
        if contents.entries.iter().any(|v| v.id == entry.id)
            || contents.tombstones.iter().any(|t| t.id == entry.id)
        {
            entry.id = uuid::Uuid::new_v4();
        }
        contents.entries.push(entry);
        if twice {
            report.kept_twice.push(name.clone());
        }
        report.added.push(name);
    }
    report
}
