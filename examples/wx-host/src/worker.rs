//! The reference host's workers: each `wx.createWorker` script runs in a QuickJS
//! runtime of its own on a thread of its own, with `console`, timers, Promises,
//! `require` inside the package's workers folder, and the `worker` global.
//! Messages cross as `wx_core::Value`s (objects, arrays, `ArrayBuffer`s), in
//! order; `terminate` stops the script even in a loop that never yields.

use crate::console::{Console, Level, StdConsole};
use crate::convert::{from_js_args, to_js, JsValue};
use crate::package::Package;
use crate::timers::Timers;
use rquickjs::context::EvalOptions;
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Object, Persistent, Runtime};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use wx_apis::worker::{WorkerError, WorkerEvents, WorkerHandle, WorkerHost, WorkerStartError};
use wx_core::Value;

/// A worker's JS heap limit.
const WORKER_MEMORY_LIMIT: usize = 256 << 20;

/// Runs the workers of one package (`App::builder(..).service(Workers::new(..))`).
pub struct QuickJsWorkers {
    package: Package,
}

impl QuickJsWorkers {
    /// Workers whose scripts come from `package`'s workers folder (`app.json` `workers`).
    pub fn new(package: Package) -> Self {
        QuickJsWorkers { package }
    }
}

/// What the app side sends a worker.
enum ToWorker {
    Message(Value),
    Terminate,
}

struct Handle {
    tx: mpsc::Sender<ToWorker>,
    stop: Arc<AtomicBool>,
}

impl WorkerHandle for Handle {
    fn post(&self, message: Value) {
        let _ = self.tx.send(ToWorker::Message(message));
    }

    fn terminate(&self) {
        self.stop.store(true, Ordering::Release);
        let _ = self.tx.send(ToWorker::Terminate);
    }
}

impl WorkerHost for QuickJsWorkers {
    fn start(
        &self,
        script: &str,
        events: WorkerEvents,
    ) -> Result<Box<dyn WorkerHandle>, WorkerStartError> {
        let folder = self.package.workers().ok_or(WorkerStartError::NotFound)?;
        let inside = script.starts_with(&format!("{}/", folder.trim_end_matches('/')));
        let found = self.package.resolve("", &format!("/{script}"));
        if !inside || found.as_deref() != Some(script) {
            return Err(WorkerStartError::NotFound);
        }
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let package = self.package.clone();
        let (script, running) = (script.to_owned(), stop.clone());
        std::thread::Builder::new()
            .name(format!("wx-worker {script}"))
            .spawn(move || run(package, &script, rx, events, running))
            .map_err(|e| WorkerStartError::Other(e.to_string()))?;
        Ok(Box::new(Handle { tx, stop }))
    }
}

/// What one worker thread keeps beside its engine.
struct WorkerState {
    /// Set by `terminate`: what stops the script is not its error.
    stop: Arc<AtomicBool>,
    tables: crate::convert::Tables,
    timers: RefCell<Timers>,
    events: WorkerEvents,
    describe: RefCell<Option<Persistent<Function<'static>>>>,
}

fn run(
    package: Package,
    script: &str,
    rx: mpsc::Receiver<ToWorker>,
    events: WorkerEvents,
    stop: Arc<AtomicBool>,
) {
    let Ok(runtime) = Runtime::new() else { return };
    runtime.set_memory_limit(WORKER_MEMORY_LIMIT);
    let interrupted = stop.clone();
    runtime.set_interrupt_handler(Some(Box::new(move || interrupted.load(Ordering::Acquire))));
    let Ok(context) = Context::full(&runtime) else {
        return;
    };
    let state = std::rc::Rc::new(WorkerState {
        stop: stop.clone(),
        tables: Default::default(),
        timers: RefCell::default(),
        events,
        describe: RefCell::default(),
    });
    let api = context.with(|ctx| -> rquickjs::Result<Persistent<Object<'static>>> {
        let api = install(&ctx, &state, package)?;
        let start: Function = api.get("start")?;
        if let Err(error) = start.call::<_, ()>((script,)).catch(&ctx) {
            report(&ctx, &state, error);
        }
        Ok(Persistent::save(&ctx, api))
    });
    if let Ok(api) = api {
        event_loop(&runtime, &context, &state, &api, &rx, &stop);
    }
    // Every handle into the engine goes before the engine does.
    state.timers.borrow_mut().clear_all();
    state.tables.clear();
    state.describe.borrow_mut().take();
}

fn event_loop(
    runtime: &Runtime,
    context: &Context,
    state: &WorkerState,
    api: &Persistent<Object<'static>>,
    rx: &mpsc::Receiver<ToWorker>,
    stop: &AtomicBool,
) {
    loop {
        while !stop.load(Ordering::Acquire) {
            match runtime.execute_pending_job() {
                Ok(true) => {}
                Ok(false) => break,
                Err(job) => job.0.with(|ctx| {
                    let error = CaughtError::from_error(&ctx, rquickjs::Error::Exception);
                    report(&ctx, state, error);
                }),
            }
        }
        if stop.load(Ordering::Acquire) {
            return;
        }
        let due = state.timers.borrow_mut().take_due(Instant::now());
        if let Some(callback) = due {
            context.with(|ctx| {
                if let Ok(callback) = callback.restore(&ctx) {
                    if let Err(error) = callback.call::<_, ()>(()).catch(&ctx) {
                        report(&ctx, state, error);
                    }
                }
            });
            continue;
        }
        let next = state.timers.borrow_mut().next_deadline();
        let wait = next.map_or(Duration::from_secs(3600), |at| {
            at.saturating_duration_since(Instant::now())
        });
        match rx.recv_timeout(wait) {
            Ok(ToWorker::Message(value)) => context.with(|ctx| {
                let delivered = to_js(&ctx, &state.tables, &value).and_then(|value| {
                    let api = api.clone().restore(&ctx)?;
                    api.get::<_, Function>("deliver")?.call::<_, ()>((value,))
                });
                if let Err(error) = delivered.catch(&ctx) {
                    report(&ctx, state, error);
                }
            }),
            Ok(ToWorker::Terminate) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

fn install<'js>(
    ctx: &Ctx<'js>,
    state: &std::rc::Rc<WorkerState>,
    package: Package,
) -> rquickjs::Result<Object<'js>> {
    let globals = ctx.globals();
    let describe = crate::timers::install_prelude(
        ctx,
        state,
        |_, level, text| StdConsole.print(level, &format!("[worker] {text}")),
        |s| &s.timers,
    )?;
    *state.describe.borrow_mut() = Some(Persistent::save(ctx, describe));

    let native = Object::new(ctx.clone())?;
    let s = state.clone();
    native.set(
        "post",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, value: JsValue<'js>| {
            s.tables.functions.borrow_mut().enter();
            let converted = from_js_args(&ctx, &s.tables.functions, &[value]);
            s.tables.functions.borrow_mut().leave();
            match converted {
                Ok(mut values) => {
                    s.events
                        .message
                        .emit_value(values.pop().unwrap_or_default());
                    Ok(())
                }
                Err(reason) => Err(rquickjs::Exception::throw_type(
                    &ctx,
                    &format!("worker.postMessage: {reason}"),
                )),
            }
        })?,
    )?;
    let p = package.clone();
    native.set(
        "resolve",
        Function::new(ctx.clone(), move |from: String, request: String| {
            p.resolve(&from, &request)
        })?,
    )?;
    native.set(
        "compile",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, path: String| {
            crate::program::pages::compile(&ctx, &package, &path)
        })?,
    )?;
    let s = state.clone();
    native.set(
        "report",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, error: JsValue<'js>| {
            report(&ctx, &s, CaughtError::Value(error));
        })?,
    )?;
    let mut options = EvalOptions::default();
    options.filename = Some("wx-host/worker.js".to_owned());
    let make: Function = ctx.eval_with_options(include_str!("worker.js"), options)?;
    make.call((globals, native))
}

/// An uncaught error in the worker: printed there, and sent to the `Worker`'s `onError`.
fn report<'js>(ctx: &Ctx<'js>, state: &WorkerState, error: CaughtError<'js>) {
    if state.stop.load(Ordering::Acquire) {
        return; // interrupted by `terminate`
    }
    let value = match error {
        CaughtError::Exception(exception) => exception.into_value(),
        CaughtError::Value(value) => value,
        // Interrupted by `terminate`, or out of memory: nothing to hand JS.
        CaughtError::Error(error) => {
            StdConsole.print(Level::Error, &format!("[worker] Uncaught {error}"));
            return;
        }
    };
    let describe = state
        .describe
        .borrow()
        .clone()
        .and_then(|f| f.restore(ctx).ok());
    let text = describe
        .and_then(|f| f.call::<_, String>((value.clone(),)).ok())
        .unwrap_or_else(|| format!("{value:?}"));
    StdConsole.print(Level::Error, &format!("[worker] Uncaught {text}"));
    let (message, stack) = match value.as_object() {
        Some(object) => (
            object.get::<_, Option<String>>("message").ok().flatten(),
            object.get::<_, Option<String>>("stack").ok().flatten(),
        ),
        None => (None, None),
    };
    let error = WorkerError {
        message: message.unwrap_or_else(|| text.clone()),
        stack: stack.unwrap_or_default(),
    };
    state.events.error.emit(&error);
}
