//! One Syncthing node: its process (killed by its PID when dropped), its
//! config.xml, and the REST calls the test makes.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const FOLDER_ID: &str = "household";

/// One Syncthing instance; killed (by its PID) and reaped when dropped.
pub struct Node {
    pub name: &'static str,
    pub child: Option<Child>,
    pub home: PathBuf,
    pub folder: PathBuf,
    pub id: String,
    pub gui: u16,
    pub listen: u16,
    pub key: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Its process group (the PID) too, should anything have forked.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn syncthing() -> &'static str {
    let path = "/usr/bin/syncthing";
    assert!(
        Path::new(path).exists(),
        "syncthing is not installed: scripts/test installs it (Debian package syncthing)"
    );
    path
}

/// Four distinct free ports on 127.0.0.1 (all held at once, so no two are
/// the same).
pub fn free_ports() -> [u16; 4] {
    let held: Vec<TcpListener> = (0..4)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let ports: Vec<u16> = held
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect();
    [ports[0], ports[1], ports[2], ports[3]]
}

/// `syncthing` with nothing of the caller's environment but PATH, and its
/// own HOME.
fn syncthing_command(home: &Path) -> Command {
    let mut c = Command::new(syncthing());
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("STNODEFAULTFOLDER", "1")
        .env("STNOUPGRADE", "1")
        .env("STNORESTART", "1")
        // Without it, `serve` is a monitor that runs the real Syncthing as
        // its child, even with --no-restart: killing the PID we hold would
        // leave that child running.
        .env("STMONITORED", "1");
    c
}

/// Keys and certificate in `home`; returns the device ID.
pub fn generate(home: &Path) -> String {
    let out = syncthing_command(home)
        .arg("generate")
        .arg(format!("--home={}", home.display()))
        .args(["--no-default-folder", "--skip-port-probing"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "syncthing generate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = syncthing_command(home)
        .arg("serve")
        .arg(format!("--home={}", home.display()))
        .arg("--device-id")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A whole config.xml. Syncthing 1.19 gives a `<folder>` element's missing
/// children zero values, not the defaults a new folder gets in the GUI
/// (`maxConflicts` 0 means "no conflict copies, the loser is discarded"),
/// so every setting that matters is written out.
#[allow(clippy::too_many_arguments)]
pub fn config_xml(
    me: &str,
    my_name: &str,
    gui: u16,
    key: &str,
    listen: u16,
    folder: &Path,
    other: &str,
    other_listen: u16,
) -> String {
    let folder = folder.display();
    format!(
        r#"<configuration version="36">
    <folder id="{FOLDER_ID}" label="{FOLDER_ID}" path="{folder}" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="false" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me}" introducedBy=""></device>
        <device id="{other}" introducedBy=""></device>
        <minDiskFree unit="%">1</minDiskFree>
        <versioning></versioning>
        <order>random</order>
        <maxConflicts>10</maxConflicts>
        <markerName>.stfolder</markerName>
        <maxConcurrentWrites>2</maxConcurrentWrites>
        <weakHashThresholdPct>25</weakHashThresholdPct>
    </folder>
    <device id="{me}" name="{my_name}" compression="metadata" introducer="false">
        <address>dynamic</address>
    </device>
    <device id="{other}" name="other" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{other_listen}</address>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui}</address>
        <apikey>{key}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{listen}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <announceLANAddresses>false</announceLANAddresses>
        <restartOnWakeup>false</restartOnWakeup>
    </options>
</configuration>
"#
    )
}

impl Node {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.gui)
    }

    /// One REST call through curl; `None` when it did not answer (yet).
    fn try_api(&self, method: &str, path: &str) -> Option<Value> {
        let out = Command::new("curl")
            .args(["-sS", "--fail", "--noproxy", "*", "--max-time", "30", "-X"])
            .arg(method)
            .arg("-H")
            .arg(format!("X-API-Key: {}", self.key))
            .arg(self.url(path))
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("curl is not installed ({e}); scripts/test installs it"));
        if !out.status.success() {
            return None;
        }
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Some(Value::Null);
        }
        Some(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{} {method} {path}: not JSON ({e}): {}",
                self.name,
                String::from_utf8_lossy(&out.stdout)
            )
        }))
    }

    pub fn api(&self, method: &str, path: &str) -> Value {
        self.try_api(method, path).unwrap_or_else(|| {
            panic!(
                "{}: {method} {path} failed\n{}",
                self.name,
                self.log_tail(20)
            )
        })
    }

    pub fn start(&mut self) {
        let log = std::fs::File::create(self.home.join("syncthing.log")).unwrap();
        let child = syncthing_command(&self.home)
            .arg("serve")
            .arg(format!("--home={}", self.home.display()))
            .args(["--no-browser", "--no-restart", "--logflags=3"])
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let started = Instant::now();
        while self.try_api("GET", "/rest/system/ping").is_none() {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "{}: syncthing exited ({status})\n{}",
                    self.name,
                    self.log_tail(30)
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{}: the REST API did not answer within 30 s\n{}",
                self.name,
                self.log_tail(30)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The settings the test relies on are the ones Syncthing runs with.
    pub fn check_config(&self) {
        let f = self.api("GET", &format!("/rest/config/folders/{FOLDER_ID}"));
        assert_eq!(f["maxConflicts"], 10, "{}: {f}", self.name);
        assert_eq!(f["type"], "sendreceive", "{}: {f}", self.name);
        assert_eq!(f["fsWatcherEnabled"], false, "{}: {f}", self.name);
        let o = self.api("GET", "/rest/config/options");
        for off in [
            "globalAnnounceEnabled",
            "localAnnounceEnabled",
            "relaysEnabled",
            "natEnabled",
            "crashReportingEnabled",
        ] {
            assert_eq!(o[off], false, "{}: {off} in {o}", self.name);
        }
        assert_eq!(o["urAccepted"], -1, "{}: {o}", self.name);
        assert_eq!(
            o["listenAddresses"],
            serde_json::json!([format!("tcp://127.0.0.1:{}", self.listen)]),
            "{}",
            self.name
        );
    }

    pub fn connected_to(&self, other: &Node) -> bool {
        self.api("GET", "/rest/system/connections")["connections"][&other.id]["connected"] == true
    }

    pub fn scan(&self) {
        self.api("POST", &format!("/rest/db/scan?folder={FOLDER_ID}"));
    }

    pub fn status(&self) -> Value {
        self.api("GET", &format!("/rest/db/status?folder={FOLDER_ID}"))
    }

    pub fn completion_of(&self, other: &Node) -> Value {
        self.api(
            "GET",
            &format!("/rest/db/completion?folder={FOLDER_ID}&device={}", other.id),
        )
    }

    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        format!(
            "--- last lines of {}'s syncthing log ---\n{}",
            self.name,
            all[all.len().saturating_sub(lines)..].join("\n")
        )
    }
}
