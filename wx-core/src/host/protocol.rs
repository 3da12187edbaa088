//! What a host and wx-core say to each other: what a call returns at once
//! ([`Returned`], [`Failure`]), what arrives later ([`Delivery`], [`Settlement`]),
//! and the callbacks of an async call ([`Callbacks`], which owns WeChat's Promise
//! rule). Plain data; nothing here runs a call or touches the tables.

use crate::channel::{CallId, ObjectId};
use crate::{
    ArgSource, ClassDef, Encoded, ErrMsg, Field, FunctionId, Lent, Object, Value, WxError,
};

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
        head(&self.err_msg, self.err_code, self.errno)
            .map(|(key, value)| (key.to_owned(), value.to_value()))
            .collect::<Object>()
            .into()
    }
}

/// The keys a callback's object starts with, in order: `errMsg`, then
/// `errCode` and `errno` when there are. The one statement of that order.
fn head(
    err_msg: &ErrMsg,
    err_code: Option<i64>,
    errno: Option<i64>,
) -> impl Iterator<Item = (&'static str, Head<'_>)> {
    std::iter::once(("errMsg", Head::Text(err_msg.as_str())))
        .chain(err_code.map(|code| ("errCode", Head::Code(code))))
        .chain(errno.map(|errno| ("errno", Head::Code(errno))))
}

/// A head key's value: the errMsg text or a code.
enum Head<'a> {
    Text(&'a str),
    Code(i64),
}

impl Head<'_> {
    fn to_value(&self) -> Value {
        match *self {
            Head::Text(text) => Value::from(text),
            Head::Code(code) => Value::from(code),
        }
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
///
/// Its callbacks receive one object, `{ errMsg, errCode?, errno?, ...data }`
/// ([`Settlement::result`] builds it as a [`Value`]). The parts are kept apart
/// so a host can build that object in its engine in one step, with the fixed
/// keys it names by `&'static str`, instead of through a `Value` map.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// The call.
    pub call: CallId,
    /// The errMsg prefix: the API's name, or a method's (`sendSocketMessage`).
    pub api: &'static str,
    /// Whether the host made a Promise for it (no callback was a function).
    pub promise: bool,
    /// Its callbacks (none in Promise mode).
    pub callbacks: Callbacks,
    /// `true` for success.
    pub ok: bool,
    /// `errMsg`: `"<api>:ok"` or `"<api>:fail <reason>"`.
    pub err_msg: ErrMsg,
    /// `errCode`: the failure's, or 0 on success for an API that has one.
    pub err_code: Option<i64>,
    /// `errno`, for a failure that has one.
    pub errno: Option<i64>,
    /// The rest of the object, in order: a success's data, an object or
    /// nothing (nothing on failure), encoded where the call ran. A host
    /// writes its entries into the object it builds
    /// ([`Encoded::replay_entries`]) or reads them as an [`Object`]
    /// ([`Encoded::to_object`]). A data key named like a key above replaces
    /// its value in place.
    pub data: Encoded,
}

impl Settlement {
    /// How a call of `api` that ended with `result` settles: `err_code` if the
    /// API has an `errCode` (then 0 on success). Success data that is not an
    /// object (nor nothing) is the API's bug, and fails the call.
    pub(super) fn new(
        call: CallId,
        promise: bool,
        callbacks: Callbacks,
        api: &'static str,
        err_code: bool,
        result: Result<Encoded, WxError>,
    ) -> Settlement {
        let mut settlement = Settlement {
            call,
            api,
            promise,
            callbacks,
            ok: true,
            err_msg: ErrMsg::ok(api),
            err_code: err_code.then_some(0),
            errno: None,
            data: Encoded::default(),
        };
        match result {
            Ok(data) if data.is_object() => settlement.data = data,
            Ok(data) if data.is_nothing() => {}
            Ok(other) => settlement.fail(&WxError::internal(format!(
                "success data must be an object, not {}",
                other.js_type_name()
            ))),
            Err(err) => settlement.fail(&err),
        }
        settlement
    }

    /// Makes this a failure with `err` (a host whose engine could not build
    /// the success object still settles the call): `"<api>:fail <reason>"`,
    /// the error's codes, no data.
    pub fn fail(&mut self, err: &WxError) {
        let failure = Failure::new(self.api, err);
        self.ok = false;
        self.err_msg = failure.err_msg;
        self.err_code = failure.err_code;
        self.errno = failure.errno;
        self.data = Encoded::default();
    }

    /// The keys before the data, with their values, in order: `errMsg`, then
    /// `errCode` and `errno` when there are.
    pub fn head(&self) -> impl Iterator<Item = (&'static str, Value)> + '_ {
        head(&self.err_msg, self.err_code, self.errno).map(|(key, value)| (key, value.to_value()))
    }

    /// Writes the head keys and their values into the object `sink` has
    /// begun, as [`Settlement::head`] lists them (the text lent, nothing
    /// made on the way).
    pub fn write_head(&self, sink: &mut dyn crate::Sink) -> Result<(), crate::SerializeError> {
        for (key, value) in head(&self.err_msg, self.err_code, self.errno) {
            sink.field(key)?;
            match value {
                Head::Text(text) => sink.str(text)?,
                Head::Code(code) => sink.number(crate::value::ser::JsNumber::js_number(code))?,
            }
        }
        Ok(())
    }

    /// The object every callback receives: `{ errMsg, errCode?, errno?, ...data }`.
    pub fn result(&self) -> Value {
        let data = self.data.to_object();
        let mut object = Object::with_capacity(data.len() + 3);
        for (key, value) in self.head() {
            object.insert(key.to_owned(), value);
        }
        object.extend(data);
        Value::from(object)
    }

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
        /// The argument, encoded where it was emitted: replay it into the
        /// host's values once ([`Encoded::replay`]), or [`Encoded::to_value`].
        payload: Encoded,
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
    /// The three names, in the order [`Callbacks::lend`] asks for them.
    const KEYS: [&'static str; 3] = ["success", "fail", "complete"];

    /// The slot of callback `key`, or `None` for any other option.
    fn slot(&mut self, key: &str) -> Option<&mut Option<FunctionId>> {
        match key {
            "success" => Some(&mut self.success),
            "fail" => Some(&mut self.fail),
            "complete" => Some(&mut self.complete),
            _ => None,
        }
    }

    /// The functions among the three (what wx-core holds until the call settles).
    pub(super) fn functions(&self) -> Vec<FunctionId> {
        [self.success, self.fail, self.complete]
            .into_iter()
            .flatten()
            .collect()
    }

    /// Takes `success`, `fail` and `complete` out of the options (one pass, no
    /// hashing: options objects are small). Values that are not functions are
    /// dropped too; the `bool` says whether any of the three was truthy, which
    /// is what turns Promise mode off.
    pub fn take(options: &mut Object) -> (Callbacks, bool) {
        let mut callbacks = Callbacks::default();
        let mut any_truthy = false;
        options.retain(|key, value| {
            let Some(slot) = callbacks.slot(key) else {
                return true;
            };
            any_truthy |= value.is_truthy();
            *slot = value.as_function();
            false
        });
        (callbacks, any_truthy)
    }

    /// [`Callbacks::take`] for an options object (argument `index`) a host
    /// holds, each callback read in place with [`ArgSource::lend_field`]. What
    /// could not be read so (an accessor, an object) is left out, and
    /// [`LentCallbacks::all_read`] is `false`: the options are then converted.
    pub(super) fn lend(source: &mut dyn ArgSource, index: usize) -> LentCallbacks {
        let mut read = LentCallbacks {
            callbacks: Callbacks::default(),
            any_truthy: false,
            all_read: true,
        };
        for key in Callbacks::KEYS {
            let (function, truthy) = match source.lend_field(index, key) {
                Field::Absent => continue,
                Field::Lent(Lent::Function(id)) => (Some(id), true),
                Field::Lent(Lent::Str(text)) => (None, !text.is_empty()),
                Field::Lent(Lent::Primitive(value)) => (None, value.is_truthy()),
                Field::NotLent => {
                    read.all_read = false;
                    continue;
                }
            };
            read.any_truthy |= truthy;
            if let Some(slot) = read.callbacks.slot(key) {
                *slot = function;
            }
        }
        read
    }
}

/// What [`Callbacks::lend`] read.
pub(super) struct LentCallbacks {
    pub(super) callbacks: Callbacks,
    /// Whether any of the three was truthy (Promise mode is off).
    pub(super) any_truthy: bool,
    /// Whether each of the three could be read in place.
    pub(super) all_read: bool,
}

/// An async call's options as its wrapper decodes them: the callbacks, already
/// taken, are not options, so an object converted whole leaves them out.
pub(super) struct WithoutCallbacks<'a>(pub(super) &'a mut dyn ArgSource);

impl ArgSource for WithoutCallbacks<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn lend(&mut self, index: usize) -> Option<Lent<'_>> {
        self.0.lend(index)
    }

    fn value(&mut self, index: usize) -> Result<Value, String> {
        let mut value = self.0.value(index)?;
        if let Value::Object(options) = &mut value {
            Callbacks::take(options);
        }
        Ok(value)
    }

    fn lend_field(&mut self, index: usize, key: &'static str) -> Field<'_> {
        self.0.lend_field(index, key)
    }
}
