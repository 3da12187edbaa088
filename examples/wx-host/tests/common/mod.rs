//! Running mini-program scripts in tests: through the library (fast, captured
//! console) or through the real `wx-host` binary (exit codes, signals).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use wx_core::App;
use wx_host::{CapturedConsole, MiniProgram};

pub mod pty;
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

/// Writes a mini-program package (`(path, text)` pairs) into a fresh folder.
pub fn write_package(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = data_dir(&format!("pkg-{name}"));
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    dir
}

/// What a package run gives: the console, and the counts the exit code reads.
pub struct PackageRun {
    pub stdout: String,
    pub stderr: String,
    pub uncaught: usize,
    pub failed: usize,
    /// JS functions the host still holds for wx-core when the run ended.
    pub retained: usize,
}

impl PackageRun {
    /// No uncaught error and no failed expectation; the console shown if not.
    pub fn assert_passed(&self) {
        assert_eq!(
            (self.uncaught, self.failed),
            (0, 0),
            "{}\n{}",
            self.stdout,
            self.stderr
        );
    }
}

/// Launches the package in `dir` as `wx-host <dir> --test` does (through the
/// library), runs `test` (an ES module) after the launch, and runs to the end.
pub fn run_package(dir: &Path, launch: wx_host::Launch, test: &str) -> PackageRun {
    run_package_with(dir, launch, test, |builder| builder)
}

/// [`run_package`] with the app built the test's way (a device profile, ...).
/// The UI is the scripted one, as `wx-host --ui script` has it.
pub fn run_package_with(
    dir: &Path,
    launch: wx_host::Launch,
    test: &str,
    configure: impl FnOnce(wx_core::AppBuilder) -> wx_core::AppBuilder,
) -> PackageRun {
    wx_host::link_apis();
    let ui = wx_host::ui::ReferenceUi::scripted(None);
    let package = wx_host::Package::open(dir).unwrap_or_else(|e| panic!("{e}"));
    let queue = wx_host::PageQueue::default();
    let stack =
        wx_apis::route::PageStack::new(package.pages().clone(), std::sync::Arc::new(queue.clone()));
    let app = App::builder("wx-pkg-test")
        .data_dir(dir.join(".data"))
        .service(stack)
        .service(ui.service())
        .service(wx_apis::worker::Workers::new(wx_host::QuickJsWorkers::new(
            package.clone(),
        )))
        .service(wx_apis::files::PackageRoot(package.root().to_owned()))
        .service(wx_apis::audio::Audio::new(wx_apis::audio::SilentOutput {
            speed: 20.0,
        }));
    let app = configure(app).build();
    let console = CapturedConsole::default();
    let program = MiniProgram::new(app, console.clone()).unwrap();
    program.attach_ui(ui);
    program.close_at(std::time::Instant::now() + Duration::from_secs(60));
    program
        .launch(&package, &queue, &launch)
        .unwrap_or_else(|e| panic!("{e}\n{}", console.stderr()));
    program.eval_module("test.js", test);
    let outcome = program.run(None);
    assert!(
        !outcome.closed_by_limit,
        "the run did not finish: {}",
        console.stdout()
    );
    PackageRun {
        stdout: console.stdout(),
        stderr: console.stderr(),
        uncaught: outcome.uncaught_errors,
        failed: outcome.failed_expectations,
        retained: program.retained_functions(),
    }
}
