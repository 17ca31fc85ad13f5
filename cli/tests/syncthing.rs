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
// Syncthing comes from Debian's package here (scripts/test installs it).
#![cfg(target_os = "linux")]

#[path = "syncthing/cluster.rs"]
mod cluster;
mod common;
#[path = "syncthing/laptop.rs"]
mod laptop;
#[path = "syncthing/node.rs"]
mod node;

use std::collections::BTreeSet;
use std::time::Instant;

use cluster::Cluster;
use laptop::{Account, uri};

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

impl Checks {
    /// Both laptops hold the same accounts, each once.
    fn converged(&mut self, on_a: &[Account], on_b: &[Account]) {
        self.check(
            on_a == on_b,
            if on_a == on_b {
                "same accounts on both".to_owned()
            } else {
                format!("same accounts on both: A {on_a:?}, B {on_b:?}")
            },
        );
        self.check(nothing_twice(on_a) && nothing_twice(on_b), "nothing twice");
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
    c.start_household();
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
    checks.converged(&on_a, &on_b);
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
    c.start_household();
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
    checks.converged(&on_a, &on_b);
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
