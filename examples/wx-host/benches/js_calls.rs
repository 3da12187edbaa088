//! Calls from JavaScript, each beside a baseline from the same run.
//!
//! Run: `cargo bench -p wx-host --bench js_calls`. BENCHMARKS.md records the ratios.

use rquickjs::Function;
use std::sync::OnceLock;
use wx_core::{wx_async, wx_sync, App};
use wx_host::{CapturedConsole, MiniProgram};

fn main() {
    divan::main();
}

/// Echoes its argument.
#[wx_sync]
fn bench_echo_sync(key: String) -> String {
    key
}

/// Echoes its number.
#[wx_sync]
fn bench_number_sync(n: f64) -> f64 {
    n
}

/// A small options object.
#[derive(serde::Deserialize, wx_core::JsonSchema)]
struct BenchOptions {
    key: String,
    count: f64,
}

/// Reads a small options object, returns one field.
#[wx_sync]
fn bench_options_sync(options: BenchOptions) -> String {
    let _ = options.count;
    options.key
}

/// Does nothing, asynchronously.
#[wx_async]
async fn bench_noop() {}

const CALLS: usize = 1000;

thread_local! {
    static PROGRAM: MiniProgram = {
        wx_host::link_apis();
        let dir = std::env::temp_dir().join(format!("wx-bench-{}", std::process::id()));
        let program = MiniProgram::new(App::builder("bench").data_dir(dir).build(), CapturedConsole::default()).unwrap();
        // The baseline: a bare engine function with the same String-in, String-out conversion.
        program.context().with(|ctx| {
            let bare = Function::new(ctx.clone(), |key: String| key).unwrap();
            ctx.globals().set("bareEcho", bare).unwrap();
            let bare = Function::new(ctx.clone(), |n: f64| n).unwrap();
            ctx.globals().set("bareNumber", bare).unwrap();
            // The same two fields read from the object, the key returned.
            let bare = Function::new(ctx.clone(), |options: rquickjs::Object| -> rquickjs::Result<String> {
                let key: String = options.get("key")?;
                let _count: f64 = options.get("count")?;
                Ok(key)
            })
            .unwrap();
            ctx.globals().set("bareOptions", bare).unwrap();
        });
        program.eval("bench.js", include_str!("js_calls.js"));
        program
    };
}

fn run(script: &str) {
    static CHECKED: OnceLock<()> = OnceLock::new();
    PROGRAM.with(|program| {
        assert!(program.eval("bench.js", script));
        let outcome = program.run(None);
        CHECKED.get_or_init(|| assert_eq!(outcome.uncaught_errors, 0));
    });
}

#[divan::bench(items_count = CALLS)]
fn sync_bare_engine_function() {
    run("loopBare(1000)");
}

#[divan::bench(items_count = CALLS)]
fn sync_wx_api() {
    run("loopSync(1000)");
}

#[divan::bench(items_count = CALLS)]
fn sync_number_bare_engine_function() {
    run("loopBareNumber(1000)");
}

#[divan::bench(items_count = CALLS)]
fn sync_number_wx_api() {
    run("loopSyncNumber(1000)");
}

#[divan::bench(items_count = CALLS)]
fn sync_options_bare_engine_function() {
    run("loopBareOptions(1000)");
}

#[divan::bench(items_count = CALLS)]
fn sync_options_wx_api() {
    run("loopSyncOptions(1000)");
}

#[divan::bench(items_count = CALLS)]
fn async_with_callbacks() {
    run("loopCallbacks(1000)");
}

#[divan::bench(items_count = CALLS)]
fn async_with_promises() {
    run("loopPromises(1000)");
}
