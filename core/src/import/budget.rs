//! What one import may cost. A file is hostile until it has opened: any
//! work it asks for with numbers of its own (key derivation costs, slot
//! counts) is booked here before any of it is done, and a file over budget
//! is refused with [`ImportError::TooCostly`], saying what it asked for and
//! what Authdesk allows. The limits sit well above what the apps write.
//!
//! Inflating zip members, expanding Java back-references and running SQL
//! have budgets of their own, next to the code that does the work
//! (`zipfile`, `javaser`, `sqlite`).

use super::ImportError;

/// Memory for one key derivation. Ente Auth asks for 1 GiB by default and
/// Bitwarden allows up to 1 GiB: both must open.
#[cfg(not(fuzzing))]
pub(crate) const MAX_KDF_MEMORY: u64 = 1 << 30;
/// Memory × passes over it, summed over every derivation in one file: the
/// time a memory-hard derivation takes. Bitwarden's highest setting is
/// 1 GiB × 10 passes, Ente's 1 GiB × 4, Aegis's 32 MiB × 2.
#[cfg(not(fuzzing))]
pub(crate) const MAX_KDF_TRAFFIC: u64 = 16 << 30;
/// PBKDF2 iterations, summed over every derivation in one file. Bitwarden
/// allows up to 2,000,000, andOTP picks about 150,000, FreeOTP 100,000;
/// Authy derives 1,000 for each token.
#[cfg(not(fuzzing))]
pub(crate) const MAX_PBKDF2_ITERATIONS: u64 = 10_000_000;

// The fuzz build (cargo-fuzz sets `--cfg fuzzing`) allows only cheap
// derivations: a fuzzed file's key never passes the MAC behind it anyway,
// so a costly derivation spends the fuzzer's time on key stretching
// instead of the parsers. The booking and refusing stay the same code.
#[cfg(fuzzing)]
pub(crate) const MAX_KDF_MEMORY: u64 = 1 << 20;
#[cfg(fuzzing)]
pub(crate) const MAX_KDF_TRAFFIC: u64 = 4 << 20;
#[cfg(fuzzing)]
pub(crate) const MAX_PBKDF2_ITERATIONS: u64 = 2_000;
/// Password slots tried in one file. Aegis writes one or two (the vault's
/// and a separate backup password); biometric slots cost nothing.
pub(crate) const MAX_PASSWORD_SLOTS: usize = 16;

/// What one key derivation asks for, with the file's numbers as read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kdf {
    /// scrypt with N = 2^`log_n`.
    Scrypt {
        log_n: u32,
        r: u64,
        p: u64,
    },
    Argon2id {
        kib: u64,
        passes: u64,
        lanes: u64,
    },
    Pbkdf2 {
        iterations: u64,
    },
}

impl Kdf {
    /// Bytes the derivation holds at once.
    fn memory(&self) -> u128 {
        match *self {
            // ROMix keeps N blocks of 128·r bytes, and the p lanes' blocks
            // are held together besides.
            Kdf::Scrypt { log_n, r, p } => (128 * u128::from(r))
                .saturating_mul((1u128 << log_n.min(127)).saturating_add(p.into())),
            Kdf::Argon2id { kib, .. } => u128::from(kib) * 1024,
            Kdf::Pbkdf2 { .. } => 0,
        }
    }

    /// Passes over that memory.
    fn passes(&self) -> u128 {
        match *self {
            // Each of p ROMix runs fills its memory, then reads it back.
            Kdf::Scrypt { p, .. } => 2 * u128::from(p),
            Kdf::Argon2id { passes, .. } => u128::from(passes),
            Kdf::Pbkdf2 { .. } => 0,
        }
    }

    fn traffic(&self) -> u128 {
        self.memory().saturating_mul(self.passes())
    }

    fn describe(&self) -> String {
        let cost = |k: &Kdf| format!("{} × {} passes", bytes(k.memory()), k.passes());
        match self {
            Kdf::Scrypt { log_n, r, p } => {
                format!(
                    "scrypt with N = 2^{log_n}, r = {r}, p = {p} ({})",
                    cost(self)
                )
            }
            Kdf::Argon2id { lanes: 1, .. } => format!("Argon2id with {} and 1 lane", cost(self)),
            Kdf::Argon2id { lanes, .. } => {
                format!("Argon2id with {} and {lanes} lanes", cost(self))
            }
            Kdf::Pbkdf2 { iterations } => format!("PBKDF2 with {iterations} iterations"),
        }
    }
}

/// The key derivation one file may still ask for.
pub(crate) struct Budget {
    app: &'static str,
    /// What to do about a refusal, for the message.
    advice: &'static str,
    traffic: u128,
    iterations: u128,
}

impl Budget {
    /// `advice` ends a refusal's message: how to get a file that opens.
    pub(crate) fn new(app: &'static str, advice: &'static str) -> Self {
        Budget {
            app,
            advice,
            traffic: 0,
            iterations: 0,
        }
    }

    /// Books `kdf`, which `what` ("password slot 2", "the masterKey") asks
    /// for; refused when it or everything booked with it is over budget.
    pub(crate) fn charge(&mut self, what: &str, kdf: Kdf) -> Result<(), ImportError> {
        let refuse = |asks: String, allows: String| {
            ImportError::too_costly(
                self.app,
                format!(
                    "{what} asks for {asks}; Authdesk allows at most {allows}. {}",
                    self.advice
                ),
            )
        };
        let memory = kdf.memory();
        if memory > u128::from(MAX_KDF_MEMORY) {
            return Err(refuse(
                kdf.describe(),
                format!("{} of memory", bytes(MAX_KDF_MEMORY.into())),
            ));
        }
        let traffic = self.traffic.saturating_add(kdf.traffic());
        if traffic > u128::from(MAX_KDF_TRAFFIC) {
            let asks = if self.traffic == 0 {
                kdf.describe()
            } else {
                format!(
                    "{}, on top of {}-passes before it",
                    kdf.describe(),
                    bytes(self.traffic)
                )
            };
            return Err(refuse(
                asks,
                format!(
                    "{}-passes (memory × passes) of key derivation in one file",
                    bytes(MAX_KDF_TRAFFIC.into())
                ),
            ));
        }
        let iterations = match kdf {
            Kdf::Pbkdf2 { iterations } => self.iterations.saturating_add(iterations.into()),
            _ => self.iterations,
        };
        if iterations > u128::from(MAX_PBKDF2_ITERATIONS) {
            let asks = if self.iterations == 0 {
                kdf.describe()
            } else {
                format!(
                    "{}, on top of {} before it",
                    kdf.describe(),
                    self.iterations
                )
            };
            return Err(refuse(
                asks,
                format!("{MAX_PBKDF2_ITERATIONS} PBKDF2 iterations in one file"),
            ));
        }
        self.traffic = traffic;
        self.iterations = iterations;
        Ok(())
    }

    /// Refuses `count` password slots beyond [`MAX_PASSWORD_SLOTS`].
    pub(crate) fn slots(&self, count: usize) -> Result<(), ImportError> {
        if count <= MAX_PASSWORD_SLOTS {
            return Ok(());
        }
        Err(ImportError::too_costly(
            self.app,
            format!(
                "it has {count} password slots, each a key derivation to try; Authdesk tries at most {MAX_PASSWORD_SLOTS}. {}",
                self.advice
            ),
        ))
    }
}

/// `n` bytes in the largest binary unit it reaches, to a tenth (cut, not
/// rounded: "32 MiB" for scrypt's 32 MiB and a kilobyte).
pub(crate) fn bytes(n: u128) -> String {
    for (shift, unit) in [
        (60, "EiB"),
        (50, "PiB"),
        (40, "TiB"),
        (30, "GiB"),
        (20, "MiB"),
        (10, "KiB"),
    ] {
        if n >> shift > 0 {
            let whole = n >> shift;
            let tenth = ((n - (whole << shift)) * 10) >> shift;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn refusal(e: ImportError) -> String {
        assert_eq!(e.kind(), "too_costly", "{e}");
        e.to_string()
    }

    #[test]
    fn real_apps_costs_fit() {
        let mut b = Budget::new("test", "");
        // Aegis, Ente, Bitwarden's highest Argon2id setting, andOTP.
        let aegis = Kdf::Scrypt {
            log_n: 15,
            r: 8,
            p: 1,
        };
        b.charge("a", aegis).unwrap();
        b.charge("a", aegis).unwrap();
        for (kib, passes) in [(1 << 20, 4), (1 << 20, 10)] {
            let mut b = Budget::new("test", "");
            b.charge(
                "b",
                Kdf::Argon2id {
                    kib,
                    passes,
                    lanes: 16,
                },
            )
            .unwrap();
        }
        b.charge(
            "c",
            Kdf::Pbkdf2 {
                iterations: 160_000,
            },
        )
        .unwrap();
        b.slots(16).unwrap();
    }

    #[test]
    fn refusals_say_what_was_asked_and_what_is_allowed() {
        let mut b = Budget::new("Aegis", "Export it again.");
        let big = Kdf::Scrypt {
            log_n: 30,
            r: 8,
            p: 1,
        };
        let msg = refusal(b.charge("password slot 1", big).unwrap_err());
        assert!(msg.contains("N = 2^30"), "{msg}");
        assert!(msg.contains("(1 TiB × 2 passes)"), "{msg}");
        assert!(msg.contains("at most 1 GiB"), "{msg}");
        assert!(msg.ends_with("Export it again."), "{msg}");
        let msg = refusal(b.slots(17).unwrap_err());
        assert!(msg.contains("17 password slots"), "{msg}");
    }

    #[test]
    fn costs_add_up_over_one_file() {
        let mut b = Budget::new("test", "");
        let gib = Kdf::Argon2id {
            kib: 1 << 20,
            passes: 8,
            lanes: 1,
        };
        b.charge("first", gib).unwrap();
        b.charge("second", gib).unwrap();
        let msg = refusal(b.charge("third", gib).unwrap_err());
        assert!(msg.contains("on top of 16 GiB-passes"), "{msg}");
        let mut b = Budget::new("test", "");
        for _ in 0..10 {
            b.charge(
                "t",
                Kdf::Pbkdf2 {
                    iterations: 1_000_000,
                },
            )
            .unwrap();
        }
        refusal(b.charge("t", Kdf::Pbkdf2 { iterations: 1 }).unwrap_err());
    }

    #[test]
    fn scrypt_lanes_take_memory_too() {
        // Tiny blocks, but 2^25 lanes of them held at once: 4 GiB.
        let mut b = Budget::new("test", "");
        let lanes = Kdf::Scrypt {
            log_n: 1,
            r: 1,
            p: 1 << 25,
        };
        let msg = refusal(b.charge("x", lanes).unwrap_err());
        assert!(msg.contains("at most 1 GiB of memory"), "{msg}");
    }

    #[test]
    fn tiny_memory_with_endless_passes_is_still_work() {
        let mut b = Budget::new("test", "");
        let e = b.charge(
            "x",
            Kdf::Argon2id {
                kib: 8,
                passes: u64::MAX,
                lanes: 1,
            },
        );
        refusal(e.unwrap_err());
        let e = b.charge(
            "x",
            Kdf::Scrypt {
                log_n: 63,
                r: u64::MAX,
                p: u64::MAX,
            },
        );
        refusal(e.unwrap_err());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes(1 << 30), "1 GiB");
        assert_eq!(bytes(32 << 20), "32 MiB");
        assert_eq!(bytes(3 << 19), "1.5 MiB");
        assert_eq!(bytes(8192), "8 KiB");
        assert_eq!(bytes(100), "100 bytes");
        assert_eq!(bytes((1 << 40) + 1024), "1 TiB");
        assert_eq!(bytes(u128::MAX), format!("{}.9 EiB", u128::MAX >> 60));
    }
}
