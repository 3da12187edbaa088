//! Running mini-program scripts in tests: through the library (fast, captured
//! console) or through the real `wx-host` binary (exit codes, signals).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use wx_core::App;
use wx_host::{CapturedConsole, MiniProgram};

pub mod server;

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub uncaught: usize,
    /// JS functions wx-core still references when the run ended.
    pub retained: usize,
}

/// A fresh, empty data dir, never shared: tests run in parallel.
pub fn data_dir(name: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("wx-test-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `source` as app `app_id` whose data lives in `<data_dir>/<app_id>`, as the CLI lays it out.
pub fn run_app(data_dir: &Path, app_id: &str, source: &str) -> Run {
    run_with(
        App::builder(app_id).data_dir(data_dir.join(app_id)).build(),
        source,
    )
}

/// Runs `source` in a mini-program for `app` until it is done.
pub fn run_with(app: App, source: &str) -> Run {
    run_limited(app, source, None)
}

/// Runs `source` until it is done, or, with a `limit`, closes it then (a live
/// listener never finishes by itself).
pub fn run_limited(app: App, source: &str, limit: Option<Duration>) -> Run {
    wx_host::link_apis();
    let console = CapturedConsole::default();
    let program = MiniProgram::new(app, console.clone()).unwrap();
    // Counted from the start, as the CLI's --for is: it also ends a script (or a
    // Promise-job loop) that never yields.
    let limit = limit.unwrap_or(Duration::from_secs(60));
    program.close_at(std::time::Instant::now() + limit);
    program.eval("test.js", source);
    let outcome = program.run(None);
    assert!(
        !outcome.closed_by_limit || limit < Duration::from_secs(60),
        "the script did not finish: {}",
        console.stdout()
    );
    Run {
        stdout: console.stdout(),
        stderr: console.stderr(),
        uncaught: outcome.uncaught_errors,
        retained: program.retained_functions(),
    }
}

/// The `wx-host` binary with `args`. Its default data folder (the per-user one)
/// is redirected into a temporary folder: tests never touch the real one.
pub fn cli(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wx-host"));
    command
        .args(args)
        .env("XDG_DATA_HOME", data_dir("xdg-data"));
    command
}

pub fn text(output: &Output) -> (String, String, Option<i32>) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}
