//! The list's codes: every time-based code with the next one, HOTP codes
//! issued one at a time, and the code a copy takes.

use std::time::Instant;

use authdesk_core::otp::OtpType;
use authdesk_core::timestamp::{UnixMs, code_seconds};
use serde::Serialize;
use zeroize::Zeroizing;

use super::{Session, parse_id};
use crate::error::CmdError;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CodeView {
    pub id: String,
    pub code: String,
    /// The code of the following period (TOTP/Steam), shown near the end.
    pub next: Option<String>,
    pub valid_from: Option<u64>,
    pub valid_until: Option<u64>,
    pub counter: Option<u64>,
}

/// Which code a copy took.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Copied {
    /// The next period's code, because the current one was about to end.
    pub next: bool,
    /// When `next`: the seconds until it is the current one.
    pub starts_in_s: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Codes {
    /// Rust's clock, so the UI can count down without drifting from it.
    pub now_ms: UnixMs,
    /// How many seconds before its period ends a code shows the next one
    /// beside it (and a copy takes that one): `otp::LAST_SECONDS`.
    pub next_within_s: u64,
    pub codes: Vec<CodeView>,
}

impl Session {
    /// Codes of every time-based entry at `now_ms`.
    pub fn codes(&self, now_ms: UnixMs) -> Result<Codes, CmdError> {
        let now = code_seconds(now_ms).unwrap_or(0);
        let mut codes = Vec::new();
        for e in self.vault()?.entries() {
            if e.data.otp.kind == OtpType::Hotp {
                if let Some(c) = self.hotp_shown.get(&e.id) {
                    codes.push(CodeView {
                        id: e.id.to_string(),
                        code: c.as_str().to_owned(),
                        next: None,
                        valid_from: None,
                        valid_until: None,
                        counter: c.counter,
                    });
                }
                continue;
            }
            let Ok(code) = e.data.time_code(now) else {
                continue;
            };
            let next = code
                .valid_until
                .and_then(|u| e.data.time_code(u).ok())
                .map(|c| c.as_str().to_owned());
            codes.push(CodeView {
                id: e.id.to_string(),
                code: code.as_str().to_owned(),
                next,
                valid_from: code.valid_from,
                valid_until: code.valid_until,
                counter: None,
            });
        }
        Ok(Codes {
            now_ms,
            next_within_s: authdesk_core::otp::LAST_SECONDS,
            codes,
        })
    }

    pub fn next_hotp(&mut self, id: &str) -> Result<CodeView, CmdError> {
        let id = parse_id(id)?;
        let vault = self.vault_mut()?;
        // From the counter on disk, saved before it is shown: a code is never
        // handed out twice, whatever the CLI or a household round do.
        let code = vault.issue_hotp(id).ok_or_else(CmdError::not_found)??;
        let view = CodeView {
            id: id.to_string(),
            code: code.as_str().to_owned(),
            next: None,
            valid_from: None,
            valid_until: None,
            counter: code.counter,
        };
        self.hotp_shown.insert(id, code);
        self.last_activity = Instant::now();
        Ok(view)
    }

    /// The code to put on the clipboard: the current TOTP/Steam code, or
    /// the HOTP code shown last. The code a copy takes: in the last seconds of a period the next one,
    /// which is still valid when it has been typed (RFC 6238 servers accept
    /// a code one step ahead), and the reply says so.
    pub fn code_for_copy(
        &mut self,
        id: &str,
        now_ms: UnixMs,
    ) -> Result<(Zeroizing<String>, Copied), CmdError> {
        let id = parse_id(id)?;
        let entry = self.vault()?.get(id).ok_or_else(CmdError::not_found)?;
        let mut copied = Copied {
            next: false,
            starts_in_s: 0,
        };
        let code = if entry.data.otp.kind == OtpType::Hotp {
            self.hotp_shown
                .get(&id)
                .map(|c| c.as_str().to_owned())
                .ok_or_else(|| CmdError::new("no_code_yet", "press Next code first"))?
        } else {
            let now = code_seconds(now_ms).unwrap_or(0);
            let (code, next_in) = entry.data.code_to_use(now)?;
            if let Some(s) = next_in {
                copied = Copied {
                    next: true,
                    starts_in_s: s,
                };
            }
            code.as_str().to_owned()
        };
        self.last_activity = Instant::now();
        self.note_use(id, now_ms);
        Ok((Zeroizing::new(code), copied))
    }
}

#[cfg(test)]
mod tests {
    use crate::session::tests::{SOLAR, unlocked};

    #[test]
    fn in_a_period_s_last_seconds_a_copy_takes_the_next_code() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        let id = s.entries().unwrap()[0].id.clone();
        let data = authdesk_core::uri::parse_otpauth(SOLAR).unwrap();
        let at = |secs: u64| data.time_code(secs).unwrap().as_str().to_owned();
        // 1_800_000_000 starts a 30 s period.
        let (code, copied) = s.code_for_copy(&id, 1_800_000_010_000).unwrap();
        assert_eq!(
            (code.as_str(), copied.next),
            (at(1_800_000_010).as_str(), false)
        );
        let (code, copied) = s.code_for_copy(&id, 1_800_000_026_500).unwrap();
        assert_eq!(code.as_str(), at(1_800_000_030));
        assert_eq!((copied.next, copied.starts_in_s), (true, 4));
        // The list shows the next code from the same moment on.
        assert_eq!(
            s.codes(0).unwrap().next_within_s,
            authdesk_core::otp::LAST_SECONDS
        );
    }
}
