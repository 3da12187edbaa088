//! [`MiniProgram`]: one mini-program's logic layer in QuickJS, its `wx` built
//! from the registry, and the event loop that runs it to the end.

use crate::console::{Console, Level};
use crate::convert::{from_js_args, to_js, JsValue};
use crate::functions::FunctionTable;
use crate::timers::Timers;
use rquickjs::context::EvalOptions;
use rquickjs::function::Rest;
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Object, Persistent, Runtime};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};
use wx_core::{Api, App, CallId, Delivery, Failure, Host, ObjectHandle, Returned, Value, WxError};

type Saved<T> = Persistent<T>;
type PromiseEnds = (Saved<Function<'static>>, Saved<Function<'static>>);

/// The JS heap a mini-program may use unless the host says otherwise
/// ([`MiniProgram::set_memory_limit`]).
pub const DEFAULT_MEMORY_LIMIT: usize = 1024 * 1024 * 1024;

/// Why a mini-program could not start.
#[derive(Debug)]
pub enum StartError {
    /// Two APIs share a name.
    Registry(wx_core::RegistryError),
    /// The JS engine failed to start.
    Engine(rquickjs::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Registry(e) => write!(f, "{e}"),
            StartError::Engine(e) => write!(f, "the JS engine failed to start: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Everything the native side of the JS world shares. Lives on the JS thread only.
struct Shared {
    host: Host,
    /// When the mini-program is closed: also stops JS that never yields.
    close_at: Cell<Option<Instant>>,
    console: Box<dyn Console>,
    functions: RefCell<FunctionTable>,
    promises: RefCell<HashMap<CallId, PromiseEnds>>,
    timers: RefCell<Timers>,
    /// Rejected promises with no handler yet; reported once the job queue is drained.
    rejections: RefCell<Vec<(Saved<JsValue<'static>>, Saved<JsValue<'static>>)>>,
    format_error: RefCell<Option<Saved<Function<'static>>>>,
    uncaught: Cell<usize>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Uncaught exceptions and unhandled rejections reported along the way.
    pub uncaught_errors: usize,
    /// Whether the run was closed by its time limit with work still pending.
    pub closed_by_limit: bool,
}

/// One mini-program: a QuickJS runtime with `wx`, `console`, timers and
/// Promises, over a [`wx_core::Host`].
pub struct MiniProgram {
    // Field order is drop order: the context before the runtime that owns it.
    context: Context,
    runtime: Runtime,
    shared: Rc<Shared>,
}

impl MiniProgram {
    /// Starts a mini-program for `app`, printing through `console`.
    pub fn new(app: App, console: impl Console + 'static) -> Result<MiniProgram, StartError> {
        let host = Host::new(app).map_err(StartError::Registry)?;
        let runtime = Runtime::new().map_err(StartError::Engine)?;
        // A runaway script gets an "out of memory" exception instead of taking the host down.
        runtime.set_memory_limit(DEFAULT_MEMORY_LIMIT);
        let context = Context::full(&runtime).map_err(StartError::Engine)?;
        let shared = Rc::new(Shared {
            host,
            console: Box::new(console),
            functions: RefCell::default(),
            promises: RefCell::default(),
            timers: RefCell::default(),
            rejections: RefCell::default(),
            format_error: RefCell::default(),
            uncaught: Cell::new(0),
            close_at: Cell::new(None),
        });
        // QuickJS asks this every few thousand instructions: a script stuck in a
        // loop is interrupted once the mini-program is due to close.
        let interrupt_state = shared.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || interrupt_state.closing())));
        let tracker_state = shared.clone();
        runtime.set_host_promise_rejection_tracker(Some(Box::new(
            move |ctx, promise, reason, handled| {
                track_rejection(&ctx, &tracker_state, promise, reason, handled)
            },
        )));
        context
            .with(|ctx| install_globals(&ctx, &shared))
            .map_err(StartError::Engine)?;
        Ok(MiniProgram {
            context,
            runtime,
            shared,
        })
    }

    /// Caps the JS heap at `bytes`; past it, allocation throws an `InternalError`.
    pub fn set_memory_limit(&self, bytes: usize) {
        self.runtime.set_memory_limit(bytes);
    }

    /// The QuickJS context, for an embedder's own globals.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Closes the mini-program at `at`, even in the middle of JS that never yields
    /// (`run`'s limit does the same from when `run` starts).
    pub fn close_at(&self, at: Instant) {
        let earliest = self
            .shared
            .close_at
            .get()
            .map_or(at, |current| current.min(at));
        self.shared.close_at.set(Some(earliest));
    }

    /// The host contract underneath, for inspection.
    pub fn host(&self) -> &Host {
        &self.shared.host
    }

    /// Runs `source` as a script named `file_name` (shown in stack traces).
    /// An uncaught exception is reported; `false` then.
    pub fn eval(&self, file_name: &str, source: &str) -> bool {
        let ok = self.context.with(|ctx| {
            let mut options = EvalOptions::default();
            options.filename = Some(file_name.to_owned());
            options.strict = false;
            let result = ctx.eval_with_options::<(), _>(source, options).catch(&ctx);
            match result {
                Ok(()) => true,
                Err(error) => {
                    report_caught(&ctx, &self.shared, "Uncaught", error);
                    false
                }
            }
        });
        self.run_jobs();
        ok
    }

    /// Runs the event loop until nothing is pending (no timer, async call,
    /// Promise job, or listener on a live source), or until `limit` has passed.
    pub fn run(&self, limit: Option<Duration>) -> Outcome {
        if let Some(limit) = limit {
            self.close_at(Instant::now() + limit);
        }
        let deadline = self.shared.close_at.get();
        let mut closed_by_limit = false;
        loop {
            self.run_jobs();
            let now = Instant::now();
            if deadline.is_some_and(|d| now >= d) {
                closed_by_limit = !self.is_done();
                break;
            }
            // One turn: at most one due timer, then at most one ready delivery, so
            // a chain of 0 ms timers cannot starve settlements and events (nor
            // the other way round).
            let due = self.shared.timers.borrow_mut().take_due(now);
            let fired = due.is_some();
            if let Some(callback) = due {
                self.context.with(|ctx| {
                    if let Ok(callback) = callback.restore(&ctx) {
                        invoke(
                            &ctx,
                            &self.shared,
                            &callback,
                            JsValue::new_undefined(ctx.clone()),
                        );
                    }
                });
                self.run_jobs();
            }
            if let Some(delivery) = self.shared.host.try_next() {
                self.deliver(delivery);
                continue;
            }
            if fired {
                continue;
            }
            if self.is_done() {
                break;
            }
            // Sleep until a delivery arrives, the next timer is due, or the limit.
            let next_timer = self.shared.timers.borrow_mut().next_deadline();
            let wake = match (next_timer, deadline) {
                (Some(t), Some(d)) => Some(t.min(d)),
                (t, d) => t.or(d),
            };
            let wait = wake.map(|at| at.saturating_duration_since(Instant::now()));
            if let Some(delivery) = self
                .shared
                .host
                .next(wait.or(Some(Duration::from_secs(3600))))
            {
                self.deliver(delivery);
            }
        }
        self.shared.host.close();
        Outcome {
            uncaught_errors: self.shared.uncaught.get(),
            closed_by_limit,
        }
    }

    fn is_done(&self) -> bool {
        self.shared.timers.borrow().is_empty()
            && self.shared.host.is_idle()
            && !self.runtime.is_job_pending()
    }

    /// Runs Promise jobs until none is left (or the mini-program is closing: a
    /// job loop that never ends is a runaway script too), then reports
    /// rejections nobody handled.
    fn run_jobs(&self) {
        loop {
            if self.shared.closing() {
                break;
            }
            match self.runtime.execute_pending_job() {
                Ok(true) => continue,
                Ok(false) => break,
                Err(job) => job.0.with(|ctx| {
                    let error = CaughtError::from_error(&ctx, rquickjs::Error::Exception);
                    report_caught(&ctx, &self.shared, "Uncaught", error);
                }),
            }
        }
        let unhandled = std::mem::take(&mut *self.shared.rejections.borrow_mut());
        if !unhandled.is_empty() {
            self.context.with(|ctx| {
                for (_, reason) in unhandled {
                    if let Ok(reason) = reason.restore(&ctx) {
                        report_value(&ctx, &self.shared, "Uncaught (in promise)", reason);
                    }
                }
            });
        }
    }

    fn deliver(&self, delivery: Delivery) {
        self.context
            .with(|ctx| deliver(&ctx, &self.shared, delivery));
    }

    /// Uncaught exceptions and unhandled rejections reported so far.
    pub fn uncaught_errors(&self) -> usize {
        self.shared.uncaught.get()
    }

    /// How many JS functions wx-core still references (callbacks, listeners).
    pub fn retained_functions(&self) -> usize {
        self.shared.functions.borrow().len()
    }
}

impl Drop for MiniProgram {
    fn drop(&mut self) {
        // Every Persistent must be gone before the runtime is freed, and nothing may
        // call back into JS while it is torn down.
        self.shared.host.close();
        self.shared.functions.borrow_mut().clear();
        self.shared.promises.borrow_mut().clear();
        self.shared.timers.borrow_mut().clear_all();
        self.shared.rejections.borrow_mut().clear();
        self.shared.format_error.borrow_mut().take();
        self.runtime.set_host_promise_rejection_tracker(None);
    }
}

impl Shared {
    fn closing(&self) -> bool {
        self.close_at.get().is_some_and(|at| Instant::now() >= at)
    }
}

fn track_rejection<'js>(
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

fn install_globals<'js>(ctx: &Ctx<'js>, shared: &Rc<Shared>) -> rquickjs::Result<()> {
    let globals = ctx.globals();
    let s = shared.clone();
    globals.set(
        "__wx_print",
        Function::new(ctx.clone(), move |level: String, text: String| {
            s.console.print(Level::parse(&level), &text);
        })?,
    )?;
    let s = shared.clone();
    globals.set(
        "__wx_timer",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, callback: Function<'js>, delay: f64, repeat: bool| {
                let delay = Duration::from_secs_f64(delay.clamp(0.0, 1e9) / 1000.0);
                s.timers
                    .borrow_mut()
                    .add(Persistent::save(&ctx, callback), delay, repeat)
            },
        )?,
    )?;
    let s = shared.clone();
    globals.set(
        "__wx_clear_timer",
        Function::new(ctx.clone(), move |id: f64| {
            s.timers.borrow_mut().clear(id as u32)
        })?,
    )?;
    let helpers: Object = ctx.eval(include_str!("prelude.js"))?;
    let format_error: Function = helpers.get("describe")?;
    *shared.format_error.borrow_mut() = Some(Persistent::save(ctx, format_error));

    let wx = Object::new(ctx.clone())?;
    for api in shared.host.registry().iter() {
        let s = shared.clone();
        let function = Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, args: Rest<JsValue<'js>>| {
                guarded(&ctx, api.name, || call_api(&ctx, &s, api, args.0))
            },
        )?;
        function.set_name(api.name)?;
        wx.set(api.name, function)?;
    }
    let env = Object::new(ctx.clone())?;
    env.set("USER_DATA_PATH", wx_apis::files::USER_DATA_PATH)?;
    wx.set("env", env)?;
    globals.set("wx", wx)?;
    Ok(())
}

/// Runs a native entry, turning a panic into a JS error: a panic must never
/// unwind through the engine.
fn guarded<'js>(
    ctx: &Ctx<'js>,
    api: &str,
    body: impl FnOnce() -> rquickjs::Result<JsValue<'js>>,
) -> rquickjs::Result<JsValue<'js>> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => {
            let message = format!(
                "{api}:fail internal error: {}",
                wx_core::panic_message(&*panic)
            );
            Err(rquickjs::Exception::throw_message(ctx, &message))
        }
    }
}

/// Converts a native call's arguments. The function table is told a call is in
/// progress; `settle_retention` ends it (on every path).
fn convert_args<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    args: &[JsValue<'js>],
) -> Result<Vec<Value>, String> {
    shared.functions.borrow_mut().enter();
    from_js_args(ctx, &shared.functions, args)
}

/// Only `success`, `fail` and `complete` of an options object whose whole could
/// not be converted: the functions, and whether each value was truthy (which is
/// what Promise mode reads).
fn callbacks_only<'js>(ctx: &Ctx<'js>, shared: &Shared, options: Option<&JsValue<'js>>) -> Value {
    let mut out = wx_core::Object::new();
    let Some(object) = options.and_then(JsValue::as_object) else {
        return Value::Undefined;
    };
    for key in ["success", "fail", "complete"] {
        let Ok(value) = object.get::<_, JsValue>(key) else {
            continue;
        };
        let converted = match value.as_function() {
            Some(function) => shared
                .functions
                .borrow_mut()
                .id_of(ctx, function)
                .map_or(Value::Bool(true), Value::Function),
            None => Value::Bool(truthy(&value)),
        };
        out.insert(key.to_owned(), converted);
    }
    Value::from(out)
}

/// JS truthiness, without converting the value.
fn truthy(value: &JsValue<'_>) -> bool {
    use rquickjs::Type;
    match value.type_of() {
        Type::Uninitialized | Type::Undefined | Type::Null => false,
        Type::Bool => value.as_bool().unwrap_or_default(),
        Type::Int => value.as_int().unwrap_or_default() != 0,
        Type::Float => value.as_float().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Type::String => value
            .as_string()
            .and_then(|s| s.to_string().ok())
            .is_some_and(|s| !s.is_empty()),
        _ => true,
    }
}

fn call_api<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    api: Api,
    args: Vec<JsValue<'js>>,
) -> rquickjs::Result<JsValue<'js>> {
    let result = match convert_args(ctx, shared, &args) {
        Ok(values) => shared.host.call_api(api, values),
        // Too large, too deep: the call fails as the API would fail it.
        Err(reason) => {
            let options = callbacks_only(ctx, shared, args.first());
            shared.host.refuse(api, options, WxError::parameter(reason))
        }
    };
    settle_retention(shared);
    match result {
        Ok(returned) => returned_to_js(ctx, shared, returned),
        Err(failure) => fail_to_js(ctx, shared, &failure),
    }
}

/// Keeps alive exactly the functions wx-core says it now holds (`Host::take_kept`:
/// the host keeps no copy of that rule), then ends the native call's conversion.
fn settle_retention(shared: &Shared) {
    let kept = shared.host.take_kept();
    let mut functions = shared.functions.borrow_mut();
    kept.into_iter().for_each(|id| functions.retain(id));
    functions.leave();
}

fn returned_to_js<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    returned: Returned,
) -> rquickjs::Result<JsValue<'js>> {
    match returned {
        Returned::Value(value) => to_js(ctx, &shared.functions, &value),
        Returned::Promise(call) => {
            let (promise, resolve, reject) = ctx.promise()?;
            let ends = (
                Persistent::save(ctx, resolve),
                Persistent::save(ctx, reject),
            );
            shared.promises.borrow_mut().insert(call, ends);
            Ok(promise.into_value())
        }
        Returned::Object(handle) => native_object(ctx, shared, handle).map(Object::into_value),
    }
}

/// The JS face of a native object: `abort`, its declared methods, and an
/// `onXxx`/`offXxx` pair per event.
fn native_object<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    handle: ObjectHandle,
) -> rquickjs::Result<Object<'js>> {
    let object = Object::new(ctx.clone())?;
    let class = handle.class;
    let offs: Vec<String> = class
        .events
        .iter()
        .filter(|e| e.off_since.is_some())
        .filter_map(|e| wx_core::on_to_off(e.name))
        .collect();
    let names = class
        .abort
        .then_some("abort")
        .into_iter()
        .chain(class.methods.iter().map(|m| m.name))
        .chain(class.events.iter().map(|e| e.name))
        .chain(offs.iter().map(String::as_str));
    for name in names {
        let s = shared.clone();
        let method = name.to_owned();
        let label = format!("{}.{}", class.name, method);
        let function = Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, args: Rest<JsValue<'js>>| {
                guarded(&ctx, &label, || {
                    let values = match convert_args(&ctx, &s, &args.0) {
                        Ok(values) => values,
                        Err(reason) => {
                            s.functions.borrow_mut().leave();
                            let message = format!("{label}:fail parameter error: {reason}");
                            return Err(rquickjs::Exception::throw_message(&ctx, &message));
                        }
                    };
                    let result = s.host.call_method(handle, &method, values);
                    settle_retention(&s);
                    match result {
                        Ok(value) => to_js(&ctx, &s.functions, &value),
                        Err(failure) => fail_to_js(&ctx, &s, &failure),
                    }
                })
            },
        )?;
        function.set_name(name)?;
        object.set(name, function)?;
    }
    Ok(object)
}

/// A failed call as JS sees it: thrown, or (for what WeChat only reports) printed
/// with `console.error` and `undefined` returned.
fn fail_to_js<'js>(
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

fn deliver<'js>(ctx: &Ctx<'js>, shared: &Shared, delivery: Delivery) {
    match delivery {
        Delivery::Settle(mut settlement) => {
            let result = match to_js(ctx, &shared.functions, &settlement.result) {
                Ok(result) => result,
                // The result object could not be built in JS (user code replaced
                // `Date`, out of memory, ...): the call still settles, as a failure.
                Err(err) => {
                    let api = settlement
                        .result
                        .get("errMsg")
                        .and_then(Value::as_str)
                        .and_then(|m| m.split(':').next())
                        .unwrap_or("unknown")
                        .to_owned();
                    let failed = wx_core::ErrMsg::fail(
                        &api,
                        &format!("internal error: the result could not be built in JS: {err}"),
                    );
                    settlement.ok = false;
                    settlement.result = Value::from(
                        [("errMsg".to_owned(), Value::from(failed.into_string()))]
                            .into_iter()
                            .collect::<wx_core::Object>(),
                    );
                    match to_js(ctx, &shared.functions, &settlement.result) {
                        Ok(result) => result,
                        Err(err) => {
                            // Not even that: report it, and free the callbacks.
                            shared.uncaught.set(shared.uncaught.get() + 1);
                            shared.console.print(
                                Level::Error,
                                &format!("Uncaught Error: {api}: the result could not be delivered: {err}"),
                            );
                            release_callbacks(shared, &settlement);
                            return;
                        }
                    }
                }
            };
            if settlement.promise {
                let ends = shared.promises.borrow_mut().remove(&settlement.call);
                if let Some((resolve, reject)) = ends {
                    let end = if settlement.ok { resolve } else { reject };
                    if let Ok(end) = end.restore(ctx) {
                        invoke(ctx, shared, &end, result);
                    }
                }
                return;
            }
            for id in settlement.invocations() {
                let callback = shared.functions.borrow().get(ctx, id);
                if let Some(callback) = callback {
                    invoke(ctx, shared, &callback, result.clone());
                }
            }
            release_callbacks(shared, &settlement);
        }
        Delivery::Event { listeners, payload } => {
            let payload = match to_js(ctx, &shared.functions, &payload) {
                Ok(payload) => payload,
                Err(err) => {
                    shared.uncaught.set(shared.uncaught.get() + 1);
                    shared.console.print(
                        Level::Error,
                        &format!("Uncaught Error: an event could not be delivered: {err}"),
                    );
                    return;
                }
            };
            for id in listeners {
                let listener = shared.functions.borrow().get(ctx, id);
                if let Some(listener) = listener {
                    invoke(ctx, shared, &listener, payload.clone());
                }
            }
        }
        Delivery::Error { err_msg } => {
            shared.uncaught.set(shared.uncaught.get() + 1);
            shared
                .console
                .print(Level::Error, &format!("Uncaught Error: {err_msg}"));
        }
        Delivery::Release(ids) => {
            let mut functions = shared.functions.borrow_mut();
            ids.into_iter().for_each(|id| functions.release(id));
        }
    }
}

/// Frees a settled call's callbacks: wx-core holds them no longer.
fn release_callbacks(shared: &Shared, settlement: &wx_core::Settlement) {
    let callbacks = settlement.callbacks;
    let mut functions = shared.functions.borrow_mut();
    for id in [callbacks.success, callbacks.fail, callbacks.complete]
        .into_iter()
        .flatten()
    {
        functions.release(id);
    }
}

/// Calls a user function; an exception it throws is reported and the loop goes on.
fn invoke<'js>(ctx: &Ctx<'js>, shared: &Shared, function: &Function<'js>, arg: JsValue<'js>) {
    if let Err(error) = function.call::<_, ()>((arg,)).catch(ctx) {
        report_caught(ctx, shared, "Uncaught", error);
    }
}

fn report_caught<'js>(ctx: &Ctx<'js>, shared: &Shared, prefix: &str, error: CaughtError<'js>) {
    if shared.closing() {
        return; // JS interrupted because the mini-program closed: not the script's error
    }
    match error {
        CaughtError::Exception(exception) => {
            report_value(ctx, shared, prefix, exception.into_value())
        }
        CaughtError::Value(value) => report_value(ctx, shared, prefix, value),
        CaughtError::Error(error) => {
            shared.uncaught.set(shared.uncaught.get() + 1);
            shared
                .console
                .print(Level::Error, &format!("{prefix} {error}"));
        }
    }
}

fn report_value<'js>(ctx: &Ctx<'js>, shared: &Shared, prefix: &str, value: JsValue<'js>) {
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
}
