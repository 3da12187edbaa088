//! The reference host through its library: JS in QuickJS against APIs declared
//! right here (so they are in `wx` only because the registry collected them).

use serde::{Deserialize, Serialize};
use std::time::Duration;
use wx_core::{wx_async, wx_event, wx_sync, App, EventSink, JsonSchema, Task, Value, WxError};

mod common;

use common::*;

/// Declared only in this test: `wx.testOnlySync(x)` doubles `x`.
#[wx_sync]
fn test_only_sync(x: f64) -> f64 {
    x * 2.0
}

#[derive(Deserialize, JsonSchema)]
struct EchoOptions {
    value: Value,
    delay: Option<u64>,
    error: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct Echoed {
    value: Value,
}

/// Echoes `value` after `delay` ms, or fails with `error`.
#[wx_async]
async fn test_echo(opts: EchoOptions) -> Result<Echoed, WxError> {
    tokio::time::sleep(Duration::from_millis(opts.delay.unwrap_or(0))).await;
    match opts.error {
        Some(reason) => Err(WxError::new(reason)),
        None => Ok(Echoed { value: opts.value }),
    }
}

/// Panics, for the containment tests.
#[wx_sync]
fn test_panic_sync() -> u8 {
    panic!("native bug")
}

/// Panics inside the future.
#[wx_async]
async fn test_panic_async() {
    tokio::task::yield_now().await;
    panic!("async bug")
}

#[derive(Serialize, JsonSchema)]
struct Progress {
    progress: u32,
}

#[derive(Deserialize, JsonSchema)]
struct TaskOptions {
    steps: u32,
}

/// A task: progress events, `abort()`, and a `note(text)` method echoed at the end.
#[wx_async(
    task = "TestTask",
    events(on_progress_update(wx_core::Value)),
    methods(note)
)]
async fn test_task(mut task: Task, opts: TaskOptions) -> Result<Echoed, WxError> {
    let mut notes = Vec::new();
    for step in 1..=opts.steps {
        let tick = tokio::time::sleep(Duration::from_millis(5));
        tokio::pin!(tick);
        loop {
            tokio::select! {
                _ = &mut tick => break,
                Some(m) = task.next_message() => notes.push(m.args.into_iter().next().unwrap_or_default()),
            }
        }
        task.emit(
            "onProgressUpdate",
            &Progress {
                progress: step * 100 / opts.steps,
            },
        );
    }
    Ok(Echoed {
        value: Value::Array(notes),
    })
}

#[derive(Serialize, JsonSchema)]
struct Beat {
    n: u32,
}

/// Beats every 2 ms while anyone listens.
#[wx_event]
async fn on_test_beat(_app: &App, sink: EventSink<Beat>) {
    for n in 0.. {
        sink.emit(&Beat { n });
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn app() -> App {
    App::builder("wx-test").data_dir(data_dir("host")).build()
}

fn run(source: &str) -> Run {
    run_with(app(), source)
}

fn run_for(source: &str, limit: Option<Duration>) -> Run {
    run_limited(app(), source, limit)
}

#[test]
fn apis_declared_anywhere_appear_in_wx() {
    let r = run("console.log(typeof wx.testOnlySync, wx.testOnlySync(21), typeof wx.login, typeof wx.offTestBeat)");
    assert_eq!(r.stdout, "function 42 function function\n");
}

#[test]
fn async_callbacks_in_order_with_the_same_object() {
    let r = run(r#"
        wx.testEcho({ value: { a: [1, 'x'] }, delay: 1,
            success(res) { console.log('success', res) },
            fail(res) { console.log('fail', res) },
            complete(res) { console.log('complete', res) } });
        wx.testEcho({ value: 0, error: 'data not found',
            fail(res) { console.log('fail', res.errMsg) }, complete(res) { console.log('complete', res.errMsg) } });
        console.log('returned synchronously');
    "#);
    // Each call's complete follows its own success/fail with the same object; the two
    // calls are independent, so either may settle first.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "returned synchronously");
    let mut pairs: Vec<[&str; 2]> = lines[1..].chunks(2).map(|p| [p[0], p[1]]).collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            [
                "fail testEcho:fail data not found",
                "complete testEcho:fail data not found"
            ],
            [
                "success { errMsg: 'testEcho:ok', value: { a: [ 1, 'x' ] } }",
                "complete { errMsg: 'testEcho:ok', value: { a: [ 1, 'x' ] } }"
            ],
        ]
    );
    assert_eq!(r.uncaught, 0);
    assert_eq!(
        r.retained, 0,
        "callbacks are released once their call settles"
    );
}

#[test]
fn promise_mode_when_no_callback_is_a_function() {
    let r = run(r#"
        const p = wx.testEcho({ value: 'v' });
        console.log(p instanceof Promise);
        p.then(res => console.log('resolved', res.errMsg, res.value));
        // WeChat's rule: a Promise only when no callback is truthy; a truthy
        // non-function turns Promise mode off and is simply not called.
        console.log(wx.testEcho({ value: 1, error: 'nope', success: 'not a function' }));
        wx.testEcho({ value: 1, error: 'nope', success: undefined, fail: 0 })
            .catch(err => console.log('rejected', err.errMsg, err.errno));
        (async () => { const r = await wx.testEcho({ value: 3 }); console.log('awaited', r.value) })();
        console.log(wx.testEcho({ value: 1, complete() {} }));
    "#);
    // Three independent calls: they may settle in any order.
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines[3..].sort();
    assert_eq!(
        lines,
        [
            "true",
            "undefined",
            "undefined",
            "awaited 3",
            "rejected testEcho:fail nope undefined",
            "resolved testEcho:ok v"
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn sync_apis_return_or_throw_errors_with_err_msg() {
    let r = run(r#"
        try { wx.testOnlySync('x') } catch (e) {
            console.log(e instanceof Error, e.message);
            console.log(e.errMsg === e.message);
        }
    "#);
    assert_eq!(
        r.stdout,
        "true testOnlySync:fail parameter error: parameter.x should be Number instead of String;\ntrue\n"
    );
}

#[test]
fn task_apis_return_their_object_with_abort_events_and_methods() {
    let r = run(r#"
        const task = wx.testTask({ steps: 4,
            success(res) { console.log('success', res.value.join(',')) } });
        console.log(typeof task.abort, typeof task.onProgressUpdate, typeof task.offProgressUpdate, typeof task.note);
        task.onProgressUpdate(res => console.log('progress', res.progress));
        task.note('hello');
        const other = wx.testTask({ steps: 1000 });
        console.log(other instanceof Promise);
        const third = wx.testTask({ steps: 1000, fail(res) { console.log('aborted:', res.errMsg) } });
        setTimeout(() => { third.abort(); third.abort(); other.abort() }, 12);
    "#);
    // The abort lands between progress events; everything else is in order.
    let without_abort: String = r
        .stdout
        .lines()
        .filter(|l| !l.starts_with("aborted"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        without_abort,
        "function function function function\nfalse\nprogress 25\nprogress 50\nprogress 75\nprogress 100\nsuccess hello\n"
    );
    assert!(r.stdout.contains("aborted: testTask:fail abort\n"));
    assert!(
        r.stdout.ends_with("progress 100\nsuccess hello\n"),
        "{}",
        r.stdout
    );
    assert_eq!(r.uncaught, 0, "{}", r.stderr);
    assert_eq!(r.retained, 0);
}

#[test]
fn listeners_match_by_identity_and_keep_the_loop_alive() {
    let r = run(r#"
        let a = 0, b = 0;
        function listenA(res) { a++ }
        const listenB = res => { b++; if (b === 5) { wx.offTestBeat(listenB); wx.offTestBeat(listenA); done() } };
        wx.onTestBeat(listenA);
        wx.onTestBeat(listenB);
        wx.offTestBeat(function listenA() {});  // a different function: removes nothing
        function done() { setTimeout(() => console.log('a>=5', a >= 5, 'b', b), 20) }
    "#);
    assert_eq!(r.stdout, "a>=5 true b 5\n");
    assert_eq!(r.retained, 0, "listeners released after off");
}

#[test]
fn a_live_source_runs_until_closed_by_the_limit() {
    let r = run_for(
        "wx.onTestBeat(res => { if (res.n === 3) console.log('beat 3') })",
        Some(Duration::from_millis(300)),
    );
    assert_eq!(r.stdout, "beat 3\n");
}

#[test]
fn exceptions_in_callbacks_are_reported_and_the_loop_goes_on() {
    let r = run(r#"
        wx.testEcho({ value: 1, success() { throw new Error('in success') }, complete() { console.log('complete ran') } });
        setTimeout(() => console.log('timer ran'), 5);
    "#);
    assert_eq!(r.stdout, "complete ran\ntimer ran\n");
    assert!(
        r.stderr
            .starts_with("Uncaught Error: in success\n    at success (test.js:2:"),
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 1);
}

#[test]
fn panics_surface_as_errors_and_the_next_call_works() {
    let r = run(r#"
        try { wx.testPanicSync() } catch (e) { console.log(e.message) }
        try { wx.testPanicSync() } catch (e) { console.log('again:', e.message) }
        wx.testPanicAsync({ fail(res) { console.log(res.errMsg); console.log(wx.testOnlySync(1)) } });
    "#);
    assert_eq!(
        r.stdout,
        "testPanicSync:fail internal error: native bug\nagain: testPanicSync:fail internal error: native bug\ntestPanicAsync:fail internal error: async bug\n2\n"
    );
}

#[test]
fn unhandled_rejections_are_reported_like_wechat() {
    let r = run(
        "wx.testEcho({ value: 1, error: 'x' }); Promise.reject(new Error('y')).catch(() => {});",
    );
    assert_eq!(
        r.stderr,
        "Uncaught (in promise) { errMsg: 'testEcho:fail x' }\n"
    );
    assert_eq!(r.uncaught, 1);
}

#[test]
fn values_keep_their_js_types_through_a_round_trip() {
    let r = run(r#"
        const value = { s: 's', n: 1.5, z: -0, t: true, nul: null, arr: [1, [2]], d: new Date(86400000),
                        buf: new Uint8Array([1, 2, 255]).buffer, nested: { deep: { er: 'x' } } };
        wx.testEcho({ value }).then(res => {
            const v = res.value;
            console.log(typeof v.s, v.n, Object.is(v.z, -0), v.t, v.nul, JSON.stringify(v.arr));
            console.log(v.d instanceof Date, v.d.toISOString());
            console.log(v.buf instanceof ArrayBuffer, Array.from(new Uint8Array(v.buf)).join(','));
            console.log(v.nested.deep.er, 'u' in v);
        });
    "#);
    assert_eq!(
        r.stdout,
        "string 1.5 true true null [1,[2]]\ntrue 1970-01-02T00:00:00.000Z\ntrue 1,2,255\nx false\n"
    );
}

/// Results with the same keys, one after another (the host keeps their
/// shapes for the next one): each is its own plain object, and what user code
/// does to one never shows in the next; many different key sets, and one
/// with more keys than are kept, come out whole.
#[test]
fn results_with_the_same_keys_are_independent_objects() {
    let r = run(r#"
        const got = [];
        const big = {};
        for (let k = 0; k < 100; k++) big['k' + k] = k;
        function next(i) {
            if (i === 5) return report();
            wx.testEcho({ value: { a: i, b: { c: i }, big }, success: r => {
                const v = r.value;
                if (i === 1) { delete v.a; v.z = 1; Object.freeze(v.b); delete v.big.k0; }
                if (i === 2) { Object.defineProperty(v, 'a', { value: 'x', writable: false, enumerable: false }); Object.setPrototypeOf(v, null); }
                got.push(v);
                next(i + 1);
            } });
        }
        function report() {
            for (const v of got) {
                const proto = Object.getPrototypeOf(v) === Object.prototype ? 'plain' : 'changed';
                console.log(Object.keys(v).join(), v.a, v.b.c, Object.isFrozen(v.b), proto, Object.keys(v.big).length, v.big.k99);
            }
            let whole = 0, left = 3000;
            for (let i = 0; i < 3000; i++) {
                wx.testEcho({ value: { ['only' + i]: i, same: 1 }, success: r => {
                    const keys = Object.keys(r.value);
                    if (keys.length === 2 && keys[0] === 'only' + i && r.value['only' + i] === i && r.value.same === 1) whole++;
                    if (--left === 0) console.log('whole', whole);
                } });
            }
        }
        next(0);
    "#);
    assert_eq!(
        r.stdout,
        "a,b,big 0 0 false plain 100 99\n\
         b,big,z undefined 1 true plain 99 99\n\
         b,big x 2 false changed 100 99\n\
         a,b,big 3 3 false plain 100 99\n\
         a,b,big 4 4 false plain 100 99\n\
         whole 3000\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 0);
}

#[test]
fn circular_arguments_fail_the_call_as_a_parameter_error() {
    let r = run(r#"
        const o = {}; o.o = o;
        wx.testEcho({ value: o, fail: e => console.log(e.errno, e.errMsg) });
        try { wx.testOnlySync(o) } catch (e) { console.log(e.errno, e.message) }
    "#);
    assert_eq!(
        r.stdout,
        "1001 testOnlySync:fail parameter error: the arguments nest too deep (or are circular)\n\
         1001 testEcho:fail parameter error: the arguments nest too deep (or are circular)\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.retained, 0);
}

#[test]
fn callbacks_re_enter_wx() {
    let r = run(r#"
        wx.testEcho({ value: 1, success() {
            wx.testEcho({ value: 2, success(res) { console.log('inner', res.value, wx.testOnlySync(res.value)) } });
        } });
    "#);
    assert_eq!(r.stdout, "inner 2 4\n");
}

#[test]
fn can_i_use_answers_from_the_registry() {
    let r = run(
        r#"console.log(wx.canIUse('testEcho.object.delay'), wx.canIUse('testEcho.success.value'),
        wx.canIUse('TestTask.abort'), wx.canIUse('TestTask.onProgressUpdate'), wx.canIUse('testEcho.object.nope'),
        wx.canIUse('onTestBeat.callback.n'))"#,
    );
    assert_eq!(r.stdout, "true true true true false true\n");
}

#[test]
fn the_link_anchor_keeps_wx_apis_registrations() {
    // `run` calls wx_host::link_apis() (that is, wx_apis::link()): without a
    // reference, a static build may drop wx-apis' registrations entirely.
    let r = run("console.log(typeof wx.canIUse, wx.canIUse('getStorageSync'), wx.canIUse('request.object.method.HEAD'), wx.canIUse('request.object.method.PATCH'))");
    assert_eq!(r.stdout, "function true true false\n");
}

#[derive(Serialize, JsonSchema)]
struct WorkerMessage {
    message: Value,
}

/// `wx.createTestWorker(path)`: a sync API returning an object, like `wx.createWorker`.
#[wx_sync(
    task = "TestWorker",
    events(on_message(wx_core::Value)),
    methods(post_message, terminate)
)]
fn create_test_worker(app: &App, mut task: Task, _path: String) {
    app.runtime().spawn(async move {
        while let Some(message) = task.next_message().await {
            if message.method == "terminate" {
                return;
            }
            let message = message.args.into_iter().next().unwrap_or_default();
            task.emit("onMessage", &WorkerMessage { message });
        }
    });
}

#[test]
fn sync_apis_can_return_objects() {
    let r = run(r#"
        const worker = wx.createTestWorker('workers/index.js');
        console.log(typeof worker.postMessage, typeof worker.onMessage, typeof worker.abort);
        worker.onMessage(res => {
            console.log('echo', res.message.n);
            if (res.message.n === 2) worker.terminate();
        });
        worker.postMessage({ n: 1 });
        worker.postMessage({ n: 2 });
    "#);
    assert_eq!(r.stdout, "function function undefined\necho 1\necho 2\n");
    assert_eq!(r.retained, 0);
}

#[test]
fn a_runaway_allocation_fails_the_script_not_the_host() {
    let console = wx_host::CapturedConsole::default();
    let program = wx_host::MiniProgram::new(app(), console.clone()).unwrap();
    program.set_memory_limit(32 * 1024 * 1024);
    // Out of memory even the exception cannot be built: the script ends uncaught.
    assert!(!program.eval(
        "oom.js",
        // Inside a function, so the array is garbage once the script has failed
        // (a top-level `const` would stay reachable for good).
        "(() => { const a = []; for (;;) a.push('x'.repeat(1024) + a.length) })()"
    ));
    assert!(
        console.stderr().starts_with("Uncaught"),
        "{}",
        console.stderr()
    );
    // The host lives on, and once the heap is collected the next script runs.
    program.context().with(|ctx| ctx.run_gc());
    assert!(program.eval(
        "next.js",
        "console.log('still running', wx.canIUse('login'))"
    ));
    program.run(None);
    assert_eq!(console.stdout(), "still running true\n");
}

/// Runs in a child process (the panic hook is process-wide): contained panics
/// print nothing themselves; their place reaches the host's diagnostics.
#[test]
fn contained_panics_print_nothing_and_reach_diagnostics_with_their_place() {
    if std::env::var_os("WX_PANIC_CHILD").is_some() {
        wx_core::install_quiet_panic_hook();
        let app = App::builder("wx-panic-child")
            .data_dir(data_dir("panic-child"))
            .service(wx_core::Diagnostics::new(|api, detail| {
                println!("diagnostic {api}: {detail}")
            }))
            .build();
        let r = run_with(
            app,
            "try { wx.testPanicSync() } catch (e) { console.log(e.message) }
             wx.testPanicAsync({ fail: e => console.log(e.errMsg) })",
        );
        print!("{}", r.stdout);
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "contained_panics_print_nothing_and_reach_diagnostics_with_their_place",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WX_PANIC_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        !stderr.contains("panicked"),
        "the raw panic text reached stderr:\n{stderr}"
    );
    for line in [
        "testPanicSync:fail internal error: native bug",
        "testPanicAsync:fail internal error: async bug",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(
        stdout.contains(&format!(
            "diagnostic testPanicSync: panicked at {}:",
            file!()
        )) && stdout.contains(&format!(
            "diagnostic testPanicAsync: panicked at {}:",
            file!()
        )),
        "{stdout}"
    );
}

/// Every shape the one encoding knows, as a result: nested structs, an enum's
/// variants, a map with number keys, `None`, `()`, and through a `Value` a
/// `Date` and an `ArrayBuffer`.
#[derive(Serialize, JsonSchema)]
struct EveryShape {
    nested: Vec<Option<Kind>>,
    by_number: std::collections::BTreeMap<u32, String>,
    nothing: (),
    date: Value,
    bytes: Value,
    #[serde(rename = "statusCode")]
    status: u16,
}

#[derive(Serialize, JsonSchema)]
enum Kind {
    Unit,
    Pair(u8, i64),
    Named { at: f64 },
}

fn every_shape() -> EveryShape {
    EveryShape {
        nested: vec![
            Some(Kind::Unit),
            Some(Kind::Pair(1, -2)),
            Some(Kind::Named { at: -0.0 }),
            None,
        ],
        by_number: [(2, "two".to_owned()), (10, "ten".to_owned())].into(),
        nothing: (),
        date: Value::Date(86_400_000.0),
        bytes: Value::ArrayBuffer(vec![1, 2, 255]),
        status: 200,
    }
}

/// `wx.testShapesSync()`: the result written straight into JS objects.
#[wx_sync]
fn test_shapes_sync() -> EveryShape {
    every_shape()
}

/// `wx.testShapes()`: the same, encoded on a worker and replayed into JS.
#[wx_async]
async fn test_shapes() -> EveryShape {
    tokio::task::yield_now().await;
    every_shape()
}

/// A result whose own `Serialize` fails (or panics) partway through.
struct Refuses {
    panic: bool,
}

impl Serialize for Refuses {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeStruct};
        let mut object = s.serialize_struct("Refuses", 2)?;
        object.serialize_field("first", "made")?;
        if self.panic {
            panic!("serialize bug");
        }
        Err(S::Error::custom("no second field"))
    }
}

impl JsonSchema for Refuses {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Refuses".into()
    }
    fn json_schema(_: &mut wx_core::schemars::SchemaGenerator) -> wx_core::schemars::Schema {
        wx_core::schemars::json_schema!({ "type": "object" })
    }
}

#[wx_sync]
fn test_refuses_sync(panic: bool) -> Refuses {
    Refuses { panic }
}

#[derive(Deserialize, JsonSchema)]
struct RefusesOptions {
    panic: bool,
}

#[wx_async]
async fn test_refuses(opts: RefusesOptions) -> Refuses {
    tokio::task::yield_now().await;
    Refuses { panic: opts.panic }
}

#[test]
fn results_of_every_shape_reach_js_whole_from_sync_and_async_apis() {
    let r = run(r#"
        const show = (label, v) => console.log(label, JSON.stringify(v.nested), JSON.stringify(v.by_number),
            'nothing' in v, v.nothing, v.date instanceof Date && v.date.toISOString(),
            v.bytes instanceof ArrayBuffer && Array.from(new Uint8Array(v.bytes)).join(','),
            Object.is(v.nested[2].Named.at, -0), v.statusCode, Object.keys(v).join());
        show('sync', wx.testShapesSync());
        wx.testShapes({ success: v => show('async', v) });
    "#);
    let line = |label: &str| {
        format!(
            "{label} [\"Unit\",{{\"Pair\":[1,-2]}},{{\"Named\":{{\"at\":0}}}},null] {{\"2\":\"two\",\"10\":\"ten\"}} \
             true undefined 1970-01-02T00:00:00.000Z 1,2,255 true 200 {}\n",
            if label == "sync" {
                "nested,by_number,nothing,date,bytes,statusCode"
            } else {
                "errMsg,nested,by_number,nothing,date,bytes,statusCode"
            }
        )
    };
    assert_eq!(r.stdout, format!("{}{}", line("sync"), line("async")));
    assert_eq!(r.stderr, "");
}

#[test]
fn a_result_its_serialize_refuses_fails_the_call_with_why() {
    let r = run(r#"
        for (const panic of [false, true]) {
            try { console.log(wx.testRefusesSync(panic)) } catch (e) { console.log(e.message) }
        }
        wx.testRefuses({ panic: false, fail: r => {
            console.log(r.errMsg, 'first' in r);
            wx.testRefuses({ panic: true }).catch(r => console.log(r.errMsg, 'first' in r));
        } });
    "#);
    assert_eq!(
        r.stdout,
        "testRefusesSync:fail internal error: result: no second field\n\
         testRefusesSync:fail internal error: serialize bug\n\
         testRefuses:fail internal error: result: no second field false\n\
         testRefuses:fail internal error: serialize bug false\n"
    );
}
