//! Native objects: an async API that returns a task with `abort()`, its own
//! events and methods.

mod common;

use common::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use wx_core::{
    schemars, wx_async, Delivery, FunctionId, JsonSchema, Returned, Task, Value, WxError,
};

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
#[wx_async(task = "FakeDownloadTask", events(on_progress_update), methods(note))]
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
    host.call_method(object.id, "abort", vec![]).unwrap();
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        s.result,
        obj(&[("errMsg", "fakeDownload:fail abort".into())])
    );
    assert_eq!(s.invocations().collect::<Vec<_>>(), vec![FAIL, COMPLETE]);
    // Abort after settle is a no-op, and nothing else arrives.
    host.call_method(object.id, "abort", vec![]).unwrap();
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
        object.id,
        "onProgressUpdate",
        vec![Value::Function(FunctionId(50))],
    )
    .unwrap();
    host.call_method(object.id, "note", vec!["hello".into()])
        .unwrap();
    let deliveries = drain(&host);
    let progress: Vec<_> = deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Event { listeners, payload } => {
                assert_eq!(listeners, &vec![FunctionId(50)]);
                payload.get("progress").and_then(Value::as_f64)
            }
            _ => None,
        })
        .collect();
    assert_eq!(progress, vec![25.0, 50.0, 75.0, 100.0]);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!(
        s.result,
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
    assert!(deliveries.contains(&Delivery::Release(vec![FunctionId(50)])));
}

#[test]
fn off_on_an_object_removes_its_listener() {
    let host = host();
    let object = start(
        &host,
        with_callbacks(&[("totalChunks", 3.into()), ("chunkDelayMs", 5.into())]),
    );
    host.call_method(
        object.id,
        "onProgressUpdate",
        vec![Value::Function(FunctionId(60))],
    )
    .unwrap();
    host.call_method(
        object.id,
        "offProgressUpdate",
        vec![Value::Function(FunctionId(60))],
    )
    .unwrap();
    let deliveries = drain(&host);
    assert!(
        deliveries
            .iter()
            .all(|d| !matches!(d, Delivery::Event { .. })),
        "{deliveries:?}"
    );
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
    let err = host.call_method(object.id, "nope", vec![]);
    assert_eq!(
        err,
        Ok(Value::Undefined),
        "the object has ended: methods are no-ops"
    );
}

#[test]
fn unknown_methods_of_a_live_object_are_errors() {
    let host = host();
    let object = start(
        &host,
        obj(&[("totalChunks", 1000.into()), ("chunkDelayMs", 50.into())]),
    );
    let err = host.call_method(object.id, "pause", vec![]).unwrap_err();
    assert_eq!(
        err.err_msg.as_str(),
        "FakeDownloadTask.pause:fail not supported"
    );
    host.call_method(object.id, "abort", vec![]).unwrap();
    drain(&host);
}
