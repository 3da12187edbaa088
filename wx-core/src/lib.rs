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
//! use wx_core::{wx_async, App, JsonSchema, WxError};
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
//! once, keeps alive the functions [`Host::take_kept`] names, and runs the
//! [`Delivery`]s that arrive later on its own thread. `examples/rust-host` in the
//! repository is a complete host with no engine that drives a sync, an async, an
//! event and an object API (`cargo run -p rust-host`), over the APIs of
//! `examples/api-crate`, a crate of one's own APIs.
//!
//! ## Tokio
//!
//! API futures run on the app's tokio runtime (`App::runtime`, a shared
//! multi-thread one unless the host gives its own): a crate of APIs needs no
//! runtime of its own. It needs `tokio` as a dependency only to name tokio's
//! APIs in its code (`tokio::time::sleep`, `tokio::fs`), with the features it
//! uses; the same major version, 1, as wx-core's.
//!
//! See `ARCHITECTURE.md` for the path of one call and the invariants.

#![warn(missing_docs)]

// The derives wx-core exports name `::wx_core`; this lets its own code use them.
extern crate self as wx_core;

mod app;
mod args;
mod channel;
mod console;
mod error;
mod event;
mod hop;
mod host;
mod panic;
mod registry;
pub mod schema;
pub mod signature;
mod task;
mod twin;
pub mod typings;
mod value;

pub use app::{check_app_id, default_data_root, default_runtime, App, AppBuilder, Diagnostics};
pub use args::{
    decode_options, encode, encode_field_into, encode_into, ArgSource, Args, Field, Lent, Loose,
    Millis, PropertyCheck,
};
pub use console::{console_error, console_warn, ConsoleLevel};
pub use error::{brief, ErrMsg, WxError, ERRNO_PARAMETER, MAX_ERR_MSG};
pub use event::{Emitter, EventSink};
pub use hop::{to_runtime, ToRuntime};
pub use host::{
    ApiStats, CallId, Callbacks, Delivery, Failure, Host, ObjectHandle, ObjectId, Returned,
    Settlement,
};
/// `schemars`' `JsonSchema` trait: the schema of options, results and payloads.
/// Its derive, [`macro@JsonSchema`], is wx-core's (the glob keeps the trait and
/// lets the explicit import below own the macro name).
pub use json_schema_trait::*;
pub use panic::{install_quiet_panic_hook, panic_message, BoxFuture};
pub use registry::{
    off_to_on, on_to_off, Api, ApiDef, ApiKind, AsyncFn, ClassDef, DuplicateApi, EventDef, Handler,
    Listeners, MethodDef, OffDef, ParamDef, PropertyDef, Registry, RegistryError, SourceFn, SyncFn,
};
mod json_schema_trait {
    pub use schemars::JsonSchema;
}
/// `schemars`, re-exported: for naming its types (`Schema`, `SchemaGenerator`)
/// or writing a `JsonSchema` impl by hand, with no dependency of one's own.
pub use schemars;
pub use task::{MethodReply, Task, TaskMessage};
pub use twin::{run_blocking, CallForm, Positional};
pub use value::de::{from_value, from_value_ref, DecodeError};
pub use value::encoded::Encoded;
pub use value::json::json_stringify;
pub use value::ser::{to_value, SerializeError};
pub use value::sink::{serialize_into, Sink};
pub use value::{format_number, FunctionId, Object, Value};
pub use wx_macros::JsonSchema;
pub use wx_macros::{wx_async, wx_event, wx_sync};

/// What generated code needs and users do not: kept out of the documented API.
#[doc(hidden)]
pub mod __private {
    pub use crate::args::assign_property;
    use crate::schema::TypeSchema;
    pub use inventory;
    pub use schemars;
    pub use serde;

    /// What `#[derive(JsonSchema)]`'s forwarding impl asks of the hidden twin
    /// (schemars' derive implements it). Only when schemars' derive failed on
    /// the twin (its own error says why) is it missing; the message then says
    /// so instead of naming a type the user never wrote.
    #[diagnostic::on_unimplemented(
        message = "schemars could not derive `JsonSchema` for this item (its error is above)",
        label = "no `JsonSchema` derived"
    )]
    pub trait SchemaTwin: schemars::JsonSchema {}
    #[diagnostic::do_not_recommend]
    impl<T: schemars::JsonSchema> SchemaTwin for T {}

    /// The twin's four `JsonSchema` functions, which the item's impl calls.
    /// One generic function (not four) so that a failed derive is one error.
    pub fn twin<T: SchemaTwin>() -> TypeSchema {
        TypeSchema::of::<T>()
    }
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
