//! `onXxx`/`offXxx`: listeners by identity, the source running exactly while
//! anyone listens, and emitting from any thread.

mod common;

use common::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use wx_core::{wx_event, App, Delivery, EventSink, FunctionId, JsonSchema, Value};

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// Counts running sources; dropped with the source's future.
struct Running;
impl Running {
    fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::SeqCst);
        STARTED.fetch_add(1, Ordering::SeqCst);
        Running
    }
}
impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Heading {
    direction: f64,
    from_thread: bool,
}

/// Emits a heading every millisecond, half of them from a plain OS thread.
#[wx_event]
async fn on_heading_change(_app: &App, sink: EventSink<Heading>) {
    let _running = Running::start();
    let mut n = 0.0;
    loop {
        n += 1.0;
        let other = sink.clone();
        let direction = n;
        std::thread::spawn(move || {
            other.emit(&Heading {
                direction,
                from_thread: true,
            })
        });
        sink.emit(&Heading {
            direction: n,
            from_thread: false,
        });
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Deliveries received within `ms`.
fn collect(host: &wx_core::Host, ms: u64) -> Vec<Delivery> {
    let deadline = Instant::now() + Duration::from_millis(ms);
    let mut out = Vec::new();
    while Instant::now() < deadline {
        if let Some(d) = host.next(Some(Duration::from_millis(5))) {
            out.push(d);
        }
    }
    out
}

fn f(id: u64) -> Value {
    Value::Function(FunctionId(id))
}

// One test, because the source counters are process-wide.
#[test]
fn the_source_runs_exactly_while_someone_listens() {
    let host = host();
    assert!(host.is_idle());
    host.call("onHeadingChange", vec![f(10)]).unwrap();
    host.call("onHeadingChange", vec![f(11)]).unwrap();
    wait_for("the source to start", || {
        RUNNING.load(Ordering::SeqCst) == 1
    });
    assert!(!host.is_idle(), "a live source keeps the loop alive");

    let deliveries = collect(&host, 50);
    let events = events(&deliveries);
    assert!(events.len() > 4, "events keep coming: {}", events.len());
    assert!(
        events
            .iter()
            .all(|(l, _)| l == &[FunctionId(10), FunctionId(11)]),
        "both listeners, in order"
    );
    assert!(events
        .iter()
        .any(|(_, p)| p.get("fromThread") == Some(&Value::Bool(true))));
    assert!(events
        .iter()
        .any(|(_, p)| p.get("fromThread") == Some(&Value::Bool(false))));

    // Removing a function that is not a listener changes nothing.
    host.call("offHeadingChange", vec![f(99)]).unwrap();
    host.call("offHeadingChange", vec![f(10)]).unwrap();
    let deliveries = collect(&host, 20);
    assert!(deliveries.contains(&Delivery::Release(vec![FunctionId(10)])));
    let later = deliveries.iter().rev().find_map(|d| match d {
        Delivery::Event { listeners, .. } => Some(listeners.clone()),
        _ => None,
    });
    assert_eq!(
        later,
        Some(vec![FunctionId(11)]),
        "only the remaining listener"
    );
    assert_eq!(RUNNING.load(Ordering::SeqCst), 1, "still one source");

    // The last listener leaving drops the source's future.
    host.call("offHeadingChange", vec![f(11)]).unwrap();
    wait_for("the source to stop", || RUNNING.load(Ordering::SeqCst) == 0);
    drain(&host);
    assert!(host.is_idle());
    assert_eq!(STARTED.load(Ordering::SeqCst), 1);

    // `offXxx()` with no argument removes every listener and stops the source.
    host.call("onHeadingChange", vec![f(12)]).unwrap();
    host.call("onHeadingChange", vec![f(13)]).unwrap();
    wait_for("a restart", || RUNNING.load(Ordering::SeqCst) == 1);
    assert_eq!(STARTED.load(Ordering::SeqCst), 2);
    host.call("offHeadingChange", vec![]).unwrap();
    wait_for("the source to stop again", || {
        RUNNING.load(Ordering::SeqCst) == 0
    });
    let deliveries = drain(&host);
    assert!(deliveries.contains(&Delivery::Release(vec![FunctionId(12), FunctionId(13)])));
    // Nothing is delivered to listeners that are gone.
    assert!(collect(&host, 20)
        .iter()
        .all(|d| !matches!(d, Delivery::Event { .. })));
}

#[test]
fn listener_arguments_are_checked_and_reported_on_the_console_as_wechat_does() {
    let host = host();
    let err = host.call("onHeadingChange", vec![]).unwrap_err();
    assert_eq!(
        (err.err_msg.as_str(), err.console_only),
        (
            "onHeadingChange should accept a function instead of undefined",
            true
        )
    );
    let err = host.call("offHeadingChange", vec!["x".into()]).unwrap_err();
    assert_eq!(
        (err.err_msg.as_str(), err.console_only),
        (
            "offHeadingChange should accept a function instead of string",
            true
        )
    );
    // A falsy argument to `off` means "every listener": no report.
    for falsy in [
        Value::Null,
        Value::Undefined,
        0.into(),
        "".into(),
        false.into(),
    ] {
        assert!(host.call("offHeadingChange", vec![falsy]).is_ok());
    }
}
