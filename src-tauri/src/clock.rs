//! The clock check in the app: at start, every N minutes (setting), after
//! the machine wakes (or its clock jumps), and when asked. It runs on its
//! own thread so a slow or absent network never holds up the window, and
//! the page learns the outcome through the `clock-status` event.
//!
//! What reads the settings and announces the outcome is the caller's
//! (`AppState::check_clock`, the thread started in `lib.rs`): this module
//! knows neither, so that the state that holds a [`ClockState`] is the only
//! one that knows both.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::error::CmdError;
use authdesk_core::clock::{self, Check};
use serde::Serialize;

/// Set by `check_clock`: the checker's next round runs at once.
static REQUESTED: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AnswerView {
    pub server: String,
    pub offset_seconds: f64,
    pub round_trip_ms: f64,
}

/// What the page shows: the last check, or why there is none.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClockStatus {
    /// Seconds the system clock is ahead of network time; `None` until a
    /// check got an answer.
    pub offset_seconds: Option<f64>,
    pub server: Option<String>,
    pub checked_at_ms: Option<i64>,
    pub answers: Vec<AnswerView>,
    /// The last attempt got no answer: each server and why ("not checked"),
    /// as an error the page words in the user's language.
    pub error: Option<CmdError>,
    /// Codes are computed from network time (setting on and a check done).
    pub network_time: bool,
    pub warn_seconds: f64,
    /// "linux", "windows" or "macos": the banner says how to fix the clock
    /// on this system.
    #[cfg_attr(test, ts(type = r#""linux" | "windows" | "macos""#))]
    pub os: &'static str,
}

fn os() -> &'static str {
    if cfg!(target_os = "windows") {
        "windows"
    } else if cfg!(target_os = "macos") {
        "macos"
    } else {
        "linux"
    }
}

/// The state kept between checks.
#[derive(Default)]
pub struct ClockState {
    pub last: Option<Check>,
    pub error: Option<CmdError>,
}

impl ClockState {
    /// The time codes are computed for: network time when the user chose
    /// it and a check has measured the offset, else the system clock.
    pub fn code_now_ms(
        &self,
        network_time: bool,
        now: authdesk_core::timestamp::UnixMs,
    ) -> authdesk_core::timestamp::UnixMs {
        match &self.last {
            Some(c) if network_time => now - (c.offset * 1000.0).round() as i64,
            _ => now,
        }
    }

    /// Keeps a check's outcome. After a failure an older measurement stays:
    /// the clock has not moved because the network went away.
    pub fn record(&mut self, outcome: Result<Check, CmdError>) {
        match outcome {
            Ok(check) => {
                self.last = Some(check);
                self.error = None;
            }
            Err(reason) => self.error = Some(reason),
        }
    }

    pub fn view(&self, network_time: bool) -> ClockStatus {
        let last = self.last.as_ref();
        ClockStatus {
            offset_seconds: last.map(|c| (c.offset * 1000.0).round() / 1000.0),
            server: last.map(|c| c.server.clone()),
            checked_at_ms: last.map(|c| c.checked_at_ms),
            answers: last
                .map(|c| {
                    c.answers
                        .iter()
                        .map(|a| AnswerView {
                            server: a.server.clone(),
                            offset_seconds: a.offset,
                            round_trip_ms: a.round_trip * 1000.0,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            error: self.error.clone(),
            network_time: network_time && last.is_some(),
            warn_seconds: clock::WARN_SECONDS,
            os: os(),
        }
    }
}

/// One measurement against the servers the setting names (empty: the
/// defaults), or why there is none.
pub fn measure(setting: &str) -> Result<Check, CmdError> {
    let servers = if setting.trim().is_empty() {
        clock::default_servers()
    } else {
        clock::parse_servers(setting)
    }?;
    Ok(clock::check(&servers, clock::DEFAULT_TIMEOUT)?)
}

/// Asks the checker thread for a round now (the "Check now" button waits
/// on `AppState::check_clock` itself; this is for settings changes).
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// The checker thread: `minutes` reads the setting (0: only on waking
/// and when asked), `check` runs and announces one check.
pub fn spawn_checker(
    minutes: impl Fn() -> u32 + Send + 'static,
    check: impl Fn() + Send + 'static,
) {
    std::thread::spawn(move || {
        let mut last_check: Option<Instant> = None;
        let (mut wall, mut mono) = (SystemTime::now(), Instant::now());
        loop {
            let minutes = minutes();
            // Suspend stops the monotonic clock but not the wall clock: a
            // gap between the two means the machine slept (or someone set
            // the clock), and either is when a check is worth most.
            let wall_gap = SystemTime::now()
                .duration_since(wall)
                .unwrap_or_default()
                .as_secs_f64();
            let mono_gap = mono.elapsed().as_secs_f64();
            let woke = (wall_gap - mono_gap).abs() > 20.0;
            (wall, mono) = (SystemTime::now(), Instant::now());
            let due = match last_check {
                None => minutes > 0,
                Some(t) => {
                    minutes > 0 && t.elapsed() >= Duration::from_secs(u64::from(minutes) * 60)
                }
            };
            if due || woke || REQUESTED.swap(false, Ordering::SeqCst) {
                check();
                last_check = Some(Instant::now());
            }
            std::thread::sleep(Duration::from_secs(2));
        }
    });
}
