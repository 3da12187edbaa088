//! Async APIs through the host contract: options, callbacks, Promise mode,
//! errMsg/errCode, settle-exactly-once, cancellation and runtime choice.

mod common;

use common::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use wx_core::{wx_async, App, Callbacks, Delivery, JsonSchema, Returned, Value, WxError};

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct EchoOptions {
    text: String,
    repeat_count: Option<u32>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct EchoResult {
    text: String,
    app_id: String,
}

/// Repeats `text`, after a real suspension point.
#[wx_async]
async fn echo(app: &App, opts: EchoOptions) -> Result<EchoResult, WxError> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let text = opts.text.repeat(opts.repeat_count.unwrap_or(1) as usize);
    Ok(EchoResult {
        text,
        app_id: app.app_id().to_owned(),
    })
}

#[derive(Deserialize, JsonSchema)]
struct FailOptions {
    reason: String,
    code: Option<i64>,
}

/// Fails with the reason asked for.
#[wx_async(err_code)]
async fn fail_with(opts: FailOptions) -> Result<(), WxError> {
    let err = WxError::new(opts.reason);
    Err(match opts.code {
        Some(code) => err.with_err_code(code).with_errno(code + 1),
        None => err,
    })
}

/// Succeeds with errCode 0.
#[wx_async(err_code)]
async fn coded_ok() -> Result<(), WxError> {
    Ok(())
}

/// Never finishes on its own.
#[wx_async]
async fn hang() {
    std::future::pending::<()>().await
}

#[derive(Serialize, JsonSchema)]
struct ThreadResult {
    thread: String,
}

/// Reports which thread the future finished on.
#[wx_async]
async fn which_thread() -> ThreadResult {
    tokio::task::yield_now().await;
    ThreadResult {
        thread: std::thread::current().name().unwrap_or("").to_owned(),
    }
}

/// Returns a non-object, which WeChat cannot put beside errMsg.
#[wx_async(name = "badShape")]
async fn bad_shape() -> u32 {
    7
}

#[test]
fn success_carries_data_beside_err_msg_and_complete_gets_the_same() {
    let host = host();
    let s = settle(
        &host,
        "echo",
        &[("text", "ab".into()), ("repeatCount", 2.into())],
    );
    assert!(s.ok);
    assert!(!s.promise);
    assert_eq!(
        s.result(),
        obj(&[
            ("errMsg", "echo:ok".into()),
            ("text", "abab".into()),
            ("appId", "wx-test".into())
        ])
    );
    assert_eq!(s.invocations().collect::<Vec<_>>(), vec![SUCCESS, COMPLETE]);
}

#[test]
fn fail_reason_is_prefixed_once_with_codes_beside_it() {
    let host = host();
    let s = settle(
        &host,
        "failWith",
        &[("reason", "data not found".into()), ("code", 1001.into())],
    );
    assert!(!s.ok);
    assert_eq!(
        s.result(),
        obj(&[
            ("errMsg", "failWith:fail data not found".into()),
            ("errCode", 1001.into()),
            ("errno", 1002.into())
        ])
    );
    assert_eq!(s.invocations().collect::<Vec<_>>(), vec![FAIL, COMPLETE]);

    let s = settle(
        &host,
        "failWith",
        &[("reason", "failWith:fail already prefixed".into())],
    );
    assert_eq!(err_msg(&s.result()), "failWith:fail already prefixed");
    let s = settle(&host, "failWith", &[("reason", "".into())]);
    assert_eq!(err_msg(&s.result()), "failWith:fail");
}

#[test]
fn err_code_apis_report_zero_on_success() {
    let host = host();
    let s = settle(&host, "codedOk", &[]);
    assert_eq!(
        s.result(),
        obj(&[("errMsg", "codedOk:ok".into()), ("errCode", 0.into())])
    );
}

#[test]
fn no_callbacks_means_a_promise_settled_with_the_same_object() {
    let host = host();
    let returned = host
        .call("echo", vec![obj(&[("text", "x".into())])])
        .unwrap();
    let Returned::Promise(call) = returned else {
        panic!("expected a Promise, got {returned:?}")
    };
    let deliveries = drain(&host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert_eq!((s.call, s.promise, s.ok), (call, true, true));
    assert_eq!(s.callbacks, Callbacks::default());
    assert_eq!(err_msg(&s.result()), "echo:ok");

    // WeChat's rule is truthiness: a truthy non-function leaves Promise mode (and
    // is never called); a falsy one does not.
    let returned = host
        .call(
            "echo",
            vec![obj(&[("text", "x".into()), ("success", 1.into())])],
        )
        .unwrap();
    assert_eq!(returned, Returned::Value(Value::Undefined));
    let returned = host
        .call(
            "echo",
            vec![obj(&[
                ("text", "x".into()),
                ("fail", 0.into()),
                ("complete", Value::Null),
            ])],
        )
        .unwrap();
    assert!(matches!(returned, Returned::Promise(_)));
    // One real callback is enough to leave Promise mode.
    let returned = host
        .call(
            "echo",
            vec![obj(&[
                ("text", "x".into()),
                ("complete", Value::Function(COMPLETE)),
            ])],
        )
        .unwrap();
    assert_eq!(returned, Returned::Value(Value::Undefined));
    let deliveries = drain(&host);
    assert_eq!(settlements(&deliveries).len(), 3);
}

#[test]
fn every_call_settles_exactly_once_under_load() {
    let host = host();
    for i in 0..500 {
        host.call(
            "echo",
            vec![with_callbacks(&[("text", format!("{i}").into())])],
        )
        .unwrap();
    }
    for _ in 0..500 {
        host.call("codedOk", vec![with_callbacks(&[])]).unwrap();
    }
    let deliveries = drain(&host);
    let settled = settlements(&deliveries);
    assert_eq!(settled.len(), 1000);
    let mut calls: Vec<_> = settled.iter().map(|s| s.call).collect();
    calls.sort();
    calls.dedup();
    assert_eq!(calls.len(), 1000, "no call settled twice");
    assert!(settled.iter().all(|s| s.ok));
}

#[test]
fn a_runtime_shutting_down_settles_pending_calls_as_fail() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let app = App::builder("wx-shutdown")
        .runtime(runtime.handle().clone())
        .build();
    let host = wx_core::Host::new(app).unwrap();
    host.call("hang", vec![with_callbacks(&[])]).unwrap();
    host.call("hang", vec![obj(&[])]).unwrap();
    assert_eq!(host.pending_calls(), 2);
    drop(runtime);
    let deliveries = drain(&host);
    let settled = settlements(&deliveries);
    assert_eq!(settled.len(), 2, "{deliveries:?}");
    for s in settled {
        assert!(!s.ok);
        assert_eq!(err_msg(&s.result()), "hang:fail cancelled");
    }
}

#[test]
fn the_host_can_supply_its_own_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("my-host-rt")
        .enable_all()
        .build()
        .unwrap();
    let host =
        wx_core::Host::new(App::builder("rt").runtime(runtime.handle().clone()).build()).unwrap();
    let s = settle(&host, "whichThread", &[]);
    assert_eq!(s.result().get("thread"), Some(&Value::from("my-host-rt")));

    let default = common::host();
    let s = settle(&default, "whichThread", &[]);
    assert_eq!(s.result().get("thread"), Some(&Value::from("wx-worker")));
}

#[test]
fn closing_the_host_stops_pending_work_without_deliveries() {
    let host = host();
    host.call("hang", vec![with_callbacks(&[])]).unwrap();
    host.close();
    assert!(host.is_idle());
    assert_eq!(host.try_next(), None);
}

#[test]
fn success_data_must_be_an_object() {
    let host = host();
    let s = settle(&host, "badShape", &[]);
    assert!(!s.ok);
    assert_eq!(
        err_msg(&s.result()),
        "badShape:fail internal error: success data must be an object, not Number"
    );
}

#[test]
fn unknown_api_is_an_error_not_a_panic() {
    let host = host();
    let err = host.call("noSuchApi", vec![]).unwrap_err();
    assert_eq!(err.err_msg.as_str(), "noSuchApi:fail not supported");
    assert!(matches!(
        drain(&host).as_slice(),
        [] | [Delivery::Release(_)]
    ));
}

/// Warns before and after a real suspension point, then succeeds.
#[wx_async]
async fn warn_twice() {
    wx_core::console_warn("before the wait");
    tokio::time::sleep(Duration::from_millis(1)).await;
    wx_core::console_warn("after the wait");
}

#[test]
fn console_lines_reach_the_host_in_order_with_the_settlement() {
    let host = host();
    host.call("warnTwice", vec![with_callbacks(&[])]).unwrap();
    let mut seen = Vec::new();
    while seen.len() < 3 {
        match host.next(Some(Duration::from_secs(5))).expect("a delivery") {
            Delivery::Console { level, text } => seen.push(format!("{level:?} {text}")),
            Delivery::Settle(s) => seen.push(err_msg(&s.result()).to_owned()),
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            "Warn before the wait",
            "Warn after the wait",
            "warnTwice:ok"
        ]
    );
    // Outside a call, nothing to print to.
    assert!(!wx_core::console_warn("nobody listens"));
}
