//! Time as Authdesk keeps it: Unix milliseconds in an `i64` ([`UnixMs`]),
//! the one reading of the system clock ([`now_ms`]), and the two
//! conversions front ends need: to the Unix seconds a code is computed for
//! ([`code_seconds`]) and to RFC 3339 for people ([`rfc3339`]).
//!
//! Milliseconds because merges order edits made within one second; signed
//! because the files store `i64` and a clock may be set before 1970.

/// A moment as Unix milliseconds: what entries, deletions, backups and
/// clock checks record.
pub type UnixMs = i64;

/// The system clock now (0 if it is set before 1970).
pub fn now_ms() -> UnixMs {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Now, but later than `prev`: the stamp of a change that must win over
/// what it changes, even when the clock has been set back since.
pub fn after(prev: UnixMs) -> UnixMs {
    now_ms().max(prev.saturating_add(1))
}

/// The Unix seconds a code is computed for at `ms`; `None` before 1970,
/// for which no TOTP code exists.
pub fn code_seconds(ms: UnixMs) -> Option<u64> {
    u64::try_from(ms.div_euclid(1000)).ok()
}

/// `ms` as RFC 3339 UTC (`2026-11-24T08:00:00.123Z`), for messages.
pub fn rfc3339(ms: UnixMs) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{ms} ms after 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_converts_for_codes_and_for_people() {
        assert_eq!(code_seconds(1_700_000_000_999), Some(1_700_000_000));
        assert_eq!(code_seconds(0), Some(0));
        assert_eq!(code_seconds(-1), None);
        assert_eq!(rfc3339(1_790_000_000_000), "2026-09-21T14:13:20Z");
        assert!(now_ms() > 1_700_000_000_000);
    }
}
