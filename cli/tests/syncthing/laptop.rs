//! A "laptop": a `common::Env` (its own HOME and vault) and its household
//! folder, driven through the `authdesk` CLI.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::common::{self, Env};

const BPW: &str = "huishouden via syncthing";

pub struct Laptop {
    pub name: &'static str,
    pub env: Env,
    pub folder: PathBuf,
    /// `--device NAME`, or none for the default name.
    pub device: Option<&'static str>,
}

impl Laptop {
    fn sync_args(&self) -> Vec<String> {
        let mut args = vec![
            "backup".to_owned(),
            "sync".to_owned(),
            self.folder.display().to_string(),
        ];
        if let Some(d) = self.device {
            args.extend(["--device".to_owned(), d.to_owned()]);
        }
        args
    }

    pub fn sync_command(&self) -> Command {
        let mut c = self.env.command(assert_cmd::cargo::cargo_bin("authdesk"));
        c.env("AUTHDESK_BACKUP_PASSWORD", BPW)
            .args(self.sync_args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    pub fn check_synced(&self, out: Output) -> String {
        let (code, out, err) = common::outcome(out);
        assert_eq!(code, 0, "laptop {}: backup sync failed: {err}", self.name);
        out
    }

    pub fn sync(&self) -> String {
        let out = self.sync_command().output().unwrap();
        self.check_synced(out)
    }

    pub fn add(&self, uri: &str) {
        self.env.ok(&["add", uri]);
    }

    /// (issuer, account, secret) of every entry, in the vault's order.
    pub fn accounts(&self) -> Vec<Account> {
        let list = self.env.json(&["list", "--json"]);
        let list = list.as_array().unwrap();
        let uris = self.env.ok(&["export", "--format", "otpauth"]);
        let uris: Vec<&str> = uris.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(list.len(), uris.len(), "list and export disagree");
        list.iter()
            .zip(uris)
            .map(|(e, uri)| Account {
                issuer: e["issuer"].as_str().unwrap().to_owned(),
                account: e["account"].as_str().unwrap().to_owned(),
                secret: secret_of(uri),
            })
            .collect()
    }

    pub fn id_of(&self, issuer: &str) -> String {
        let list = self.env.json(&["list", "--json"]);
        let found: Vec<&Value> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["issuer"] == issuer)
            .collect();
        assert_eq!(found.len(), 1, "laptop {}: {issuer} in {list}", self.name);
        found[0]["id"].as_str().unwrap().to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Account {
    pub issuer: String,
    pub account: String,
    pub secret: String,
}

fn secret_of(uri: &str) -> String {
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("secret="))
        .unwrap_or_else(|| panic!("no secret in an exported URI"))
        .to_owned()
}

pub fn uri(issuer: &str, account: &str, secret: &str) -> String {
    format!("otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}")
}
