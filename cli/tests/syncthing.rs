//! `authdesk backup sync` through two real Syncthing nodes, black box.
//!
//! Two "laptops" (each a `common::Env`: its own HOME and vault) each run
//! their own Syncthing (Debian's `syncthing` 1.19; scripts/test installs
//! it) with a private home; the two nodes share one folder, and that folder
//! is each laptop's household folder. Everything listens on 127.0.0.1 only:
//! global and local discovery, relays, NAT traversal, usage and crash
//! reporting and upgrades are off, and each node dials the other at an
//! explicit `tcp://127.0.0.1:PORT`. The nodes are killed by their PIDs when
//! the test ends, also when it fails.
//!
//! Whether the household settles is measured by files and bytes, not by
//! what the CLI prints: a round is quiet when every file in both folders
//! (history and Syncthing's conflict copies included) and both vault files
//! are byte for byte what they were before it.
//!
//! The file system watcher is off and the rescan interval an hour: the test
//! scans (`POST /rest/db/scan`) and waits for both nodes to be idle and
//! complete for each other itself ([`Cluster::settle`]), so that what a
//! laptop sees in a round does not depend on a watcher's timing.
#![cfg(unix)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use serde_json::Value;

const BPW: &str = "huishouden via syncthing";
const FOLDER_ID: &str = "household";
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(90);

// ---------------------------------------------------------------------------
// Syncthing nodes

/// One Syncthing instance; killed (by its PID) and reaped when dropped.
struct Node {
    name: &'static str,
    child: Option<Child>,
    home: PathBuf,
    folder: PathBuf,
    id: String,
    gui: u16,
    listen: u16,
    key: String,
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
fn free_ports() -> [u16; 4] {
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
fn generate(home: &Path) -> String {
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
fn config_xml(
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

    fn api(&self, method: &str, path: &str) -> Value {
        self.try_api(method, path).unwrap_or_else(|| {
            panic!(
                "{}: {method} {path} failed\n{}",
                self.name,
                self.log_tail(20)
            )
        })
    }

    fn start(&mut self) {
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
    fn check_config(&self) {
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

    fn connected_to(&self, other: &Node) -> bool {
        self.api("GET", "/rest/system/connections")["connections"][&other.id]["connected"] == true
    }

    fn scan(&self) {
        self.api("POST", &format!("/rest/db/scan?folder={FOLDER_ID}"));
    }

    fn status(&self) -> Value {
        self.api("GET", &format!("/rest/db/status?folder={FOLDER_ID}"))
    }

    fn completion_of(&self, other: &Node) -> Value {
        self.api(
            "GET",
            &format!("/rest/db/completion?folder={FOLDER_ID}&device={}", other.id),
        )
    }

    fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        format!(
            "--- last lines of {}'s syncthing log ---\n{}",
            self.name,
            all[all.len().saturating_sub(lines)..].join("\n")
        )
    }
}

// ---------------------------------------------------------------------------
// Laptops

struct Laptop {
    name: &'static str,
    env: Env,
    folder: PathBuf,
    /// `--device NAME`, or none for the default name.
    device: Option<&'static str>,
}

impl Laptop {
    fn sync_args(&self) -> Vec<String> {
        let mut args = vec![
            "backup".to_owned(),
            "sync".to_owned(),
            self.folder.display().to_string(),
        ];
        if let Some(d) = self.device {
            args.extend(["--device".to_owned(), d.to_owned()]);
        }
        args
    }

    fn sync_command(&self) -> Command {
        let mut c = self.env.command(assert_cmd::cargo::cargo_bin("authdesk"));
        c.env("AUTHDESK_BACKUP_PASSWORD", BPW)
            .args(self.sync_args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    fn check_synced(&self, out: Output) -> String {
        let (code, out, err) = common::outcome(out);
        assert_eq!(code, 0, "laptop {}: backup sync failed: {err}", self.name);
        out
    }

    fn sync(&self) -> String {
        let out = self.sync_command().output().unwrap();
        self.check_synced(out)
    }

    fn add(&self, uri: &str) {
        self.env.ok(&["add", uri]);
    }

    /// (issuer, account, secret) of every entry, in the vault's order.
    fn accounts(&self) -> Vec<Account> {
        let list = self.env.json(&["list", "--json"]);
        let list = list.as_array().unwrap();
        let uris = self.env.ok(&["export", "--format", "otpauth"]);
        let uris: Vec<&str> = uris.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(list.len(), uris.len(), "list and export disagree");
        list.iter()
            .zip(uris)
            .map(|(e, uri)| Account {
                issuer: e["issuer"].as_str().unwrap().to_owned(),
                account: e["account"].as_str().unwrap().to_owned(),
                secret: secret_of(uri),
            })
            .collect()
    }

    fn id_of(&self, issuer: &str) -> String {
        let list = self.env.json(&["list", "--json"]);
        let found: Vec<&Value> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["issuer"] == issuer)
            .collect();
        assert_eq!(found.len(), 1, "laptop {}: {issuer} in {list}", self.name);
        found[0]["id"].as_str().unwrap().to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Account {
    issuer: String,
    account: String,
    secret: String,
}

fn secret_of(uri: &str) -> String {
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("secret="))
        .unwrap_or_else(|| panic!("no secret in an exported URI"))
        .to_owned()
}

fn uri(issuer: &str, account: &str, secret: &str) -> String {
    format!("otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}")
}

// ---------------------------------------------------------------------------
// Files and bytes

/// Every file of both folders (relative path → bytes) and both vaults.
#[derive(Clone, PartialEq, Eq)]
struct Snapshot {
    folders: [BTreeMap<String, Vec<u8>>; 2],
    vaults: [Vec<u8>; 2],
}

/// Syncthing's own files, which are not the household's.
fn syncthing_internal(name: &str) -> bool {
    name == ".stfolder"
        || name == ".stversions"
        || name == ".stignore"
        || name.starts_with("~syncthing~")
        || name.starts_with(".syncthing.")
}

fn files_in(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for item in std::fs::read_dir(dir).unwrap() {
            let item = item.unwrap();
            let name = item.file_name().to_string_lossy().into_owned();
            if syncthing_internal(&name) {
                continue;
            }
            let path = item.path();
            if item.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn is_conflict_copy(name: &str) -> bool {
    name.contains(".sync-conflict-")
}

impl Snapshot {
    fn conflict_copies(&self) -> BTreeSet<String> {
        self.folders
            .iter()
            .flat_map(|f| f.keys())
            .filter(|n| is_conflict_copy(n))
            .cloned()
            .collect()
    }

    /// What changed from `before` to `self`, one line per file.
    fn changes_since(&self, before: &Snapshot) -> Vec<String> {
        let mut out = Vec::new();
        for (i, side) in ["A", "B"].iter().enumerate() {
            let (old, new) = (&before.folders[i], &self.folders[i]);
            for (name, bytes) in new {
                match old.get(name) {
                    None => out.push(format!("{side}: + {name}")),
                    Some(b) if b != bytes => out.push(format!("{side}: ~ {name}")),
                    _ => {}
                }
            }
            for name in old.keys().filter(|n| !new.contains_key(*n)) {
                out.push(format!("{side}: - {name}"));
            }
            if before.vaults[i] != self.vaults[i] {
                out.push(format!("{side}: ~ vault"));
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// The two laptops with their two nodes

struct Cluster {
    // Nodes first: they are killed before the laptops' folders go.
    nodes: [Node; 2],
    laptops: [Laptop; 2],
}

impl Cluster {
    /// Two laptops with their own Syncthing, sharing one folder, connected.
    fn start(devices: [Option<&'static str>; 2]) -> Cluster {
        let laptops = [("A", devices[0]), ("B", devices[1])].map(|(name, device)| {
            let env = Env::new();
            let folder = env.dir.path().join("Household");
            std::fs::create_dir_all(folder.join(".stfolder")).unwrap();
            Laptop {
                name,
                env,
                folder,
                device,
            }
        });
        let homes = laptops.each_ref().map(|l| {
            let home = l.env.dir.path().join("syncthing");
            std::fs::create_dir_all(&home).unwrap();
            home
        });
        let ids = homes.each_ref().map(|h| generate(h));
        let [gui1, gui2, listen1, listen2] = free_ports();
        let mut nodes = [
            (0usize, "node 1", gui1, listen1),
            (1usize, "node 2", gui2, listen2),
        ]
        .map(|(i, name, gui, listen)| Node {
            name,
            child: None,
            home: homes[i].clone(),
            folder: laptops[i].folder.clone(),
            id: ids[i].clone(),
            gui,
            listen,
            key: format!("authdesk-test-key-{}-{}", i + 1, std::process::id()),
        });
        for i in 0..2 {
            let (me, other) = (&nodes[i], &nodes[1 - i]);
            let xml = config_xml(
                &me.id,
                me.name,
                me.gui,
                &me.key,
                me.listen,
                &me.folder,
                &other.id,
                other.listen,
            );
            std::fs::write(me.home.join("config.xml"), xml).unwrap();
        }
        // One after the other: when both dial each other in the same
        // instant, 1.19 can stall in the Hello exchange for 20 s and then
        // wait reconnectionIntervalS (60 s) before dialling again. Node 1's
        // first dial then fails (node 2 is not listening yet), and node 2's
        // first dial finds node 1.
        let started = Instant::now();
        nodes[0].start();
        nodes[1].start();
        let cluster = Cluster { nodes, laptops };
        for n in &cluster.nodes {
            n.check_config();
        }
        cluster.wait_connected(true);
        eprintln!(
            "two syncthing nodes up and connected in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        cluster
    }

    fn a(&self) -> &Laptop {
        &self.laptops[0]
    }

    fn b(&self) -> &Laptop {
        &self.laptops[1]
    }

    fn wait_connected(&self, want: bool) {
        let [n1, n2] = &self.nodes;
        let started = Instant::now();
        while n1.connected_to(n2) != want || n2.connected_to(n1) != want {
            assert!(
                started.elapsed() < CONNECT_TIMEOUT,
                "the nodes did not {} within {CONNECT_TIMEOUT:?}\n{}\n{}",
                if want { "connect" } else { "disconnect" },
                n1.log_tail(15),
                n2.log_tail(15)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Both nodes stop talking to each other (the laptops are offline).
    fn pause(&self) {
        let [n1, n2] = &self.nodes;
        n1.api("POST", &format!("/rest/system/pause?device={}", n2.id));
        n2.api("POST", &format!("/rest/system/pause?device={}", n1.id));
        self.wait_connected(false);
    }

    /// Back online. One side first, so that the two do not dial each other
    /// in the same instant.
    fn resume(&self) {
        let [n1, n2] = &self.nodes;
        n1.api("POST", &format!("/rest/system/resume?device={}", n2.id));
        std::thread::sleep(Duration::from_millis(300));
        n2.api("POST", &format!("/rest/system/resume?device={}", n1.id));
        self.wait_connected(true);
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            folders: self.laptops.each_ref().map(|l| files_in(&l.folder)),
            vaults: self
                .laptops
                .each_ref()
                .map(|l| std::fs::read(l.env.vault()).unwrap()),
        }
    }

    /// Scans both folders, then waits until both nodes are connected, idle,
    /// need nothing, are complete for each other, and both folders hold the
    /// same files with the same bytes, twice in a row.
    fn settle(&self) {
        let started = Instant::now();
        let mut scanned = None::<Instant>;
        let mut good_polls = 0;
        loop {
            // Again every 2 s while unsettled: a file that appeared after
            // the last scan (a conflict copy, say) is then seen too.
            if scanned.is_none_or(|t| t.elapsed() > Duration::from_secs(2)) {
                for n in &self.nodes {
                    n.scan();
                }
                scanned = Some(Instant::now());
            }
            match self.unsettled() {
                None => {
                    good_polls += 1;
                    if good_polls == 2 {
                        return;
                    }
                }
                Some(why) => {
                    good_polls = 0;
                    if started.elapsed() > SETTLE_TIMEOUT {
                        let [n1, n2] = &self.nodes;
                        panic!(
                            "Syncthing did not settle within {SETTLE_TIMEOUT:?}: {why}\n{}\n{}",
                            n1.log_tail(15),
                            n2.log_tail(15)
                        );
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Why the two nodes are not settled, or `None` when they are.
    fn unsettled(&self) -> Option<String> {
        for (i, n) in self.nodes.iter().enumerate() {
            let other = &self.nodes[1 - i];
            if !n.connected_to(other) {
                return Some(format!("{} is not connected", n.name));
            }
            let s = n.status();
            if s["state"] != "idle"
                || s["needTotalItems"] != 0
                || s["pullErrors"].as_u64().unwrap_or(0) != 0
            {
                return Some(format!(
                    "{}: state {}, needTotalItems {}, pullErrors {}",
                    n.name, s["state"], s["needTotalItems"], s["pullErrors"]
                ));
            }
            let c = n.completion_of(other);
            if c["completion"].as_f64() != Some(100.0)
                || c["needBytes"] != 0
                || c["needItems"] != 0
                || c["needDeletes"] != 0
            {
                return Some(format!("{} about {}: {c}", n.name, other.name));
            }
        }
        let [a, b] = self.laptops.each_ref().map(|l| files_in(&l.folder));
        if a != b {
            let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            return Some(format!(
                "the folders differ: A {:?}, B {:?}",
                names(&a),
                names(&b)
            ));
        }
        None
    }

    /// Both laptops run `backup sync` at the same moment.
    fn sync_both_at_once(&self) {
        let [a, b] = self
            .laptops
            .each_ref()
            .map(|l| l.sync_command().spawn().unwrap());
        self.a().check_synced(a.wait_with_output().unwrap());
        self.b().check_synced(b.wait_with_output().unwrap());
    }

    /// One round: each laptop syncs, and Syncthing carries the result
    /// across. One after the other (A, settle, B, settle: each sees what
    /// the other wrote before it), or both at the same moment (neither
    /// sees the other's write of this round).
    fn round(&self, together: bool) {
        if together {
            self.sync_both_at_once();
        } else {
            self.a().sync();
            self.settle();
            self.b().sync();
        }
        self.settle();
    }

    /// Rounds until one changes no file and no vault byte, at most `max`.
    /// Returns the number of rounds run including the quiet one (or `None`
    /// when round `max` still changed something), and every conflict copy
    /// that existed after any round.
    fn rounds_until_quiet(&self, together: bool, max: usize) -> (Option<usize>, BTreeSet<String>) {
        let mut before = self.snapshot();
        let mut conflicts = before.conflict_copies();
        for n in 1..=max {
            let started = Instant::now();
            self.round(together);
            let after = self.snapshot();
            conflicts.extend(after.conflict_copies());
            let changes = after.changes_since(&before);
            eprintln!(
                "round {n}{} ({:.1} s): {}",
                if together { " (both at once)" } else { "" },
                started.elapsed().as_secs_f64(),
                if changes.is_empty() {
                    "quiet".to_owned()
                } else {
                    format!("changed\n    {}", changes.join("\n    "))
                }
            );
            if changes.is_empty() {
                return (Some(n), conflicts);
            }
            before = after;
        }
        (None, conflicts)
    }
}

/// Checks that do not stop the test, so that one run reports every one
/// that fails.
#[derive(Default)]
struct Checks {
    failed: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        let what = what.into();
        if ok {
            eprintln!("ok: {what}");
        } else {
            eprintln!("FAILED: {what}");
            self.failed.push(what);
        }
    }

    fn finish(self) {
        assert!(
            self.failed.is_empty(),
            "{} check(s) failed:\n  - {}",
            self.failed.len(),
            self.failed.join("\n  - ")
        );
    }
}

fn issuers(accounts: &[Account]) -> BTreeSet<String> {
    accounts.iter().map(|a| a.issuer.clone()).collect()
}

/// The vaults' order, for the log: a laptop whose own backup holds the
/// same accounts in another order is not "current".
fn print_order(c: &Cluster) {
    for l in &c.laptops {
        let order: Vec<String> = l.accounts().into_iter().map(|a| a.issuer).collect();
        eprintln!("vault order on {}: {order:?}", l.name);
    }
}

fn sorted(mut accounts: Vec<Account>) -> Vec<Account> {
    accounts.sort();
    accounts
}

/// Nothing twice: no two entries with one name, none with one secret.
fn nothing_twice(accounts: &[Account]) -> bool {
    let names: BTreeSet<_> = accounts.iter().map(|a| (&a.issuer, &a.account)).collect();
    let secrets: BTreeSet<_> = accounts.iter().map(|a| &a.secret).collect();
    names.len() == accounts.len() && secrets.len() == accounts.len()
}

// ---------------------------------------------------------------------------
// Scenarios

const ALPHA: &str = "MFWHA2DBFVVWK6JB";
const BRAVO: &str = "MJZGC5TPFVVWK6JB";
const CHARLIE: &str = "MNUGC4TMNFSWWZLZ";
const DELTA: &str = "MRSWY5DBFVVWK6JB";
const ECHO: &str = "MVRWQ3ZNNNSXSIJB";
const FOXTROT: &str = "MZXXQ5DSN52GWZLZ";
const GOLF: &str = "M5XWYZRNNNSXSIJB";

/// Join, then concurrent edits on both laptops, then rounds until quiet.
fn household_converges(devices: [Option<&'static str>; 2]) {
    let started = Instant::now();
    let c = Cluster::start(devices);
    let (a, b) = (c.a(), c.b());

    // 1. A starts the household; B joins once A's file reached it.
    a.add(&uri("Alpha", "anna@example.org", ALPHA));
    a.add(&uri("Bravo", "anna", BRAVO));
    a.add(&uri("Charlie", "anna", CHARLIE));
    let out = a.sync();
    assert!(out.contains("Started household backups"), "{out}");
    c.settle();
    let out = b.sync();
    assert!(out.contains("Joined the household backups"), "{out}");
    c.settle();
    a.sync();
    c.settle();
    let (on_a, on_b) = (sorted(a.accounts()), sorted(b.accounts()));
    assert_eq!(on_a, on_b, "after joining");
    assert_eq!(
        issuers(&on_a),
        ["Alpha", "Bravo", "Charlie"].map(String::from).into()
    );

    // 2. Edits on both sides before either syncs again.
    a.add(&uri("Delta", "anna", DELTA));
    b.add(&uri("Echo", "bob", ECHO));
    b.env.ok(&["remove", &b.id_of("Bravo")]);
    a.env.ok(&[
        "rename",
        &a.id_of("Charlie"),
        "--issuer",
        "Charlie Bank",
        "--account",
        "anna.c",
    ]);
    let (quiet, conflicts) = c.rounds_until_quiet(false, 6);
    print_order(&c);
    let mut checks = Checks::default();
    match quiet {
        Some(n) => eprintln!("quiet after {n} round(s) (the last one changed nothing)"),
        None => eprintln!("not quiet after 6 rounds"),
    }
    checks.check(
        quiet.is_some_and(|n| n <= 4),
        format!("quiet within 4 rounds after the edits (took {quiet:?})"),
    );
    checks.check(
        conflicts.is_empty(),
        format!("no conflict copies with one device name per laptop: {conflicts:?}"),
    );
    let (on_a, on_b) = (sorted(a.accounts()), sorted(b.accounts()));
    checks.check(
        on_a == on_b,
        if on_a == on_b {
            "same accounts on both".to_owned()
        } else {
            format!("same accounts on both: A {on_a:?}, B {on_b:?}")
        },
    );
    checks.check(
        nothing_twice(&on_a) && nothing_twice(&on_b),
        "nothing twice",
    );
    let want: BTreeSet<String> = ["Alpha", "Charlie Bank", "Delta", "Echo"]
        .map(String::from)
        .into();
    checks.check(
        issuers(&on_a) == want && issuers(&on_b) == want,
        format!(
            "A's addition and B's arrived, B's removal of Bravo stayed, A's rename of Charlie held: A {:?}, B {:?}",
            issuers(&on_a),
            issuers(&on_b)
        ),
    );
    checks.check(
        on_a.iter()
            .any(|x| x.issuer == "Charlie Bank" && x.account == "anna.c" && x.secret == CHARLIE),
        "the renamed account kept its secret",
    );
    eprintln!(
        "household_converges {devices:?}: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    checks.finish();
}

#[test]
fn laptops_with_their_own_device_names_converge() {
    household_converges([Some("laptop-a"), Some("laptop-b")]);
}

#[test]
fn laptops_with_default_device_names_converge() {
    // Both laptops run on this one host: a default name taken from the host
    // name would be one name for both.
    household_converges([None, None]);
}

/// Two laptops that both call themselves "shared-name" edit while offline;
/// Syncthing keeps one of the two files and a conflict copy of the other.
fn conflict_copies_are_merged_and_go(together: bool) {
    const SHARED: &str = "shared-name";
    const OWN: &str = "authdesk-shared-name.authdesk-backup";
    let started = Instant::now();
    let c = Cluster::start([Some(SHARED), Some(SHARED)]);
    let (a, b) = (c.a(), c.b());
    let mut checks = Checks::default();

    a.add(&uri("Foxtrot", "family", FOXTROT));
    let out = a.sync();
    assert!(out.contains("Started household backups"), "{out}");
    c.settle();
    let out = b.sync();
    assert!(out.contains("Joined the household backups"), "{out}");
    c.settle();
    eprintln!("before going offline:");
    let (quiet, _) = c.rounds_until_quiet(together, 4);
    checks.check(
        quiet.is_some_and(|n| n <= 2),
        format!("one shared device name: quiet within 2 rounds after joining (took {quiet:?})"),
    );

    // Offline: each laptop makes its own edit and writes its own version of
    // the one file.
    c.pause();
    a.add(&uri("Golf", "anna", GOLF));
    b.add(&uri("Hotel", "bob", "NBXXIZLMFVVWK6JB"));
    if together {
        c.sync_both_at_once();
    } else {
        a.sync();
        b.sync();
    }
    let (fa, fb) = (
        std::fs::read(a.folder.join(OWN)).unwrap(),
        std::fs::read(b.folder.join(OWN)).unwrap(),
    );
    assert_ne!(fa, fb, "both laptops wrote their own version of {OWN}");
    c.resume();
    c.settle();
    let merge_start = c.snapshot();
    let mut conflicts = merge_start.conflict_copies();
    eprintln!("after going online again: conflict copies {conflicts:?}");

    let (quiet, seen) = c.rounds_until_quiet(together, 6);
    conflicts.extend(seen);
    print_order(&c);
    checks.check(
        conflicts
            .iter()
            .any(|n| n.starts_with("authdesk-shared-name.sync-conflict-")),
        format!("Syncthing made a conflict copy of {OWN}: {conflicts:?}"),
    );
    checks.check(
        quiet.is_some_and(|n| n <= 3),
        format!(
            "quiet within 2 rounds after the merge round (round 1 merges; took {quiet:?} round(s) in all)"
        ),
    );
    let end = c.snapshot();
    checks.check(
        end.conflict_copies().is_empty(),
        format!(
            "no conflict copy left in either folder: {:?}",
            end.conflict_copies()
        ),
    );
    let (on_a, on_b) = (sorted(a.accounts()), sorted(b.accounts()));
    let want: BTreeSet<String> = ["Foxtrot", "Golf", "Hotel"].map(String::from).into();
    checks.check(
        issuers(&on_a) == want && issuers(&on_b) == want,
        format!(
            "both vaults hold both offline edits: A {:?}, B {:?}",
            issuers(&on_a),
            issuers(&on_b)
        ),
    );
    checks.check(
        on_a == on_b,
        if on_a == on_b {
            "same accounts on both".to_owned()
        } else {
            format!("same accounts on both: A {on_a:?}, B {on_b:?}")
        },
    );
    checks.check(
        nothing_twice(&on_a) && nothing_twice(&on_b),
        "nothing twice",
    );
    eprintln!(
        "conflict_copies_are_merged_and_go (together: {together}): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    checks.finish();
}

#[test]
fn one_device_name_on_two_laptops_conflict_copies_are_merged_and_go() {
    conflict_copies_are_merged_and_go(false);
}

#[test]
fn one_device_name_on_two_laptops_syncing_at_the_same_moment() {
    conflict_copies_are_merged_and_go(true);
}
