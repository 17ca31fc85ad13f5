//! The two laptops with their two nodes: starting them, taking them offline
//! and online, waiting for Syncthing to settle, and rounds of `backup sync`
//! measured by files and bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::Env;
use crate::laptop::Laptop;
use crate::node::{Node, config_xml, free_ports, generate};

const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(90);

// ---------------------------------------------------------------------------
// Files and bytes

/// Every file of both folders (relative path → bytes) and both vaults.
#[derive(Clone, PartialEq, Eq)]
pub struct Snapshot {
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
    pub fn conflict_copies(&self) -> BTreeSet<String> {
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

pub struct Cluster {
    // Nodes first: they are killed before the laptops' folders go.
    pub nodes: [Node; 2],
    pub laptops: [Laptop; 2],
}

impl Cluster {
    /// Two laptops with their own Syncthing, sharing one folder, connected.
    pub fn start(devices: [Option<&'static str>; 2]) -> Cluster {
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

    pub fn a(&self) -> &Laptop {
        &self.laptops[0]
    }

    pub fn b(&self) -> &Laptop {
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
    pub fn pause(&self) {
        let [n1, n2] = &self.nodes;
        n1.api("POST", &format!("/rest/system/pause?device={}", n2.id));
        n2.api("POST", &format!("/rest/system/pause?device={}", n1.id));
        self.wait_connected(false);
    }

    /// Back online. One side first, so that the two do not dial each other
    /// in the same instant.
    pub fn resume(&self) {
        let [n1, n2] = &self.nodes;
        n1.api("POST", &format!("/rest/system/resume?device={}", n2.id));
        std::thread::sleep(Duration::from_millis(300));
        n2.api("POST", &format!("/rest/system/resume?device={}", n1.id));
        self.wait_connected(true);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            folders: self.laptops.each_ref().map(|l| files_in(&l.folder)),
            vaults: self
                .laptops
                .each_ref()
                .map(|l| std::fs::read(l.env.vault()).unwrap()),
        }
    }

    /// A starts the household, B joins once A's file reached it.
    pub fn start_household(&self) {
        let out = self.a().sync();
        assert!(out.contains("Started household backups"), "{out}");
        self.settle();
        let out = self.b().sync();
        assert!(out.contains("Joined the household backups"), "{out}");
        self.settle();
    }

    /// Scans both folders, then waits until both nodes are connected, idle,
    /// need nothing, are complete for each other, and both folders hold the
    /// same files with the same bytes, twice in a row.
    pub fn settle(&self) {
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
    pub fn sync_both_at_once(&self) {
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
    pub fn rounds_until_quiet(
        &self,
        together: bool,
        max: usize,
    ) -> (Option<usize>, BTreeSet<String>) {
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
