//! A text file of links, one per line: `otpauth://` URIs (what Ente Auth,
//! Aegis and many others export as "plain text"), and Google
//! Authenticator's `otpauth-migration://` links (its "Transfer accounts"
//! QR codes, read with a scanner). Other lines are ignored; a bad link is
//! skipped with its line number.
//!
//! Ente's `codeDisplay` parameter (JSON: tags, note, pinned, iconID, …)
//! gives the tags, the note, the pin and the icon by name.
//! Lost in conversion: the other app-specific parameters (Ente's trashed
//! and usage counts).

use secrecy::SecretString;

use super::{Details, Detected, Format, ImportError, Imported, Importer, Probe, Skipped};
use crate::uri;

pub struct UriList;

const APP: &str = "otpauth:// links";

fn text(bytes: &[u8]) -> Option<&str> {
    let t = std::str::from_utf8(bytes).ok()?;
    let t = t.trim_start_matches('\u{feff}');
    // JSON and XML exports that failed their own recogniser are not text
    // lists: saying "no links here" would hide what is wrong with them.
    (!t.trim_start().starts_with(['{', '[', '<'])).then_some(t)
}

impl Importer for UriList {
    fn format(&self) -> Format {
        Format::plain("otpauth", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        text(bytes).map(|_| Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let t = text(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not plain text"))?;
        let mut out = Imported::default();
        let mut links = 0;
        let mut last_migration_error = None;
        for (n, line) in t.lines().enumerate() {
            let line = line.trim();
            let lower = line.to_ascii_lowercase();
            if !(lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://")) {
                continue;
            }
            links += 1;
            match uri::parse(line) {
                Ok(uri::Parsed::Single(e)) => {
                    out.details.resize(out.entries.len(), Details::default());
                    out.entries.push(e);
                    out.details.push(code_display(line));
                }
                Ok(uri::Parsed::Migration(batch)) => {
                    out.entries.extend(batch.entries);
                    out.skipped.extend(batch.skipped);
                }
                Err(e) => {
                    if lower.starts_with("otpauth-migration://") {
                        last_migration_error = Some(e.to_string());
                    }
                    out.skipped.push(Skipped::new(
                        link_name(line).unwrap_or_else(|| format!("line {}", n + 1)),
                        e.skip_kind(),
                        e.to_string(),
                    ));
                }
            }
        }
        if links == 0 {
            return Err(ImportError::NoOtpData {
                app: APP,
                detail: "no line starts with otpauth:// or otpauth-migration://".into(),
            });
        }
        out.settle_details();
        if out.entries.is_empty()
            && let Some(e) = last_migration_error
        {
            return Err(ImportError::InvalidMigrationPayload(e));
        }
        Ok(out)
    }
}
/// Ente's `codeDisplay` query parameter, percent-encoded JSON with `tags`
/// and `note`; anything else (absent, not JSON) gives no details.
fn code_display(link: &str) -> Details {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    let Some((_, raw)) = crate::link::query_pairs(query).find(|(k, _)| *k == "codeDisplay") else {
        return Details::default();
    };
    let text = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Details::default();
    };
    Details {
        tags: v
            .get("tags")
            .and_then(serde_json::Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        note: v
            .get("note")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_owned(),
        pinned: v
            .get("pinned")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        icon: ente_icon(&v),
    }
}

/// Ente's `iconSrc` ("simpleIcon", or "customIcon" for its own set) and
/// `iconID` (the icon's name there): the bundled icon of that name, if
/// ours has it. Ente's custom set is its own drawings of brands
/// simple-icons lacks; a name ours lacks leaves the icon automatic.
fn ente_icon(v: &serde_json::Value) -> Option<String> {
    let id = v.get("iconID")?.as_str()?;
    let icon = crate::icon::bundled::get(id).or_else(|| crate::icon::bundled::for_issuer(id))?;
    Some(format!("si:{}", icon.slug))
}

/// The account a refused link is for, from its label, so that the user
/// knows which one to set up again: "Yandex (jan)".
fn link_name(line: &str) -> Option<String> {
    let rest = line
        .get(..10)?
        .eq_ignore_ascii_case("otpauth://")
        .then(|| &line[10..])?;
    let path = rest.split('?').next()?;
    let label = percent_encoding::percent_decode_str(path.split_once('/')?.1)
        .decode_utf8()
        .ok()?;
    let (issuer, account) = uri::split_label(&label);
    let name = super::RawEntry::new("totp", &issuer, &account).name();
    (!label.trim().is_empty()).then_some(name)
}

#[cfg(test)]
mod code_display_tests {
    use super::*;

    #[test]
    fn entes_tags_and_note_come_with_the_link() {
        let file = concat!(
            "otpauth://totp/Ista:anna?secret=JBSWY3DPEHPK3PXP&codeDisplay=",
            "%7B%22pinned%22%3Atrue%2C%22tags%22%3A%5B%22Thuis%22%5D%2C%22note%22%3A%22Meter%2012%22%7D\n",
            "otpauth://totp/Plain:bob?secret=GEZDGNBVGY3TQOJQ\n",
            "otpauth://totp/Odd:x?secret=MFRGGZDFMZTWQ2LK&codeDisplay=not-json\n",
        );
        let out = UriList.parse(file.as_bytes(), None).unwrap();
        assert_eq!(out.entries.len(), 3);
        assert_eq!(out.details.len(), 3);
        assert_eq!(out.details[0].tags, ["Thuis"]);
        assert_eq!(out.details[0].note, "Meter 12");
        assert!(out.details[0].pinned);
        assert_eq!(out.details[1], Details::default());
        assert_eq!(out.details[2], Details::default());
        let plain = UriList
            .parse(b"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP", None)
            .unwrap();
        assert!(plain.details.is_empty());
    }

    #[test]
    fn entes_icon_names_become_the_bundled_logo_where_there_is_one() {
        let link = |display: &str| {
            format!(
                "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&codeDisplay={}\n",
                percent_encoding::utf8_percent_encode(display, percent_encoding::NON_ALPHANUMERIC)
            )
        };
        let file = [
            link(r#"{"iconSrc":"simpleIcon","iconID":"github"}"#),
            link(r#"{"iconSrc":"customIcon","iconID":"Bitwarden"}"#),
            link(r#"{"iconSrc":"customIcon","iconID":"ista"}"#),
            link(r#"{"iconSrc":"simpleIcon","iconID":7}"#),
        ]
        .concat();
        let out = UriList.parse(file.as_bytes(), None).unwrap();
        let icons: Vec<_> = out.details.iter().map(|d| d.icon.as_deref()).collect();
        assert_eq!(icons, [Some("si:github"), Some("si:bitwarden"), None, None]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skip::SkipKind;

    #[test]
    fn a_refused_link_is_named_by_its_label_else_by_its_line() {
        let list = "otpauth://totp/Zonnepark:beheer?secret=JBSWY3DPEHPK3PXP\n\
                    otpauth://yandex/Yandex%20ID:jan?secret=JBSWY3DPEHPK3PXP\n\
                    otpauth://totp?secret=JBSWY3DPEHPK3PXP&digits=12\n";
        let out = UriList.parse(list.as_bytes(), None).unwrap();
        assert_eq!(out.entries.len(), 1);
        let s = &out.skipped;
        assert_eq!(
            (s[0].name.as_str(), s[0].kind),
            ("Yandex ID (jan)", SkipKind::Unsupported)
        );
        assert_eq!(
            (s[1].name.as_str(), s[1].kind),
            ("line 3", SkipKind::Unsupported)
        );
    }
}
