//! Native objects: an async API that returns a task with `abort()`, its own
//! events and methods.

mod common;

use common::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use wx_core::{wx_async, Delivery, FunctionId, JsonSchema, Returned, Task, Value, WxError};

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct DownloadOptions {
    total_chunks: u32,
    chunk_delay_ms: Option<u64>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Progress {
    progress: u32,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct DownloadResult {
    received: u32,
    notes: Vec<String>,
}

/// A fake download: emits progress per chunk; `note(text)` messages are collected.
#[wx_async(
    task = "FakeDownloadTask",
    events(on_progress_update(wx_core::Value)),
    methods(note)
)]
async fn fake_download(mut task: Task, opts: DownloadOptions) -> Result<DownloadResult, WxError> {
    let mut notes = Vec::new();
    for chunk in 1..=opts.total_chunks {
        let pause = tokio::time::sleep(Duration::from_millis(opts.chunk_delay_ms.unwrap_or(1)));
        tokio::pin!(pause);
        loop {
            tokio::select! {
                _ = &mut pause => break,
                Some(message) = task.next_message() => {
                    let text = message.args.first().and_then(Value::as_str).unwrap_or_default().to_owned();
                    notes.push(text);
                }
            }
        }
        task.emit(
            "onProgressUpdate",
            &Progress {
                progress: chunk * 100 / opts.total_chunks,
            },
        );
    }
    Ok(DownloadResult {
        received: opts.total_chunks,
        notes,
    })
}

fn start(host: &wx_core::Host, options: Value) -> wx_core::ObjectHandle {
    match host.call("fakeDownload", vec![options]).unwrap() {
        Returned::Object(object) => object,
        other => panic!("task APIs return their object, got {other:?}"),
    }
}

#[test]
fn abort_settles_the_pending_call_as_fail_abort() {
    let host = host();
    let object = start(
        &host,
        with_callbacks(&[("totalChunks", 1000.into()), ("chunkDelayMs", 50.into())]),
    );
    assert_eq!(object.class.name, "FakeDownloadTask");
    assert_eq!(host.pending_calls(), 1);
    host.call_method(object, "abort", vec![]).unwrap();
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        s.result(),
        obj(&[("errMsg", "fakeDownload:fail abort".into())])
    );
    assert_eq!(s.invocations().collect::<Vec<_>>(), vec![FAIL, COMPLETE]);
    // Abort after settle is a no-op, and nothing else arrives.
    host.call_method(object, "abort", vec![]).unwrap();
    assert!(drain(&host).is_empty());
}

#[test]
fn object_events_methods_and_completion() {
    let host = host();
    let object = start(
        &host,
        with_callbacks(&[("totalChunks", 4.into()), ("chunkDelayMs", 20.into())]),
    );
    host.call_method(
        object,
        "onProgressUpdate",
        vec![Value::Function(FunctionId(50))],
    )
    .unwrap();
    host.call_method(object, "note", vec!["hello".into()])
        .unwrap();
    let deliveries = drain(&host);
    let progress: Vec<_> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Event { listeners, payload } => {
                assert_eq!(listeners, &vec![FunctionId(50)]);
                payload.to_value().get("progress").and_then(Value::as_f64)
            }
            _ => None,
        })
        .collect();
    assert_eq!(progress, vec![25.0, 50.0, 75.0, 100.0]);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        s.result(),
        obj(&[
            ("errMsg", "fakeDownload:ok".into()),
            ("received", 4.into()),
            ("notes", vec!["hello"].into())
        ])
    );
    // The settlement comes after every progress event, and the object's listener is released.
    let settle_at = deliveries
        .iter()
        .position(|d| matches!(d, Delivery::Settle(_)))
        .unwrap();
    let last_event = deliveries
        .iter()
        .rposition(|d| matches!(d, Delivery::Event { .. }))
        .unwrap();
    assert!(last_event < settle_at);
    // The object ends (its listener released) before its call's callbacks run.
    let released_at = deliveries
        .iter()
        .position(|d| d == &Delivery::Release(vec![FunctionId(50)]))
        .unwrap();
    assert!(
        last_event < released_at && released_at < settle_at,
        "{deliveries:?}"
    );
}

#[test]
fn off_on_an_object_removes_its_listener() {
    let host = host();
    let object = start(
        &host,
        with_callbacks(&[("totalChunks", 3.into()), ("chunkDelayMs", 5.into())]),
    );
    host.call_method(
        object,
        "onProgressUpdate",
        vec![Value::Function(FunctionId(60))],
    )
    .unwrap();
    host.call_method(
        object,
        "offProgressUpdate",
        vec![Value::Function(FunctionId(60))],
    )
    .unwrap();
    let deliveries = drain(&host);
    assert!(events(&deliveries).is_empty(), "{deliveries:?}");
    assert!(deliveries.contains(&Delivery::Release(vec![FunctionId(60)])));
}

#[test]
fn task_apis_return_their_object_even_without_callbacks() {
    let host = host();
    let object = start(&host, obj(&[("totalChunks", 1.into())]));
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert!(!s.promise, "no Promise for task APIs");
    assert!(s.invocations().next().is_none());
    assert!(s.ok);
    let ended = host.call_method(object, "note", vec!["late".into()]);
    assert_eq!(
        ended,
        Ok(Value::Undefined),
        "the object has ended: its methods are no-ops"
    );
    assert!(
        host.call_method(object, "nope", vec![]).is_err(),
        "no such method, live or not"
    );
}

#[test]
fn unknown_methods_of_a_live_object_are_errors() {
    let host = host();
    let object = start(
        &host,
        obj(&[("totalChunks", 1000.into()), ("chunkDelayMs", 50.into())]),
    );
    let err = host.call_method(object, "pause", vec![]).unwrap_err();
    assert_eq!(
        err.err_msg.as_str(),
        "FakeDownloadTask.pause:fail not supported"
    );
    host.call_method(object, "abort", vec![]).unwrap();
    drain(&host);
}

#[derive(Serialize, JsonSchema)]
struct Sent {
    echoed: Value,
}

/// A channel-like task: `send(options)` is settled by the call with the errMsg
/// name `sendThing`; `ignore()` messages are dropped unanswered; every send is
/// also announced on the global `wx.onThingSent`.
#[wx_async(
    task = "ThingTask",
    methods(send = "sendThing", ignore),
    events(on_message(wx_core::Value))
)]
async fn open_thing(mut task: Task) {
    while let Some(message) = task.next_message().await {
        // `ignore` messages (and sends without callbacks) are dropped: a reply fails.
        let ("send", Some(reply)) = (message.method.as_str(), message.reply) else {
            continue;
        };
        let data = message
            .args
            .first()
            .and_then(|o| o.get("data"))
            .cloned()
            .unwrap_or_default();
        task.emit_global(
            "onThingSent",
            &Sent {
                echoed: data.clone(),
            },
        );
        if data == Value::from("close") {
            reply.settle(Ok(Value::Null));
            return;
        }
        reply.settle(match data.is_undefined() {
            true => Err(WxError::new("data is required")),
            false => Ok(wx_core::to_value(&Sent { echoed: data }).unwrap()),
        });
    }
}

/// Announces sends of any ThingTask (no source of its own).
#[wx_core::wx_event]
async fn on_thing_sent(_sink: wx_core::EventSink<Sent>) {}

fn thing(host: &wx_core::Host) -> wx_core::ObjectHandle {
    match host.call("openThing", vec![obj(&[])]).unwrap() {
        Returned::Object(object) => object,
        other => panic!("{other:?}"),
    }
}

#[test]
fn method_callbacks_are_settled_by_the_call_with_their_own_err_msg_name() {
    let host = host();
    host.call("onThingSent", vec![Value::Function(FunctionId(70))])
        .unwrap();
    let object = thing(&host);
    host.call_method(
        object,
        "send",
        vec![with_callbacks(&[("data", "hi".into())])],
    )
    .unwrap();
    host.call_method(object, "send", vec![with_callbacks(&[])])
        .unwrap();
    host.call_method(object, "ignore", vec![with_callbacks(&[])])
        .unwrap();
    host.call_method(
        object,
        "send",
        vec![with_callbacks(&[("data", "close".into())])],
    )
    .unwrap();
    let deliveries = drain(&host);
    let results: Vec<(bool, Value)> = settlements(&deliveries)
        .iter()
        .map(|s| (s.ok, s.result().clone()))
        .collect();
    assert_eq!(
        results,
        vec![
            (
                true,
                obj(&[("errMsg", "sendThing:ok".into()), ("echoed", "hi".into())])
            ),
            (
                false,
                obj(&[("errMsg", "sendThing:fail data is required".into())])
            ),
            (
                false,
                obj(&[("errMsg", "ThingTask.ignore:fail the task has ended".into())])
            ),
            (true, obj(&[("errMsg", "sendThing:ok".into())])),
            (true, obj(&[("errMsg", "openThing:ok".into())])),
        ]
    );
    let announced: Vec<Value> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Event { listeners, payload } if listeners == &vec![FunctionId(70)] => {
                payload.to_value().get("echoed").cloned()
            }
            _ => None,
        })
        .collect();
    // The send without data announced `echoed: undefined`, and JS sees undefined.
    assert_eq!(
        announced,
        vec![Value::from("hi"), Value::Undefined, Value::from("close")]
    );
    // The object has ended: a method with callbacks fails at once, one without does nothing.
    host.call_method(
        object,
        "send",
        vec![with_callbacks(&[("data", "late".into())])],
    )
    .unwrap();
    host.call_method(object, "send", vec![obj(&[("data", "late".into())])])
        .unwrap();
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        s.result(),
        obj(&[("errMsg", "sendThing:fail the task has ended".into())])
    );
    assert!(host.registry().can_i_use("ThingTask.send"));
}

#[derive(Deserialize, JsonSchema)]
struct LiveOptions {
    ticks: u32,
}

/// Settles at once (like `connectSocket`), then keeps its object alive for `ticks` events.
#[wx_async(task = "LiveTask", events(on_tick(wx_core::Value)))]
async fn start_live(task: Task, opts: LiveOptions) {
    task.settle(Ok(()));
    for n in 0..opts.ticks {
        tokio::time::sleep(Duration::from_millis(3)).await;
        task.emit("onTick", &Progress { progress: n });
    }
}

#[test]
fn an_object_outlives_its_early_settled_call_until_its_future_ends() {
    let host = host();
    let object = match host
        .call("startLive", vec![with_callbacks(&[("ticks", 4.into())])])
        .unwrap()
    {
        Returned::Object(object) => object,
        other => panic!("{other:?}"),
    };
    host.call_method(object, "onTick", vec![Value::Function(FunctionId(80))])
        .unwrap();
    // Settled already, yet the live object keeps the host busy.
    let first = host.next(Some(Duration::from_secs(5))).unwrap();
    assert!(
        matches!(&first, Delivery::Settle(s) if s.ok && err_msg(&s.result()) == "startLive:ok"),
        "{first:?}"
    );
    assert_eq!(host.pending_calls(), 0);
    assert!(!host.is_idle());
    // Nothing left to abort: the object carries on.
    host.call_method(object, "abort", vec![]).unwrap();
    let deliveries = drain(&host);
    let ticks = deliveries
        .iter()
        .filter(|d| matches!(d, Delivery::Event { .. }))
        .count();
    assert_eq!(ticks, 4);
    assert_eq!(
        deliveries.last(),
        Some(&Delivery::Release(vec![FunctionId(80)]))
    );
    assert!(host.is_idle());
}

#[derive(Serialize, JsonSchema)]
struct WorkerMessage {
    message: Value,
}

/// Like `wx.createWorker(path)`: a sync API that returns an object whose
/// `postMessage` is echoed back through `onMessage` until `terminate()`.
#[wx_core::wx_sync(
    task = "EchoWorker",
    events(on_message(wx_core::Value)),
    methods(post_message, terminate)
)]
fn create_echo_worker(app: &wx_core::App, mut task: Task, script: String) -> Result<(), WxError> {
    if script.is_empty() {
        return Err(WxError::new("scriptPath is empty"));
    }
    app.runtime().spawn(async move {
        while let Some(message) = task.next_message().await {
            if message.method == "terminate" {
                return; // dropping the Task ends the object
            }
            let echoed = message.args.into_iter().next().unwrap_or_default();
            task.emit("onMessage", &WorkerMessage { message: echoed });
        }
    });
    Ok(())
}

#[test]
fn a_sync_api_can_return_an_object_that_lives_on() {
    let host = host();
    let worker = match host
        .call("createEchoWorker", vec!["workers/echo.js".into()])
        .unwrap()
    {
        Returned::Object(object) => object,
        other => panic!("{other:?}"),
    };
    assert!(!worker.class.abort, "no call behind it, so no abort");
    assert!(host.call_method(worker, "abort", vec![]).is_err());
    host.call_method(worker, "onMessage", vec![Value::Function(FunctionId(90))])
        .unwrap();
    host.call_method(worker, "postMessage", vec![obj(&[("n", 1.into())])])
        .unwrap();
    host.call_method(worker, "postMessage", vec![obj(&[("n", 2.into())])])
        .unwrap();
    host.call_method(worker, "terminate", vec![]).unwrap();
    let deliveries = drain(&host);
    let echoed: Vec<Value> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Event { payload, .. } => {
                let payload = payload.to_value();
                payload.get("message").and_then(|m| m.get("n")).cloned()
            }
            _ => None,
        })
        .collect();
    assert_eq!(echoed, vec![Value::from(1), Value::from(2)]);
    assert_eq!(
        deliveries.last(),
        Some(&Delivery::Release(vec![FunctionId(90)]))
    );
    assert!(host.is_idle());
    // A failing call throws, and its object is gone with it.
    let err = host.call("createEchoWorker", vec!["".into()]).unwrap_err();
    assert_eq!(
        err.err_msg.as_str(),
        "createEchoWorker:fail scriptPath is empty"
    );
    drain(&host);
    assert!(host.is_idle());
    assert!(host.registry().can_i_use("EchoWorker.postMessage"));
    assert!(!host.registry().can_i_use("EchoWorker.abort"));
}

/// Emits an event its class does not declare, and a global event nobody declares:
/// both are bugs in the API, reported to the host instead of vanishing.
#[wx_async(task = "SloppyTask", events(on_done(wx_core::Value)))]
async fn sloppy(task: Task) {
    assert!(!task.emit("onDnoe", &1));
    task.emit_global("onNobodyDeclaredThis", &2);
    task.emit("onDone", &3);
}

#[test]
fn emitting_an_undeclared_event_is_reported_not_silently_dropped() {
    let host = host();
    let Returned::Object(task) = host.call("sloppy", vec![]).unwrap() else {
        panic!("an object")
    };
    host.call_method(task, "onDone", vec![Value::Function(FunctionId(5))])
        .unwrap();
    let deliveries = drain(&host);
    let errors: Vec<String> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Error { err_msg } => Some(err_msg.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        errors,
        [
            "SloppyTask:fail internal error: `objects::sloppy` emitted `onDnoe`, which is not an event of SloppyTask (declare it in `events(...)`)",
            "onNobodyDeclaredThis:fail internal error: emitted by `objects::sloppy`, but no #[wx_event] declares this event",
        ]
    );
    assert!(deliveries.contains(&Delivery::Event {
        listeners: vec![FunctionId(5)],
        payload: wx_core::Encoded::from(&Value::from(3))
    }));
}

/// Set once `early_event` has emitted, so a test can add its listener after.
static EARLY_EMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Emits `onEarly` on a worker before anyone could listen, then waits for `go()`.
#[wx_async(task = "EarlyTask", events(on_early(wx_core::Value)), methods(go))]
async fn early_event(mut task: Task) {
    wx_core::to_runtime().await;
    task.emit("onEarly", &Progress { progress: 1 });
    EARLY_EMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
    task.next_message().await;
}

#[test]
fn an_event_sent_while_nobody_listened_reaches_a_listener_added_before_the_host_reads_it() {
    // Sent with no listener, the event does not wake the host; it waits in
    // the queue, in order, and is delivered to the listeners there are when
    // the host reads it, as an event that woke the host would have been.
    let host = host();
    let object = match host.call("earlyEvent", vec![obj(&[])]).unwrap() {
        Returned::Object(object) => object,
        other => panic!("{other:?}"),
    };
    wait_for("the event to be sent", || {
        EARLY_EMITTED.load(std::sync::atomic::Ordering::SeqCst)
    });
    host.call_method(object, "onEarly", vec![Value::Function(FunctionId(71))])
        .unwrap();
    host.call_method(object, "go", vec![]).unwrap();
    let deliveries = drain(&host);
    assert_eq!(
        events(&deliveries),
        vec![(vec![FunctionId(71)], obj(&[("progress", 1.into())]))],
        "{deliveries:?}"
    );
}

#[test]
fn many_events_nobody_listens_to_end_in_one_settlement() {
    // More unobserved events than the host lets wait unwoken: it is woken to
    // read them, finds no listener, and the call settles after them.
    let host = host();
    start(
        &host,
        with_callbacks(&[("totalChunks", 300.into()), ("chunkDelayMs", 0.into())]),
    );
    let deliveries = drain(&host);
    assert!(events(&deliveries).is_empty(), "{deliveries:?}");
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(s.result().get("received"), Some(&Value::from(300)));
}
