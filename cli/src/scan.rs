//! `authdesk scan`: QR codes in image files or on the screen.

use std::path::Path;

use authdesk_core::entry::EntryData;
use authdesk_core::uri::{self, Parsed, UriError};
use authdesk_core::{qr, screen};

use crate::config::{ScanMode, ScanSource};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::output::{print_json, report_add};
use crate::password;

fn preview(text: &str) -> String {
    let one_line: String = text
        .chars()
        .take(70)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 70 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// A picture's label and its QR texts, or why it could not be read.
type Picture = (String, Result<Vec<String>, qr::QrError>);

fn pictures(source: ScanSource) -> Result<Vec<Picture>, Failure> {
    Ok(match source {
        ScanSource::Files(files) => files
            .iter()
            .map(|f| (f.display().to_string(), qr::scan_file(f)))
            .collect(),
        ScanSource::Screen => screen::scan()?
            .into_iter()
            .map(|s| (s.label, Ok(s.texts)))
            .collect(),
    })
}

pub fn run(vault: &Path, source: ScanSource, mode: ScanMode) -> Result<Exit, Failure> {
    let on_screen = source == ScanSource::Screen;
    let pictures = pictures(source)?;
    if mode == ScanMode::Raw {
        let mut texts = Vec::new();
        for (_, found) in pictures {
            texts.extend(found?);
        }
        print_json(&texts)?;
        return Ok(Exit::Success);
    }
    let mut entries: Vec<EntryData> = Vec::new();
    let mut uris: Vec<String> = Vec::new();
    let mut trouble = false;
    for (label, found) in pictures {
        let texts = match found {
            Ok(t) => t,
            Err(e) => {
                eprintln!("authdesk: {e}");
                trouble = true;
                continue;
            }
        };
        if texts.is_empty() {
            if on_screen {
                eprintln!(
                    "{label}: no QR code found (is the whole code visible, not covered by another window?)"
                );
            } else {
                eprintln!(
                    "{label}: no QR code found (is the whole code in the image, sharp and not cut off?)"
                );
                trouble = true;
            }
        }
        for text in texts {
            match uri::parse(&text) {
                Ok(parsed) => {
                    uris.push(text.trim().to_owned());
                    match parsed {
                        Parsed::Single(e) => entries.push(e),
                        Parsed::Migration(batch) => {
                            if batch.batch_size > 1 {
                                eprintln!(
                                    "{label}: Google Authenticator export, batch {} of {} scanned",
                                    batch.batch_index + 1,
                                    batch.batch_size
                                );
                            }
                            for s in &batch.skipped {
                                eprintln!("{label}: skipped {}: {}", s.name, s.reason);
                            }
                            entries.extend(batch.entries);
                        }
                    }
                }
                Err(UriError::NotOtpauth { .. }) => {
                    eprintln!(
                        "{label}: found a QR code that is not an authenticator code: \"{}\"",
                        preview(&text)
                    );
                }
                Err(e) => {
                    eprintln!("{label}: found an authenticator code that cannot be used: {e}");
                    trouble = true;
                }
            }
        }
    }
    if mode == ScanMode::DryRun {
        for u in &uris {
            println!("{u}");
        }
    } else if !entries.is_empty() {
        let mut v = password::open_vault(vault)?;
        let outcomes: Vec<_> = entries.into_iter().map(|e| v.add(e)).collect();
        v.save()?;
        for o in outcomes {
            report_add(&v, o);
        }
    }
    if uris.is_empty() {
        return Err(Failure::NoAuthenticatorQr);
    }
    Ok(if trouble {
        Exit::Failure
    } else {
        Exit::Success
    })
}
