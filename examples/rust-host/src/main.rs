//! A host with no JS engine: it calls the APIs of `api-crate` through
//! `wx_core::Host` with JS-like values and runs the deliveries on its own thread,
//! as a JS engine binding would. Run it with `cargo run -p rust-host`.

use std::time::Duration;
use wx_core::{App, Delivery, FunctionId, Host, Object, Returned, Value};

/// The host's "functions": ids it hands out and recognises in deliveries.
const SUCCESS: FunctionId = FunctionId(1);
const TICK: FunctionId = FunctionId(2);
const STEP: FunctionId = FunctionId(3);

fn options(entries: &[(&str, Value)]) -> Value {
    let map: Object = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Value::from(map)
}

/// Runs a few calls of every kind and returns what happened, line by line.
fn run() -> Vec<String> {
    api_crate::link();
    let host = Host::new(App::builder("wx-rust-host").build()).expect("a registry");
    let mut log = Vec::new();

    // Sync: a value at once, or a Failure to throw.
    let Ok(Returned::Value(shout)) = host.call("shoutSync", vec!["hi".into()]) else {
        unreachable!("shoutSync returns a value")
    };
    log.push(format!("shoutSync: {shout}"));

    // Async with a callback, and without one (a Promise).
    host.call(
        "getGreeting",
        vec![options(&[
            ("name", "Mei".into()),
            ("success", Value::Function(SUCCESS)),
        ])],
    )
    .unwrap();
    // After every call, the host keeps alive exactly what wx-core now holds.
    let mut kept = host.take_kept();
    let Ok(Returned::Promise(promise)) =
        host.call("getGreeting", vec![options(&[("name", "".into())])])
    else {
        unreachable!("no callback: a Promise")
    };

    // An event, and an object with an event of its own.
    host.call("onTick", vec![Value::Function(TICK)]).unwrap();
    kept.extend(host.take_kept());
    let Ok(Returned::Object(task)) = host.call("countdown", vec![options(&[("from", 3.into())])])
    else {
        unreachable!("countdown returns its task")
    };
    host.call_method(task, "onStep", vec![Value::Function(STEP)])
        .unwrap();
    kept.extend(host.take_kept()); // SUCCESS, TICK, STEP: the host keeps them alive
    log.push(format!("kept: {kept:?}"));

    // The event loop: run deliveries until nothing can produce more.
    let mut ticks = 0;
    while !host.is_idle() {
        let Some(delivery) = host.next(Some(Duration::from_millis(50))) else {
            continue;
        };
        match delivery {
            Delivery::Settle(s) if s.promise => {
                log.push(format!(
                    "promise {} with {}",
                    if s.ok { "resolved" } else { "rejected" },
                    s.result()
                ));
                assert_eq!(s.call, promise);
            }
            Delivery::Settle(s) => {
                for f in s.invocations() {
                    log.push(format!("callback {} with {}", f.0, s.result()));
                }
            }
            Delivery::Event { listeners, .. } if listeners == [TICK] => {
                ticks += 1;
                if ticks == 3 {
                    host.call("offTick", vec![]).unwrap(); // the source stops
                }
            }
            Delivery::Event { payload, .. } => log.push(format!("step {}", payload.to_value())),
            Delivery::Error { err_msg } => log.push(format!("error {err_msg}")),
            Delivery::Release(ids) => log.push(format!("released {ids:?}")),
            Delivery::Console { level, text } => log.push(format!("console {level:?}: {text}")),
        }
    }
    log.push(format!("ticks: {ticks}"));
    log
}

fn main() {
    for line in run() {
        println!("{line}");
    }
}

#[test]
fn every_kind_of_call_runs_through_the_host_contract() {
    let log = run();
    for expected in [
        "shoutSync: \"HI\"",
        "kept: [FunctionId(1), FunctionId(2), FunctionId(3)]",
        "callback 1 with { errMsg: \"getGreeting:ok\", text: \"hello Mei from wx-rust-host\" }",
        "promise rejected with { errMsg: \"getGreeting:fail name is empty\" }",
        "step { left: 2 }",
        "step { left: 0 }",
        "released [FunctionId(2)]",
        "ticks: 3",
    ] {
        assert!(
            log.iter().any(|l| l == expected),
            "{expected} missing from {log:#?}"
        );
    }
}
