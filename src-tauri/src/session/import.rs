//! Importing another app's export, in three steps the Import screen walks
//! through: a file is staged (chosen or dropped) and its format detected;
//! it is parsed (off the session lock: some exports take a 1 GiB key
//! derivation) and previewed against the vault; "Import" adds it. The
//! secrets stay here: the page sees names only.

use authdesk_core::entry::EntryData;
use authdesk_core::export::ExportFormat;
use authdesk_core::import::{self, ImportError};
use serde::Serialize;

use super::{Session, Skipped};
use crate::error::CmdError;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FormatView {
    pub id: &'static str,
    pub app: &'static str,
    pub encrypted: bool,
}

/// A staged file: what it looks like, and every format to choose from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportFile {
    pub name: String,
    /// The formats that recognise the content, best first (empty: none).
    pub detected: Vec<FormatView>,
    pub formats: Vec<FormatView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportPreview {
    pub name: String,
    /// The format's identifier, for the page's own name of it.
    pub format: &'static str,
    pub app: &'static str,
    pub will_add: Vec<String>,
    pub already_present: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// The file being imported and, once previewed, its accounts.
#[derive(Default)]
pub(super) struct Staged {
    /// Another app's export chosen or dropped on the Import screen.
    file: Option<(String, Vec<u8>)>,
    /// Its accounts, previewed and waiting for "Import".
    pending: Option<Pending>,
}

struct Pending {
    entries: Vec<EntryData>,
    details: Vec<import::Details>,
    skipped: Vec<Skipped>,
}

fn view(i: &dyn import::Importer, encrypted: bool) -> FormatView {
    FormatView {
        id: i.id(),
        app: i.app(),
        encrypted,
    }
}

/// The export format the page chose, by core's identifier.
pub fn export_format(id: &str) -> Result<ExportFormat, CmdError> {
    ExportFormat::from_id(id).ok_or_else(|| {
        CmdError::new("no_such_export", format!("no export format {id}")).with("format", id)
    })
}

/// The error for the page: core's kind and values, with the file's name.
pub fn import_error(e: ImportError, name: &str) -> CmdError {
    CmdError::from(e).with("name", name)
}

impl Session {
    /// Keeps a chosen or dropped file until it is parsed; says what it is.
    pub fn stage_import(&mut self, name: String, bytes: Vec<u8>) -> Result<ImportFile, CmdError> {
        self.vault()?;
        self.forget_import();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(import_error(ImportError::EmptyFile, &name));
        }
        let detected = import::detect(&bytes)
            .into_iter()
            .map(|(i, d)| view(i, d.encrypted))
            .collect();
        let formats = import::importers()
            .iter()
            .map(|i| view(*i, i.can_be_encrypted()))
            .collect();
        self.importing.file = Some((name.clone(), bytes));
        Ok(ImportFile {
            name,
            detected,
            formats,
        })
    }

    /// The staged file, for parsing without holding the session.
    pub fn staged_import(&self) -> Result<(String, Vec<u8>), CmdError> {
        self.vault()?;
        self.importing
            .file
            .clone()
            .ok_or_else(|| CmdError::new("nothing_staged_import", "choose a file first"))
    }

    /// Takes a parse's outcome and says what importing it would do.
    pub fn preview_import(
        &mut self,
        name: String,
        outcome: Result<import::Outcome, ImportError>,
    ) -> Result<ImportPreview, CmdError> {
        let outcome = outcome.map_err(|e| import_error(e, &name))?;
        let mut copy = self.vault()?.contents().clone();
        let entries = outcome.imported.entries;
        let details = outcome.imported.details;
        let report = import::add_to(&mut copy, entries.clone(), &details);
        let skipped: Vec<Skipped> = outcome.imported.skipped.iter().map(Skipped::from).collect();
        self.importing.pending = Some(Pending {
            entries,
            details,
            skipped: skipped.clone(),
        });
        self.last_activity = std::time::Instant::now();
        Ok(ImportPreview {
            name,
            format: outcome.format,
            app: outcome.app,
            will_add: report.added,
            already_present: report.already_present,
            skipped,
        })
    }

    /// Adds the previewed accounts; those already in the vault stay as they are.
    pub fn apply_import(&mut self) -> Result<super::AddReport, CmdError> {
        let pending = self
            .importing
            .pending
            .take()
            .ok_or_else(|| CmdError::new("nothing_staged_import", "choose a file first"))?;
        self.importing.file = None;
        let vault = self.vault_mut()?;
        let mut contents = vault.contents().clone();
        let report = import::add_to(&mut contents, pending.entries, &pending.details);
        if !report.added.is_empty() {
            *vault.contents_mut() = contents;
            vault.save()?;
        }
        self.last_activity = std::time::Instant::now();
        Ok(super::AddReport {
            added: report.added,
            already_present: report.already_present,
            skipped: pending.skipped,
        })
    }

    fn forget_import(&mut self) {
        self.importing.file = None;
        self.importing.pending = None;
    }

    /// Every account as an unencrypted export, for writing to a file.
    pub fn export_text(
        &self,
        format: &str,
    ) -> Result<(zeroize::Zeroizing<String>, usize), CmdError> {
        let entries = self.vault()?.entries();
        let text = export_format(format)?.exporter().export(entries);
        Ok((text, entries.len()))
    }
}

#[cfg(test)]
mod tests {
    use crate::session::tests::{METER, SOLAR, unlocked};

    #[test]
    fn an_import_is_staged_previewed_then_added() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        let list = format!("{SOLAR}\n{METER}\n");
        let file = s
            .stage_import("codes.txt".into(), list.clone().into_bytes())
            .unwrap();
        assert!(!file.detected.is_empty(), "a list of links is recognised");
        let (name, bytes) = s.staged_import().unwrap();
        let outcome = authdesk_core::import::import(&bytes, None, None);
        let preview = s.preview_import(name, outcome).unwrap();
        assert_eq!(
            (preview.will_add.len(), preview.already_present.len()),
            (1, 1)
        );
        assert_eq!(s.entries().unwrap().len(), 1, "added before the click");
        assert_eq!(s.apply_import().unwrap().added.len(), 1);
        assert_eq!(s.entries().unwrap().len(), 2);
        assert_eq!(s.apply_import().unwrap_err().kind, "nothing_staged_import");
    }

    #[test]
    fn a_blank_file_is_refused_by_name() {
        let (_dir, mut s) = unlocked();
        let e = s
            .stage_import("leeg.txt".into(), b" \n".to_vec())
            .unwrap_err();
        assert_eq!(e.params["name"], "leeg.txt");
    }
}
