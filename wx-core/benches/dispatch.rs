//! Dispatch costs of the framework, each beside a baseline from the same run.
//!
//! Run: `cargo bench -p wx-core --bench dispatch`. BENCHMARKS.md records the
//! ratios (dispatch / baseline).

use serde::Serialize;
use std::sync::mpsc;
use std::sync::OnceLock;
use wx_core::{
    from_value_ref, to_value, wx_async, wx_event, wx_sync, App, Delivery, EventSink, FunctionId,
    Host, JsonSchema, Object, Value,
};

fn main() {
    divan::main();
}

/// Echoes its argument: the same work the baseline does by hand.
#[wx_sync]
fn bench_echo_sync(key: String) -> String {
    key
}

/// Does nothing, asynchronously.
#[wx_async]
async fn bench_noop() {}

#[derive(Serialize, JsonSchema, Clone)]
struct Tick {
    n: u32,
}

/// A source that emits only when the benchmark asks it to.
#[wx_event]
async fn on_bench_tick(_app: &App, sink: EventSink<Tick>) {
    let _ = SINK.set(sink);
    std::future::pending::<()>().await
}

static SINK: OnceLock<EventSink<Tick>> = OnceLock::new();

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| Host::new(App::builder("bench").build()).unwrap())
}

mod sync_call {
    use super::*;

    fn args() -> Vec<Value> {
        vec![Value::from("some-storage-key")]
    }

    /// Baseline: the same decode, call and encode, without the registry.
    #[divan::bench]
    fn direct(bencher: divan::Bencher) {
        let args = args();
        bencher.bench_local(|| {
            let args = divan::black_box(args.clone());
            let key: String = from_value_ref(&args[0]).unwrap();
            to_value(&bench_echo_sync(key)).unwrap()
        });
    }

    /// The floor of any registry that keeps the project's rules: the same
    /// work behind a function pointer (what a table of APIs holds) and inside
    /// `catch_unwind` (a panic must not cross the boundary).
    #[divan::bench]
    fn direct_contained(bencher: divan::Bencher) {
        fn call(args: Vec<Value>) -> Value {
            let key: String = from_value_ref(&args[0]).unwrap();
            to_value(&bench_echo_sync(key)).unwrap()
        }
        let call: fn(Vec<Value>) -> Value = divan::black_box(call);
        let args = args();
        bencher.bench_local(|| {
            let args = divan::black_box(args.clone());
            std::panic::catch_unwind(move || call(args)).unwrap()
        });
    }

    /// Through `Host::call_api` with the API resolved once, as a JS host does.
    #[divan::bench]
    fn dispatch_resolved(bencher: divan::Bencher) {
        let host = host();
        let api = host.registry().get("benchEchoSync").unwrap();
        let args = args();
        bencher.bench_local(|| host.call_api(api, divan::black_box(args.clone())).unwrap());
    }

    /// Through `Host::call` by name.
    #[divan::bench]
    fn dispatch(bencher: divan::Bencher) {
        let host = host();
        let args = args();
        bencher.bench_local(|| {
            host.call("benchEchoSync", divan::black_box(args.clone()))
                .unwrap()
        });
    }
}

mod async_call {
    use super::*;

    const BATCH: usize = 1000;

    fn options() -> Value {
        let mut map = Object::new();
        map.insert("success".into(), Value::Function(FunctionId(1)));
        Value::from(map)
    }

    /// Baseline: a sync no-op through the same host, per call.
    #[divan::bench(items_count = BATCH)]
    fn sync_noop_baseline(bencher: divan::Bencher) {
        let host = host();
        let args = vec![Value::from("k")];
        bencher.bench_local(|| {
            for _ in 0..BATCH {
                host.call("benchEchoSync", divan::black_box(args.clone()))
                    .unwrap();
            }
        });
    }

    /// 1000 async no-op calls with a success callback, each settled and delivered.
    #[divan::bench(items_count = BATCH)]
    fn settled_calls(bencher: divan::Bencher) {
        let host = host();
        let options = options();
        bencher.bench_local(|| {
            for _ in 0..BATCH {
                host.call("benchNoop", vec![options.clone()]).unwrap();
            }
            let mut settled = 0;
            while settled < BATCH {
                if let Some(Delivery::Settle(_)) = host.next(None) {
                    settled += 1;
                }
            }
        });
    }
}

mod event_emit {
    use super::*;

    const EVENTS: usize = 100;

    fn listening(listeners: u64) -> &'static EventSink<Tick> {
        let host = host();
        host.call("offBenchTick", vec![]).unwrap();
        for id in 0..listeners {
            host.call("onBenchTick", vec![Value::Function(FunctionId(100 + id))])
                .unwrap();
        }
        while host.try_next().is_some() {}
        while SINK.get().is_none() {
            std::thread::yield_now();
        }
        SINK.get().unwrap()
    }

    /// Baseline: the same payload encoded as an emit encodes it (`Encoded`)
    /// and sent through a channel.
    #[divan::bench(items_count = EVENTS)]
    fn channel_baseline(bencher: divan::Bencher) {
        let (tx, rx) = mpsc::channel();
        bencher.bench_local(|| {
            for n in 0..EVENTS as u32 {
                tx.send(wx_core::Encoded::of(&Tick { n }).unwrap()).unwrap();
            }
            for _ in 0..EVENTS {
                divan::black_box(rx.recv().unwrap());
            }
        });
    }

    /// Emit through an `EventSink` and receive the delivery (listener snapshot included).
    #[divan::bench(items_count = EVENTS, args = [1, 10, 100, 10_000])]
    fn to_listeners(bencher: divan::Bencher, listeners: u64) {
        let sink = listening(listeners);
        let host = host();
        bencher.bench_local(|| {
            for n in 0..EVENTS as u32 {
                sink.emit(&Tick { n });
            }
            let mut got = 0;
            while got < EVENTS {
                if let Some(Delivery::Event { listeners, .. }) = host.next(None) {
                    divan::black_box(listeners);
                    got += 1;
                }
            }
        });
    }
}
