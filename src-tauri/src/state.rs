//! Everything the app holds while it runs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clipboard::Clipboard;
use crate::clock::ClockState;
use crate::links::PendingLink;
use crate::session::Session;
use crate::settings::Settings;
use crate::update::UpdateState;

pub struct AppState {
    pub session: Mutex<Session>,
    pub settings: Mutex<Settings>,
    pub settings_path: Option<PathBuf>,
    pub clipboard: Arc<Clipboard>,
    pub clock: Mutex<ClockState>,
    /// One household round at a time (the poller, "Back up now", a password
    /// added or removed): two rounds at once could each write this device's
    /// backup, the later one from a copy taken under a household key that
    /// was revoked meanwhile. Never taken by lock or the idle timer.
    pub rounds: Mutex<()>,
    /// An otpauth:// link from outside, until the unlocked page takes it.
    pub link: PendingLink,
    /// The last update check and the update it offers.
    pub update: Mutex<UpdateState>,
}

impl AppState {
    pub fn new(session: Session, settings: Settings, settings_path: Option<PathBuf>) -> Self {
        Self {
            session: Mutex::new(session),
            settings: Mutex::new(settings),
            settings_path,
            clipboard: Arc::new(Clipboard::default()),
            clock: Mutex::new(ClockState::default()),
            rounds: Mutex::new(()),
            link: PendingLink::default(),
            update: Mutex::new(UpdateState::default()),
        }
    }

    /// A panic in one command must not brick the others: a poisoned lock
    /// still holds consistent data here (every mutation saves atomically).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Held for a whole household round; see `rounds`.
    pub fn rounds(&self) -> MutexGuard<'_, ()> {
        self.rounds.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn clock(&self) -> MutexGuard<'_, ClockState> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn update(&self) -> MutexGuard<'_, UpdateState> {
        self.update.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }
}
