//! `authdesk clock`: the system clock's offset from network time.

use std::time::Duration;

use authdesk_core::clock::{self, Check, Server};
use serde::Serialize;

use crate::exit::Exit;
use crate::failure::Failure;
use authdesk_core::timestamp::rfc3339;

use crate::output::print_json;

/// The servers to ask: those given with `--server`, else the defaults
/// (`$AUTHDESK_TIME_SERVERS`, the system's own, public ones).
pub fn servers(given: &[String]) -> Result<Vec<Server>, Failure> {
    if given.is_empty() {
        clock::default_servers().map_err(|source| Failure::BadTimeServer {
            source,
            // The defaults fail only on a name from the variable.
            given_in: "$AUTHDESK_TIME_SERVERS",
        })
    } else {
        given
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()
            .map_err(|source| Failure::BadTimeServer {
                source,
                given_in: "--server",
            })
    }
}

/// Network time for `code --network-time`, or why there is none.
pub fn measure(given: &[String], timeout: Duration) -> Result<Check, Failure> {
    clock::check(&servers(given)?, timeout).map_err(|source| Failure::NoNetworkTime { source })
}

#[derive(Serialize)]
struct AnswerJson<'a> {
    server: &'a str,
    offset_seconds: f64,
    round_trip_ms: f64,
    stratum: u8,
}

#[derive(Serialize)]
struct FailureJson<'a> {
    server: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    /// Seconds the system clock is ahead of network time (negative: behind).
    offset_seconds: f64,
    server: &'a str,
    fine: bool,
    threshold_seconds: f64,
    checked_at: String,
    took_ms: u128,
    answers: Vec<AnswerJson<'a>>,
    failures: Vec<FailureJson<'a>>,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn run(given: &[String], json: bool, timeout: Duration) -> Result<Exit, Failure> {
    let servers = servers(given)?;
    let check = clock::check(&servers, timeout).map_err(|source| Failure::ClockNotChecked {
        source,
        servers_named: !given.is_empty(),
    })?;
    let fine = !check.is_off();
    if json {
        let out = CheckJson {
            offset_seconds: round3(check.offset),
            server: &check.server,
            fine,
            threshold_seconds: clock::WARN_SECONDS,
            checked_at: rfc3339(check.checked_at_ms),
            took_ms: check.took.as_millis(),
            answers: check
                .answers
                .iter()
                .map(|a| AnswerJson {
                    server: &a.server,
                    offset_seconds: round3(a.offset),
                    round_trip_ms: round3(a.round_trip * 1000.0),
                    stratum: a.stratum,
                })
                .collect(),
            failures: check
                .failures
                .iter()
                .map(|f| FailureJson {
                    server: &f.server,
                    reason: &f.reason,
                })
                .collect(),
        };
        print_json(&out)?;
    } else {
        let words = clock::describe(check.offset);
        let answered = format!(
            "{} of {} answered; median from {}",
            check.answers.len(),
            crate::output::count(servers.len(), "time server", "time servers"),
            check.server
        );
        if check.offset.abs() < 0.5 {
            println!(
                "The clock is right (off by {:.3} s). {answered}.",
                check.offset
            );
        } else {
            let way = if check.offset > 0.0 { "fast" } else { "slow" };
            println!(
                "The clock is {words} {way} ({:+.3} s). {answered}.",
                check.offset
            );
        }
        for f in &check.failures {
            println!("No answer from {}: {}", f.server, f.reason);
        }
        if !fine {
            println!(
                "Portals may refuse your codes. Turn on automatic time in the system settings (Linux: `timedatectl set-ntp true`; Windows: Settings → Time & language → Sync now; macOS: System Settings → General → Date & Time → Set time and date automatically), or use `authdesk code --network-time`."
            );
        }
    }
    Ok(if fine { Exit::Success } else { Exit::NotFine })
}
