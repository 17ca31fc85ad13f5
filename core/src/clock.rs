//! How far the system clock is from network time, by SNTP (RFC 4330, the
//! client side of RFC 5905, through the `rsntp` crate).
//!
//! TOTP codes are the time cut into 30-second steps: a clock 15 seconds off
//! gives the wrong code half the time, and portals refuse it. So several
//! servers are asked at once (a slow or lying one must not decide), each
//! with a short timeout; the offset is the median of the good answers.
//! Kiss-o'-Death replies, unsynchronised servers and answers that cannot be
//! right are dropped. No answer at all is not an alarm: the caller says the
//! clock was not checked, and why.
//!
//! Sign: [`Check::offset`] is how far the system clock is *ahead* of network
//! time (+47 means "47 seconds fast"), the way a person says it. rsntp's own
//! offset is the correction, the opposite sign.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use thiserror::Error;

/// From this offset on, the user is warned: portals accept a step or so of
/// drift, and 10 s is a third of the usual one.
pub const WARN_SECONDS: f64 = 10.0;

/// How long one check waits for answers (DNS included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Public servers asked besides the one the system itself uses. Anycast
/// services and the pool, so that one outage does not leave the check blind.
pub const DEFAULT_SERVERS: &[&str] = &["time.cloudflare.com", "pool.ntp.org", "time.google.com"];

/// The environment variable that replaces the server list, comma-separated
/// (networks that block outside NTP, tests that must stay on loopback).
pub const SERVERS_ENV: &str = "AUTHDESK_TIME_SERVERS";

/// A server longer than this round trip is not trusted: its offset could be
/// off by half of it.
const MAX_ROUND_TRIP: f64 = 2.0;

/// An NTP server: a host name or address and a port (123 unless given).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Server {
    /// Host name or IP address, without brackets for IPv6.
    pub host: String,
    /// UDP port, 123 unless the text named another (1 to 65535).
    pub port: u16,
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.host.contains(':'), self.port) {
            (true, 123) => write!(f, "[{}]", self.host),
            (true, p) => write!(f, "[{}]:{p}", self.host),
            (false, 123) => f.write_str(&self.host),
            (false, p) => write!(f, "{}:{p}", self.host),
        }
    }
}

/// Why a time server's name (from the user or [`SERVERS_ENV`]) was refused.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerError {
    /// The name is empty or only white space.
    #[error("empty time server name")]
    Empty,
    /// The port after `:` is not a number from 1 to 65535; holds the text
    /// given.
    #[error("time server \"{0}\": the port must be a number from 1 to 65535")]
    BadPort(String),
    /// Not a host name, `host:port` or `[IPv6]:port` (a slash or a space, an
    /// unclosed bracket); holds the text given.
    #[error("time server \"{0}\" is not a host name, host:port, or [IPv6]:port")]
    BadHost(String),
}

impl crate::error::Kind for ServerError {
    fn kind(&self) -> &'static str {
        match self {
            ServerError::Empty => "server_empty",
            ServerError::BadPort(_) => "server_port",
            ServerError::BadHost(_) => "server_host",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            ServerError::Empty => vec![],
            ServerError::BadPort(s) | ServerError::BadHost(s) => vec![("server", s.clone())],
        }
    }
}

impl std::str::FromStr for Server {
    type Err = ServerError;
    /// `host`, `host:port`, `IPv4:port`, `[IPv6]`, `[IPv6]:port` or a bare IPv6 address.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ServerError::Empty);
        }
        let port = |p: &str| -> Result<u16, ServerError> {
            p.parse::<u16>()
                .ok()
                .filter(|&p| p > 0)
                .ok_or_else(|| ServerError::BadPort(s.to_owned()))
        };
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| ServerError::BadHost(s.to_owned()))?;
            match after.strip_prefix(':') {
                Some(p) => (host, port(p)?),
                None if after.is_empty() => (host, 123),
                None => return Err(ServerError::BadHost(s.to_owned())),
            }
        } else if s.matches(':').count() > 1 {
            (s, 123)
        } else if let Some((h, p)) = s.split_once(':') {
            (h, port(p)?)
        } else {
            (s, 123)
        };
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(ServerError::BadHost(s.to_owned()));
        }
        Ok(Server {
            host: host.to_owned(),
            port,
        })
    }
}

/// One server's good answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The server as [`Server`] displays it (`host`, `host:port`, `[IPv6]:port`).
    pub server: String,
    /// Seconds the system clock is ahead of this server.
    pub offset: f64,
    /// Seconds the request and answer took together; the offset may be off by
    /// half of it. At most 2 s, or the answer is dropped.
    pub round_trip: f64,
    /// The server's NTP stratum, 1 to 15: its distance from a reference clock.
    pub stratum: u8,
}

/// A server that gave no usable answer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The server as [`Server`] displays it (`host`, `host:port`, `[IPv6]:port`).
    pub server: String,
    /// Why its answer was not used, in English (no answer in time,
    /// Kiss-o'-Death, unsynchronised, …).
    pub reason: String,
}

/// The outcome of a check that got at least one good answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Seconds the system clock is ahead of network time (negative: behind).
    pub offset: f64,
    /// The server whose answer is the median.
    pub server: String,
    /// Every good answer, sorted by offset.
    pub answers: Vec<Answer>,
    /// The servers that gave no usable answer, with why.
    pub failures: Vec<Failure>,
    /// Wall-clock time of the check, Unix milliseconds (the system's clock).
    pub checked_at_ms: i64,
    /// How long the check took.
    pub took: Duration,
}

impl Check {
    /// Beyond [`WARN_SECONDS`]: the user should be told.
    pub fn is_off(&self) -> bool {
        self.offset.abs() >= WARN_SECONDS
    }

    /// Network time now, Unix milliseconds: the system's clock corrected.
    pub fn network_now_ms(&self) -> i64 {
        crate::timestamp::now_ms() - (self.offset * 1000.0).round() as i64
    }
}

/// Why the clock could not be checked. Not an alarm: the clock may be right, it
/// is just unknown.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockError {
    /// The list of servers to ask was empty.
    #[error("no time server to ask")]
    NoServers,
    /// No server gave a usable answer in time (offline, UDP port 123 blocked,
    /// …).
    #[error("clock not checked: no time server answered ({})", list(.failures))]
    NoAnswer {
        /// Each server asked, with why its answer was not used.
        failures: Vec<Failure>,
    },
}

impl crate::error::Kind for ClockError {
    fn kind(&self) -> &'static str {
        match self {
            ClockError::NoServers => "no_time_servers",
            ClockError::NoAnswer { .. } => "no_time_answer",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            ClockError::NoServers => vec![],
            ClockError::NoAnswer { failures } => vec![("failures", list(failures))],
        }
    }
}

fn list(failures: &[Failure]) -> String {
    failures
        .iter()
        .map(|f| format!("{}: {}", f.server, f.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Parses a comma- or space-separated server list, e.g. from [`SERVERS_ENV`].
pub fn parse_servers(text: &str) -> Result<Vec<Server>, ServerError> {
    text.split([',', ' ', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(str::parse)
        .collect()
}

/// The servers to ask when the user named none: `$AUTHDESK_TIME_SERVERS` if
/// set, else the ones the system syncs with (where its configuration can be
/// read) followed by [`DEFAULT_SERVERS`].
pub fn default_servers() -> Result<Vec<Server>, ServerError> {
    if let Ok(text) = std::env::var(SERVERS_ENV) {
        return parse_servers(&text);
    }
    let mut out: Vec<Server> = system_servers();
    for s in DEFAULT_SERVERS {
        let s: Server = s.parse().expect("default servers parse");
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The NTP servers in the system's own time configuration, where it is a
/// file we can read: systemd-timesyncd, chrony, ntpd/ntpsec (Linux, BSD,
/// and macOS's /etc/ntp.conf). Windows keeps its server in the registry;
/// there the defaults are used.
pub fn system_servers() -> Vec<Server> {
    const FILES: &[&str] = &[
        "/etc/systemd/timesyncd.conf",
        "/etc/chrony/chrony.conf",
        "/etc/chrony.conf",
        "/etc/ntpsec/ntp.conf",
        "/etc/ntp.conf",
    ];
    let mut out = Vec::new();
    for f in FILES {
        if let Ok(text) = std::fs::read_to_string(f) {
            for s in servers_in_config(&text) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    // At most two: the check is about this machine's time, not a survey.
    out.truncate(2);
    out
}

/// Server names in a timesyncd (`NTP=a b`), chrony or ntpd (`server a`,
/// `pool a`) configuration. Loopback entries are left out: a local daemon
/// serves the very clock being checked.
fn servers_in_config(text: &str) -> Vec<Server> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("").trim();
        let names: Vec<&str> = if let Some(rest) = line.strip_prefix("NTP=") {
            rest.split_whitespace().collect()
        } else {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("server" | "pool") => words.next().into_iter().collect(),
                _ => Vec::new(),
            }
        };
        for n in names {
            if let Ok(s) = n.parse::<Server>()
                && !matches!(s.host.as_str(), "127.0.0.1" | "::1" | "localhost")
                && !s.host.starts_with("127.127.")
            {
                out.push(s);
            }
        }
    }
    out
}

fn ask(server: &Server, timeout: Duration) -> Result<Answer, String> {
    let addr: SocketAddr = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve the name ({e})"))?
        .next()
        .ok_or_else(|| "the name has no address".to_owned())?;
    let bind: SocketAddr = if addr.is_ipv6() {
        "[::]:0".parse().expect("address")
    } else {
        "0.0.0.0:0".parse().expect("address")
    };
    let client = rsntp::SntpClient::with_config(
        rsntp::Config::default().bind_address(bind).timeout(timeout),
    );
    let r = client.synchronize(addr).map_err(|e| reason(&e))?;
    let stratum = r.stratum();
    if stratum == 0 || stratum > 15 {
        return Err(format!("unsynchronised server (stratum {stratum})"));
    }
    if matches!(r.leap_indicator(), rsntp::LeapIndicator::AlarmCondition) {
        return Err("the server says its own clock is not synchronised".into());
    }
    let round_trip = r.round_trip_delay().as_secs_f64();
    let correction = r.clock_offset().as_secs_f64();
    if !correction.is_finite() || !(0.0..=MAX_ROUND_TRIP).contains(&round_trip) {
        return Err(format!("implausible answer (round trip {round_trip:.3} s)"));
    }
    Ok(Answer {
        server: server.to_string(),
        offset: -correction,
        round_trip,
        stratum,
    })
}

fn reason(e: &rsntp::SynchronizationError) -> String {
    use rsntp::{ProtocolError, SynchronizationError as E};
    match e {
        E::IOError(io)
            if io.kind() == std::io::ErrorKind::WouldBlock
                || io.kind() == std::io::ErrorKind::TimedOut =>
        {
            "no answer in time".into()
        }
        E::IOError(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "nothing answers on that port (connection refused)".into()
        }
        E::IOError(io) => format!("network error ({io})"),
        E::ProtocolError(ProtocolError::KissODeath(code)) => {
            format!("the server refused (Kiss-o'-Death: {code})")
        }
        E::ProtocolError(p) => format!("invalid answer ({p})"),
    }
}

/// Asks every server at once and waits at most `timeout` (plus a moment)
/// for all of them; a server still resolving its name by then counts as
/// not answering.
pub fn check(servers: &[Server], timeout: Duration) -> Result<Check, ClockError> {
    if servers.is_empty() {
        return Err(ClockError::NoServers);
    }
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    for (i, s) in servers.iter().enumerate() {
        let tx = tx.clone();
        let s = s.clone();
        // Detached: a name lookup can hang far beyond the timeout, and the
        // check must not wait for it.
        std::thread::spawn(move || {
            let _ = tx.send((i, ask(&s, timeout)));
        });
    }
    drop(tx);
    let deadline = started + timeout + Duration::from_millis(250);
    let mut results: Vec<Option<Result<Answer, String>>> = vec![None; servers.len()];
    while results.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((i, r)) => results[i] = Some(r),
            Err(_) => break,
        }
    }
    let mut answers = Vec::new();
    let mut failures = Vec::new();
    for (s, r) in servers.iter().zip(results) {
        match r {
            Some(Ok(a)) => answers.push(a),
            Some(Err(reason)) => failures.push(Failure {
                server: s.to_string(),
                reason,
            }),
            None => failures.push(Failure {
                server: s.to_string(),
                reason: format!("no answer within {:.1} s", timeout.as_secs_f64()),
            }),
        }
    }
    if answers.is_empty() {
        return Err(ClockError::NoAnswer { failures });
    }
    answers.sort_by(|a, b| a.offset.total_cmp(&b.offset));
    // The lower median of an even count: an answer that exists, named.
    let mid = &answers[(answers.len() - 1) / 2];
    Ok(Check {
        offset: mid.offset,
        server: mid.server.clone(),
        checked_at_ms: crate::timestamp::now_ms(),
        took: started.elapsed(),
        failures,
        answers,
    })
}

/// "47 s" / "2 min 5 s": an offset's size in words a user reads at a glance.
pub fn describe(offset: f64) -> String {
    let s = offset.abs().round() as u64;
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_parse() {
        let p = |s: &str| s.parse::<Server>();
        assert_eq!(
            p("pool.ntp.org").unwrap(),
            Server {
                host: "pool.ntp.org".into(),
                port: 123
            }
        );
        assert_eq!(p("127.0.0.1:11123").unwrap().port, 11123);
        assert_eq!(
            p("[::1]:11123").unwrap(),
            Server {
                host: "::1".into(),
                port: 11123
            }
        );
        assert_eq!(p("2001:db8::1").unwrap().port, 123);
        assert_eq!(p("[::1]").unwrap().to_string(), "[::1]");
        assert_eq!(p("[::1]:9").unwrap().to_string(), "[::1]:9");
        assert!(matches!(p("host:0"), Err(ServerError::BadPort(_))));
        assert!(matches!(p("host:abc"), Err(ServerError::BadPort(_))));
        assert!(matches!(p(""), Err(ServerError::Empty)));
        assert!(matches!(p("[::1"), Err(ServerError::BadHost(_))));
        assert!(matches!(
            p("http://x"),
            Err(ServerError::BadHost(_)) | Err(ServerError::BadPort(_))
        ));
    }

    #[test]
    fn system_configurations_name_their_servers() {
        let timesyncd = "[Time]\nNTP=ntp.example.nl 0.debian.pool.ntp.org\n#FallbackNTP=x\n";
        let chrony = "pool 2.debian.pool.ntp.org iburst\nserver 127.0.0.1\nserver ntp.uni.example iburst # campus\n";
        let names = |t| {
            servers_in_config(t)
                .into_iter()
                .map(|s| s.host)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(timesyncd),
            ["ntp.example.nl", "0.debian.pool.ntp.org"]
        );
        assert_eq!(names(chrony), ["2.debian.pool.ntp.org", "ntp.uni.example"]);
    }

    #[test]
    fn a_port_with_no_server_fails_quickly_with_the_reason() {
        // Port 9 (discard) on loopback: nothing listens there.
        let s: Server = "127.0.0.1:9".parse().unwrap();
        let started = Instant::now();
        let e = check(&[s], Duration::from_millis(500)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        let ClockError::NoAnswer { failures } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(failures[0].server, "127.0.0.1:9");
        assert!(
            e.to_string()
                .starts_with("clock not checked: no time server answered"),
            "{e}"
        );
    }

    /// A fake server on loopback answering every request with `reply`
    /// (given the request), for the answers chronyd will not give.
    fn fake(reply: impl Fn(&[u8]) -> Vec<u8> + Send + 'static) -> Server {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = sock.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let mut buf = [0u8; 128];
            while let Ok((n, from)) = sock.recv_from(&mut buf) {
                let _ = sock.send_to(&reply(&buf[..n]), from);
            }
        });
        Server {
            host: "127.0.0.1".into(),
            port,
        }
    }

    /// An NTP timestamp `skew` seconds from now.
    fn ntp_now(skew: f64) -> [u8; 8] {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + 2_208_988_800.0
            + skew;
        let secs = t.floor() as u32;
        let frac = ((t - t.floor()) * 4_294_967_296.0) as u32;
        let mut out = [0u8; 8];
        out[..4].copy_from_slice(&secs.to_be_bytes());
        out[4..].copy_from_slice(&frac.to_be_bytes());
        out
    }

    /// A server reply: leap/version/mode, stratum, reference id, and the
    /// timestamps of a server whose clock is `skew` seconds off ours.
    fn reply(req: &[u8], stratum: u8, refid: &[u8; 4], skew: f64) -> Vec<u8> {
        let mut p = vec![0u8; 48];
        p[0] = (4 << 3) | 4; // version 4, server mode
        p[1] = stratum;
        p[12..16].copy_from_slice(refid);
        p[16..24].copy_from_slice(&ntp_now(skew - 60.0));
        p[24..32].copy_from_slice(&req[40..48]); // originate = the request's transmit
        p[32..40].copy_from_slice(&ntp_now(skew));
        p[40..48].copy_from_slice(&ntp_now(skew));
        p
    }

    #[test]
    fn kiss_of_death_and_nonsense_are_dropped_and_the_median_wins() {
        // Servers 30 s behind us: our clock is 30 s fast.
        let good = [
            fake(|r| reply(r, 2, b"GPS\0", -30.0)),
            fake(|r| reply(r, 1, b"PPS\0", -30.4)),
            fake(|r| reply(r, 2, b"GPS\0", -29.8)),
        ];
        let kod = fake(|r| reply(r, 0, b"RATE", 0.0));
        let liar = fake(|r| {
            let mut p = reply(r, 2, b"GPS\0", 0.0);
            p[24..32].fill(0); // not an answer to our request
            p
        });
        let short = fake(|_| vec![0x24, 1, 0]);
        let mut all = vec![kod, liar, short];
        all.extend(good.iter().cloned());
        let c = check(&all, Duration::from_secs(1)).unwrap();
        assert_eq!(c.answers.len(), 3, "{:?}", c.failures);
        assert!((c.offset - 30.0).abs() < 0.5, "offset {}", c.offset);
        assert!(c.is_off());
        assert_eq!(c.failures.len(), 3);
        assert!(
            c.failures[0].reason.contains("Kiss-o'-Death"),
            "{:?}",
            c.failures[0]
        );
        // The median, not the mean, and a server that really answered.
        assert!(good.iter().any(|g| g.to_string() == c.server));
    }

    #[test]
    fn offsets_read_as_people_say_them() {
        assert_eq!(describe(47.2), "47 s");
        assert_eq!(describe(-125.0), "2 min 5 s");
        assert_eq!(describe(7300.0), "2 h 1 min");
    }
}
