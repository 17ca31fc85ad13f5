//! Exports other apps read, so nobody is locked in: the other direction of
//! [`crate::import`], one [`Exporter`] per format as there is one
//! `Importer` per format (GNOME Authenticator's `Backupable` beside its
//! `Restorable`). Front ends choose by [`ExportFormat`].
//!
//! - [`otpauth_list`]: one `otpauth://` URI per line (Key Uri Format, as
//!   Google Authenticator, Ente Auth and most apps import it).
//! - [`aegis_json`]: Aegis's plain vault export, database version 3, from
//!   Aegis's `docs/vault.md` — the file Aegis's "Import from Aegis" and our
//!   own importer read.
//!
//! Google Authenticator's transfer QR codes are an export too, but a list
//! of images with per-format limits rather than one file:
//! [`crate::migration::export`].
//!
//! Both are unencrypted: every secret is in the clear, so the caller writes
//! them 0600 and only after the user re-entered the password.
//!
//! Groups travel to Aegis by name; icons as image bytes (the user's
//! picture, or the bundled glyph as SVG in its brand colour, matched or
//! chosen). Lost in conversion: a chosen initials colour (Aegis has
//! none) and per-entry timestamps.

use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::entry::Entry;
use crate::otp::OtpType;

/// Aegis's `icon` (base64 bytes), `icon_mime` and `icon_hash` (the bytes'
/// SHA-256, hex), as Aegis writes them; `null` for initials.
fn aegis_icon(entry: &mut Value, e: &Entry) {
    use base64::Engine as _;
    use sha2::Digest as _;
    let (shown, _) = crate::icon::Icon::of(e.icon.as_deref()).shown(&e.data.issuer);
    entry["icon"] = Value::Null;
    if let Some((mime, bytes)) = shown.image_bytes() {
        entry["icon"] = json!(base64::engine::general_purpose::STANDARD.encode(&bytes));
        entry["icon_mime"] = json!(mime.as_str());
        let hash: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        entry["icon_hash"] = json!(hash);
    }
}

/// Writes every account in one format other apps read.
pub trait Exporter: Sync {
    /// The format this writes.
    fn format(&self) -> ExportFormat;
    /// The name a save dialog proposes.
    fn file_name(&self) -> &'static str;
    /// The file's extension, without the dot, for a save dialog's filter.
    fn extension(&self) -> &'static str;
    /// Every entry, secrets in the clear: write it 0600, and only after the
    /// user typed the password again.
    fn export(&self, entries: &[Entry]) -> Zeroizing<String>;
}

/// The formats Authdesk exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One `otpauth://` link per line.
    Otpauth,
    /// Aegis's plain JSON vault.
    Aegis,
}

impl ExportFormat {
    /// Every format, in the order front ends offer them.
    pub const ALL: [ExportFormat; 2] = [ExportFormat::Otpauth, ExportFormat::Aegis];

    /// The stable identifier front ends use (`--format`, the app's choice).
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Otpauth => "otpauth",
            ExportFormat::Aegis => "aegis",
        }
    }

    /// The format named `id`, as [`ExportFormat::id`] spells it.
    pub fn from_id(id: &str) -> Option<ExportFormat> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }

    /// What writes this format.
    pub fn exporter(self) -> &'static dyn Exporter {
        match self {
            ExportFormat::Otpauth => &OTPAUTH_LIST,
            ExportFormat::Aegis => &AEGIS_JSON,
        }
    }
}

/// A format as data: what writes it and how a save dialog names it.
struct Writer {
    format: ExportFormat,
    file_name: &'static str,
    extension: &'static str,
    write: fn(&[Entry]) -> Zeroizing<String>,
}

impl Exporter for Writer {
    fn format(&self) -> ExportFormat {
        self.format
    }
    fn file_name(&self) -> &'static str {
        self.file_name
    }
    fn extension(&self) -> &'static str {
        self.extension
    }
    fn export(&self, entries: &[Entry]) -> Zeroizing<String> {
        (self.write)(entries)
    }
}

static OTPAUTH_LIST: Writer = Writer {
    format: ExportFormat::Otpauth,
    file_name: "authdesk-otpauth-export.txt",
    extension: "txt",
    write: otpauth_list,
};

static AEGIS_JSON: Writer = Writer {
    format: ExportFormat::Aegis,
    file_name: "authdesk-aegis-export.json",
    extension: "json",
    write: aegis_json,
};

/// One `otpauth://` URI per line, in vault order.
pub fn otpauth_list(entries: &[Entry]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    for e in entries {
        out.push_str(&crate::uri::to_otpauth(&e.data));
        out.push('\n');
    }
    out
}

/// Aegis's plain JSON export (`header.slots` null, `db` an object).
pub fn aegis_json(entries: &[Entry]) -> Zeroizing<String> {
    // Aegis refers to groups by uuid; ours are names, so each distinct name
    // gets one uuid derived from the order it first appears in.
    let mut groups: Vec<(String, uuid::Uuid)> = Vec::new();
    let mut group_id = |name: &str| -> String {
        if let Some((_, id)) = groups.iter().find(|(n, _)| n == name) {
            return id.to_string();
        }
        let id = uuid::Uuid::new_v4();
        groups.push((name.to_owned(), id));
        id.to_string()
    };
    let list: Vec<Value> = entries
        .iter()
        .map(|e| {
            let d = &e.data;
            let secret = d.secret.to_base32();
            let mut info = json!({
                "secret": &*secret,
                "algo": d.otp.algorithm.as_str(),
                "digits": d.otp.digits,
            });
            match d.otp.kind {
                OtpType::Hotp => info["counter"] = json!(d.otp.counter),
                OtpType::Totp | OtpType::Steam => info["period"] = json!(d.otp.period),
            }
            let mut entry = json!({
                "type": d.otp.kind.as_str(),
                "uuid": e.id.to_string(),
                "name": d.account,
                "issuer": d.issuer,
                "note": e.note,
                "favorite": e.pinned,
                "info": info,
                "groups": e.groups.iter().map(|g| group_id(g)).collect::<Vec<_>>(),
            });
            aegis_icon(&mut entry, e);
            entry
        })
        .collect();
    let groups: Vec<Value> = groups
        .iter()
        .map(|(name, id)| json!({ "uuid": id.to_string(), "name": name }))
        .collect();
    let file = json!({
        "version": 1,
        "header": { "slots": null, "params": null },
        "db": { "version": 3, "entries": list, "groups": groups },
    });
    let text = Zeroizing::new(serde_json::to_string_pretty(&file).expect("JSON values serialise"));
    // The Value tree held the secrets too; serde_json has no zeroizing
    // strings, so at least the tree is dropped here rather than kept.
    drop(file);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::EntryData;
    use crate::import::import;
    use crate::otp::OtpParams;
    use crate::secret::parse_base32;

    fn entries() -> Vec<Entry> {
        let mk = |issuer: &str, account: &str, otp: OtpParams| {
            Entry::new(
                EntryData {
                    issuer: issuer.into(),
                    account: account.into(),
                    secret: parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
                    otp,
                },
                0,
            )
        };
        let mut sha = OtpParams::totp();
        sha.algorithm = crate::otp::Algorithm::Sha512;
        sha.digits = 8;
        sha.period = 60;
        vec![
            mk("Zonneportaal", "installer@example.nl", OtpParams::totp()),
            mk("Warmte & Water", "jan:de vries", sha),
            mk("", "only-account", OtpParams::hotp(42)),
            mk("Steam", "gamer", OtpParams::steam()),
        ]
    }

    fn same(a: &[Entry], b: &[EntryData]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert_eq!(&x.data, y);
        }
    }

    #[test]
    fn every_format_is_chosen_by_its_id_and_read_back_by_our_importer() {
        let e = entries();
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_id(format.id()), Some(format));
            let exporter = format.exporter();
            assert_eq!(exporter.format(), format);
            assert!(exporter.file_name().ends_with(exporter.extension()));
            let text = exporter.export(&e);
            let out = import(text.as_bytes(), None, None).unwrap();
            same(&e, &out.imported.entries);
        }
        assert_eq!(ExportFormat::from_id("csv"), None);
    }

    #[test]
    fn aegis_round_trip() {
        let e = entries();
        let text = aegis_json(&e);
        let out = import(text.as_bytes(), None, None).unwrap();
        assert_eq!(out.format, "aegis");
        assert!(out.imported.skipped.is_empty());
        same(&e, &out.imported.entries);
    }

    #[test]
    fn aegis_export_carries_notes_tags_and_pins() {
        let mut e = entries();
        e[0].note = "Installatie 4711".into();
        e[0].groups = vec!["Klant Jansen".into()];
        e[0].pinned = true;
        let v: serde_json::Value = serde_json::from_str(&aegis_json(&e)).unwrap();
        let first = &v["db"]["entries"][0];
        assert_eq!(first["note"], "Installatie 4711");
        assert_eq!(first["favorite"], true);
        assert_eq!(v["db"]["entries"][1]["favorite"], false);
        let group = first["groups"][0].as_str().unwrap();
        let named = v["db"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["uuid"] == group);
        assert_eq!(named.unwrap()["name"], "Klant Jansen");
        // And back: Aegis's groups become tags, its note the note.
        let back = import(aegis_json(&e).as_bytes(), None, None)
            .unwrap()
            .imported;
        assert_eq!(back.details[0].tags, ["Klant Jansen"]);
        assert_eq!(back.details[0].note, "Installatie 4711");
        assert!(back.details[0].pinned && !back.details[1].pinned);
        assert_eq!(back.details.len(), back.entries.len());
    }

    #[test]
    fn aegis_export_carries_icons_and_they_come_back() {
        let mut e = entries();
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(3, 3, image::Rgba([9, 9, 9, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        e[0].icon = Some(crate::icon::picture(&png).unwrap());
        e[1].icon = Some("si:github".into());
        e[2].icon = Some("#1f8a70".into());
        let v: serde_json::Value = serde_json::from_str(&aegis_json(&e)).unwrap();
        let list = &v["db"]["entries"];
        assert_eq!(list[0]["icon_mime"], "image/png");
        assert_eq!(list[0]["icon_hash"].as_str().unwrap().len(), 64);
        assert_eq!(list[1]["icon_mime"], "image/svg+xml");
        assert_eq!(list[2]["icon"], serde_json::Value::Null);
        // Steam's icon is matched by its issuer, and exported too.
        assert_eq!(list[3]["icon_mime"], "image/svg+xml");
        let back = import(aegis_json(&e).as_bytes(), None, None)
            .unwrap()
            .imported;
        assert_eq!(back.details[0].icon, e[0].icon);
        assert_eq!(back.details[1].icon.as_deref(), Some("si:github"));
        assert_eq!(back.details[2].icon, None);
        assert_eq!(back.details[3].icon.as_deref(), Some("si:steam"));
    }

    #[test]
    fn twofas_groups_become_tags_when_added() {
        let file = br#"{"schemaVersion": 4, "groups": [{"id": "g1", "name": "Zonnepanelen"}],
            "services": [
              {"name": "SolarEdge", "secret": "JBSWY3DPEHPK3PXP", "groupId": "g1",
               "otp": {"account": "anna", "tokenType": "TOTP", "digits": 6, "period": 30}},
              {"name": "Ista", "secret": "GEZDGNBVGY3TQOJQ",
               "otp": {"account": "anna", "tokenType": "TOTP"}}]}"#;
        let out = import(file, None, None).unwrap().imported;
        let mut contents = crate::vault::Contents::default();
        crate::import::add_to(&mut contents, out.entries, &out.details);
        let tags: Vec<&[String]> = contents.entries.iter().map(|e| &e.groups[..]).collect();
        assert_eq!(tags, [&["Zonnepanelen".to_owned()][..], &[][..]]);
    }

    #[test]
    fn otpauth_round_trip() {
        let e = entries();
        let text = otpauth_list(&e);
        let out = import(text.as_bytes(), None, None).unwrap();
        assert!(out.imported.skipped.is_empty());
        same(&e, &out.imported.entries);
    }
}
