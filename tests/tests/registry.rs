//! The registry: metadata from the declarations, lookups, order, `canIUse`
//! and duplicates. (The link anchor is tested with the host, which links wx-apis.)

use serde::{Deserialize, Serialize};
use wx_core::{
    wx_async, wx_event, wx_sync, ApiDef, ApiKind, App, EventSink, Handler, JsonSchema, Registry,
    Task, Value,
};

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    Options,
    Get,
    Head,
    Post,
}

#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct RequestOptions {
    url: String,
    method: Option<Method>,
    header: Option<Header>,
}

#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Header {
    referer: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct RequestResult {
    status_code: u16,
    data: Value,
}

/// Makes a pretend request.
///
/// Only the first line is the summary.
#[wx_async(
    task = "PretendTask",
    events(on_headers_received(wx_core::Value)),
    since = "1.0.0"
)]
async fn pretend_request(_task: Task, _opts: RequestOptions) -> RequestResult {
    RequestResult {
        status_code: 200,
        data: Value::Null,
    }
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Info {
    platform: String,
    safe_area: SafeArea,
}

#[derive(Serialize, JsonSchema)]
struct SafeArea {
    left: f64,
}

/// Pretend system info.
#[wx_sync]
fn pretend_info_sync() -> Info {
    Info {
        platform: "devtools".into(),
        safe_area: SafeArea { left: 0.0 },
    }
}

/// Reads a key.
#[wx_sync]
fn pretend_get_sync(_key: String) -> Value {
    Value::Null
}

#[derive(Serialize, JsonSchema)]
struct Turn {
    direction: f64,
}

/// Pretend compass.
#[wx_event]
async fn on_pretend_turn(_app: &App, _sink: EventSink<Turn>) {}

fn registry() -> &'static Registry {
    Registry::global().expect("no duplicates")
}

#[test]
fn declarations_carry_their_metadata() {
    let api = registry().get("pretendRequest").expect("registered");
    assert_eq!(api.kind, ApiKind::Async);
    assert_eq!(api.def.summary, "Makes a pretend request.");
    assert_eq!(api.def.since, "1.0.0");
    assert_eq!(api.def.rust_path, "registry::pretend_request");
    assert!(api.def.file.ends_with("registry.rs"));
    let source = include_str!("registry.rs");
    let declared = source
        .lines()
        .position(|l| l.starts_with("async fn pretend_request"))
        .unwrap()
        + 1;
    assert_eq!(
        api.def.line as usize, declared,
        "the line of the function's name"
    );
    let class = api.def.class.expect("a task API");
    let events: Vec<&str> = class.events.iter().map(|e| e.name).collect();
    assert_eq!(
        (class.name, events),
        ("PretendTask", vec!["onHeadersReceived"])
    );

    let on = registry().get("onPretendTurn").unwrap();
    let off = registry().get("offPretendTurn").unwrap();
    assert_eq!((on.kind, off.kind), (ApiKind::On, ApiKind::Off));
    assert!(
        std::ptr::eq(on.def, off.def),
        "the twin shares the declaration"
    );
    assert!(matches!(on.def.handler, Handler::Event(Some(_))));
}

#[test]
fn iteration_is_in_name_order_and_complete() {
    let names: Vec<_> = registry().iter().map(|api| api.name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    for name in [
        "offPretendTurn",
        "onPretendTurn",
        "pretendGetSync",
        "pretendInfoSync",
        "pretendRequest",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert_eq!(registry().len(), names.len());
}

#[test]
fn can_i_use_answers_every_documented_form() {
    let r = registry();
    let yes = [
        "pretendRequest",
        "offPretendTurn",
        "pretendRequest.object.url",
        "pretendRequest.object.method.GET",
        "pretendRequest.object.header.referer",
        "pretendRequest.success.statusCode",
        "pretendRequest.success.data",
        "pretendInfoSync.return.platform",
        "pretendInfoSync.return.safeArea.left",
        "pretendGetSync.object.key",
        "onPretendTurn.callback.direction",
        "PretendTask.abort",
        "PretendTask.onHeadersReceived",
        "PretendTask.offHeadersReceived",
        // As WeChat's table: an API's section alone, and a bare class name.
        "pretendRequest.object",
        "pretendRequest.success",
        "pretendInfoSync.return",
        "onPretendTurn.callback",
        "PretendTask",
    ];
    let no = [
        "",
        ".",
        "nope",
        "pretendRequest.",
        "pretendRequest.callback",
        "pretendInfoSync.object",
        "pretendRequest.object.nope",
        "pretendRequest.object.method.PATCH",
        "pretendRequest.object.url.GET",
        "pretendRequest.success.nope",
        "pretendRequest.return.statusCode",
        "pretendInfoSync.return.safeArea.right",
        "pretendInfoSync.success.platform",
        "onPretendTurn.callback.nope",
        "PretendTask.send",
        "PretendTask.abort.x",
        "pretendRequest..url",
    ];
    for q in yes {
        assert!(r.can_i_use(q), "{q} should be usable");
    }
    for q in no {
        assert!(!r.can_i_use(q), "{q} should not be usable");
    }
}

static FIRST: ApiDef = ApiDef {
    name: "twice",
    kind: ApiKind::Sync,
    summary: "",
    since: "",
    rust_path: "a::twice",
    file: "a.rs",
    line: 1,
    err_code: false,
    class: None,
    handler: Handler::Sync(|_, _, _, out| {
        out.null()
            .map_err(|e| wx_core::WxError::internal(e.to_string()))?;
        Ok(())
    }),
    options: None,
    params: &[],
    result: None,
    promise: false,
    off: Some(wx_core::OffDef {
        since: "",
        summary: "",
    }),
    listeners: wx_core::Listeners::Many,
};
static SECOND: ApiDef = ApiDef {
    rust_path: "b::twice",
    file: "b.rs",
    line: 2,
    ..FIRST
};
static ON_X: ApiDef = ApiDef {
    name: "onX",
    kind: ApiKind::On,
    handler: Handler::Event(None),
    ..FIRST
};
static OFF_X: ApiDef = ApiDef {
    name: "offX",
    rust_path: "c::off_x",
    file: "c.rs",
    line: 3,
    ..FIRST
};

#[test]
fn duplicates_are_reported_naming_both_declarations() {
    let err = Registry::from_defs([&FIRST, &SECOND]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "wx API `twice` is declared twice: by a::twice (a.rs:1) and by b::twice (b.rs:2)"
    );
    // An `off` twin collides with a declaration of the same name too.
    let err = Registry::from_defs([&ON_X, &OFF_X]).unwrap_err();
    assert_eq!(err.name, "offX");
    assert!(Registry::from_defs([&FIRST, &ON_X]).is_ok());
}
