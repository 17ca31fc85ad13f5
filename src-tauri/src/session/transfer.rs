//! Moving accounts to a phone: Google Authenticator "Transfer accounts" QR
//! codes, only with the password typed again; and the QR pictures a reveal
//! shows too.

use std::time::Instant;

use serde::Serialize;

use super::{Retyped, Session, parse_id};
use crate::error::CmdError;

/// QR codes holding secrets, for a phone's camera; wiped when dropped,
/// right after the reply is serialized.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MigrationQr {
    pub codes: Vec<String>,
    /// Accounts the format cannot carry, by name, with the reason.
    pub left_out: Vec<LeftOutView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LeftOutView {
    pub name: String,
    /// "period", "digits", "steam" or "counter", for the UI's wording.
    #[cfg_attr(test, ts(type = r#""period" | "digits" | "steam" | "counter""#))]
    pub kind: &'static str,
    pub value: Option<u32>,
    /// The English sentence, for logs and tests.
    pub reason: String,
}

impl Drop for MigrationQr {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.codes.iter_mut().for_each(Zeroize::zeroize);
    }
}

pub(super) fn qr_svg(text: &str, level: qrcode::EcLevel) -> Result<String, CmdError> {
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), level)
        .map_err(|e| CmdError::new("qr_failed", e.to_string()))?;
    Ok(qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

impl Session {
    /// Google Authenticator "Transfer accounts" QR codes for the chosen
    /// accounts (all when `ids` is empty), for moving them to a phone;
    /// only with the password typed again, as for a reveal.
    pub fn export_migration(
        &mut self,
        ids: &[String],
        _password: Retyped,
    ) -> Result<MigrationQr, CmdError> {
        let ids = ids
            .iter()
            .map(|i| parse_id(i))
            .collect::<Result<Vec<_>, _>>()?;
        let vault = self.vault()?;
        let chosen = vault
            .entries()
            .iter()
            .filter(|e| ids.is_empty() || ids.contains(&e.id))
            .map(|e| &e.data);
        let export = authdesk_core::migration::export(chosen);
        // Large batches need more room than error correction level M leaves.
        let codes = export
            .uris
            .iter()
            .map(|u| qr_svg(u, qrcode::EcLevel::L))
            .collect::<Result<Vec<_>, _>>()?;
        self.last_activity = Instant::now();
        Ok(MigrationQr {
            codes,
            left_out: export
                .left_out
                .iter()
                .map(|l| {
                    use authdesk_core::migration::NotExportable as N;
                    LeftOutView {
                        name: l.name.clone(),
                        kind: l.why.kind(),
                        value: match l.why {
                            N::Period(p) => Some(p),
                            N::Digits(d) => Some(u32::from(d)),
                            N::Steam | N::Counter => None,
                        },
                        reason: l.why.to_string(),
                    }
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::session::tests::{PASSWORD, SOLAR, unlocked};

    #[test]
    fn what_google_authenticator_cannot_carry_is_left_out_by_name() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        s.add_uri("otpauth://steam/Steam:gamer?secret=JBSWY3DPEHPK3PXP")
            .unwrap();
        let path = s.unlocked_vault_path().unwrap();
        let retyped = Retyped::check(&path, &SecretString::from(PASSWORD)).unwrap();
        let qr = s.export_migration(&[], retyped).unwrap();
        assert_eq!(qr.codes.len(), 1);
        assert!(qr.codes[0].starts_with("<?xml") || qr.codes[0].contains("<svg"));
        assert_eq!(qr.left_out.len(), 1);
        assert_eq!(qr.left_out[0].kind, "steam");
        assert!(Retyped::check(&path, &SecretString::from("wrong")).is_err());
    }
}
