//! `authdesk scan`: QR codes in image files.

use std::path::{Path, PathBuf};

use authdesk_core::entry::EntryData;
use authdesk_core::qr;
use authdesk_core::uri::{self, Parsed, UriError};

use crate::commands::{Failure, report_add};
use crate::config::ScanMode;
use crate::exit::Exit;
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

pub fn run(vault: &Path, files: &[PathBuf], mode: ScanMode) -> Result<Exit, Failure> {
    if mode == ScanMode::Raw {
        let texts = qr::scan_file(&files[0])?;
        println!(
            "{}",
            serde_json::to_string_pretty(&texts).expect("strings serialize")
        );
        return Ok(Exit::Success);
    }
    let mut entries: Vec<EntryData> = Vec::new();
    let mut uris: Vec<String> = Vec::new();
    let mut trouble = false;
    for file in files {
        let texts = match qr::scan_file(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("authdesk: {e}");
                trouble = true;
                continue;
            }
        };
        if texts.is_empty() {
            eprintln!(
                "{}: no QR code found (is the whole code in the image, sharp and not cut off?)",
                file.display()
            );
            trouble = true;
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
                                    "{}: Google Authenticator export, batch {} of {} scanned",
                                    file.display(),
                                    batch.batch_index + 1,
                                    batch.batch_size
                                );
                            }
                            for s in &batch.skipped {
                                eprintln!("{}: skipped {}: {}", file.display(), s.name, s.reason);
                            }
                            entries.extend(batch.entries);
                        }
                    }
                }
                Err(UriError::NotOtpauth { .. }) => {
                    eprintln!(
                        "{}: found a QR code that is not an authenticator code: \"{}\"",
                        file.display(),
                        preview(&text)
                    );
                }
                Err(e) => {
                    eprintln!(
                        "{}: found an authenticator code that cannot be used: {e}",
                        file.display()
                    );
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
        return Err(Failure::Other("no authenticator QR code found".into()));
    }
    Ok(if trouble {
        Exit::Failure
    } else {
        Exit::Success
    })
}
