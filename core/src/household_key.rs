//! The household's key as a vault keeps it: the data key that encrypts
//! the household's backups and the password slots that seal it, so the
//! vault writes and reads the folder without asking for a password.
//!
//! Apart from [`crate::backup`] so that the vault can hold one without
//! knowing backups: what makes backups with it (`new`, `add_password`,
//! `revoke`, …) is implemented in `backup::household`.

use serde::{Deserialize, Serialize};

use crate::format::slot::{DataKey, MAX_SLOTS, SLOT_LEN, Slot, name_slots, names_of};

/// The household's data key and password slots, as a vault keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredKey", into = "StoredKey")]
pub struct HouseholdKey {
    pub(crate) key: DataKey,
    /// One sealed copy of the data key per household password, 1 to
    /// [`MAX_SLOTS`]; any of those passwords opens the household's backups.
    pub slots: Vec<Slot>,
    /// Unix ms of the last change to `slots`: the newest set wins.
    pub slots_changed: i64,
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    key: String,
    slots: Vec<String>,
    slots_changed: i64,
    /// The slots' names, in order; absent in vaults from before names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    names: Vec<String>,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

impl From<HouseholdKey> for StoredKey {
    fn from(h: HouseholdKey) -> Self {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        StoredKey {
            key: b64.encode(h.key.as_bytes()),
            slots: h.slots.iter().map(|s| b64.encode(s.to_bytes())).collect(),
            slots_changed: h.slots_changed,
            names: names_of(&h.slots),
        }
    }
}

impl TryFrom<StoredKey> for HouseholdKey {
    type Error = String;
    fn try_from(s: StoredKey) -> Result<Self, String> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let key = zeroize::Zeroizing::new(
            b64.decode(s.key.as_bytes())
                .map_err(|e| format!("household key: {e}"))?,
        );
        let key: [u8; 32] = key[..]
            .try_into()
            .map_err(|_| "household key: not 32 bytes".to_string())?;
        let slots = s
            .slots
            .iter()
            .map(|t| {
                let b = b64.decode(t).map_err(|e| format!("household slot: {e}"))?;
                let b: [u8; SLOT_LEN] = b
                    .try_into()
                    .map_err(|_| "household slot: wrong length".to_string())?;
                Slot::from_bytes(&b).map_err(|e| format!("household slot: {e:?}"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut slots = slots;
        name_slots(&mut slots, &s.names);
        if slots.is_empty() || slots.len() > MAX_SLOTS {
            return Err("household key: 1 to 16 slots".into());
        }
        Ok(HouseholdKey {
            key: DataKey::from_bytes(key),
            slots,
            slots_changed: s.slots_changed,
        })
    }
}
