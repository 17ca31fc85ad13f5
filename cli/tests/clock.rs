//! `authdesk clock` and `code --network-time` against a real NTP server:
//! chronyd with its own configuration on 127.0.0.1 and a spare port, in
//! `-x` mode so it never touches the system clock. Our binary runs under
//! libfaketime (`faketime -f '+47s'`) to have a wrong clock of its own;
//! oathtool, on the true clock, says what the code must be.
// The tools these tests drive are Linux packages (scripts/test installs them);
// the Windows and macOS CI runs the rest.
#![cfg(target_os = "linux")]

mod common;

use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use serde_json::Value;

const SECRET: &str = "JBSWY3DPEHPK3PXP";

struct Chrony {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Chrony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spare_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(tool: &str) -> String {
    for dir in [
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/usr/local/bin",
        "/usr/local/sbin",
    ] {
        let p = format!("{dir}/{tool}");
        if std::path::Path::new(&p).exists() {
            return p;
        }
    }
    panic!(
        "{tool} is not installed: scripts/test installs it (Debian package chrony / faketime / oathtool)"
    );
}

fn chrony() -> Chrony {
    let dir = tempfile::tempdir().unwrap();
    let port = spare_udp_port();
    let d = dir.path().display();
    let root = is_root();
    let conf = format!(
        "port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 1\ncmdport 0\n\
         driftfile {d}/drift\npidfile {d}/chronyd.pid\nlogdir {d}\n{}",
        if root { "" } else { "bindcmdaddress /\n" }
    );
    std::fs::write(dir.path().join("chrony.conf"), conf).unwrap();
    let mut cmd = Command::new(find("chronyd"));
    cmd.args(["-x", "-d", "-f"])
        .arg(dir.path().join("chrony.conf"));
    if !root {
        let user = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
        cmd.args(["-U", "-u", &user]);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let c = Chrony {
        child,
        port,
        _dir: dir,
    };
    // Ready once it answers.
    let env = Env::new();
    let server = c.server();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        let (code, _, _) = env.run(&["clock", "--server", &server, "--timeout", "0.3"]);
        if code == 0 {
            return c;
        }
    }
    panic!("chronyd did not answer on {server} within 10 s");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Chrony {
    fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

/// `authdesk ARGS` with the clock skewed by `skew` ("+47s").
fn skewed(env: &Env, skew: &str, args: &[&str]) -> (i32, String, String) {
    common::outcome(
        env.command(find("faketime"))
            .args(["-f", skew])
            .arg(assert_cmd::cargo::cargo_bin("authdesk"))
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn the_offset_under_a_skewed_clock_is_measured_within_a_second() {
    let c = chrony();
    let env = Env::new();
    for (skew, secs) in [("+47s", 47.0), ("-120s", -120.0), ("+0s", 0.0)] {
        let (code, out, err) = skewed(&env, skew, &["clock", "--server", &c.server(), "--json"]);
        let v: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{skew}: {e}: {out} {err}"));
        let offset = v["offset_seconds"].as_f64().unwrap();
        assert!((offset - secs).abs() < 1.0, "{skew}: offset {offset}");
        assert_eq!(v["server"], c.server().as_str());
        let want = if secs == 0.0 { 0 } else { 3 };
        assert_eq!(code, want, "{skew}: exit code; {err}");
        assert_eq!(v["fine"], Value::Bool(want == 0));
    }
    // In words, for people.
    let (code, out, _) = skewed(&env, "+47s", &["clock", "--server", &c.server()]);
    assert_eq!(code, 3);
    assert!(out.contains("The clock is 47 s fast"), "{out}");
    let (_, out, _) = skewed(&env, "-120s", &["clock", "--server", &c.server()]);
    assert!(out.contains("2 min 0 s slow"), "{out}");
}

fn oathtool_now() -> String {
    let out = Command::new(find("oathtool"))
        .args(["--totp", "-b", SECRET])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn network_time_gives_the_true_codes_on_a_wrong_clock() {
    let c = chrony();
    let env = Env::new();
    env.ok(&[
        "add",
        &format!("otpauth://totp/Zon:installateur?secret={SECRET}&issuer=Zon"),
    ]);
    for skew in ["+47s", "-120s"] {
        // A 30 s step may turn between the two readings: then read again.
        let mut ok = false;
        for _ in 0..3 {
            let before = oathtool_now();
            let (code, out, err) = skewed(
                &env,
                skew,
                &[
                    "code",
                    "Zon",
                    "--network-time",
                    "--server",
                    &c.server(),
                    "--json",
                ],
            );
            let after = oathtool_now();
            assert_eq!(code, 0, "{skew}: {err}");
            assert!(err.contains("Network time from"), "{err}");
            let v: Value = serde_json::from_str(&out).unwrap();
            let got = v[0]["code"].as_str().unwrap().to_owned();
            if before == after {
                assert_eq!(
                    got, before,
                    "{skew}: network-time code differs from oathtool's"
                );
                ok = true;
                break;
            }
        }
        assert!(ok, "the time step turned three times in a row");
        // Without network time the skewed clock gives another code.
        let (_, out, _) = skewed(&env, skew, &["code", "Zon", "--json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        let now = oathtool_now();
        assert_ne!(
            v[0]["code"].as_str().unwrap(),
            now,
            "{skew}: the skew should change the code"
        );
    }
}

#[test]
fn a_port_with_no_server_says_so_within_the_timeout() {
    let env = Env::new();
    // Something holds the port but never answers: a silent server.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let server = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    let started = Instant::now();
    let (code, _, err) = env.run(&["clock", "--server", &server, "--timeout", "1"]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("clock not checked: no time server answered"),
        "{err}"
    );
    assert!(err.contains(&server) && err.contains("no answer"), "{err}");
    assert!(took < Duration::from_millis(2500), "took {took:?}");

    // Nothing on the port at all: refused, at once.
    drop(silent);
    let (code, _, err) = env.run(&["clock", "--server", &server]);
    assert_eq!(code, 1);
    assert!(
        err.contains("refused") || err.contains("no answer"),
        "{err}"
    );

    // A bad name is a usage problem, said as such.
    env.fails(
        &["clock", "--server", "host:99999"],
        1,
        "port must be a number",
    );
    // And network time that cannot be had shows no code rather than a wrong one.
    env.ok(&["add", &format!("otpauth://totp/Zon:a?secret={SECRET}")]);
    env.fails(
        &["code", "--network-time", "--server", &server],
        1,
        "clock not checked",
    );
}
