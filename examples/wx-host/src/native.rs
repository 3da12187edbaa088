//! Native functions JS calls: a Rust value behind one of the engine's C
//! closures, called with the engine's own argument array, and the rule that a
//! panic never unwinds through the engine ([`guarded`]).
//!
//! rquickjs' `Function` reaches a Rust closure through a class lookup, a
//! vtable, an argument view and a panic handler of its own: about 220
//! instructions a call before the closure runs (callgrind, `js_calls`). The
//! `wx` entries and native objects' methods are the host's hottest calls, so
//! they are QuickJS C closures (`JS_NewCClosure`) whose opaque pointer is the
//! boxed Rust value, freed by the engine's finalizer with the function.

use crate::convert::JsValue;
use rquickjs::{qjs, Ctx, Function};
use std::ffi::{c_int, c_void};
use std::ptr::NonNull;

/// What a native function does when JS calls it.
pub(crate) trait NativeCall: 'static {
    /// The name its contained panics are reported under (`<label>:fail internal error: …`).
    fn label(&self) -> &str;
    /// One call, given `this` and the arguments as the engine holds them
    /// (borrowed for the call: [`arg`] makes an owned value of one).
    fn call(
        &self,
        ctx: &Ctx<'_>,
        this: qjs::JSValue,
        args: &[qjs::JSValue],
    ) -> rquickjs::Result<ReturnValue>;
}

/// What a native call hands back: an owned engine value whose reference
/// passes to the caller (freed if it is dropped instead). A number or
/// `undefined` is made as one directly, with no handle around it.
pub(crate) struct ReturnValue {
    ctx: NonNull<qjs::JSContext>,
    value: qjs::JSValue,
}

impl ReturnValue {
    /// `value`, owned (a number, `undefined`, `null` and a boolean own
    /// nothing; anything else must carry a reference that is the caller's).
    ///
    /// # Safety
    /// `value` is a value of `ctx` whose reference, if it has one, is given here.
    pub(crate) unsafe fn from_owned(ctx: &Ctx<'_>, value: qjs::JSValue) -> ReturnValue {
        ReturnValue {
            ctx: ctx.as_raw(),
            value,
        }
    }

    /// The value, its reference handed over.
    fn into_raw(self) -> qjs::JSValue {
        let value = self.value;
        std::mem::forget(self);
        value
    }
}

impl<'js> From<JsValue<'js>> for ReturnValue {
    fn from(value: JsValue<'js>) -> ReturnValue {
        let raw = value.as_raw();
        // SAFETY: the reference `value` gives up on drop is kept by the copy.
        unsafe { qjs::JS_DupValue(value.ctx().as_raw().as_ptr(), raw) };
        ReturnValue {
            ctx: value.ctx().as_raw(),
            value: raw,
        }
    }
}

impl Drop for ReturnValue {
    fn drop(&mut self) {
        // SAFETY: an owned value of a context that outlives the call.
        unsafe { qjs::JS_FreeValue(self.ctx.as_ptr(), self.value) }
    }
}

/// A JS function named `name` that runs `body`; the engine owns `body` from
/// here and drops it with the function.
pub(crate) fn new_function<'js, T: NativeCall>(
    ctx: &Ctx<'js>,
    name: &str,
    body: T,
) -> rquickjs::Result<Function<'js>> {
    let name = std::ffi::CString::new(name).map_err(|_| rquickjs::Error::Unknown)?;
    let opaque = Box::into_raw(Box::new(body)).cast::<c_void>();
    // SAFETY: a live context; `trampoline::<T>` and `finalize::<T>` read the
    // opaque pointer as the `Box<T>` made here, which the engine frees once.
    let raw = unsafe {
        qjs::JS_NewCClosure(
            ctx.as_raw().as_ptr(),
            Some(trampoline::<T>),
            name.as_ptr(),
            Some(finalize::<T>),
            0,
            0,
            opaque,
        )
    };
    if unsafe { qjs::JS_IsException(raw) } {
        // The closure was not made: the box is still ours.
        // SAFETY: made above and not handed over.
        drop(unsafe { Box::from_raw(opaque.cast::<T>()) });
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: a new, owned function value.
    let value = unsafe { JsValue::from_raw(ctx.clone(), raw) };
    Ok(value
        .into_function()
        .expect("JS_NewCClosure makes a function"))
}

/// Argument `raw` of a call as an owned value.
pub(crate) fn arg<'js>(ctx: &Ctx<'js>, raw: qjs::JSValue) -> JsValue<'js> {
    // SAFETY: a live argument of the current call; duplicated, so owned by the result.
    unsafe { JsValue::from_raw(ctx.clone(), qjs::JS_DupValue(ctx.as_raw().as_ptr(), raw)) }
}

/// Runs a native entry, turning a panic into a JS error labelled `label`: a
/// panic must never unwind through the engine.
pub(crate) fn guarded<'js>(
    ctx: &Ctx<'js>,
    label: &str,
    body: impl FnOnce() -> rquickjs::Result<JsValue<'js>>,
) -> rquickjs::Result<JsValue<'js>> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => Err(panicked(ctx, label, &*panic)),
    }
}

/// A contained panic thrown as `<label>:fail internal error: <message>`.
#[cold]
fn panicked(ctx: &Ctx<'_>, label: &str, panic: &(dyn std::any::Any + Send)) -> rquickjs::Error {
    let message = format!(
        "{label}:fail internal error: {}",
        wx_core::panic_message(panic)
    );
    rquickjs::Exception::throw_message(ctx, &message)
}

/// What the engine calls: the boxed `T` run on the arguments, its result
/// handed back owned, an error thrown.
unsafe extern "C" fn trampoline<T: NativeCall>(
    ctx: *mut qjs::JSContext,
    this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    _magic: c_int,
    opaque: *mut c_void,
) -> qjs::JSValue {
    // SAFETY: the engine calls with its live context and the opaque pointer
    // `new_function` gave it; `argv` holds `argc` values for this call.
    let (ctx, body, args) = unsafe {
        let args: &[qjs::JSValue] = match usize::try_from(argc) {
            Ok(len) if len > 0 && !argv.is_null() => std::slice::from_raw_parts(argv, len),
            _ => &[],
        };
        (
            Ctx::from_raw(NonNull::new_unchecked(ctx)),
            &*opaque.cast::<T>(),
            args,
        )
    };
    let called =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body.call(&ctx, this, args)));
    match called {
        Ok(Ok(returned)) => returned.into_raw(),
        Ok(Err(err)) => throw(&ctx, err),
        Err(panic) => throw(&ctx, panicked(&ctx, body.label(), &*panic)),
    }
}

/// An error as the engine's pending exception, as rquickjs throws it: already
/// thrown, out of memory, a conversion (`TypeError`), or anything else.
fn throw(ctx: &Ctx<'_>, err: rquickjs::Error) -> qjs::JSValue {
    use rquickjs::Error;
    match err {
        Error::Exception => {}
        // SAFETY: a live context.
        Error::Allocation => unsafe {
            qjs::JS_ThrowOutOfMemory(ctx.as_raw().as_ptr());
        },
        Error::FromJs { .. } | Error::IntoJs { .. } | Error::InvalidString(_) | Error::Utf8(_) => {
            rquickjs::Exception::throw_type(ctx, &err.to_string());
        }
        other => {
            rquickjs::Exception::throw_internal(ctx, &other.to_string());
        }
    }
    qjs::JS_EXCEPTION
}

/// The engine's finalizer: the function is gone, so is its `T`.
unsafe extern "C" fn finalize<T: NativeCall>(opaque: *mut c_void) {
    // SAFETY: the box `new_function` handed over, freed only here.
    drop(unsafe { Box::from_raw(opaque.cast::<T>()) });
}
