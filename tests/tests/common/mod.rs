//! Helpers shared by the integration tests: a host per test and a way to run
//! it until nothing is pending, as a host's event loop would.
#![allow(dead_code)]

use std::time::{Duration, Instant};
use wx_core::{App, Delivery, FunctionId, Host, Object, Returned, Settlement, Value};

pub fn host() -> Host {
    Host::new(App::builder("wx-test").build()).expect("no duplicate APIs")
}

/// Builds an options object from pairs.
pub fn obj(entries: &[(&str, Value)]) -> Value {
    Value::from(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<Object>(),
    )
}

/// `{ ...entries, success: f(1), fail: f(2), complete: f(3) }`.
pub fn with_callbacks(entries: &[(&str, Value)]) -> Value {
    let mut all = entries.to_vec();
    all.push(("success", Value::Function(SUCCESS)));
    all.push(("fail", Value::Function(FAIL)));
    all.push(("complete", Value::Function(COMPLETE)));
    obj(&all)
}

pub const SUCCESS: FunctionId = FunctionId(1);
pub const FAIL: FunctionId = FunctionId(2);
pub const COMPLETE: FunctionId = FunctionId(3);

/// Collects deliveries until the host is idle and the queue is empty (10 s at most).
pub fn drain(host: &Host) -> Vec<Delivery> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut out = Vec::new();
    loop {
        while let Some(d) = host.try_next() {
            out.push(d);
        }
        if host.is_idle() {
            while let Some(d) = host.try_next() {
                out.push(d);
            }
            return out;
        }
        assert!(
            Instant::now() < deadline,
            "host still busy after 10 s: {out:?}"
        );
        if let Some(d) = host.next(Some(Duration::from_millis(50))) {
            out.push(d);
        }
    }
}

/// Waits (5 s at most) until `cond` holds, for what another thread does.
pub fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The events among `deliveries`: who gets each, and its payload.
pub fn events(deliveries: &[Delivery]) -> Vec<(Vec<FunctionId>, Value)> {
    deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Event { listeners, payload } => Some((listeners.clone(), payload.to_value())),
            _ => None,
        })
        .collect()
}

/// The settlements among `deliveries`.
pub fn settlements(deliveries: &[Delivery]) -> Vec<&Settlement> {
    deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Settle(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Calls an async API with all three callbacks and returns its one settlement.
pub fn settle(host: &Host, name: &str, options: &[(&str, Value)]) -> Settlement {
    let returned = host
        .call(name, vec![with_callbacks(options)])
        .expect("async calls never throw");
    assert!(
        !matches!(returned, Returned::Promise(_)),
        "callbacks were given"
    );
    let deliveries = drain(host);
    let settled = settlements(&deliveries);
    assert_eq!(settled.len(), 1, "exactly one settlement: {deliveries:?}");
    settled[0].clone()
}

/// The `errMsg` of a callback object.
pub fn err_msg(result: &Value) -> &str {
    result
        .get("errMsg")
        .and_then(Value::as_str)
        .expect("every callback object has errMsg")
}
