//! `authdesk type QUERY`: the code of the one matching account, typed into
//! the focused window (for scripts and for users who bind their own keys).
//! Several matches type nothing: exit 2 with the list, as a usage error.

use std::path::Path;

use authdesk_core::order::Usage;
use authdesk_core::timestamp;

use crate::exit::Exit;
use crate::failure::Failure;
use crate::password;

pub fn run(path: &Path, query: &str, enter: bool, delay_ms: u32) -> Result<Exit, Failure> {
    let mut vault = password::open_vault(path)?;
    let ids = vault.matching(query);
    let id = match ids.as_slice() {
        [] if vault.entries().is_empty() => return Err(Failure::EmptyVault),
        [] => {
            return Err(Failure::NoMatch {
                query: query.to_owned(),
            });
        }
        [one] => *one,
        several => {
            eprintln!(
                "authdesk: \"{query}\" matches {} accounts; give more of the name, or an id from `authdesk list`:",
                several.len()
            );
            for id in several {
                let e = vault.get(*id).expect("id from matching");
                eprintln!("  {}  {}", e.short_id(), e.data.display_name());
            }
            return Ok(Exit::Usage);
        }
    };
    // Before a HOTP code is issued: a session that cannot type spends none.
    authdesk_core::autotype::can_type()?;
    // HOTP: issued and saved before it is typed, as `code` does.
    let code = match vault.issue_hotp(id) {
        Some(c) => c.map_err(Failure::issuing)?,
        None => {
            let now = timestamp::code_seconds(timestamp::now_ms()).unwrap_or(0);
            vault
                .get(id)
                .expect("id from matching")
                .data
                .code_to_use(now)?
                .0
        }
    };
    let entry = vault.get(id).expect("id from matching");
    authdesk_core::autotype::type_code(code.as_str(), enter || entry.autotype.enter, delay_ms)?;
    // The app's "most recently used" order counts this use too.
    let used = Usage::path_for(path);
    let mut usage = Usage::load(&used);
    usage.touch(id, timestamp::now_ms());
    let _ = usage.save(&used);
    println!("Typed the code of {}", entry.data.display_name());
    Ok(Exit::Success)
}
