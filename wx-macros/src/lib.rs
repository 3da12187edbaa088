//! Procedural macros of wx-core. Use them through `wx_core`, which re-exports them.
//!
//! Each entry point is one line over `proc_macro2` logic that can be tested
//! without a compiler: `options` parses the attribute, `model` parses and
//! validates the function into an `Api`, `expand` generates the
//! registration. Errors are `syn::Error`s spanned on the offending token; the
//! user's function is always emitted as written, so it stays callable and an
//! IDE keeps seeing it even when the attribute is wrong.

mod case;
mod expand;
mod kind;
mod model;
mod options;
mod schema;
#[cfg(test)]
mod snapshots;

use proc_macro::TokenStream;

/// Turns an `async fn` into a WeChat async API: `wx.name({ ...options, success, fail, complete })`.
///
/// The function may take `&App` (the calling mini-program, never `&mut`), one
/// options parameter (`Deserialize + JsonSchema`, decoded from the call's
/// object), a `CallForm` (whether the call came through the `Sync` twin) and,
/// with `task = "Class"`, a `Task` for the object the call returns. It returns
/// `T` or `Result<T, E>` with `T: Serialize + JsonSchema` (the success data) and
/// `E: Into<WxError>`. The JS name is the function's in camelCase.
///
/// Derive `JsonSchema` from `wx_core` (see [`macro@JsonSchema`]): a crate of
/// APIs needs no `schemars` dependency of its own.
///
/// | option | what it does |
/// |---|---|
/// | `name = "jsName"` | the JS name, when it is not the function's |
/// | `since = "2.21.3"` | the base library version it appeared in (`canIUse`, typings) |
/// | `err_code` | results carry `errCode` (0 on success), as `wx.request`'s do |
/// | `no_promise` | never returns a Promise, even without callbacks (`getSystemInfoAsync`) |
/// | `sync` / `sync(key, data)` | also registers `nameSync`, whose positional arguments fill these option fields |
/// | `sync_result = data` | the `Sync` twin returns this field of the success data, not the whole |
/// | `task = "Class"` | the call returns an object of this class (`RequestTask`); the function takes its `Task` |
/// | `events(on_x(Payload, since = "..", off_since = "..", no_off, single_listener))` | the object's `onX`/`offX` pairs |
/// | `methods(pause, send(SendOptions) = "sendSocketMessage")` | the object's methods, forwarded to the task; with an options type, its callbacks are settled under the given errMsg name |
/// | `properties(src(String, check = f), paused(bool, readonly), x(T, since = ".."))` | the object's properties |
/// | `no_abort`, `abort_since = "1.4.0"` | the object has no `abort()`; or when it appeared |
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use wx_core::{wx_async, App, JsonSchema, Task, WxError};
///
/// #[derive(Deserialize, JsonSchema)]
/// struct GetNoteOptions { key: String }
///
/// #[derive(Serialize, JsonSchema)]
/// struct GetNoteResult { text: String }
///
/// /// Reads a note (`wx.getNote`, and `wx.getNoteSync(key)` returning the text).
/// #[wx_async(since = "2.0.0", sync(key), sync_result = text)]
/// async fn get_note(_app: &App, opts: GetNoteOptions) -> Result<GetNoteResult, WxError> {
///     Ok(GetNoteResult { text: format!("note {}", opts.key) })
/// }
///
/// #[derive(Serialize, JsonSchema)]
/// struct Progress { percent: f64 }
///
/// /// Downloads, reporting progress on the returned `DownloadNoteTask`.
/// #[wx_async(
///     task = "DownloadNoteTask",
///     events(on_progress(Progress, since = "2.1.0")),
///     methods(pause),
///     err_code
/// )]
/// async fn download_note(task: Task) {
///     task.emit("onProgress", &Progress { percent: 100.0 });
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn wx_async(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Async, attr.into(), item.into()).into()
}

/// Turns a `fn` into a WeChat sync API: `wx.nameSync(a, b)` returns or throws.
///
/// Parameters other than `&App` (and `Task`) are the positional arguments, in
/// order, each `Deserialize + JsonSchema`; a trailing one named `options` is
/// an options object. The return is `T` or `Result<T, E>` as for
/// `#[wx_async]`; a failure is thrown as an `Error` whose message is the
/// errMsg, or, for `WxError::console`, printed and `undefined` returned.
///
/// | option | what it does |
/// |---|---|
/// | `name = "jsName"`, `since = ".."` | as for `#[wx_async]` |
/// | `task = "Class"`, `events(...)`, `methods(...)`, `properties(...)` | the call returns an object (`wx.createWorker`); the function takes its `Task` and keeps it (typically in a spawned future) as long as the object lives |
/// | `singleton` | one object per app: while it lives, every call returns it (`wx.getBackgroundAudioManager`) |
///
/// ```
/// use wx_core::{wx_sync, App, Task, Value};
///
/// /// `wx.joinSync(a, b)`.
/// #[wx_sync]
/// fn join_sync(a: String, b: String) -> String {
///     format!("{a}{b}")
/// }
///
/// /// The app's player (`wx.getPlayer()`): the same object every time.
/// #[wx_sync(task = "Player", singleton, properties(volume(f64), playing(bool, readonly)), methods(play))]
/// fn get_player(app: &App, mut task: Task) {
///     task.set_property("volume", &1.0);
///     task.set_property("playing", &false);
///     task.set_busy(false); // it only waits for JS
///     app.runtime().spawn(async move {
///         while let Some(message) = task.next_message().await {
///             if message.method == "play" {
///                 task.set_property("playing", &true);
///             }
///         }
///     });
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn wx_sync(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Sync, attr.into(), item.into()).into()
}

/// Turns an `async fn` into an event source: `wx.onName(listener)` and its
/// twin `wx.offName(listener?)`.
///
/// The function takes `&App` and an `EventSink<T>` (`T: Serialize +
/// JsonSchema`, what listeners get); it starts when the first listener arrives
/// and is dropped when the last one leaves. A source that returns at once makes
/// an event the host fires itself (`Host::listeners`).
///
/// | option | what it does |
/// |---|---|
/// | `name = "onJsName"`, `since = ".."` | as for `#[wx_async]` |
/// | `off_since = ".."`, `off_summary = ".."` | the `off` twin's own version and summary |
/// | `no_off` | WeChat has no `off` twin |
/// | `single_listener` | a new listener replaces the one there (the legacy `wx.onSocketOpen`) |
///
/// ```
/// use serde::Serialize;
/// use wx_core::{wx_event, App, EventSink, JsonSchema};
///
/// #[derive(Serialize, JsonSchema)]
/// struct Tick { n: u32 }
///
/// /// Ticks ten times a second while anyone listens.
/// #[wx_event(since = "2.0.0", off_since = "2.1.0")]
/// async fn on_tick(_app: &App, sink: EventSink<Tick>) {
///     for n in 0.. {
///         tokio::time::sleep(std::time::Duration::from_millis(100)).await;
///         if !sink.emit(&Tick { n }) {
///             return;
///         }
///     }
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn wx_event(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Event, attr.into(), item.into()).into()
}

/// Derives `JsonSchema` (the schema of an options, result or payload type)
/// with no `schemars` in scope and no `schemars` dependency: schemars' derive,
/// reached through wx-core. It reads what schemars' does (doc comments become
/// descriptions; `#[serde(...)]` and `#[schemars(...)]` attributes), and gives
/// the schema, name and id schemars would.
///
/// ```
/// use serde::Deserialize;
/// use wx_core::JsonSchema;
///
/// /// Options of `wx.getNote`.
/// #[derive(Deserialize, JsonSchema)]
/// #[serde(default, rename_all = "camelCase")]
/// struct GetNoteOptions {
///     /// The note's key.
///     note_key: String,
/// }
///
/// impl Default for GetNoteOptions {
///     fn default() -> Self {
///         GetNoteOptions { note_key: "today".into() }
///     }
/// }
///
/// let schema = wx_core::schemars::schema_for!(GetNoteOptions);
/// assert_eq!(schema.get("title").unwrap(), "GetNoteOptions");
/// assert_eq!(schema.get("description").unwrap(), "Options of `wx.getNote`.");
/// let key = &schema.get("properties").unwrap()["noteKey"];
/// assert_eq!(key["default"], "today");
/// assert_eq!(key["description"], "The note's key.");
/// ```
///
/// How: a derive cannot add `#[schemars(crate = "...")]` to its item, so this
/// one applies schemars' derive, with that attribute, to a hidden copy of the
/// item keeping only what schemars reads, and implements the trait for the
/// item by forwarding to the copy's. Each type parameter must implement
/// `JsonSchema`. A crate with its own `schemars` may use schemars' derive
/// instead (`#[derive(schemars::JsonSchema)]`): the trait is the same.
#[proc_macro_derive(JsonSchema, attributes(schemars, serde, validate, garde))]
pub fn derive_json_schema(item: TokenStream) -> TokenStream {
    schema::derive(item.into()).into()
}
