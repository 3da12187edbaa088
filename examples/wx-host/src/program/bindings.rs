//! The globals a mini-program sees: `wx` (one native function per registry
//! entry, bound to its resolved `Api`), timers and the console hooks; and what
//! every native entry shares with native objects' methods ([`super::objects`]). Each native entry converts its arguments, calls the `Host`,
//! keeps what wx-core says it kept, and turns the answer into JS. It must not run
//! deliveries: callbacks only ever run from the loop.

use super::Shared;
use crate::console::Level;
use crate::convert::{from_js_args, to_js, JsArgs, JsOutput, JsValue};
use crate::native::{NativeCall, ReturnValue};
use rquickjs::{qjs, Ctx, Object, Persistent};
use std::rc::Rc;
use wx_core::{Api, Failure, Returned, Value, WxError};

pub(super) fn install_globals<'js>(ctx: &Ctx<'js>, shared: &Rc<Shared>) -> rquickjs::Result<()> {
    let globals = ctx.globals();
    let format_error = crate::timers::install_prelude(
        ctx,
        shared,
        |s, level, text| s.console.print(level, text),
        |s| &s.timers,
    )?;
    *shared.format_error.borrow_mut() = Some(Persistent::save(ctx, format_error));
    super::objects::register_class(ctx, shared)?;

    let wx = Object::new(ctx.clone())?;
    for api in shared.host.registry().iter() {
        let entry = WxEntry {
            api,
            shared: shared.clone(),
        };
        let function = crate::native::new_function(ctx, api.name, entry)?;
        wx.set(api.name, function)?;
    }
    let env = Object::new(ctx.clone())?;
    env.set("USER_DATA_PATH", wx_apis::files::USER_DATA_PATH)?;
    wx.set("env", env)?;
    globals.set("wx", wx)?;
    Ok(())
}

/// One `wx.xxx` function: its API resolved once, its arguments read where the
/// engine holds them (no argument vector).
struct WxEntry {
    api: Api,
    shared: Rc<Shared>,
}

impl NativeCall for WxEntry {
    fn label(&self) -> &str {
        self.api.name
    }

    fn call(
        &self,
        ctx: &Ctx<'_>,
        _this: qjs::JSValue,
        args: &[qjs::JSValue],
    ) -> rquickjs::Result<ReturnValue> {
        match self.api.kind {
            wx_core::ApiKind::Sync | wx_core::ApiKind::Async => {
                call_in_place(ctx, &self.shared, self.api, args)
            }
            wx_core::ApiKind::On | wx_core::ApiKind::Off => {
                let args: Vec<JsValue<'_>> = args
                    .iter()
                    .map(|&raw| crate::native::arg(ctx, raw))
                    .collect();
                call_listener(ctx, &self.shared, self.api, args).map(ReturnValue::from)
            }
        }
    }
}

/// A sync or async API, its arguments read where the engine holds them: a sync
/// API's positional arguments, an async API's options object (callbacks and
/// declared fields); a sync result is made straight into a JS value. The
/// function table is entered (and settled) only when an argument was converted
/// or a function lent, which a string, a number or nothing never is.
fn call_in_place<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    api: Api,
    raw_args: &[qjs::JSValue],
) -> rquickjs::Result<ReturnValue> {
    let mut args = JsArgs::new(ctx, &shared.tables, raw_args);
    let mut out = JsOutput::new(ctx, &shared.tables);
    let result = match api.kind {
        wx_core::ApiKind::Sync => shared
            .host
            .call_sync(api, wx_core::Args::lent(&mut args), &mut out)
            .map(|object| object.map(Returned::Object)),
        _ => {
            let returned = shared.host.call_async(api, &mut args);
            // A route call queued a transition: take its `events` functions before the sweep.
            super::pages::adopt(ctx, shared);
            returned.map(Some)
        }
    };
    if args.converted() {
        settle_retention(shared);
    }
    match result {
        Ok(None) => out.into_returned(),
        Ok(Some(returned)) => returned_to_js(ctx, shared, returned).map(ReturnValue::from),
        Err(failure) => fail_to_js(ctx, shared, &failure).map(ReturnValue::from),
    }
}

/// Converts a native call's arguments. The function table is told a call is in
/// progress; `settle_retention` ends it (on every path).
pub(super) fn convert_args<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    args: &[JsValue<'js>],
) -> Result<Vec<Value>, String> {
    shared.tables.functions.borrow_mut().enter();
    from_js_args(ctx, &shared.tables.functions, args)
}

/// An `onXxx`/`offXxx` API: its arguments converted (the listener gets its id).
fn call_listener<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    api: Api,
    args: Vec<JsValue<'js>>,
) -> rquickjs::Result<JsValue<'js>> {
    let result = match convert_args(ctx, shared, &args) {
        Ok(values) => shared.host.call_api(api, values),
        // Too large, too deep: the call fails as the API would fail it.
        Err(reason) => shared
            .host
            .refuse(api, Value::Undefined, WxError::parameter(reason)),
    };
    settle_retention(shared);
    match result {
        Ok(returned) => returned_to_js(ctx, shared, returned),
        Err(failure) => fail_to_js(ctx, shared, &failure),
    }
}

/// Keeps alive exactly the functions wx-core says it now holds (`Host::take_kept`:
/// the host keeps no copy of that rule), then ends the native call's conversion.
pub(super) fn settle_retention(shared: &Shared) {
    let kept = shared.host.take_kept();
    let mut functions = shared.tables.functions.borrow_mut();
    kept.into_iter().for_each(|id| functions.retain(id));
    functions.leave();
}

fn returned_to_js<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    returned: Returned,
) -> rquickjs::Result<JsValue<'js>> {
    match returned {
        Returned::Value(value) => to_js(ctx, &shared.tables, &value),
        Returned::Promise(call) => {
            let (promise, resolve, reject) = ctx.promise()?;
            let ends = (
                Persistent::save(ctx, resolve),
                Persistent::save(ctx, reject),
            );
            shared.promises.borrow_mut().insert(call, ends);
            Ok(promise.into_value())
        }
        Returned::Object(handle) if handle.class.singleton => {
            // One object per app: the same JS object every time it is asked for.
            let cached = shared.singletons.borrow().get(&handle.id).cloned();
            if let Some(object) = cached.and_then(|o| o.restore(ctx).ok()) {
                return Ok(object.into_value());
            }
            let object = super::objects::native_object(ctx, shared, handle)?;
            shared
                .singletons
                .borrow_mut()
                .insert(handle.id, Persistent::save(ctx, object.clone()));
            Ok(object.into_value())
        }
        Returned::Object(handle) => {
            super::objects::native_object(ctx, shared, handle).map(Object::into_value)
        }
    }
}

/// A failed call as JS sees it: thrown, or (for what WeChat only reports) printed
/// with `console.error` and `undefined` returned.
pub(super) fn fail_to_js<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    failure: &Failure,
) -> rquickjs::Result<JsValue<'js>> {
    if failure.console_only {
        shared.console.print(Level::Error, failure.err_msg.as_str());
        return Ok(JsValue::new_undefined(ctx.clone()));
    }
    Err(throw_failure(ctx, failure))
}

/// Throws an `Error` whose message is the errMsg (WeChat's sync APIs do), with
/// `errMsg`, `errCode` and `errno` set on it too.
fn throw_failure<'js>(ctx: &Ctx<'js>, failure: &Failure) -> rquickjs::Error {
    let build = || -> rquickjs::Result<JsValue<'js>> {
        let error = rquickjs::Exception::from_message(ctx.clone(), failure.err_msg.as_str())?;
        error.set("errMsg", failure.err_msg.as_str())?;
        if let Some(code) = failure.err_code {
            error.set("errCode", code as f64)?;
        }
        if let Some(errno) = failure.errno {
            error.set("errno", errno as f64)?;
        }
        Ok(error.into_value())
    };
    match build() {
        Ok(error) => ctx.throw(error),
        Err(err) => err,
    }
}
