//! Calls from JavaScript, each beside a baseline from the same run.
//!
//! Run: `cargo bench -p wx-host --bench js_calls`. BENCHMARKS.md records the ratios.

use rquickjs::{Function, Persistent};
use std::cell::RefCell;
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
        program.context().with(|ctx| {
            // The async baselines: a native function that keeps the callback
            // (or makes a Promise and keeps its resolve), and a later turn
            // that calls it with `{ errMsg }`, as a host's loop would.
            let bare = Function::new(ctx.clone(), bare_async).unwrap();
            ctx.globals().set("bareAsync", bare).unwrap();
            let bare = Function::new(ctx.clone(), bare_async_promise).unwrap();
            ctx.globals().set("bareAsyncPromise", bare).unwrap();
        });
        program.eval("bench.js", include_str!("js_calls.js"));
        program
    };
    /// What the bare async functions were handed, to call back on the next turn.
    static BARE_PENDING: RefCell<Vec<Persistent<Function<'static>>>> = const { RefCell::new(Vec::new()) };
}

fn run(script: &str) {
    static CHECKED: OnceLock<()> = OnceLock::new();
    PROGRAM.with(|program| {
        assert!(program.eval("bench.js", script));
        let outcome = program.run(None);
        CHECKED.get_or_init(|| assert_eq!(outcome.uncaught_errors, 0));
    });
}

/// Keeps `options.success` for the next turn.
fn bare_async(options: rquickjs::Object<'_>) -> rquickjs::Result<()> {
    let success: Function = options.get("success")?;
    let ctx = success.ctx().clone();
    let saved = Persistent::save(&ctx, success);
    BARE_PENDING.with(|pending| pending.borrow_mut().push(saved));
    Ok(())
}

/// Makes a Promise and keeps its resolve for the next turn.
fn bare_async_promise(ctx: rquickjs::Ctx<'_>) -> rquickjs::Result<rquickjs::Promise<'_>> {
    let (promise, resolve, _reject) = ctx.promise()?;
    let saved = Persistent::save(&ctx, resolve);
    BARE_PENDING.with(|pending| pending.borrow_mut().push(saved));
    Ok(promise)
}

/// Runs an async loop, then (for the baselines) calls back what the bare
/// functions kept, then runs the jobs; checks every call completed.
fn run_async(script: &str) {
    PROGRAM.with(|program| {
        assert!(program.eval("bench.js", &format!("globalThis.lastDone = 0; {script}")));
        program.context().with(|ctx| {
            let pending = BARE_PENDING.with(|pending| std::mem::take(&mut *pending.borrow_mut()));
            for saved in pending {
                let result = rquickjs::Object::new(ctx.clone()).unwrap();
                result.set("errMsg", "bareAsync:ok").unwrap();
                let callback = saved.restore(&ctx).unwrap();
                callback.call::<_, ()>((result,)).unwrap();
            }
        });
        let outcome = program.run(None);
        assert_eq!(outcome.uncaught_errors, 0);
        assert!(program.eval(
            "check.js",
            "if (lastDone !== 1000) throw new Error('not every call completed')"
        ));
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
fn async_bare_engine_callbacks() {
    run_async("loopBareCallbacks(1000)");
}

#[divan::bench(items_count = CALLS)]
fn async_with_callbacks() {
    run_async("loopCallbacks(1000)");
}

#[divan::bench(items_count = CALLS)]
fn async_bare_engine_promises() {
    run_async("loopBarePromises(1000)");
}

#[divan::bench(items_count = CALLS)]
fn async_with_promises() {
    run_async("loopPromises(1000)");
}
