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
#[cfg(test)]
mod snapshots;

use proc_macro::TokenStream;

/// Turns an `async fn` into a WeChat async API: `wx.name({ ...options, success, fail, complete })`.
///
/// The function may take `&App` (the calling mini-program), one options
/// parameter (`Deserialize + JsonSchema`, decoded from the call's object) and,
/// with `task = "Class"`, a `Task` for the object the call returns. It returns
/// `T` or `Result<T, E>` with `T: Serialize + JsonSchema` (the success data) and
/// `E: Into<WxError>`.
///
/// Options: `name = "jsName"`, `since = "2.21.3"`, `err_code`, `task = "Class"`,
/// `events(on_xxx, ...)`, `methods(xxx, ...)`.
#[proc_macro_attribute]
pub fn wx_async(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Async, attr.into(), item.into()).into()
}

/// Turns a `fn` into a WeChat sync API: `wx.nameSync(a, b)` returns or throws.
///
/// Parameters other than `&App` are the positional arguments, in order, each
/// `Deserialize + JsonSchema`; the return is `T` or `Result<T, E>` as for
/// `#[wx_async]`. Options: `name = "jsName"`, `since = "..."`, and, for an API
/// that returns an object (`wx.createWorker`), `task = "Class"`, `events(...)`,
/// `methods(...)`: the function then takes the object's `Task` and keeps it
/// (typically in a spawned future) for as long as the object lives.
#[proc_macro_attribute]
pub fn wx_sync(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Sync, attr.into(), item.into()).into()
}

/// Turns an `async fn` into an event source: `wx.onName(listener)` and its
/// twin `wx.offName(listener?)`.
///
/// The function takes `&App` and an `EventSink<T>`; it starts when the first
/// listener arrives and is dropped when the last one leaves. Options:
/// `name = "onJsName"`, `since = "..."`.
#[proc_macro_attribute]
pub fn wx_event(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::api(kind::Kind::Event, attr.into(), item.into()).into()
}
