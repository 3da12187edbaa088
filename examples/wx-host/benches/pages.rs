//! Pages and routes, each beside a plain-JS page stack making the same
//! lifecycle calls in the same engine, in the same run.
//!
//! Run: `cargo bench -p wx-host --bench pages`. BENCHMARKS.md records the ratios.

use std::path::PathBuf;
use std::sync::Arc;
use wx_apis::route::PageStack;
use wx_core::App;
use wx_host::{CapturedConsole, Launch, MiniProgram, Package, PageQueue};

fn main() {
    divan::main();
}

fn sample() -> Package {
    Package::open(&PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../todo-app"
    )))
    .unwrap()
}

fn data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("wx-bench-pages-{}", std::process::id()))
}

/// A started program for the sample, launched or not.
fn program(package: &Package, launch: bool) -> MiniProgram {
    wx_host::link_apis();
    let queue = PageQueue::default();
    let app = App::builder("bench-pages")
        .data_dir(data_dir())
        .service(PageStack::new(
            package.pages().clone(),
            Arc::new(queue.clone()),
        ))
        .build();
    let program = MiniProgram::new(app, CapturedConsole::default()).unwrap();
    program.eval("pages.js", include_str!("pages.js"));
    if launch {
        program.launch(package, &queue, &Launch::default()).unwrap();
    }
    program
}

/// Engine start, then a plain-JS launch: App onLaunch/onShow, page onLoad/onShow/onReady.
#[divan::bench]
fn launch_plain_js_stack(bencher: divan::Bencher) {
    let package = sample();
    bencher.bench_local(|| {
        let program = program(&package, false);
        program.eval(
            "launch.js",
            "PlainPage('pages/todos/todos', { data: { todos: [] }, onLoad() { this.data.todos = [1, 2, 3] } }); \
             plainLaunch({ onLaunch() {}, onShow() {} }, 'pages/todos/todos')",
        );
        program
    });
}

/// Engine start, then the sample app launched to its entry page's `onReady`:
/// app.json, app.js, every page module (CommonJS and ES), storage, the route.
#[divan::bench]
fn launch_sample_app(bencher: divan::Bencher) {
    let package = sample();
    bencher.bench_local(|| program(&package, true));
}

const TRIPS: usize = 100;

thread_local! {
    static LAUNCHED: MiniProgram = program(&sample(), true);
}

fn trips(script: &str) {
    LAUNCHED.with(|program| {
        assert!(program.eval("trips.js", script));
        let outcome = program.run(None);
        assert_eq!(outcome.uncaught_errors, 0);
    });
}

/// `plainNavigateTo` + `plainNavigateBack`, awaited, from JS.
#[divan::bench(items_count = TRIPS)]
fn round_trip_plain_js_stack() {
    trips(
        "PlainPage('pages/todos/todos', {}); PlainPage('pages/detail/detail', {}); \
         plainLaunch({}, 'pages/todos/todos'); plainRoundTrips(100)",
    );
}

/// `wx.navigateTo` + `wx.navigateBack`, awaited, from JS: the sample's real pages.
#[divan::bench(items_count = TRIPS)]
fn round_trip_wx_route_apis() {
    trips("wxRoundTrips(100)");
}
