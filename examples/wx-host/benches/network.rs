//! `wx.request` costs, each beside the same requests made with reqwest directly
//! in the same run, against a local hyper server.
//!
//! Run: `cargo bench -p wx-host --bench network`. BENCHMARKS.md records the ratios.

#[path = "../tests/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::sync::OnceLock;
use wx_core::App;
use wx_host::{CapturedConsole, MiniProgram};

fn main() {
    divan::main();
}

const N: usize = 100;

fn server() -> &'static server::Server {
    static SERVER: OnceLock<server::Server> = OnceLock::new();
    SERVER.get_or_init(server::http)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

thread_local! {
    static PROGRAM: MiniProgram = {
        wx_host::link_apis();
        let dir = std::env::temp_dir().join(format!("wx-bench-net-{}", std::process::id()));
        let program = MiniProgram::new(App::builder("bench").data_dir(dir).build(), CapturedConsole::default()).unwrap();
        program.eval("bench.js", &format!(r#"
            const URL = '{}';
            function sequential(n) {{
                let left = n;
                const next = () => wx.request({{ url: URL, success(r) {{ if (r.data.a !== 1) throw 1; if (--left > 0) next() }} }});
                next();
            }}
            function parallel(n) {{
                for (let i = 0; i < n; i++) wx.request({{ url: URL, success(r) {{ if (r.data.a !== 1) throw 1 }} }});
            }}
        "#, server().url("/json")));
        program
    };
}

fn js(script: &str) {
    PROGRAM.with(|program| {
        assert!(program.eval("b.js", script));
        assert_eq!(program.run(None).uncaught_errors, 0);
    });
}

/// One client for the whole run, as the host keeps one per app (connections are reused).
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new)
}

async fn direct_one(client: &reqwest::Client, url: &str) {
    let body: serde_json::Value = client.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["a"], 1);
}

#[divan::bench(items_count = N)]
fn sequential_direct_reqwest() {
    let client = client();
    let url = server().url("/json");
    runtime().block_on(async {
        for _ in 0..N {
            direct_one(client, &url).await;
        }
    });
}

#[divan::bench(items_count = N)]
fn sequential_wx_request_from_js() {
    server();
    js("sequential(100)");
}

#[divan::bench(items_count = N)]
fn in_flight_100_direct_reqwest() {
    let client = client();
    let url = server().url("/json");
    runtime().block_on(async {
        let all = (0..N).map(|_| direct_one(client, &url));
        futures_util::future::join_all(all).await;
    });
}

#[divan::bench(items_count = N)]
fn in_flight_100_wx_request_from_js() {
    server();
    js("parallel(100)");
}
