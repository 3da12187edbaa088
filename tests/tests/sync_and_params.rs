//! Sync APIs and WeChat-format parameter errors, through the host contract.

mod common;

use common::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use wx_core::{wx_async, wx_sync, App, JsonSchema, Returned, Value, WxError};

/// `wx.joinSync(a, b, sep?)`.
#[wx_sync]
fn join_sync(first: String, second: String, separator: Option<String>) -> String {
    format!("{first}{}{second}", separator.unwrap_or_default())
}

/// Fails when asked to.
#[wx_sync]
fn check_sync(app: &App, ok: bool) -> Result<String, WxError> {
    if ok {
        Ok(app.app_id().to_owned())
    } else {
        Err(WxError::new("not ok").with_errno(1300))
    }
}

/// Returns nothing: JS sees `undefined`.
#[wx_sync]
fn nothing_sync() {}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    Get,
    Post,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RequestLikeOptions {
    url: String,
    method: Option<Method>,
    header: Option<HashMap<String, String>>,
    timeout: Option<u32>,
    data: Option<Value>,
}

#[derive(Serialize, JsonSchema)]
struct Echoed {
    url: String,
}

/// An API with a typical options object.
#[wx_async]
async fn request_like(opts: RequestLikeOptions) -> Echoed {
    Echoed { url: opts.url }
}

#[test]
fn positional_arguments_and_return_values() {
    let host = host();
    let r = host
        .call("joinSync", vec!["a".into(), "b".into(), "-".into()])
        .unwrap();
    assert_eq!(r, Returned::Value("a-b".into()));
    let r = host.call("joinSync", vec!["a".into(), "b".into()]).unwrap();
    assert_eq!(r, Returned::Value("ab".into()));
    let r = host.call("checkSync", vec![true.into()]).unwrap();
    assert_eq!(r, Returned::Value("wx-test".into()));
    // A function that returns nothing gives JS `undefined`, never `null`.
    let r = host.call("nothingSync", vec![]).unwrap();
    assert_eq!(r, Returned::Value(Value::Undefined));
}

#[test]
fn sync_errors_carry_the_err_msg_to_throw() {
    let host = host();
    let err = host.call("checkSync", vec![false.into()]).unwrap_err();
    assert_eq!(err.err_msg.as_str(), "checkSync:fail not ok");
    assert_eq!(err.errno, Some(1300));
    assert_eq!(
        err.to_value(),
        obj(&[
            ("errMsg", "checkSync:fail not ok".into()),
            ("errno", 1300.into())
        ])
    );
}

#[test]
fn sync_parameter_errors_name_the_positional_parameter() {
    let host = host();
    let msg = |args: Vec<Value>| {
        host.call("joinSync", args)
            .unwrap_err()
            .err_msg
            .into_string()
    };
    assert_eq!(
        msg(vec![]),
        // Every bad argument, one after another, as WeChat lists them.
        "joinSync:fail parameter error: parameter.first should be String instead of Undefined;parameter.second should be String instead of Undefined;"
    );
    assert_eq!(
        msg(vec!["a".into(), 2.into()]),
        "joinSync:fail parameter error: parameter.second should be String instead of Number;"
    );
    assert_eq!(
        msg(vec![
            "a".into(),
            "b".into(),
            Value::Function(wx_core::FunctionId(9))
        ]),
        "joinSync:fail parameter error: parameter.separator should be String instead of Function;"
    );
    assert_eq!(
        host.call("checkSync", vec![Value::Null])
            .unwrap_err()
            .err_msg
            .as_str(),
        "checkSync:fail parameter error: parameter.ok should be Boolean instead of Null;"
    );
}

fn async_error(host: &wx_core::Host, options: Value) -> String {
    let mut options = options;
    if let Value::Object(map) = &mut options {
        map.insert("fail".into(), Value::Function(FAIL));
    }
    host.call("requestLike", vec![options]).unwrap();
    let deliveries = drain(host);
    let [s] = settlements(&deliveries)[..] else {
        panic!("{deliveries:?}")
    };
    assert!(!s.ok);
    err_msg(&s.result()).to_owned()
}

#[test]
fn async_parameter_errors_go_to_fail() {
    let host = host();
    assert_eq!(
        async_error(&host, obj(&[])),
        "requestLike:fail parameter error: parameter.url should be String instead of Undefined;"
    );
    assert_eq!(
        async_error(&host, obj(&[("url", 1.into())])),
        "requestLike:fail parameter error: parameter.url should be String instead of Number;"
    );
    assert_eq!(
        async_error(
            &host,
            obj(&[("url", "u".into()), ("method", "PATCH".into())])
        ),
        r#"requestLike:fail parameter error: parameter.method should be one of "GET", "POST" instead of "PATCH";"#
    );
    assert_eq!(
        async_error(
            &host,
            obj(&[("url", "u".into()), ("header", obj(&[("a", 1.into())]))])
        ),
        "requestLike:fail parameter error: parameter.header.a should be String instead of Number;"
    );
    assert_eq!(
        async_error(&host, obj(&[("url", "u".into()), ("timeout", (-1).into())])),
        "requestLike:fail parameter error: parameter.timeout should be at least 0 instead of -1;"
    );
    // Any value is fine where the type is `Value`; `undefined` reads as absent.
    assert_eq!(
        settle(
            &host,
            "requestLike",
            &[
                ("url", "u".into()),
                ("data", Value::Array(vec![])),
                ("timeout", Value::Undefined)
            ]
        )
        .result(),
        obj(&[("errMsg", "requestLike:ok".into()), ("url", "u".into())])
    );
}

#[test]
fn every_bad_option_is_reported_in_one_message() {
    let host = host();
    let err = async_error(
        &host,
        obj(&[("method", "PATCH".into()), ("timeout", "soon".into())]),
    );
    assert_eq!(
        err,
        "requestLike:fail parameter error: parameter.url should be String instead of Undefined;\
         parameter.method should be one of \"GET\", \"POST\" instead of \"PATCH\";\
         parameter.timeout should be Number instead of String;"
    );
}

#[test]
fn a_non_object_where_the_options_belong_fails_the_same_way() {
    let host = host();
    for (value, name) in [
        (Value::from(1), "Number"),
        (Value::from("s"), "String"),
        (Value::Null, "Null"),
    ] {
        let Returned::Promise(_) = host.call("requestLike", vec![value]).unwrap() else {
            panic!()
        };
        let deliveries = drain(&host);
        let [s] = settlements(&deliveries)[..] else {
            panic!("{deliveries:?}")
        };
        assert_eq!(
            err_msg(&s.result()),
            format!(
                "requestLike:fail parameter error: parameter should be Object instead of {name};"
            )
        );
    }
    // No argument at all reads as an empty options object.
    host.call("requestLike", vec![]).unwrap();
    let deliveries = drain(&host);
    assert_eq!(
        err_msg(&settlements(&deliveries)[0].result()),
        "requestLike:fail parameter error: parameter.url should be String instead of Undefined;"
    );
}

#[test]
fn per_api_counters_when_enabled() {
    let host = host();
    host.call("checkSync", vec![true.into()]).unwrap();
    assert!(host.stats().is_empty(), "off until enabled");
    host.enable_stats(true);
    host.call("checkSync", vec![true.into()]).unwrap();
    host.call("checkSync", vec![false.into()]).unwrap_err();
    host.call("joinSync", vec!["a".into(), "b".into()]).unwrap();
    let stats = host.stats();
    let names: Vec<&str> = stats.iter().map(|s| s.name).collect();
    assert_eq!(names, ["checkSync", "joinSync"]);
    assert_eq!((stats[0].calls, stats[0].failures), (2, 1));
    assert_eq!((stats[1].calls, stats[1].failures), (1, 0));
    assert!(
        stats[0].max >= stats[0].mean()
            && stats[0].percentile(50.0) <= stats[0].percentile(100.0).max(stats[0].max)
    );
}
