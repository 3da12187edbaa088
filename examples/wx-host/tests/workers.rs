//! Issue 14 (part): `wx.createWorker` runs its script in a QuickJS engine of
//! its own on a thread of its own; messages cross as structured data, in order,
//! both ways; WeChat's limit, missing scripts and `terminate` behave as its
//! base library has them.

mod common;
use common::{cli, data_dir, run_package, text, write_package, PackageRun};
use wx_host::Launch;

const WORKER: &str = r#"
const double = require('./lib/double')
let received = 0
worker.onMessage(msg => {
  received++
  if (msg.boom) throw new Error('worker boom')
  if (msg.spin) { worker.postMessage('spinning'); while (true) {} }
  if (msg.later) { setTimeout(() => Promise.resolve().then(() => worker.postMessage({ later: true, received })), 20); return }
  worker.postMessage({ echo: msg, doubled: double(msg.n || 0), bytes: new Uint8Array([1, 2, 3]).buffer })
})
worker.onMessage(msg => { if (msg.n === 1) worker.postMessage('second handler too') })
"#;

fn package(name: &str) -> std::path::PathBuf {
    write_package(
        name,
        &[
            (
                "app.json",
                r#"{ "pages": ["pages/a/a"], "workers": "workers" }"#,
            ),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
            ("workers/index.js", WORKER),
            ("workers/lib/double.js", "module.exports = n => n * 2"),
            ("outside.js", "worker.postMessage('should never run')"),
        ],
    )
}

fn run(name: &str, test: &str) -> PackageRun {
    run_package(&package(name), Launch::default(), test)
}

const HELPERS: &str = r#"
const sleep = ms => new Promise(r => setTimeout(r, ms));
const until = async (cond, ms = 3000) => { const end = Date.now() + ms; while (!cond() && Date.now() < end) await sleep(5) };
"#;

#[test]
fn messages_cross_both_ways_in_order_as_structured_data() {
    let run = run(
        "worker-messages",
        &(HELPERS.to_owned()
            + r#"
        const w = wx.createWorker('workers/index.js')
        const got = []
        w.onMessage(() => got.push('replaced'))
        w.onMessage(m => got.push(m))          // a single slot: the last handler wins
        for (let n = 1; n <= 20; n++) w.postMessage({ n, nested: { list: [n, 'x', null], flag: true } })
        await until(() => got.length >= 21)
        expect(got.includes('replaced')).toBe(false)
        expect(got[0].echo).toEqual({ n: 1, nested: { list: [1, 'x', null], flag: true } })
        expect(got[1]).toBe('second handler too')  // the worker side appends handlers
        expect(got.filter(m => typeof m === 'object').map(m => m.doubled)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 2))
        expect(got[0].bytes instanceof ArrayBuffer).toBe(true)
        expect(Array.from(new Uint8Array(got[0].bytes))).toEqual([1, 2, 3])
        w.postMessage({ later: true })          // timers and Promises inside the worker
        await until(() => got.some(m => m.later))
        expect(got.find(m => m.later).received).toBe(21)
        w.terminate()
    "#),
    );
    run.assert_passed();
}

#[test]
fn a_workers_uncaught_error_reaches_on_error() {
    let run = run(
        "worker-error",
        &(HELPERS.to_owned()
            + r#"
        const w = wx.createWorker('workers/index.js')
        const guard = setTimeout(() => w.terminate(), 3000)   // whatever happens, the run ends
        const errors = []
        w.onError(e => errors.push(e))
        w.postMessage({ boom: true })
        await until(() => errors.length > 0)
        expect(errors[0].message).toBe('worker boom')
        expect(errors[0].stack.includes('workers/index.js:6')).toBe(true)
        w.terminate()
        clearTimeout(guard)
    "#),
    );
    run.assert_passed();
}

#[test]
fn the_limit_missing_scripts_and_terminate_behave_as_wechats() {
    let run = run(
        "worker-rules",
        &(HELPERS.to_owned()
            + r#"
        const w = wx.createWorker('/workers/index.js')           // a leading / is the package root
        expect(typeof w).toBe('object')
        expect(wx.createWorker('workers/index.js')).toBe(undefined)   // one live worker at most
        const got = []
        w.onMessage(m => got.push(m))
        w.postMessage({ spin: true })                            // a loop that never yields
        await until(() => got.includes('spinning'))
        w.terminate()                                             // stops it anyway
        w.terminate()                                             // twice is harmless
        w.postMessage({ n: 5 })                                   // after terminate: nothing
        await sleep(100)
        expect(got).toEqual(['spinning'])
        const again = wx.createWorker('workers/index.js')         // the slot is free again
        expect(typeof again).toBe('object')
        again.terminate()
        expect(wx.createWorker('workers/nope.js')).toBe(undefined)
        expect(wx.createWorker('outside.js')).toBe(undefined)     // not in the workers folder
    "#),
    );
    run.assert_passed();
    assert_eq!(
        run.stderr,
        "createWorker: exceed max concurrent workers limit.\n\
         createWorker: Worker \"workers/nope.js\" does not exists.\n\
         createWorker: Worker \"outside.js\" does not exists.\n"
    );
}

#[test]
fn a_live_worker_keeps_the_host_running_until_terminated() {
    let dir = package("worker-exit");
    let test = dir.join("exit.test.js");
    std::fs::write(
        &test,
        "const w = wx.createWorker('workers/index.js'); setTimeout(() => { console.log('terminating'); w.terminate() }, 300)",
    )
    .unwrap();
    let data = data_dir("worker-exit");
    let started = std::time::Instant::now();
    let output = cli(&[
        dir.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("terminating"));
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    // Never terminated: only --for ends the run.
    std::fs::write(&test, "wx.createWorker('workers/index.js')").unwrap();
    let started = std::time::Instant::now();
    let output = cli(&[
        dir.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--for",
        "0.5",
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
}
