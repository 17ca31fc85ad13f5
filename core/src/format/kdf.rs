//! Argon2id (RFC 9106, version 0x13), as both files use it: the cost a
//! file asks for, the bounds Authdesk holds it to, and the derivation.

use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Argon2id cost. Defaults follow OWASP's "64 MiB, 3 passes, 1 lane" tier,
/// which unlocks in a few hundred milliseconds on a 2-core laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Argon2 memory in KiB; bounded by [`MAX_MEMORY_KIB`] (and at least 8 KiB
    /// per lane) when read from a file.
    pub memory_kib: u32,
    /// Argon2 passes over the memory (time cost); 1 to [`MAX_PASSES`].
    pub passes: u32,
    /// Argon2 lanes (parallelism); 1 to [`MAX_LANES`].
    pub lanes: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            passes: 3,
            lanes: 1,
        }
    }
}

/// Limits on parameters read from a file. A hostile or damaged header must
/// not make us allocate gigabytes or spin for minutes before we can say
/// "wrong password".
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
/// Most Argon2 passes a file may ask for (see [`MAX_MEMORY_KIB`] for why).
pub const MAX_PASSES: u32 = 16;
/// Most Argon2 lanes a file may ask for; the memory must also be at least 8 KiB
/// per lane, Argon2's own minimum.
pub const MAX_LANES: u32 = 8;

/// How many bytes the parameters take in a file: memory, passes, lanes.
pub const ENCODED_LEN: usize = 12;

impl KdfParams {
    /// Cheap parameters for tests and test vectors only.
    pub fn insecure_for_tests() -> Self {
        Self {
            memory_kib: 64,
            passes: 1,
            lanes: 1,
        }
    }

    /// Checks lanes, passes and memory against the bounds above; `Err` names
    /// the parameter and its allowed range. Writers check too, so Authdesk
    /// never writes a file it would refuse to read.
    pub fn check_bounds(&self) -> Result<(), String> {
        if !(1..=MAX_LANES).contains(&self.lanes) {
            return Err(format!("{} lanes (allowed 1 to {MAX_LANES})", self.lanes));
        }
        if !(1..=MAX_PASSES).contains(&self.passes) {
            return Err(format!(
                "{} passes (allowed 1 to {MAX_PASSES})",
                self.passes
            ));
        }
        let min = 8 * self.lanes;
        if !(min..=MAX_MEMORY_KIB).contains(&self.memory_kib) {
            return Err(format!(
                "{} KiB of memory (allowed {min} KiB to {} MiB)",
                self.memory_kib,
                MAX_MEMORY_KIB / 1024
            ));
        }
        Ok(())
    }

    /// The Argon2 work a try costs: KiB of memory × passes.
    pub fn work(&self) -> u64 {
        u64::from(self.memory_kib) * u64::from(self.passes)
    }

    /// The parameters as both files store them: three u32 LE, unchecked
    /// (the caller bounds them with [`KdfParams::check_bounds`]).
    pub(crate) fn read(b: &[u8; ENCODED_LEN]) -> Self {
        Self {
            memory_kib: super::u32_at(b, 0),
            passes: super::u32_at(b, 4),
            lanes: super::u32_at(b, 8),
        }
    }

    pub(crate) fn write(&self) -> [u8; ENCODED_LEN] {
        let mut b = [0u8; ENCODED_LEN];
        b[0..4].copy_from_slice(&self.memory_kib.to_le_bytes());
        b[4..8].copy_from_slice(&self.passes.to_le_bytes());
        b[8..12].copy_from_slice(&self.lanes.to_le_bytes());
        b
    }
}

/// 64 bytes of Argon2id(password, salt): the vault splits them into an
/// encryption and a MAC key, a slot uses the first 32.
pub fn derive(
    password: &SecretString,
    salt: &[u8; 16],
    kdf: KdfParams,
) -> Result<Zeroizing<[u8; 64]>, String> {
    let params = argon2::Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(64))
        .map_err(|e| e.to_string())?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 64]);
    argon
        .hash_password_into(password.expose_secret().as_bytes(), salt, &mut out[..])
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// 16 fresh bytes from the OS random generator: a new vault, a password change
/// and every slot get their own.
pub fn random_salt() -> [u8; 16] {
    let mut s = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_read_back_as_written() {
        let k = KdfParams::default();
        assert_eq!(KdfParams::read(&k.write()), k);
        assert_eq!(k.work(), 64 * 1024 * 3);
    }
}
