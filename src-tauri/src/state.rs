//! Everything the app holds while it runs, and what needs more than one
//! part of it (the time codes are computed for: the clock check and a
//! setting).
//!
//! The parts know nothing of this struct: the update check and a waiting
//! link are managed by Tauri on their own (`with_commands` in lib.rs), so
//! that no module below this one reaches back up into it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clipboard::Clipboard;
use crate::clock::{self, ClockState, ClockStatus};
use crate::session::{self, Session};
use crate::settings::Settings;

pub struct AppState {
    /// The session and the household-round lock.
    pub shared: session::Shared,
    pub settings: Mutex<Settings>,
    pub settings_path: Option<PathBuf>,
    pub clipboard: Arc<Clipboard>,
    pub clock: Mutex<ClockState>,
}

impl AppState {
    pub fn new(session: Session, settings: Settings, settings_path: Option<PathBuf>) -> Self {
        Self {
            shared: session::Shared::new(session),
            settings: Mutex::new(settings),
            settings_path,
            clipboard: Arc::new(Clipboard::default()),
            clock: Mutex::new(ClockState::default()),
        }
    }

    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.shared.session()
    }

    /// A poisoned lock still holds consistent data (see `Shared::session`).
    pub fn clock(&self) -> MutexGuard<'_, ClockState> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The time codes are computed for (see [`ClockState::code_now_ms`]).
    pub fn code_now_ms(&self) -> authdesk_core::timestamp::UnixMs {
        let network = self.settings().network_time;
        self.clock().code_now_ms(network, session::now_ms())
    }

    pub fn clock_status(&self) -> ClockStatus {
        let network = self.settings().network_time;
        self.clock().view(network)
    }

    /// One clock check against the servers in the settings, kept; the
    /// caller announces it. Blocks for up to the check's timeout.
    pub fn check_clock(&self) -> ClockStatus {
        let servers = self.settings().time_servers.clone();
        let outcome = clock::measure(&servers);
        self.clock().record(outcome);
        self.clock_status()
    }
}
