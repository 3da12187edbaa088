//! `wx.request` costs, each beside two baselines of the same run against a local
//! hyper server: the same requests made with reqwest directly (no engine), and
//! made from JS through a bare engine binding of reqwest (`bareRequest(url,
//! success)`: what a host written by hand against rquickjs would do, with the
//! same result object made and called back on the JS thread).
//!
//! Run: `cargo bench -p wx-host --bench network`. BENCHMARKS.md records the ratios.

#[path = "../tests/common/server.rs"]
#[allow(dead_code)]
mod server;

use rquickjs::{Array, Ctx, Function, Object, Persistent};
use std::cell::RefCell;
use std::sync::{mpsc, Mutex, OnceLock};
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

/// One response as the bare binding's worker hands it to the JS thread.
struct Reply {
    id: usize,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// Where the bare binding's workers send their replies.
fn replies() -> &'static (mpsc::Sender<Reply>, Mutex<mpsc::Receiver<Reply>>) {
    static REPLIES: OnceLock<(mpsc::Sender<Reply>, Mutex<mpsc::Receiver<Reply>>)> = OnceLock::new();
    REPLIES.get_or_init(|| {
        let (sender, receiver) = mpsc::channel();
        (sender, Mutex::new(receiver))
    })
}

/// The keys and values of `wx.request`'s `profile`, for the bare binding to
/// make the same object (read once, outside the timed loop).
fn profile_fields() -> &'static [(String, serde_json::Value)] {
    static FIELDS: OnceLock<Vec<(String, serde_json::Value)>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let profile = serde_json::to_value(wx_apis::network::RequestProfile::default()).unwrap();
        profile.as_object().unwrap().clone().into_iter().collect()
    })
}

/// The bare engine: a runtime and context of its own with `bareRequest`.
struct Bare {
    _runtime: rquickjs::Runtime,
    context: rquickjs::Context,
}

thread_local! {
    static BARE: Bare = {
        let runtime = rquickjs::Runtime::new().unwrap();
        let context = rquickjs::Context::full(&runtime).unwrap();
        context.with(|ctx| {
            let request = Function::new(ctx.clone(), bare_request).unwrap();
            ctx.globals().set("bareRequest", request).unwrap();
            let script = format!(r#"
                const URL = '{}';
                function sequential(n) {{
                    let left = n;
                    const next = () => bareRequest(URL, r => {{ if (r.data.a !== 1) throw 1; if (--left > 0) next() }});
                    next();
                }}
                function parallel(n) {{
                    for (let i = 0; i < n; i++) bareRequest(URL, r => {{ if (r.data.a !== 1) throw 1 }});
                }}
            "#, server().url("/json"));
            ctx.eval::<(), _>(script).unwrap();
        });
        Bare { _runtime: runtime, context }
    };
    /// The callbacks of the bare binding's requests in flight, by id.
    static BARE_CALLBACKS: RefCell<Vec<Option<Persistent<Function<'static>>>>> = const { RefCell::new(Vec::new()) };
}

/// `bareRequest(url, success)`: keeps the callback, hands the exchange to a
/// worker of the same runtime and client the direct baseline uses.
fn bare_request(url: String, success: Function<'_>) -> rquickjs::Result<()> {
    let ctx = success.ctx().clone();
    let saved = Persistent::save(&ctx, success);
    let id = BARE_CALLBACKS.with(|callbacks| {
        let mut callbacks = callbacks.borrow_mut();
        callbacks.push(Some(saved));
        callbacks.len() - 1
    });
    let sender = replies().0.clone();
    runtime().spawn(async move {
        let response = client().get(&url).send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let body = response.text().await.unwrap();
        let _ = sender.send(Reply {
            id,
            status,
            headers,
            body,
        });
    });
    Ok(())
}

/// The object `wx.request` hands `success`, made with rquickjs: the body
/// parsed by the engine's `JSON.parse`, the same keys.
fn bare_result<'js>(ctx: &Ctx<'js>, reply: &Reply) -> rquickjs::Result<Object<'js>> {
    let result = Object::new(ctx.clone())?;
    result.set("data", ctx.json_parse(reply.body.as_str())?)?;
    result.set("statusCode", reply.status)?;
    let header = Object::new(ctx.clone())?;
    for (name, value) in &reply.headers {
        header.set(name.as_str(), value.as_str())?;
    }
    result.set("header", header)?;
    result.set("cookies", Array::new(ctx.clone())?)?;
    let profile = Object::new(ctx.clone())?;
    for (key, value) in profile_fields() {
        match value {
            serde_json::Value::String(text) => profile.set(key.as_str(), text.as_str())?,
            serde_json::Value::Bool(flag) => profile.set(key.as_str(), *flag)?,
            other => profile.set(key.as_str(), other.as_f64().unwrap_or(0.0))?,
        }
    }
    result.set("profile", profile)?;
    let exception = Object::new(ctx.clone())?;
    exception.set("retryCount", 0)?;
    exception.set("reasons", Array::new(ctx.clone())?)?;
    result.set("exception", exception)?;
    result.set("useHttpDNS", false)?;
    result.set("errMsg", "request:ok")?;
    Ok(result)
}

/// Runs `script` in the bare engine, then delivers replies until `n`
/// callbacks have run (each may start another request).
fn bare_js(script: &str, n: usize) {
    BARE.with(|bare| {
        bare.context.with(|ctx| ctx.eval::<(), _>(script).unwrap());
        let receiver = replies().1.lock().unwrap();
        for _ in 0..n {
            let reply = receiver.recv().unwrap();
            bare.context.with(|ctx| {
                let saved =
                    BARE_CALLBACKS.with(|callbacks| callbacks.borrow_mut()[reply.id].take());
                let callback = saved.unwrap().restore(&ctx).unwrap();
                let result = bare_result(&ctx, &reply).unwrap();
                callback.call::<_, ()>((result,)).unwrap();
            });
        }
        BARE_CALLBACKS.with(|callbacks| callbacks.borrow_mut().clear());
    });
}

#[divan::bench(items_count = N)]
fn sequential_bare_engine_reqwest() {
    bare_js("sequential(100)", N);
}

#[divan::bench(items_count = N)]
fn in_flight_100_bare_engine_reqwest() {
    bare_js("parallel(100)", N);
}
