//! # wx-core
//!
//! The runtime behind native WeChat mini-program APIs. Write a plain Rust
//! function, mark it `#[wx_async]`, `#[wx_sync]` or `#[wx_event]`, and it becomes
//! a registered `wx.*` API that follows WeChat's conventions: options decoded
//! from the call's object, `success`/`fail`/`complete` or a Promise, errMsg and
//! errCode built here, parameter errors in WeChat's words, panics contained.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use wx_core::{schemars, wx_async, App, JsonSchema, WxError};
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct EchoOptions { text: String }
//!
//! #[derive(Serialize, JsonSchema)]
//! struct EchoResult { text: String }
//!
//! /// Echoes `text` back.
//! #[wx_async]
//! async fn echo(_app: &App, opts: EchoOptions) -> Result<EchoResult, WxError> {
//!     Ok(EchoResult { text: opts.text })
//! }
//! ```
//!
//! ## Driving APIs without a JS engine
//!
//! A host (a JS engine binding, a simulator, a test) talks to every API through
//! [`Host`]: it calls by name with JS-like [`Value`]s, gets a [`Returned`] at
//! once, and runs the [`Delivery`]s that arrive later on its own thread. Here a
//! sync, an async, an event and an object API are driven by plain Rust:
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use std::time::Duration;
//! use wx_core::*;
//!
//! /// wx.addSync(a, b)
//! #[wx_sync]
//! fn add_sync(a: f64, b: f64) -> f64 { a + b }
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct LoginOptions { timeout: Option<u32> }
//! #[derive(Serialize, JsonSchema)]
//! struct LoginResult { code: String }
//!
//! /// wx.login({ timeout, success, fail, complete })
//! #[wx_async]
//! async fn login(app: &App, opts: LoginOptions) -> Result<LoginResult, WxError> {
//!     tokio::time::sleep(Duration::from_millis(opts.timeout.unwrap_or(1).into())).await;
//!     Ok(LoginResult { code: format!("code-for-{}", app.app_id()) })
//! }
//!
//! #[derive(Serialize, JsonSchema)]
//! struct CompassChange { direction: f64 }
//!
//! /// wx.onCompassChange(listener) / wx.offCompassChange(listener)
//! #[wx_event]
//! async fn on_compass_change(_app: &App, sink: EventSink<CompassChange>) {
//!     for direction in [0.0, 90.0, 180.0] {
//!         sink.emit(&CompassChange { direction });
//!         tokio::time::sleep(Duration::from_millis(1)).await;
//!     }
//! }
//!
//! /// wx.download({}) returns a DownloadTask with abort() and onProgressUpdate.
//! #[wx_async(task = "DownloadTask", events(on_progress_update(u32)))]
//! async fn download(task: Task) {
//!     task.emit("onProgressUpdate", &50);
//!     std::future::pending::<()>().await // until aborted
//! }
//!
//! let host = Host::new(App::builder("wx-doc").build()).unwrap();
//! let f = |id| Value::Function(FunctionId(id));
//!
//! // Sync: the value, or a Failure to throw.
//! assert_eq!(host.call("addSync", vec![1.into(), 2.into()]).unwrap(), Returned::Value(3.0.into()));
//!
//! // Async with callbacks, and without (a Promise).
//! let mut options = Object::new();
//! options.insert("success".into(), f(1));
//! host.call("login", vec![options.into()]).unwrap();
//! let Returned::Promise(promise) = host.call("login", vec![]).unwrap() else { unreachable!() };
//!
//! // An event listener, and an object whose abort() settles its call.
//! host.call("onCompassChange", vec![f(2)]).unwrap();
//! let Returned::Object(task) = host.call("download", vec![]).unwrap() else { unreachable!() };
//! host.call_method(task, "onProgressUpdate", vec![f(3)]).unwrap();
//!
//! // The host's event loop: run deliveries until nothing can produce more.
//! let mut log = Vec::new();
//! while !host.is_idle() || log.is_empty() {
//!     let Some(delivery) = host.next(Some(Duration::from_millis(20))) else { continue };
//!     match delivery {
//!         Delivery::Settle(s) if s.promise => {
//!             assert_eq!(s.call, promise);
//!             log.push(format!("promise resolved: {}", s.result));
//!         }
//!         Delivery::Settle(s) => {
//!             for function in s.invocations() {
//!                 log.push(format!("call #{} with {}", function.0, s.result));
//!             }
//!         }
//!         Delivery::Event { listeners, payload } => {
//!             if listeners == [FunctionId(3)] {
//!                 host.call_method(task, "abort", vec![]).unwrap(); // from "JS", mid-flight
//!             }
//!             log.push(format!("event to {listeners:?}: {payload}"));
//!         }
//!         Delivery::Error { err_msg } => log.push(format!("uncaught: {err_msg}")),
//!         Delivery::Release(_) => {}
//!     }
//!     if log.len() > 5 {
//!         host.call("offCompassChange", vec![]).unwrap(); // stop the compass
//!     }
//! }
//! let text = log.join("\n");
//! assert!(text.contains(r#"call #1 with { errMsg: "login:ok", code: "code-for-wx-doc" }"#));
//! assert!(text.contains(r#"promise resolved: { errMsg: "login:ok", code: "code-for-wx-doc" }"#));
//! assert!(text.contains("event to [FunctionId(2)]: { direction: 90 }"));
//! assert!(text.contains("event to [FunctionId(3)]: 50"));
//! // `download` was called without callbacks: it returned its object, not a Promise,
//! // so its `"download:fail abort"` reaches no callback.
//! ```
//!
//! See `ARCHITECTURE.md` for the path of one call and the invariants.

#![warn(missing_docs)]

mod app;
mod args;
mod channel;
mod error;
mod event;
mod host;
mod panic;
mod registry;
pub mod schema;
pub mod signature;
mod task;
mod twin;
mod value;

pub use app::{check_app_id, default_runtime, App, AppBuilder, Diagnostics};
pub use args::{decode_options, encode, Args, Loose, Millis};
pub use error::{brief, ErrMsg, WxError, ERRNO_PARAMETER, MAX_ERR_MSG};
pub use event::{Emitter, EventSink};
pub use host::{
    CallId, Callbacks, Delivery, Failure, Host, ObjectHandle, ObjectId, Returned, Settlement,
};
pub use panic::{install_quiet_panic_hook, panic_message, BoxFuture};
pub use registry::{
    off_to_on, on_to_off, Api, ApiDef, ApiKind, AsyncFn, ClassDef, DuplicateApi, EventDef, Handler,
    Listeners, MethodDef, OffDef, ParamDef, Registry, RegistryError, SourceFn, SyncFn,
};
pub use schema::JsonSchema;
/// `schemars`, re-exported: `#[derive(JsonSchema)]` expands to `schemars::...`
/// paths, so `use wx_core::schemars;` beside the derive is all a crate needs.
pub use schemars;
pub use task::{MethodReply, Task, TaskMessage};
pub use twin::{run_blocking, sync_result, CallForm};
pub use value::de::{from_value, from_value_ref, DecodeError};
pub use value::json::json_stringify;
pub use value::ser::{to_value, SerializeError};
pub use value::{format_number, FunctionId, Object, Value};
pub use wx_macros::{wx_async, wx_event, wx_sync};

/// What generated code needs and users do not: kept out of the documented API.
#[doc(hidden)]
pub mod __private {
    pub use inventory;
    pub use schemars;
    pub use serde;
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
