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
//! A host embeds the APIs through [`Host`]; see `ARCHITECTURE.md` for the path
//! of one call.

#![warn(missing_docs)]

mod app;
mod args;
mod error;
mod event;
mod host;
mod panic;
mod registry;
pub mod schema;
mod task;
mod value;

pub use app::{default_runtime, App, AppBuilder};
pub use args::{decode_options, encode, Args};
pub use error::{ErrMsg, WxError};
pub use event::{Emitter, EventSink};
pub use host::{
    CallId, Callbacks, Delivery, Failure, Host, ObjectHandle, ObjectId, Returned, Settlement,
};
pub use panic::{panic_message, BoxFuture};
pub use registry::{
    Api, ApiDef, ApiKind, AsyncFn, ClassDef, DuplicateApi, Handler, ParamDef, Registry, SourceFn,
    SyncFn,
};
pub use schema::JsonSchema;
/// `schemars`, re-exported: `#[derive(JsonSchema)]` expands to `schemars::...`
/// paths, so `use wx_core::schemars;` beside the derive is all a crate needs.
pub use schemars;
pub use task::{Task, TaskMessage};
pub use value::de::{from_value, from_value_ref, DecodeError};
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
