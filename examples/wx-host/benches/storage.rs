//! Storage costs, each beside a baseline from the same run: the same rusqlite
//! statements called directly on a database with the same schema and pragmas.
//!
//! Run: `cargo bench -p wx-host --bench storage`. BENCHMARKS.md records the ratios.

use rusqlite::{params, Connection, OptionalExtension};
use std::path::PathBuf;
use wx_core::{App, Host, Value};
use wx_host::{CapturedConsole, MiniProgram};

fn main() {
    divan::main();
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wx-bench-storage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The baseline: the statements `Db::get`/`Db::set` run, with nothing around them.
struct Direct(Connection);

impl Direct {
    fn open() -> Direct {
        let conn = Connection::open(dir("direct").join("storage.sqlite")).unwrap();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
        conn.execute_batch(
            "CREATE TABLE storage (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL,
             size INTEGER NOT NULL, encrypted INTEGER NOT NULL)",
        )
        .unwrap();
        Direct(conn)
    }

    fn get(&self, key: &str) -> Option<(Vec<u8>, bool)> {
        let mut s = self
            .0
            .prepare_cached("SELECT value, encrypted FROM storage WHERE key = ?1")
            .unwrap();
        s.query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .unwrap()
    }

    fn set(&self, key: &str, value: &[u8]) {
        let mut size = self
            .0
            .prepare_cached("SELECT size FROM storage WHERE key = ?1")
            .unwrap();
        let _old: Option<i64> = size.query_row([key], |r| r.get(0)).optional().unwrap();
        let mut upsert = self
            .0
            .prepare_cached(
                "INSERT INTO storage (key, value, size, encrypted) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(key) DO UPDATE SET value = ?2, size = ?3, encrypted = ?4",
            )
            .unwrap();
        upsert
            .execute(params![key, value, (key.len() + value.len()) as i64, false])
            .unwrap();
    }
}

fn host(name: &str) -> Host {
    wx_host::link_apis();
    Host::new(App::builder("bench").data_dir(dir(name)).build()).unwrap()
}

const VALUE: &str = "a stored value of moderate length, 48 bytes long";

mod read {
    use super::*;

    #[divan::bench]
    fn direct_rusqlite(bencher: divan::Bencher) {
        let db = Direct::open();
        db.set("k", format!("{VALUE:?}").as_bytes());
        bencher.bench_local(|| db.get(divan::black_box("k")).unwrap());
    }

    #[divan::bench]
    fn get_storage_sync_from_rust(bencher: divan::Bencher) {
        let host = host("read-rust");
        host.call("setStorageSync", vec!["k".into(), VALUE.into()])
            .unwrap();
        let api = host.registry().get("getStorageSync").unwrap();
        bencher.bench_local(|| host.call_api(api, vec![Value::from("k")]).unwrap());
    }
}

mod write {
    use super::*;

    #[divan::bench]
    fn direct_rusqlite(bencher: divan::Bencher) {
        let db = Direct::open();
        let text = format!("{VALUE:?}");
        bencher.bench_local(|| db.set(divan::black_box("k"), text.as_bytes()));
    }

    #[divan::bench]
    fn set_storage_sync_from_rust(bencher: divan::Bencher) {
        let host = host("write-rust");
        let api = host.registry().get("setStorageSync").unwrap();
        bencher.bench_local(|| {
            host.call_api(api, vec![Value::from("k"), Value::from(VALUE)])
                .unwrap()
        });
    }
}

/// One write while `keys` other keys are stored: the size accounting must not scan them.
#[divan::bench(args = [100, 10_000, 100_000], sample_count = 50)]
fn write_with_many_keys(bencher: divan::Bencher, keys: usize) {
    let host = host(&format!("many-{keys}"));
    let api = host.registry().get("setStorageSync").unwrap();
    for i in 0..keys {
        host.call_api(
            api,
            vec![Value::from(format!("key-{i}")), Value::from(i as f64)],
        )
        .unwrap();
    }
    bencher.bench_local(|| {
        host.call_api(api, vec![Value::from("key-50"), Value::from(VALUE)])
            .unwrap()
    });
}

mod from_js {
    use super::*;

    const CALLS: usize = 1000;

    fn program(name: &str) -> MiniProgram {
        wx_host::link_apis();
        let app = App::builder("bench").data_dir(dir(name)).build();
        let program = MiniProgram::new(app, CapturedConsole::default()).unwrap();
        program.eval(
            "bench.js",
            "wx.setStorageSync('k', 'a stored value of moderate length, 48 bytes long');
             function reads(n) { let v; for (let i = 0; i < n; i++) v = wx.getStorageSync('k'); if (v.length !== 48) throw 1 }
             function writes(n) { for (let i = 0; i < n; i++) wx.setStorageSync('k', 'a stored value of moderate length, 48 bytes long') }",
        );
        program
    }

    #[divan::bench(items_count = CALLS)]
    fn direct_rusqlite_reads(bencher: divan::Bencher) {
        let db = Direct::open();
        db.set("k", format!("{VALUE:?}").as_bytes());
        bencher.bench_local(|| {
            for _ in 0..CALLS {
                divan::black_box(db.get("k"));
            }
        });
    }

    /// The floor for reads from JS: a bare engine function doing the same
    /// statement and conversions (`bareGet(key)`: the key read as a `String`,
    /// the stored JSON text made into a JS value by the engine's
    /// `JSON.parse`), what a host written by hand against rquickjs would do.
    #[divan::bench(items_count = CALLS)]
    fn bare_engine_reads(bencher: divan::Bencher) {
        let program = program("read-bare");
        program.context().with(|ctx| {
            let get = rquickjs::Function::new(ctx.clone(), bare_get).unwrap();
            ctx.globals().set("bareGet", get).unwrap();
        });
        program.eval(
            "bare.js",
            "function bareReads(n) { let v; for (let i = 0; i < n; i++) v = bareGet('k'); if (v.length !== 48) throw 1 }",
        );
        bencher.bench_local(|| assert!(program.eval("b.js", "bareReads(1000)")));
    }

    thread_local! {
        static BARE_DB: Direct = {
            let db = Direct::open();
            db.set("k", format!("{VALUE:?}").as_bytes());
            db
        };
    }

    fn bare_get<'js>(
        ctx: rquickjs::Ctx<'js>,
        key: String,
    ) -> rquickjs::Result<rquickjs::Value<'js>> {
        match BARE_DB.with(|db| db.get(&key)) {
            Some((bytes, false)) => {
                let text = String::from_utf8(bytes).map_err(|_| rquickjs::Error::Unknown)?;
                ctx.json_parse(text)
            }
            _ => Ok(rquickjs::Value::new_undefined(ctx)),
        }
    }

    #[divan::bench(items_count = CALLS)]
    fn get_storage_sync(bencher: divan::Bencher) {
        let program = program("read-js");
        bencher.bench_local(|| assert!(program.eval("b.js", "reads(1000)")));
    }

    #[divan::bench(items_count = CALLS)]
    fn direct_rusqlite_writes(bencher: divan::Bencher) {
        let db = Direct::open();
        let text = format!("{VALUE:?}");
        bencher.bench_local(|| {
            for _ in 0..CALLS {
                db.set("k", text.as_bytes());
            }
        });
    }

    #[divan::bench(items_count = CALLS)]
    fn set_storage_sync(bencher: divan::Bencher) {
        let program = program("write-js");
        bencher.bench_local(|| assert!(program.eval("b.js", "writes(1000)")));
    }
}

/// How cost grows with the payload (issue 16, item 6): an object of about
/// `bytes` of JSON written with `setStorageSync` and read back with
/// `getStorageSync`, against `JSON.parse(JSON.stringify(...))` of the same
/// value in the same engine (the least any host must do to copy it out and back).
mod payload {
    use super::*;

    const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

    fn program(bytes: usize) -> MiniProgram {
        wx_host::link_apis();
        let app = App::builder("bench")
            .data_dir(dir(&format!("payload-{bytes}")))
            .build();
        let program = MiniProgram::new(app, CapturedConsole::default()).unwrap();
        // Items of 45 bytes of JSON each; 90% of `bytes` keeps 1 MB under the
        // 1 MB limit of one key.
        let setup = format!(
            "const big = {{ items: [] }};
             for (let i = 0; big.items.length < {bytes} * 0.9 / 45; i++) big.items.push({{ id: i % 1000, text: 'a stored text of 24 chars' }});
             if (JSON.stringify(big).length > {bytes}) throw new Error('too big');
             function viaJson() {{ const back = JSON.parse(JSON.stringify(big)); if (back.items.length !== big.items.length) throw 1 }}
             function viaStorage() {{ wx.setStorageSync('big', big); const back = wx.getStorageSync('big'); if (back.items.length !== big.items.length) throw 1 }}"
        );
        assert!(program.eval("payload.js", &setup));
        program
    }

    #[divan::bench(args = SIZES, sample_count = 30)]
    fn json_round_trip_in_engine(bencher: divan::Bencher, bytes: usize) {
        let program = program(bytes);
        bencher.bench_local(|| assert!(program.eval("b.js", "viaJson()")));
    }

    #[divan::bench(args = SIZES, sample_count = 30)]
    fn set_then_get_storage_sync(bencher: divan::Bencher, bytes: usize) {
        let program = program(bytes);
        bencher.bench_local(|| assert!(program.eval("b.js", "viaStorage()")));
    }
}
