//! One app's storage database.
//!
//! Every storage call, sync or async, runs its statement right away on the calling
//! (JS) thread under the app's lock. So calls take effect in the order JS made
//! them, a write is visible to every later call, and callbacks of async calls
//! fire in call order too, which a headless test runner relies on. A SQLite WAL
//! write takes about 15 µs; the 1 MB worst case a few milliseconds.
//!
//! The total of stored bytes lives in the database (a one-row `meta` table that
//! triggers keep in step with every insert, update and delete), and a write
//! checks its quota inside an immediate transaction: two processes of the same
//! app share one quota and one count, and a limit costs one indexed lookup per
//! write, never a scan. A database another process holds is waited for (5 s),
//! and one that could not be opened is tried again on the next call.

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
    /// Opened on first use; not kept when opening failed, so the next call tries again.
    conn: Option<Connection>,
    dir: PathBuf,
    cipher: Option<Cipher>,
}

impl Db {
    fn open(dir: &Path) -> Db {
        Db {
            conn: None,
            dir: dir.to_owned(),
            cipher: None,
        }
    }

    fn connect(dir: &Path) -> Result<Connection, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("storage.sqlite"))?;
        // WAL with synchronous=NORMAL: a committed write survives the process being
        // killed; only a power cut can cost the last transactions.
        // Another process of the same app may hold the database for a moment.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(
            "BEGIN IMMEDIATE;
            CREATE TABLE IF NOT EXISTS storage (
                key TEXT PRIMARY KEY NOT NULL,
                value BLOB NOT NULL,
                size INTEGER NOT NULL,
                encrypted INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS meta (
                id INTEGER PRIMARY KEY CHECK (id = 0),
                total INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO meta (id, total)
                SELECT 0, COALESCE(SUM(size), 0) FROM storage;
            CREATE TRIGGER IF NOT EXISTS storage_insert AFTER INSERT ON storage
                BEGIN UPDATE meta SET total = total + NEW.size WHERE id = 0; END;
            CREATE TRIGGER IF NOT EXISTS storage_update AFTER UPDATE OF size ON storage
                BEGIN UPDATE meta SET total = total - OLD.size + NEW.size WHERE id = 0; END;
            CREATE TRIGGER IF NOT EXISTS storage_delete AFTER DELETE ON storage
                BEGIN UPDATE meta SET total = total - OLD.size WHERE id = 0; END;
            COMMIT;",
        )?;
        Ok(conn)
    }

    fn conn(&mut self) -> Result<&Connection, WxError> {
        if self.conn.is_none() {
            let conn = Db::connect(&self.dir).map_err(|e| {
                WxError::new("storage unavailable")
                    .with_detail(format!("{}: {e}", self.dir.display()))
            })?;
            self.conn = Some(conn);
        }
        Ok(self.conn.as_ref().expect("just opened"))
    }

    /// The bytes stored (keys and data), as the database counts them.
    fn total(conn: &Connection) -> Result<u64, WxError> {
        conn.prepare_cached("SELECT total FROM meta WHERE id = 0")
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .map(|total| total.max(0) as u64)
            .map_err(sql)
    }

    fn cipher(&mut self) -> Result<&Cipher, WxError> {
        if self.cipher.is_none() {
            self.conn()?; // the app's folder exists once its database does
            let cipher = Cipher::open(&self.dir.join("storage.key"))
                .map_err(|e| WxError::new("storage key unavailable").with_detail(e))?;
            self.cipher = Some(cipher);
        }
        Ok(self.cipher.as_ref().expect("just set"))
    }

    fn size_of(conn: &Connection, key: &str) -> Result<u64, WxError> {
        let size: Option<i64> = conn
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
        let value = match encrypt {
            true => self.cipher()?.seal(text.as_bytes())?,
            false => text.into_bytes(),
        };
        let conn = self.conn()?;
        // The quota check and the write are one step for every process of the app.
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(sql)?;
        let total = Db::total(&tx)? - Db::size_of(&tx, key)? + size;
        if total > limits.total {
            return Err(WxError::new(format!(
                "exceed storage max size {}",
                limits.total_text
            )));
        }
        tx.prepare_cached(
            "INSERT INTO storage (key, value, size, encrypted) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(key) DO UPDATE SET value = ?2, size = ?3, encrypted = ?4",
        )
        .and_then(|mut s| s.execute(params![key, value, size as i64, encrypt]))
        .map_err(sql)?;
        tx.commit().map_err(sql)
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
        self.conn()?
            .prepare_cached("DELETE FROM storage WHERE key = ?1")
            .and_then(|mut s| s.execute([key]))
            .map_err(sql)?;
        Ok(())
    }

    /// Removes every key.
    pub fn clear(&mut self) -> Result<(), WxError> {
        self.conn()?
            .execute("DELETE FROM storage", [])
            .map_err(sql)?;
        Ok(())
    }

    /// Every key, in the order first stored, and the bytes in use.
    pub fn info(&mut self) -> Result<(Vec<String>, u64), WxError> {
        let conn = self.conn()?;
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)
                .map_err(sql)?;
        let keys = tx
            .prepare_cached("SELECT key FROM storage ORDER BY rowid")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(sql)?;
        let total = Db::total(&tx)?;
        tx.commit().map_err(sql)?;
        Ok((keys, total))
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
