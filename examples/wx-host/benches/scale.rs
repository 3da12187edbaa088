//! How cost grows (issue 16, item 6): with the number of registered APIs (a
//! host's start-up, one call) and with the number of mini-programs in one
//! process (start-up time and resident memory per idle instance), each beside
//! a baseline measured in the same run.
//!
//! Run: `cargo bench -p wx-host --bench scale`. It prints two tables;
//! BENCHMARKS.md records them. Memory is measured in a fresh child process per
//! configuration (this binary again, with `WX_SCALE_CHILD` set), so what one
//! configuration freed cannot hide what the next one takes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wx_apis::route::PageStack;
use wx_core::{wx_sync, ApiDef, App, Registry};
use wx_host::{CapturedConsole, Launch, MiniProgram, Package, PageQueue};

/// Echoes its argument: the API copied under many names.
#[wx_sync]
fn scale_echo_sync(key: String) -> String {
    key
}

const CHILD: &str = "WX_SCALE_CHILD";

fn main() {
    wx_host::link_apis();
    if let Ok(spec) = std::env::var(CHILD) {
        return child(&spec);
    }
    // `cargo bench` passes `--bench`; a filter is not supported (the run is short).
    registered_apis();
    instances();
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let kept = f();
                let took = start.elapsed();
                drop(kept);
                took
            })
            .collect(),
    )
}

fn data_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("wx-bench-scale-{}-{name}", std::process::id()))
}

/// A registry of `n` copies of `scaleEchoSync`, named `scaleEcho0Sync` ... (leaked:
/// a registry lives as long as the program, as the global one does).
fn registry_of(n: usize) -> &'static Registry {
    let def = Registry::global()
        .unwrap()
        .get("scaleEchoSync")
        .expect("declared above")
        .def;
    let defs: Vec<&'static ApiDef> = (0..n)
        .map(|i| {
            let name: &'static str = Box::leak(format!("scaleEcho{i}Sync").into_boxed_str());
            &*Box::leak(Box::new(ApiDef { name, ..*def }))
        })
        .collect();
    Box::leak(Box::new(Registry::from_defs(defs).unwrap()))
}

fn bare_engine() -> (rquickjs::Context, rquickjs::Runtime) {
    let runtime = rquickjs::Runtime::new().unwrap();
    (rquickjs::Context::full(&runtime).unwrap(), runtime)
}

/// Start-up and one call against the number of registered APIs.
fn registered_apis() {
    println!(
        "registered APIs: start-up of a host (MiniProgram::with_registry), 1000 calls of one API"
    );
    println!("| APIs | start-up (median of 30) | bare engine start (same run) | ratio | 1000 calls (median of 50) | against 10 APIs |");
    println!("|---|---|---|---|---|---|");
    let mut calls_at_10 = None;
    for n in [10, 100, 1000] {
        let registry = registry_of(n);
        let app = || {
            App::builder("bench-scale")
                .data_dir(data_dir("apis"))
                .build()
        };
        let bare = time(30, bare_engine);
        let startup = time(30, || {
            MiniProgram::with_registry(app(), registry, CapturedConsole::default()).unwrap()
        });
        let program =
            MiniProgram::with_registry(app(), registry, CapturedConsole::default()).unwrap();
        // The last API registered, called 1000 times from one JS function.
        let last = n - 1;
        assert!(program.eval(
            "calls.js",
            &format!(
                "function calls() {{ let r; for (let i = 0; i < 1000; i++) r = wx.scaleEcho{last}Sync('k'); \
                 if (r !== 'k') throw new Error(r) }}"
            ),
        ));
        let calls = time(50, || assert!(program.eval("run.js", "calls()")));
        let base = *calls_at_10.get_or_insert(calls);
        println!(
            "| {n} | {:.2?} | {:.2?} | {:.2}× | {:.2?} | {:.2}× |",
            startup,
            bare,
            startup.as_secs_f64() / bare.as_secs_f64(),
            calls,
            calls.as_secs_f64() / base.as_secs_f64()
        );
    }
    println!();
}

/// What one instance is, for the instance table.
#[derive(Clone, Copy)]
enum Kind {
    /// A QuickJS runtime and context, nothing else: the floor.
    Bare,
    /// A `MiniProgram` with every linked API in `wx`, no package.
    Program,
    /// The sample app (`examples/todo-app`) launched to its entry page, then idle.
    Launched,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bare => "bare",
            Kind::Program => "program",
            Kind::Launched => "launched",
        }
    }
}

fn sample() -> Package {
    Package::open(&PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../todo-app"
    )))
    .unwrap()
}

/// One instance of `kind`, number `i` (its own data folder).
fn instance(kind: Kind, i: usize, package: &Package) -> Box<dyn std::any::Any> {
    match kind {
        Kind::Bare => Box::new(bare_engine()),
        Kind::Program => {
            let app = App::builder("bench-scale")
                .data_dir(data_dir(&format!("p{i}")))
                .build();
            Box::new(MiniProgram::new(app, CapturedConsole::default()).unwrap())
        }
        Kind::Launched => {
            let queue = PageQueue::default();
            let app = App::builder("bench-scale")
                .data_dir(data_dir(&format!("l{i}")))
                .service(PageStack::new(
                    package.pages().clone(),
                    Arc::new(queue.clone()),
                ))
                .build();
            let program = MiniProgram::new(app, CapturedConsole::default()).unwrap();
            program.launch(package, &queue, &Launch::default()).unwrap();
            assert_eq!(program.run(Some(Duration::from_secs(5))).uncaught_errors, 0);
            Box::new(program)
        }
    }
}

/// This process's resident memory, in bytes (Linux).
fn resident() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// In a child: `n` instances of a kind, all kept alive; prints the resident
/// memory they added per instance and the median start-up time of one.
fn child(spec: &str) {
    let (kind, n) = spec.split_once(':').unwrap();
    let kind = [Kind::Bare, Kind::Program, Kind::Launched]
        .into_iter()
        .find(|k| k.name() == kind)
        .unwrap();
    let n: usize = n.parse().unwrap();
    let package = sample();
    // One instance first, dropped: what the first of anything pays once
    // (statics, the registry, thread pools) is not counted per instance.
    drop(instance(kind, usize::MAX, &package));
    let before = resident();
    let mut kept = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        kept.push(instance(kind, i, &package));
        times.push(start.elapsed());
    }
    let per_instance = resident().saturating_sub(before) / n;
    println!("{} {}", per_instance, median(times).as_nanos());
    drop(kept);
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("wx-bench-scale-{}-l0", std::process::id())),
    );
}

fn measure_in_child(kind: Kind, n: usize) -> (usize, Duration) {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env(CHILD, format!("{}:{n}", kind.name()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().unwrap());
    let bytes = fields.next().unwrap() as usize;
    let nanos = fields.next().unwrap();
    (bytes, Duration::from_nanos(nanos))
}

/// Memory and start-up per instance against the number of instances.
fn instances() {
    println!(
        "mini-programs in one process: resident memory added per instance, median start-up of one"
    );
    println!("| instances | bare engine: memory, start | MiniProgram (all APIs, no app): memory, start | sample app launched and idle: memory, start | launched / bare (memory, start) |");
    println!("|---|---|---|---|---|");
    for n in [1, 10, 100] {
        let bare = measure_in_child(Kind::Bare, n);
        let program = measure_in_child(Kind::Program, n);
        let launched = measure_in_child(Kind::Launched, n);
        let kib = |b: usize| format!("{:.0} KiB", b as f64 / 1024.0);
        println!(
            "| {n} | {}, {:.2?} | {}, {:.2?} | {}, {:.2?} | {:.1}×, {:.1}× |",
            kib(bare.0),
            bare.1,
            kib(program.0),
            program.1,
            kib(launched.0),
            launched.1,
            launched.0 as f64 / bare.0.max(1) as f64,
            launched.1.as_secs_f64() / bare.1.as_secs_f64(),
        );
    }
    let _ = std::fs::remove_dir_all(data_dir("apis"));
}
