//! This device's identity in a household folder.
//!
//! Host names are a poor identity: family laptops are often left with the
//! same one ("MacBook-Air", a distro's default, a cloned disk image), and
//! two devices writing one file never settle. So each vault draws a random
//! id the first time it takes part in a household; the folder's file names
//! and history use the id, people see the name (the host name until the
//! user gives another).

use serde::{Deserialize, Serialize};

/// Hex digits in an id: 64 random bits, so two devices never draw one.
pub const ID_LEN: usize = 16;

/// A device name longer than this is cut; backups carry at most 256 bytes.
pub const MAX_NAME_CHARS: usize = 64;

/// This vault's identity in household folders: a random id that names its
/// backup file, and the name people see. Stored in the vault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredDevice", into = "StoredDevice")]
pub struct Device {
    id: String,
    /// `None`: the host name, read afresh (it may change).
    name: Option<String>,
    /// Unix ms of the last rename: of two copies of a vault, the newer name
    /// wins.
    named: i64,
}

#[derive(Serialize, Deserialize)]
struct StoredDevice {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default)]
    named: i64,
}

impl From<Device> for StoredDevice {
    fn from(d: Device) -> Self {
        StoredDevice {
            id: d.id,
            name: d.name,
            named: d.named,
        }
    }
}

impl TryFrom<StoredDevice> for Device {
    type Error = String;
    fn try_from(s: StoredDevice) -> Result<Self, String> {
        if !is_id(&s.id) {
            return Err(format!("device id {:?} is not {ID_LEN} hex digits", s.id));
        }
        Ok(Device {
            id: s.id,
            name: s.name.map(|n| clean_name(&n)).filter(|n| !n.is_empty()),
            named: s.named,
        })
    }
}

/// Whether `s` has an id's form: what makes a file name this device's.
pub fn is_id(s: &str) -> bool {
    s.len() == ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Control characters out, white space folded, length bounded.
fn clean_name(name: &str) -> String {
    let folded: Vec<&str> = name.split_whitespace().collect();
    folded
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect()
}

impl Device {
    /// A new identity named after the host.
    pub fn new() -> Device {
        use rand::RngCore;
        let mut bytes = [0u8; ID_LEN / 2];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Device {
            id: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            name: None,
            named: 0,
        }
    }

    /// The random id, [`ID_LEN`] lowercase hex digits; it names this device's
    /// file (`authdesk-<id>.authdesk-backup`) and never changes.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What people see: the chosen name, or the host name.
    pub fn name(&self) -> String {
        self.name.clone().unwrap_or_else(host_name)
    }

    /// Whether the user chose the name (rather than the host's).
    pub fn is_named(&self) -> bool {
        self.name.is_some()
    }

    /// Renames the device; an empty name goes back to the host name.
    pub fn rename(&mut self, name: &str, now_ms: i64) {
        let name = clean_name(name);
        self.name = (!name.is_empty()).then_some(name);
        self.named = now_ms.max(self.named.saturating_add(1));
    }

    /// Of two copies of one vault's identity (two processes saving): the id
    /// already on disk stays, so files already written keep their name; the
    /// newer name wins.
    pub fn merge(disk: Option<Device>, ours: Option<Device>) -> Option<Device> {
        match (disk, ours) {
            (Some(mut d), Some(o)) => {
                if o.named > d.named {
                    d.name = o.name;
                    d.named = o.named;
                }
                Some(d)
            }
            (d, o) => d.or(o),
        }
    }
}

impl Default for Device {
    fn default() -> Self {
        Device::new()
    }
}

/// The host name, or "this device" when there is none.
pub fn host_name() -> String {
    let name = clean_name(&gethostname::gethostname().to_string_lossy());
    if name.is_empty() {
        "this device".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_devices_with_one_host_name_get_different_ids() {
        let a = Device::new();
        let b = Device::new();
        assert_ne!(a.id(), b.id());
        assert_eq!(a.name(), b.name());
        assert!(is_id(a.id()) && is_id(b.id()));
    }

    #[test]
    fn disk_id_stays_and_newer_name_wins() {
        let disk = Device::new();
        let mut ours = Device::new();
        ours.rename("  Anna's\tlaptop\n", 5);
        let m = Device::merge(Some(disk.clone()), Some(ours)).unwrap();
        assert_eq!(m.id(), disk.id());
        assert_eq!(m.name(), "Anna's laptop");
    }

    #[test]
    fn stored_ids_are_checked() {
        let bad = serde_json::json!({"id": "../../etc"});
        assert!(serde_json::from_value::<Device>(bad).is_err());
        let d = Device::new();
        let back: Device = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
