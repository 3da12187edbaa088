//! A panic anywhere in an API becomes `"<name>:fail internal error: <message>"`
//! and the host lives on.

mod common;

use common::*;
use serde::Serialize;
use std::time::Duration;
use wx_core::{wx_async, wx_event, wx_sync, App, Delivery, EventSink, JsonSchema, Task, Value};

/// Panics on the JS thread.
#[wx_sync]
fn explode_sync(message: String) -> String {
    panic!("{message}")
}

/// Panics before its first await (during the eager poll).
#[wx_async]
async fn explode_now() {
    panic!("boom now")
}

/// Panics on a worker after awaiting.
#[wx_async]
async fn explode_later() {
    tokio::time::sleep(Duration::from_millis(2)).await;
    panic!("boom later")
}

#[derive(Serialize, JsonSchema)]
struct Tick {
    n: u32,
}

/// An event source that emits once and then panics.
#[wx_event]
async fn on_explode(_app: &App, sink: EventSink<Tick>) {
    sink.emit(&Tick { n: 1 });
    tokio::time::sleep(Duration::from_millis(2)).await;
    panic!("source broke")
}

/// A task whose method handler panics.
#[wx_async(task = "FragileTask", methods(poke))]
async fn fragile(mut task: Task) {
    if let Some(message) = task.next_message().await {
        panic!("poked with {:?}", message.args);
    }
}

#[test]
fn sync_panic_becomes_an_error_and_the_next_call_works() {
    let host = host();
    let err = host.call("explodeSync", vec!["kaput".into()]).unwrap_err();
    assert_eq!(
        err.err_msg.as_str(),
        "explodeSync:fail internal error: kaput"
    );
    let err = host.call("explodeSync", vec!["again".into()]).unwrap_err();
    assert_eq!(
        err.err_msg.as_str(),
        "explodeSync:fail internal error: again"
    );
}

#[test]
fn async_panics_settle_as_fail_both_before_and_after_an_await() {
    let host = host();
    let s = settle(&host, "explodeNow", &[]);
    assert_eq!(
        err_msg(&s.result()),
        "explodeNow:fail internal error: boom now"
    );
    assert_eq!(s.invocations().collect::<Vec<_>>(), vec![FAIL, COMPLETE]);
    let s = settle(&host, "explodeLater", &[]);
    assert_eq!(
        err_msg(&s.result()),
        "explodeLater:fail internal error: boom later"
    );
    // The runtime's workers survived: a later call still settles.
    let s = settle(&host, "explodeLater", &[]);
    assert!(!s.ok);
}

#[test]
fn an_event_source_panic_is_reported_and_listeners_can_resubscribe() {
    let host = host();
    let listener = Value::Function(wx_core::FunctionId(40));
    host.call("onExplode", vec![listener.clone()]).unwrap();
    let deliveries = drain(&host);
    assert!(
        deliveries
            .iter()
            .any(|d| matches!(d, Delivery::Event { .. })),
        "{deliveries:?}"
    );
    let errors: Vec<_> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Error { err_msg } => Some(err_msg.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(errors, vec!["onExplode:fail internal error: source broke"]);
    // The source ended, so it no longer keeps the host busy; a fresh subscription restarts it.
    assert!(host.is_idle());
    host.call("offExplode", vec![]).unwrap();
    host.call("onExplode", vec![listener]).unwrap();
    let deliveries = drain(&host);
    assert_eq!(
        deliveries
            .iter()
            .filter(|d| matches!(d, Delivery::Error { .. }))
            .count(),
        1
    );
}

#[test]
fn a_panic_handling_an_object_method_settles_the_call() {
    let host = host();
    let returned = host.call("fragile", vec![with_callbacks(&[])]).unwrap();
    let wx_core::Returned::Object(object) = returned else {
        panic!("{returned:?}")
    };
    host.call_method(object, "poke", vec![1.into()]).unwrap();
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        err_msg(&s.result()),
        "fragile:fail internal error: poked with [Number(1.0)]"
    );
    // Methods of an ended object are no-ops, as in WeChat.
    assert_eq!(
        host.call_method(object, "poke", vec![]).unwrap(),
        Value::Undefined
    );
}

#[derive(serde::Deserialize, JsonSchema)]
struct TwinOptions {
    mode: String,
}

#[derive(Serialize, JsonSchema)]
struct TwinResult {
    data: String,
}

/// An async API with a Sync twin that can finish at once, wait, or panic
/// before or after waiting.
#[wx_async(sync(mode), sync_result = data)]
async fn twin_probe(opts: TwinOptions) -> TwinResult {
    if opts.mode.starts_with("wait") {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    if opts.mode.ends_with("panic") {
        panic!("twin {}", opts.mode);
    }
    TwinResult {
        data: format!("done {}", opts.mode),
    }
}

#[test]
fn a_sync_twin_waits_for_its_future_and_contains_its_panics() {
    let host = host();
    let now = host.call("twinProbeSync", vec!["now".into()]);
    assert_eq!(now.unwrap(), wx_core::Returned::Value("done now".into()));
    // Its future pends on the first poll and is driven to the end here.
    let waited = host.call("twinProbeSync", vec!["wait".into()]);
    assert_eq!(
        waited.unwrap(),
        wx_core::Returned::Value("done wait".into())
    );
    for mode in ["panic", "wait-panic"] {
        let err = host.call("twinProbeSync", vec![mode.into()]).unwrap_err();
        assert_eq!(
            err.err_msg.as_str(),
            format!("twinProbeSync:fail internal error: twin {mode}")
        );
    }
    // The host lives on.
    let again = host.call("twinProbeSync", vec!["now".into()]);
    assert_eq!(again.unwrap(), wx_core::Returned::Value("done now".into()));
}

#[test]
fn a_sync_twin_that_must_wait_inside_an_async_task_fails_instead_of_deadlocking() {
    let host = host();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let (now, waited) = runtime.block_on(async {
        (
            host.call("twinProbeSync", vec!["now".into()]),
            host.call("twinProbeSync", vec!["wait".into()]),
        )
    });
    assert_eq!(now.unwrap(), wx_core::Returned::Value("done now".into()));
    assert_eq!(
        waited.unwrap_err().err_msg.as_str(),
        "twinProbeSync:fail internal error: a Sync API cannot wait inside an async task; call its async form"
    );
}
