//! Android apps' SQLite databases, as taken from a rooted phone (Google
//! Authenticator, Microsoft Authenticator, Stratum) or decrypted from
//! Authenticator Plus's SQLCipher file. Specification: SQLite's file
//! format (<https://www.sqlite.org/fileformat2.html>), §1.3 the header.
//!
//! The file is checked against its own header before SQLite sees it: when
//! the header's page count is stale SQLite goes by the file's length, so a
//! cut-off copy could read as a shorter list of accounts. It is opened
//! read-only in memory with SQLite's defensive settings, checked with
//! `quick_check`, and which app it is comes from its tables, never from the
//! file name.
//!
//! The apps' importers read through [`Db`]; [`super::database`] answers
//! for SQLite files none of them claims.
//!
//! A database is a program as much as data: a "table" can be a view whose
//! recursive query never ends, a column can be computed by an expression
//! of the file's. Only real tables are read, only their stored columns
//! (`table_info` leaves computed ones out), at most [`MAX_ROWS`] rows; and
//! every statement on the connection, `quick_check` included (it computes
//! NOT NULL computed columns), shares one budget of SQLite virtual machine
//! steps and wall-clock time. A statement over it is interrupted and the
//! file refused as [`ImportError::TooCostly`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use rusqlite::limits::Limit;
use rusqlite::types::Value;
use rusqlite::{Connection, config::DbConfig};

use super::ImportError;

pub(crate) const MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER_LEN: usize = 100;
/// How far a cut-off copy is padded back for recognising it: a hostile
/// header must not make it take gigabytes.
const MAX_PADDED: usize = 64 << 20;

/// Rows read from one table: an authenticator holds hundreds of accounts.
const MAX_ROWS: usize = 100_000;
/// The longest string or blob SQLite may make (its own default is 1 GB):
/// the apps' longest values are icons of some kilobytes.
const MAX_VALUE: i32 = 8 << 20;
/// Virtual machine steps for everything done with one opened file.
/// Checking a file of 100,000 accounts and reading them all takes about
/// 2.5 million.
const MAX_STEPS: u64 = 50_000_000;
/// How often, in steps, the budget is looked at.
const STEP_CHECK: u16 = 1_000;
/// Wall-clock time for the same: a step can be costly (a computed column
/// can build a megabyte string), so steps alone do not bound the time.
const MAX_TIME: Duration = Duration::from_secs(10);

/// What ran out, in [`Db::spent`].
const STEPS: u8 = 1;
const TIME: u8 = 2;

/// Which app's database, judged by its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Google,
    Microsoft,
    Stratum,
    AuthenticatorPlus,
}

/// The columns that tell each app's table apart (`accounts` for the first
/// two, `authenticator` for Stratum).
const MICROSOFT: &[&str] = &["oath_secret_key", "account_type", "name", "username"];
const GOOGLE: &[&str] = &["email", "secret", "type"];
const STRATUM: &[&str] = &[
    "type",
    "issuer",
    "secret",
    "algorithm",
    "digits",
    "period",
    "counter",
];

/// An opened database.
pub(crate) struct Db {
    conn: Connection,
    /// Why a statement was interrupted: [`STEPS`] or [`TIME`], 0 if none was.
    spent: Arc<AtomicU8>,
}

/// One row, by lower-case column name.
pub(crate) struct Record(HashMap<&'static str, Value>);

impl Record {
    /// The column as text; numbers as their decimal form, NULL as "".
    pub(crate) fn text(&self, column: &str) -> String {
        match self.0.get(column) {
            Some(Value::Text(s)) => s.clone(),
            Some(Value::Integer(i)) => i.to_string(),
            Some(Value::Real(f)) => f.to_string(),
            Some(Value::Blob(b)) => String::from_utf8_lossy(b).into_owned(),
            Some(Value::Null) | None => String::new(),
        }
    }

    /// The column as a number; text holding a number counts.
    pub(crate) fn int(&self, column: &str) -> Option<i64> {
        match self.0.get(column)? {
            Value::Integer(i) => Some(*i),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// The page size the header gives, if it is one SQLite allows.
fn page_size(bytes: &[u8]) -> Option<usize> {
    match u16::from_be_bytes([*bytes.get(16)?, *bytes.get(17)?]) {
        1 => Some(65_536),
        n if n >= 512 && n.is_power_of_two() => Some(usize::from(n)),
        _ => None,
    }
}

/// The page count in the header. It is trusted only when the "version valid
/// for" number matches the change counter: older writers left it stale, and
/// then the file's length is all there is to go by.
fn header_pages(bytes: &[u8]) -> Option<usize> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let pages = be32(28)?;
    (pages != 0 && be32(24)? == be32(92)?).then_some(pages as usize)
}

/// The header's checks: `Err` says what does not add up.
pub(crate) fn check_length(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < HEADER_LEN || !bytes.starts_with(MAGIC) {
        return Err(format!(
            "{} bytes is too short for an SQLite database header",
            bytes.len()
        ));
    }
    let page_size = page_size(bytes).ok_or_else(|| {
        format!(
            "its header gives an impossible page size ({})",
            u16::from_be_bytes([bytes[16], bytes[17]])
        )
    })?;
    if !bytes.len().is_multiple_of(page_size) {
        return Err(format!(
            "it is cut short: {} bytes is not a whole number of {page_size}-byte pages",
            bytes.len()
        ));
    }
    if let Some(pages) = header_pages(bytes)
        && pages * page_size != bytes.len()
    {
        return Err(format!(
            "its header says {pages} pages of {page_size} bytes ({} bytes) but the file has {} bytes",
            pages * page_size,
            bytes.len()
        ));
    }
    Ok(())
}

impl Db {
    /// Opens `bytes` without the length check: enough to read the tables'
    /// names for detection, even from a damaged copy.
    fn open_unchecked(bytes: &[u8]) -> Result<Db, String> {
        if !bytes.starts_with(MAGIC) || bytes.len() < HEADER_LEN {
            return Err("it is not an SQLite database".into());
        }
        let mut image = zeroize::Zeroizing::new(bytes.to_vec());
        // A cut-off copy is refused by `open`, but its first page still
        // names the app whose file it was, for a clearer error: padded back
        // to the length its header gives, SQLite reads its tables' names.
        if let Some(page) = page_size(bytes) {
            let pages = header_pages(bytes).unwrap_or(0);
            let whole = image.len().div_ceil(page) * page;
            let claimed = pages.saturating_mul(page);
            image.resize(
                if claimed <= MAX_PADDED {
                    whole.max(claimed)
                } else {
                    whole
                },
                0,
            );
        }
        // Bytes 18 and 19 are 2 in WAL mode, which an in-memory database
        // cannot use ("unable to open database file"); the copy taken from
        // the phone has no -wal file anyway, so reading it as a rollback
        // journal database loses nothing.
        image[18] = 1;
        image[19] = 1;
        let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
        // A hostile file could hide SQL functions in views or triggers; the
        // importers read plain tables only. CHECK constraints are
        // expressions from the file too, which quick_check would run on
        // every row. Extensions cannot be loaded (rusqlite is built without
        // load_extension) and nothing may be attached.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
            .and_then(|_| conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false))
            .and_then(|_| conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE))
            .and_then(|_| conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0))
            .and_then(|_| conn.pragma_update(None, "ignore_check_constraints", true))
            .map_err(|e| e.to_string())?;
        let spent = Arc::new(AtomicU8::new(0));
        let flag = Arc::clone(&spent);
        let (start, mut checks) = (Instant::now(), 0u64);
        conn.progress_handler(
            i32::from(STEP_CHECK),
            Some(move || {
                checks += 1;
                let out = if checks > MAX_STEPS / u64::from(STEP_CHECK) {
                    STEPS
                } else if start.elapsed() > MAX_TIME {
                    TIME
                } else {
                    return false;
                };
                flag.store(out, Ordering::Relaxed);
                true
            }),
        )
        .map_err(|e| e.to_string())?;
        conn.deserialize_read_exact("main", &image[..], image.len(), true)
            .map_err(|e| e.to_string())?;
        Ok(Db { conn, spent })
    }

    /// The refusal for a statement interrupted by the budget, if it was.
    fn over_budget(&self, app: &'static str) -> Option<ImportError> {
        let ran_out = match self.spent.load(Ordering::Relaxed) {
            STEPS => format!("{} million steps", MAX_STEPS / 1_000_000),
            TIME => format!("{} seconds", MAX_TIME.as_secs()),
            _ => return None,
        };
        Some(ImportError::too_costly(
            app,
            format!(
                "reading it took SQLite more than {ran_out} before it was stopped, where an app's database takes a few million steps and well under a second; its schema asks for work no app's database needs (such as computed columns). Copy the database from the phone again"
            ),
        ))
    }

    /// Opens `bytes` for reading accounts, checking them first: a cut-off
    /// or damaged file is an error, never a shorter list.
    pub(crate) fn open(app: &'static str, bytes: &[u8]) -> Result<Db, ImportError> {
        check_length(bytes).map_err(|e| ImportError::corrupt(app, e))?;
        let db = Db::open_unchecked(bytes)
            .map_err(|e| ImportError::corrupt(app, format!("SQLite cannot open it ({e})")))?;
        let verdict: String = db
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| {
                db.over_budget(app).unwrap_or_else(|| {
                    ImportError::corrupt(app, format!("SQLite cannot read it ({e})"))
                })
            })?;
        if verdict != "ok" {
            return Err(ImportError::corrupt(
                app,
                format!("SQLite finds it damaged ({verdict})"),
            ));
        }
        Ok(db)
    }

    /// The names of the real tables (not views), lower-case.
    pub(crate) fn tables(&self) -> Vec<String> {
        let read = || -> rusqlite::Result<Vec<String>> {
            let mut st = self
                .conn
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?;
            st.query_map([], |r| r.get::<_, String>(0))?
                .map(|n| n.map(|n| n.to_ascii_lowercase()))
                .collect()
        };
        read().unwrap_or_default()
    }

    /// The columns of `table`, lower-case; empty when there is no such table.
    fn columns(&self, table: &str) -> Vec<String> {
        let read = || -> rusqlite::Result<Vec<String>> {
            let mut st = self
                .conn
                .prepare("SELECT name FROM pragma_table_info(?1)")?;
            st.query_map([table], |r| r.get::<_, String>(0))?
                .map(|n| n.map(|n| n.to_ascii_lowercase()))
                .collect()
        };
        read().unwrap_or_default()
    }

    pub(crate) fn kind(&self) -> Option<Kind> {
        let has = |cols: &[String], want: &[&str]| want.iter().all(|w| cols.iter().any(|c| c == w));
        let accounts = self.columns("accounts");
        if has(&accounts, MICROSOFT) {
            return Some(Kind::Microsoft);
        }
        if has(&accounts, GOOGLE) {
            // Authenticator Plus grew Google's table a category column (and
            // a category table); Google's never had either.
            let plus = accounts.iter().any(|c| c == "category")
                || self.tables().iter().any(|t| t == "category");
            return Some(if plus {
                Kind::AuthenticatorPlus
            } else {
                Kind::Google
            });
        }
        if has(&self.columns("authenticator"), STRATUM) {
            return Some(Kind::Stratum);
        }
        None
    }

    /// What `name` is in the schema ("table", "view", "virtual", "shadow"),
    /// as SQLite parsed it; `None` when there is no such thing.
    fn object_type(&self, name: &str) -> Option<String> {
        self.conn
            .query_row(
                "SELECT type FROM pragma_table_list(?1) WHERE schema = 'main'",
                [name],
                |r| r.get(0),
            )
            .ok()
    }

    /// Every row of `table`, with the `wanted` columns (absent ones NULL).
    /// Only a real table is read, and only so much of it.
    pub(crate) fn rows(
        &self,
        app: &'static str,
        table: &'static str,
        wanted: &[&'static str],
    ) -> Result<Vec<Record>, ImportError> {
        match self.object_type(table).as_deref() {
            Some("table") => {}
            Some(other) => {
                return Err(ImportError::corrupt(
                    app,
                    format!(
                        "its \"{table}\" is a {other}, not a table: the app writes a table, and a view or virtual table runs a query of the file's own, which could be endless. Copy the database from the phone again"
                    ),
                ));
            }
            None => {
                return Err(self.over_budget(app).unwrap_or_else(|| {
                    ImportError::corrupt(app, format!("it has no table \"{table}\""))
                }));
            }
        }
        let present = self.columns(table);
        // Only names from `wanted` (the importers' constants) and the table
        // name (likewise) go into the SQL, quoted.
        let select: Vec<String> = wanted
            .iter()
            .map(|c| {
                if present.iter().any(|p| p == c) {
                    format!("\"{c}\"")
                } else {
                    "NULL".to_owned()
                }
            })
            .collect();
        // One row past the limit, to see it crossed.
        let sql = format!(
            "SELECT {} FROM \"{table}\" LIMIT {}",
            select.join(", "),
            MAX_ROWS + 1
        );
        let read = || -> rusqlite::Result<Vec<Record>> {
            let mut st = self.conn.prepare(&sql)?;
            st.query_map([], |r| {
                let mut map = HashMap::new();
                for (i, c) in wanted.iter().enumerate() {
                    map.insert(*c, r.get::<_, Value>(i)?);
                }
                Ok(Record(map))
            })?
            .collect()
        };
        let rows = read().map_err(|e| {
            self.over_budget(app).unwrap_or_else(|| {
                ImportError::corrupt(app, format!("its table \"{table}\" cannot be read ({e})"))
            })
        })?;
        if rows.len() > MAX_ROWS {
            return Err(ImportError::too_costly(
                app,
                format!(
                    "its table \"{table}\" has more than {MAX_ROWS} rows; an authenticator holds hundreds of accounts. Copy the database from the phone again"
                ),
            ));
        }
        Ok(rows)
    }
}

/// Which app's database `bytes` are, if they are a database Authdesk reads.
pub(crate) fn kind(bytes: &[u8]) -> Option<Kind> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    Db::open_unchecked(bytes).ok()?.kind()
}

/// A database made by running `sql`, as SQLite writes it, for tests.
#[cfg(test)]
pub(crate) fn database(sql: &str) -> Vec<u8> {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize("main").unwrap().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_off_database_is_refused_before_sqlite_reads_it() {
        let bytes = database(
            "CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO t VALUES (1); INSERT INTO u VALUES (2);",
        );
        assert!(check_length(&bytes).is_ok());
        let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
        let short = &bytes[..bytes.len() - page];
        let err = check_length(short).unwrap_err();
        assert!(err.contains("header says"), "{err}");
        assert!(
            check_length(&bytes[..bytes.len() - 100])
                .unwrap_err()
                .contains("cut short")
        );
        assert!(check_length(&bytes[..50]).is_err());
    }

    #[test]
    fn a_wal_mode_database_opens() {
        let mut bytes = database(
            "CREATE TABLE authenticator(type, issuer, username, secret, algorithm, digits, period, counter);",
        );
        bytes[18] = 2;
        bytes[19] = 2;
        assert_eq!(kind(&bytes), Some(Kind::Stratum));
        assert!(Db::open("test", &bytes).is_ok());
    }
}
