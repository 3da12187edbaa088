//! One app's storage database.
//!
//! Every storage call, sync or async, runs its statement right away on the calling
//! (JS) thread under the app's lock. So calls take effect in the order JS made
//! them, a write is visible to every later call, and callbacks of async calls
//! fire in call order too, which a headless test runner relies on. A SQLite WAL
//! write takes about 15 µs; the 1 MB worst case a few milliseconds. The running
//! total of stored bytes is kept in memory (read once at open), so limits cost one
//! indexed lookup per write, never a scan.

use super::cipher::Cipher;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use wx_core::{App, WxError};

const MB: u64 = 1024 * 1024;

/// WeChat's limits: per key and in all, plain or encrypted.
#[derive(Clone, Copy)]
struct Limits {
    item: u64,
    total: u64,
    total_text: &'static str,
}

const PLAIN: Limits = Limits {
    item: MB,
    total: 10 * MB,
    total_text: "10Mb",
};
const ENCRYPTED: Limits = Limits {
    item: MB * 7 / 10,
    total: MB * 71 / 10,
    total_text: "7.1Mb",
};

/// The limit `getStorageInfo` reports, in KB.
pub const LIMIT_KB: u64 = 10 * 1024;

/// An app's storage: its database behind a lock.
pub struct Store {
    db: Mutex<Db>,
}

impl Store {
    /// The store of `app`, opened on first use.
    pub fn of(app: &App) -> Arc<Store> {
        app.state(|| Store {
            db: Mutex::new(Db::open(app.data_dir())),
        })
    }

    /// Runs `job` on the database now.
    pub fn run<R>(&self, job: impl FnOnce(&mut Db) -> Result<R, WxError>) -> Result<R, WxError> {
        // A panic inside a job cannot leave the database half-written (each
        // statement is atomic), so a poisoned lock is safe to keep using.
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        job(&mut db)
    }
}

/// The database of one app.
pub struct Db {
    conn: Result<Connection, String>,
    dir: PathBuf,
    cipher: Option<Cipher>,
    /// Bytes stored (keys and data), kept in step with every write.
    total: u64,
}

impl Db {
    fn open(dir: &Path) -> Db {
        let conn = Db::connect(dir).map_err(|e| e.to_string());
        let total = conn
            .as_ref()
            .ok()
            .and_then(|c| {
                c.query_row("SELECT COALESCE(SUM(size), 0) FROM storage", [], |r| {
                    r.get::<_, i64>(0)
                })
                .ok()
            })
            .unwrap_or(0) as u64;
        Db {
            conn,
            dir: dir.to_owned(),
            cipher: None,
            total,
        }
    }

    fn connect(dir: &Path) -> Result<Connection, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("storage.sqlite"))?;
        // WAL with synchronous=NORMAL: a committed write survives the process being
        // killed; only a power cut can cost the last transactions.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS storage (
                key TEXT PRIMARY KEY NOT NULL,
                value BLOB NOT NULL,
                size INTEGER NOT NULL,
                encrypted INTEGER NOT NULL
            )",
        )?;
        Ok(conn)
    }

    fn conn(&self) -> Result<&Connection, WxError> {
        self.conn
            .as_ref()
            .map_err(|e| WxError::new("storage unavailable").with_detail(e))
    }

    fn cipher(&mut self) -> Result<&Cipher, WxError> {
        if self.cipher.is_none() {
            let cipher = Cipher::open(&self.dir.join("storage.key"))
                .map_err(|e| WxError::new("storage key unavailable").with_detail(e))?;
            self.cipher = Some(cipher);
        }
        Ok(self.cipher.as_ref().expect("just set"))
    }

    fn size_of(&self, key: &str) -> Result<u64, WxError> {
        let size: Option<i64> = self
            .conn()?
            .prepare_cached("SELECT size FROM storage WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(sql)?;
        Ok(size.unwrap_or(0) as u64)
    }

    /// Stores `text` under `key`; over a limit nothing changes.
    pub fn set(&mut self, key: &str, text: String, encrypt: bool) -> Result<(), WxError> {
        let limits = if encrypt { ENCRYPTED } else { PLAIN };
        if text.len() as u64 > limits.item {
            return Err(WxError::new("exceed storage item max length"));
        }
        let size = (key.len() + text.len()) as u64;
        let total = self.total - self.size_of(key)? + size;
        if total > limits.total {
            return Err(WxError::new(format!(
                "exceed storage max size {}",
                limits.total_text
            )));
        }
        let value = match encrypt {
            true => self.cipher()?.seal(text.as_bytes())?,
            false => text.into_bytes(),
        };
        self.conn()?
            .prepare_cached(
                "INSERT INTO storage (key, value, size, encrypted) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(key) DO UPDATE SET value = ?2, size = ?3, encrypted = ?4",
            )
            .and_then(|mut s| s.execute(params![key, value, size as i64, encrypt]))
            .map_err(sql)?;
        self.total = total;
        Ok(())
    }

    /// The text `key` holds, if anything; reading must match how it was written.
    pub fn get(&mut self, key: &str, encrypt: bool) -> Result<Option<String>, WxError> {
        let row: Option<(Vec<u8>, bool)> = self
            .conn()?
            .prepare_cached("SELECT value, encrypted FROM storage WHERE key = ?1")
            .and_then(|mut s| {
                s.query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql)?;
        let Some((value, encrypted)) = row else {
            return Ok(None);
        };
        let bytes = match (encrypted, encrypt) {
            (true, true) => self.cipher()?.open_sealed(&value)?,
            (false, false) => value,
            (true, false) => {
                return Err(WxError::new(
                    "data is encrypted: read it with encrypt: true",
                ))
            }
            (false, true) => {
                return Err(WxError::new(
                    "data is not encrypted: read it without encrypt",
                ))
            }
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| WxError::new("stored data is corrupt"))
    }

    /// Removes `key`, if it is there.
    pub fn remove(&mut self, key: &str) -> Result<(), WxError> {
        let size = self.size_of(key)?;
        self.conn()?
            .prepare_cached("DELETE FROM storage WHERE key = ?1")
            .and_then(|mut s| s.execute([key]))
            .map_err(sql)?;
        self.total -= size;
        Ok(())
    }

    /// Removes every key.
    pub fn clear(&mut self) -> Result<(), WxError> {
        self.conn()?
            .execute("DELETE FROM storage", [])
            .map_err(sql)?;
        self.total = 0;
        Ok(())
    }

    /// Every key, in the order first stored, and the bytes in use.
    pub fn info(&self) -> Result<(Vec<String>, u64), WxError> {
        let mut statement = self
            .conn()?
            .prepare_cached("SELECT key FROM storage ORDER BY rowid")
            .map_err(sql)?;
        let keys = statement
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(sql)?;
        Ok((keys, self.total))
    }
}

/// A database failure in plain words by its kind; SQLite's own text is kept
/// for the host's diagnostics.
fn sql(err: rusqlite::Error) -> WxError {
    use rusqlite::ErrorCode as C;
    let reason = match err.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => "storage is damaged",
        Some(C::DatabaseBusy | C::DatabaseLocked) => "storage is busy",
        Some(C::DiskFull) => "no space left on the device",
        Some(C::ReadOnly | C::PermissionDenied | C::CannotOpen) => "storage unavailable",
        _ => "storage error",
    };
    WxError::new(reason).with_detail(err)
}
