//! Everything the app holds while it runs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clipboard::Clipboard;
use crate::clock::ClockState;
use crate::session::Session;
use crate::settings::Settings;

pub struct AppState {
    pub session: Mutex<Session>,
    pub settings: Mutex<Settings>,
    pub settings_path: Option<PathBuf>,
    pub clipboard: Arc<Clipboard>,
    pub clock: Mutex<ClockState>,
}

impl AppState {
    pub fn new(session: Session, settings: Settings, settings_path: Option<PathBuf>) -> Self {
        Self {
            session: Mutex::new(session),
            settings: Mutex::new(settings),
            settings_path,
            clipboard: Arc::new(Clipboard::default()),
            clock: Mutex::new(ClockState::default()),
        }
    }

    /// A panic in one command must not brick the others: a poisoned lock
    /// still holds consistent data here (every mutation saves atomically).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn clock(&self) -> MutexGuard<'_, ClockState> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }
}
