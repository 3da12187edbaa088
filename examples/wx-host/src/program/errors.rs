//! Reporting what JS threw: uncaught exceptions of callbacks, unhandled
//! rejections (tracked as the engine reports them), each printed with its stack
//! and counted for the exit code. Nothing is reported while the program closes.

use super::Shared;
use crate::console::Level;
use crate::convert::JsValue;
use rquickjs::{CatchResultExt, CaughtError, Ctx, Function, Persistent};

pub(super) fn track_rejection<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    promise: JsValue<'js>,
    reason: JsValue<'js>,
    handled: bool,
) {
    let mut rejections = shared.rejections.borrow_mut();
    if handled {
        rejections.retain(|(p, _)| p.clone().restore(ctx).map_or(true, |p| p != promise));
    } else {
        rejections.push((
            Persistent::save(ctx, promise),
            Persistent::save(ctx, reason),
        ));
    }
}

/// Calls a user function; an exception it throws is reported and the loop goes on.
pub(super) fn invoke<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    function: &Function<'js>,
    arg: JsValue<'js>,
) {
    if let Err(error) = function.call::<_, ()>((arg,)).catch(ctx) {
        report_caught(ctx, shared, "Uncaught", error);
    }
}

pub(super) fn report_caught<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    prefix: &str,
    error: CaughtError<'js>,
) {
    if shared.closing() {
        return; // JS interrupted because the mini-program closed: not the script's error
    }
    match error {
        CaughtError::Exception(exception) => {
            report_error(ctx, shared, prefix, exception.into_value())
        }
        CaughtError::Value(value) => report_error(ctx, shared, prefix, value),
        CaughtError::Error(error) => {
            shared.uncaught.set(shared.uncaught.get() + 1);
            shared
                .console
                .print(Level::Error, &format!("{prefix} {error}"));
        }
    }
}

/// Reports a thrown value (printed, counted) and fires `wx.onError` with it,
/// as WeChat does for a script error.
pub(super) fn report_error<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    prefix: &str,
    value: JsValue<'js>,
) {
    let text = report_value(ctx, shared, prefix, value);
    fire(ctx, shared, "onError", |ctx| {
        rquickjs::String::from_str(ctx.clone(), &text).map(|s| s.into_value())
    });
}

/// Prints `<prefix> <value, described>` and counts it for the exit code; gives the description.
pub(super) fn report_value<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    prefix: &str,
    value: JsValue<'js>,
) -> String {
    shared.uncaught.set(shared.uncaught.get() + 1);
    let formatter = shared
        .format_error
        .borrow()
        .clone()
        .and_then(|f| f.restore(ctx).ok());
    let text = formatter
        .and_then(|format| format.call::<_, String>((value.clone(),)).ok())
        .unwrap_or_else(|| format!("{value:?}"));
    shared
        .console
        .print(Level::Error, &format!("{prefix} {text}"));
    text
}

/// Calls the listeners of a global event the host fires itself (`wx.onError`,
/// `wx.onUnhandledRejection`), where WeChat calls them: in place. An error a
/// listener throws is reported, but does not fire the event again.
pub(super) fn fire<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    event: &str,
    payload: impl FnOnce(&Ctx<'js>) -> rquickjs::Result<JsValue<'js>>,
) {
    if shared.firing_host_event.get() {
        return;
    }
    let listeners = shared.host.listeners(event);
    if listeners.is_empty() {
        return;
    }
    let Ok(payload) = payload(ctx) else { return };
    shared.firing_host_event.set(true);
    for id in listeners {
        let listener = shared.tables.functions.borrow().get(ctx, id);
        if let Some(listener) = listener {
            invoke(ctx, shared, &listener, payload.clone());
        }
    }
    shared.firing_host_event.set(false);
}
