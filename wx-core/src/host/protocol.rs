//! What a host and wx-core say to each other: what a call returns at once
//! ([`Returned`], [`Failure`]), what arrives later ([`Delivery`], [`Settlement`]),
//! and the callbacks of an async call ([`Callbacks`], which owns WeChat's Promise
//! rule). Plain data; nothing here runs a call or touches the tables.

use crate::channel::{CallId, ObjectId};
use crate::{ClassDef, ErrMsg, FunctionId, Object, Value, WxError};

/// What [`Host::call`](crate::Host::call) hands back to JS at once.
#[derive(Debug, Clone, PartialEq)]
pub enum Returned {
    /// A plain value: a sync API's result, or `undefined`.
    Value(Value),
    /// An async call made without callbacks: the host returns a Promise and
    /// settles it when the [`Settlement`] with this id arrives.
    Promise(CallId),
    /// A native object; the host exposes its class's methods and forwards them
    /// to [`Host::call_method`](crate::Host::call_method).
    Object(ObjectHandle),
}

/// A native object as the host sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectHandle {
    /// The object's id.
    pub id: ObjectId,
    /// Its class: the methods and events to expose.
    pub class: &'static ClassDef,
}

/// A failed sync call: throw an `Error` whose message is `err_msg`. Or, when
/// [`Failure::console_only`] is set, a mistake WeChat only reports: print
/// `err_msg` with `console.error` and return `undefined`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// `"<api>:fail <reason>"` (or, for a console-only report, WeChat's text).
    pub err_msg: ErrMsg,
    /// The `errCode`, if any.
    pub err_code: Option<i64>,
    /// The `errno`, if any.
    pub errno: Option<i64>,
    /// `true`: not thrown. WeChat logs it and the call returns `undefined`
    /// (`wx.onCompassChange(1)` logs `onCompassChange should accept a function instead of number`).
    pub console_only: bool,
}

impl Failure {
    pub(super) fn new(api: &str, err: &WxError) -> Self {
        Failure {
            err_msg: err.err_msg(api),
            err_code: err.err_code(),
            errno: err.errno(),
            console_only: err.is_console_only(),
        }
    }

    /// A mistake WeChat reports on the console instead of throwing.
    pub(super) fn console(text: String) -> Self {
        Failure {
            err_msg: ErrMsg::verbatim(text),
            err_code: None,
            errno: None,
            console_only: true,
        }
    }

    /// The object WeChat gives `fail` callbacks: `{ errMsg, errCode?, errno? }`.
    pub fn to_value(&self) -> Value {
        let mut obj = Object::new();
        obj.insert("errMsg".into(), self.err_msg.as_str().into());
        if let Some(code) = self.err_code {
            obj.insert("errCode".into(), code.into());
        }
        if let Some(errno) = self.errno {
            obj.insert("errno".into(), errno.into());
        }
        Value::from(obj)
    }
}

/// The `success`, `fail` and `complete` functions of one async call.
///
/// Taken from the options object by [`Callbacks::take`], the one owner of
/// WeChat's rule: only functions are called, and a call is in Promise mode
/// when none of the three is truthy (`{ success: 1 }` is neither).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Callbacks {
    /// `success`, if it was a function.
    pub success: Option<FunctionId>,
    /// `fail`, if it was a function.
    pub fail: Option<FunctionId>,
    /// `complete`, if it was a function.
    pub complete: Option<FunctionId>,
}

/// An async call's end: exactly one per call.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// The call.
    pub call: CallId,
    /// Whether the host made a Promise for it (no callback was a function).
    pub promise: bool,
    /// Its callbacks (none in Promise mode).
    pub callbacks: Callbacks,
    /// `true` for success.
    pub ok: bool,
    /// The object every callback receives: `{ errMsg, ...data }`.
    pub result: Value,
}

impl Settlement {
    /// The functions to call with [`Settlement::result`], in order: `success` or
    /// `fail`, then `complete`. After this the callbacks are no longer referenced.
    pub fn invocations(&self) -> impl Iterator<Item = FunctionId> {
        let first = if self.ok {
            self.callbacks.success
        } else {
            self.callbacks.fail
        };
        first.into_iter().chain(self.callbacks.complete)
    }
}

/// Something for the host to do on its JS thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// An async call settled: call its callbacks or settle its Promise.
    Settle(Settlement),
    /// An event fired: call each listener (a snapshot taken now) with `payload`.
    Event {
        /// The listeners, in the order they were added.
        listeners: Vec<FunctionId>,
        /// The argument.
        payload: Value,
    },
    /// A panic or encoding failure with no call to report it to (an event
    /// source's): report it like an uncaught error.
    Error {
        /// `"<api>:fail internal error: ..."`.
        err_msg: ErrMsg,
    },
    /// wx-core dropped one registration of each of these listener functions
    /// (by `offXxx`, or because its object ended); the host may free them.
    Release(Vec<FunctionId>),
    /// An API printed a line on the mini-program's console (`wx_core::console_warn`):
    /// print it with `console.warn` or `console.error`.
    Console {
        /// Warn or error.
        level: crate::ConsoleLevel,
        /// The line, as WeChat's base library prints it.
        text: String,
    },
}

impl Callbacks {
    /// Takes `success`, `fail` and `complete` out of the options (one pass, no
    /// hashing: options objects are small). Values that are not functions are
    /// dropped too; the `bool` says whether any of the three was truthy, which
    /// is what turns Promise mode off.
    pub fn take(options: &mut Object) -> (Callbacks, bool) {
        let mut callbacks = Callbacks::default();
        let mut any_truthy = false;
        options.retain(|key, value| {
            let slot = match key.as_str() {
                "success" => &mut callbacks.success,
                "fail" => &mut callbacks.fail,
                "complete" => &mut callbacks.complete,
                _ => return true,
            };
            any_truthy |= value.is_truthy();
            *slot = value.as_function();
            false
        });
        (callbacks, any_truthy)
    }
}

/// The object every callback of a settled call receives.
pub(super) fn settle_value(
    api: &str,
    err_code: bool,
    result: Result<Value, WxError>,
) -> (bool, Value) {
    let data = match result {
        Ok(Value::Object(data)) => *data,
        Ok(Value::Undefined | Value::Null) => Object::new(),
        Ok(other) => {
            let err = WxError::internal(format!(
                "success data must be an object, not {}",
                other.js_type_name()
            ));
            return (false, Failure::new(api, &err).to_value());
        }
        Err(err) => return (false, Failure::new(api, &err).to_value()),
    };
    let mut obj = Object::with_capacity(data.len() + 2);
    obj.insert("errMsg".into(), ErrMsg::ok(api).into_string().into());
    if err_code {
        obj.insert("errCode".into(), 0.into());
    }
    obj.extend(data);
    (true, Value::from(obj))
}
