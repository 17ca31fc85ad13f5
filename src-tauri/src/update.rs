//! Signed updates: a check at most once a day (setting `check_updates`),
//! "what's new", and an install only when the user asks for it.
//!
//! tauri-plugin-updater does what must match Tauri's bundler: the shape of
//! `latest.json` and which entry is this platform's, the minisign check of
//! a package with the version bound into its signature
//! (`Updater::restore_update` always requires that binding, so a tampered
//! list cannot pair a new version number with an old, validly signed
//! package), and each platform's installer. The network is ours: the plugin
//! reads the list and the package whole into memory with no bound, and an
//! update server is outside input like any file, so both are capped before
//! the work and release builds accept only https, redirects included.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use reqwest::Url;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::CmdError;
use authdesk_core::timestamp::{UnixMs, now_ms};

/// `latest.json` with notes for every platform is a few KiB.
pub const MAX_LIST: u64 = 64 * 1024;
/// An AppImage is the largest package (~100 MB); the .deb is 11 MB.
pub const MAX_PACKAGE: u64 = 400 * 1024 * 1024;
/// What "what's new" shows of the notes.
pub const MAX_NOTES: usize = 8 * 1024;
const DAY_MS: UnixMs = 24 * 60 * 60 * 1000;

/// Where updates come from: the list's address and the key that signs
/// the packages.
#[derive(Debug, Clone)]
pub struct Source {
    pub list: Url,
    pub pubkey: String,
}

impl Source {
    /// `plugins.updater` in tauri.conf.json. Debug builds also take
    /// $AUTHDESK_UPDATE_URL and $AUTHDESK_UPDATE_PUBKEY, so tests can
    /// serve updates signed by a throwaway key from 127.0.0.1; release
    /// builds never read them, or whoever sets our environment could swap
    /// the key.
    pub fn configured<R: Runtime>(app: &AppHandle<R>) -> Option<Source> {
        #[cfg(debug_assertions)]
        if let (Ok(list), Ok(pubkey)) = (
            std::env::var("AUTHDESK_UPDATE_URL"),
            std::env::var("AUTHDESK_UPDATE_PUBKEY"),
        ) {
            return Some(Source {
                list: list.parse().ok()?,
                pubkey,
            });
        }
        let config = app.config().plugins.0.get("updater")?;
        Some(Source {
            list: config.get("endpoints")?.get(0)?.as_str()?.parse().ok()?,
            pubkey: config.get("pubkey")?.as_str()?.to_owned(),
        })
    }
}

/// What Settings and the list's banner show.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateView {
    /// No check during this run yet.
    Unchecked,
    Checking,
    UpToDate {
        checked_ms: UnixMs,
        /// An older version the server offered, which is never installed.
        older: Option<String>,
    },
    Available {
        version: String,
        /// YYYY-MM-DD, when the list gives it.
        date: Option<String>,
        notes: String,
        /// Installed from a package this platform's installer can replace;
        /// otherwise (built from source) the user updates it by hand.
        installable: bool,
    },
    Installing {
        version: String,
    },
    Failed {
        error: CmdError,
        checked_ms: UnixMs,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UpdateStatus {
    /// This app's version.
    pub current: String,
    #[serde(flatten)]
    pub view: UpdateView,
}

pub struct UpdateState {
    view: UpdateView,
    /// The update behind `Available`, for the install.
    pending: Option<Update>,
}

impl Default for UpdateState {
    fn default() -> Self {
        Self {
            view: UpdateView::Unchecked,
            pending: None,
        }
    }
}

/// The `update-progress` event: bytes downloaded so far, of `total`.
#[derive(Serialize, Clone)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UpdateProgress {
    done: u64,
    total: Option<u64>,
}

/// The outcome of one check.
pub enum Offer {
    Newer(Box<Update>),
    /// Nothing newer; `older` names a lower version the server offered.
    Current {
        older: Option<String>,
    },
}

/// Why a request failed, with its causes: reqwest's own text is only
/// "error sending request".
fn reason(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text
}

fn https_only(url: &Url) -> Result<(), CmdError> {
    if cfg!(debug_assertions) || url.scheme() == "https" {
        Ok(())
    } else {
        Err(CmdError::new(
            "update_insecure",
            format!("{url} is not an https address: updates come only over https"),
        )
        .with("url", url))
    }
}

/// GETs `url` into memory, refusing more than `limit` bytes before reading
/// them where the server says its length, and as they arrive otherwise.
pub async fn fetch(
    url: &Url,
    limit: u64,
    what: &'static str,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, CmdError> {
    https_only(url)?;
    let server = url.host_str().unwrap_or_default().to_owned();
    let client = reqwest::Client::builder()
        .user_agent(concat!("Authdesk/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(15))
        .read_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if !cfg!(debug_assertions) && attempt.url().scheme() != "https" {
                attempt.error("a redirect away from https")
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| CmdError::new("update_unreachable", reason(&e)).with("server", &server))?;
    let unreachable = |e: reqwest::Error| {
        CmdError::new(
            "update_unreachable",
            format!("could not reach the update server {server}: {}", reason(&e)),
        )
        .with("server", &server)
    };
    let mut response = client.get(url.clone()).send().await.map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(CmdError::new(
            "update_http",
            format!("the update server {server} answered {status} for {url}"),
        )
        .with("server", &server)
        .with("status", status));
    }
    let too_big = || {
        CmdError::new(
            "update_too_big",
            format!("the update server sent a {what} of more than {limit} bytes: refused"),
        )
        // A key the page translates ("package", "release_list").
        .with("what", what.replace(' ', "_"))
        .with("limit", limit)
    };
    let total = response.content_length();
    if total.is_some_and(|n| n > limit) {
        return Err(too_big());
    }
    let mut body = Vec::with_capacity(total.unwrap_or(0) as usize);
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
        progress(body.len() as u64, total);
    }
    Ok(body)
}

/// Fetches the list and decides what it offers this app.
pub async fn check<R: Runtime>(app: &AppHandle<R>, source: &Source) -> Result<Offer, CmdError> {
    let body = fetch(&source.list, MAX_LIST, "release list", |_, _| ()).await?;
    offer(app, source, &body)
}

fn list_error(problem: impl std::fmt::Display) -> CmdError {
    CmdError::new(
        "update_list",
        format!("the update server's release list is not one Authdesk understands: {problem}"),
    )
    .with("problem", problem)
}

/// What `list` (the server's `latest.json`) offers this app.
pub fn offer<R: Runtime>(
    app: &AppHandle<R>,
    source: &Source,
    list: &[u8],
) -> Result<Offer, CmdError> {
    let raw: serde_json::Value = serde_json::from_slice(list).map_err(list_error)?;
    let announced = raw
        .get("version")
        .and_then(|v| v.as_str())
        .ok_or_else(|| list_error("it names no version"))?;
    let remote = semver::Version::parse(announced.trim_start_matches('v'))
        .map_err(|e| list_error(format!("version {announced:?}: {e}")))?;
    let current = app.package_info().version.clone();
    if remote <= current {
        return Ok(Offer::Current {
            older: (remote < current).then(|| remote.to_string()),
        });
    }
    let updater = app
        .updater_builder()
        .pubkey(source.pubkey.clone())
        .endpoints(vec![source.list.clone()])
        .and_then(|b| b.build())
        .map_err(|e| CmdError::new("update_setup", e.to_string()))?;
    match updater.restore_update(raw) {
        Ok(Some(update)) => Ok(Offer::Newer(Box::new(update))),
        Ok(None) => Ok(Offer::Current { older: None }),
        Err(tauri_plugin_updater::Error::TargetsNotFound(targets)) => Err(CmdError::new(
            "update_no_package",
            format!(
                "Authdesk {remote} has no package for this system ({}) yet",
                targets.join(", ")
            ),
        )
        .with("version", &remote)
        .with("target", targets.join(", "))),
        Err(e) => Err(list_error(e)),
    }
}

/// Downloads the package and checks its signature and signed version.
pub async fn download(
    update: &Update,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, CmdError> {
    let bytes = fetch(&update.download_url, MAX_PACKAGE, "package", progress).await?;
    update
        .verify(&bytes)
        .map_err(|e| signature_error(e, &update.version))?;
    Ok(bytes)
}

fn signature_error(e: tauri_plugin_updater::Error, version: &str) -> CmdError {
    use tauri_plugin_updater::Error;
    match e {
        Error::SignedVersionMismatch { signed, announced } => CmdError::new(
            "update_signed_version",
            format!(
                "the package is signed as Authdesk {signed}, but the server announced {announced}: refused, nothing was installed"
            ),
        )
        .with("signed", signed)
        .with("version", announced),
        Error::MissingSignedVersion => CmdError::new(
            "update_unsigned_version",
            format!(
                "the signature of Authdesk {version} does not say which version it signs: refused, nothing was installed"
            ),
        )
        .with("version", version),
        other => CmdError::new(
            "update_signature",
            format!(
                "the download of Authdesk {version} does not match its signature (damaged or tampered with): refused, nothing was installed ({other})"
            ),
        )
        .with("version", version),
    }
}

/// Whether this copy came from a package this platform's installer can
/// replace. A copy built from source (or run from a test) is updated the
/// way it was installed: the plugin would overwrite it as if an AppImage.
pub fn installable() -> bool {
    use tauri::utils::config::BundleType;
    // Tauri takes any macOS binary for an .app: only one inside an .app
    // bundle is one the installer can replace.
    #[cfg(target_os = "macos")]
    if !std::env::current_exe().is_ok_and(|p| p.to_string_lossy().contains(".app/Contents/MacOS/"))
    {
        return false;
    }
    matches!(
        tauri::utils::platform::bundle_type(),
        Some(
            BundleType::Deb
                | BundleType::Rpm
                | BundleType::AppImage
                | BundleType::Msi
                | BundleType::Nsis
                | BundleType::App
                | BundleType::Dmg
        )
    )
}

/// Release notes as the page shows them: text (the page never renders
/// them as markup), without control characters, and not endless.
pub fn notes(body: Option<&str>) -> String {
    body.unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .take(MAX_NOTES)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Managed by Tauri on its own (see `with_commands`): a poisoned lock still
/// holds a consistent view.
fn state<R: Runtime>(app: &AppHandle<R>) -> MutexGuard<'_, UpdateState> {
    app.state::<Mutex<UpdateState>>()
        .inner()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

pub fn status<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    UpdateStatus {
        current: app.package_info().version.to_string(),
        view: state(app).view.clone(),
    }
}

fn set<R: Runtime>(app: &AppHandle<R>, view: UpdateView, pending: Option<Option<Update>>) {
    {
        let mut s = state(app);
        s.view = view;
        if let Some(p) = pending {
            s.pending = p;
        }
    }
    let _ = app.emit("update-status", status(app));
}

/// One check, now; the page and the daily checker both come here.
pub async fn run_check<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    if matches!(
        state(app).view,
        UpdateView::Checking | UpdateView::Installing { .. }
    ) {
        return status(app);
    }
    set(app, UpdateView::Checking, None);
    let outcome = match Source::configured(app) {
        Some(source) => check(app, &source).await,
        None => Err(CmdError::new(
            "update_setup",
            "this build names no update server",
        )),
    };
    let checked_ms = now_ms();
    record_checked(checked_ms);
    match outcome {
        Ok(Offer::Newer(update)) => set(
            app,
            UpdateView::Available {
                version: update.version.clone(),
                date: update.date.map(|d| d.date().to_string()),
                notes: notes(update.body.as_deref()),
                installable: installable(),
            },
            Some(Some(*update)),
        ),
        Ok(Offer::Current { older }) => {
            set(app, UpdateView::UpToDate { checked_ms, older }, Some(None))
        }
        Err(error) => set(app, UpdateView::Failed { error, checked_ms }, Some(None)),
    }
    status(app)
}

/// Downloads, verifies and installs the offered update, then starts the
/// new version. On failure the offer stays, so the user can try again.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), CmdError> {
    let (update, before) = {
        let s = state(app);
        match (&s.pending, &s.view) {
            (Some(u), UpdateView::Available { .. }) => (u.clone(), s.view.clone()),
            _ => {
                return Err(CmdError::new(
                    "update_none",
                    "no update is on offer: check for updates first",
                ));
            }
        }
    };
    if !installable() {
        return Err(CmdError::new(
            "update_not_package",
            format!(
                "this copy of Authdesk was not installed from a package, so it cannot replace itself: install Authdesk {} the way you installed this one",
                update.version
            ),
        )
        .with("version", &update.version));
    }
    set(
        app,
        UpdateView::Installing {
            version: update.version.clone(),
        },
        None,
    );
    let mut shown = 0u64;
    let result = async {
        let bytes = download(&update, |done, total| {
            // About a hundred events for the whole download.
            let step = total.unwrap_or(MAX_PACKAGE) / 100;
            if done >= shown + step.max(64 * 1024) || Some(done) == total {
                shown = done;
                let _ = app.emit("update-progress", UpdateProgress { done, total });
            }
        })
        .await?;
        // The platform's installer may wait on a password prompt (pkexec).
        let installer = update.clone();
        tauri::async_runtime::spawn_blocking(move || installer.install(bytes))
            .await
            .map_err(|e| CmdError::new("update_install", e.to_string()))?
            .map_err(|e| {
                CmdError::new(
                    "update_install",
                    format!("the installer did not finish: {e}; nothing changed"),
                )
                .with("reason", e)
            })
    }
    .await;
    match result {
        Ok(()) => app.restart(),
        Err(e) => {
            set(app, before, None);
            Err(e)
        }
    }
}

fn checked_path() -> Option<PathBuf> {
    authdesk_core::paths::config_dir().map(|d| d.join("update-checked"))
}

/// When the last automatic or asked-for check ran (ms), from a file of a
/// few bytes: anything else there counts as never.
fn last_checked() -> Option<UnixMs> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(checked_path()?)
        .ok()?
        .take(32)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}

fn record_checked(ms: UnixMs) {
    if let Some(path) = checked_path() {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = authdesk_core::vault::fsio::write_atomic(&path, ms.to_string().as_bytes());
    }
}

/// Due when a day has passed since the last check, or the clock went back
/// past it (a check "in the future" would otherwise block them all).
pub fn due(last: Option<UnixMs>, now: UnixMs) -> bool {
    match last {
        None => true,
        Some(last) => now < last || now - last >= DAY_MS,
    }
}

/// The daily check: a while after start (the window first), then hourly
/// looks at whether a day has passed and `enabled` (the setting) holds.
/// Failures only show in Settings: an unreachable server is no reason to
/// bother anyone.
pub fn spawn_checker<R: Runtime>(
    app: AppHandle<R>,
    enabled: impl Fn(&AppHandle<R>) -> bool + Send + 'static,
) {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(5));
        loop {
            if enabled(&app) && due(last_checked(), now_ms()) {
                tauri::async_runtime::block_on(run_check(&app));
            }
            std::thread::sleep(Duration::from_secs(60 * 60));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_due_once_a_day_and_after_the_clock_went_back() {
        assert!(due(None, 5));
        assert!(!due(Some(1_000), 1_000 + DAY_MS - 1));
        assert!(due(Some(1_000), 1_000 + DAY_MS));
        assert!(due(Some(1_000 + DAY_MS), 1_000));
    }

    #[test]
    fn notes_are_plain_bounded_text() {
        assert_eq!(notes(None), "");
        assert_eq!(notes(Some(" a\u{1b}[31mb\r\nc\u{0} ")), "a[31mb\nc");
        assert_eq!(notes(Some(&"x".repeat(MAX_NOTES * 2))).len(), MAX_NOTES);
    }
}
