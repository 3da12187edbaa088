//! [`MiniProgram`]: one mini-program's logic layer in QuickJS, its `wx` built
//! from the registry, and the event loop that runs it to the end. The loop is
//! the only caller of JS after start-up (bindings answer JS, they do not call
//! it), and no `RefCell` borrow is held while JS runs.

mod bindings;
mod delivery;
mod errors;
mod objects;
pub(crate) mod pages;

pub use pages::{LaunchError, PageQueue};

use crate::console::{Console, Level};
use crate::convert::JsValue;
use crate::timers::Timers;
use bindings::install_globals;
use errors::{invoke, report_caught, report_value, track_rejection};
use rquickjs::context::EvalOptions;
use rquickjs::{CatchResultExt, CaughtError, Context, Function, Object, Persistent, Runtime};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::time::{Duration, Instant};
use wx_core::{App, CallId, Delivery, Host};

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
    /// The function table and atoms conversions use.
    tables: crate::convert::Tables,
    /// The two ends of each call's Promise, by the call (ids wx-core makes, so
    /// a fast hash is safe).
    promises: RefCell<rustc_hash::FxHashMap<CallId, PromiseEnds>>,
    timers: RefCell<Timers>,
    /// Rejected promises with no handler yet; reported once the job queue is drained.
    rejections: RefCell<Vec<(Saved<JsValue<'static>>, Saved<JsValue<'static>>)>>,
    format_error: RefCell<Option<Saved<Function<'static>>>>,
    uncaught: Cell<usize>,
    /// The framework's JS side (`framework.js`): what the loop calls for lifecycles.
    framework: RefCell<Option<Saved<Object<'static>>>>,
    /// The package being run and its page queue, once launched.
    running: RefCell<Option<pages::Running>>,
    /// Route transitions waiting for the loop, oldest first.
    routes: RefCell<VecDeque<pages::Adopted>>,
    /// The EventChannel functions handed to `navigateTo`'s success, by the page they lead to.
    channels: RefCell<HashMap<u64, Vec<wx_core::FunctionId>>>,
    /// `miniProgram.idle()` promises, resolved when nothing else is pending.
    idle_waiters: RefCell<Vec<Saved<Function<'static>>>>,
    failed_expectations: Cell<usize>,
    /// The JS object of each singleton native object (`getBackgroundAudioManager`).
    singletons: RefCell<HashMap<wx_core::ObjectId, Saved<Object<'static>>>>,
    /// What each native class's JS objects are made of, by the class's address.
    class_faces: RefCell<HashMap<usize, Rc<objects::ClassFace>>>,
    /// The engine class native objects are instances of (its id in this runtime).
    native_class: Cell<rquickjs::qjs::JSClassID>,
    /// The UI the interact family shows on (for the test driver), once attached.
    ui: RefCell<Option<crate::ui::ReferenceUi>>,
    /// Set while the listeners of a host-fired event run: an error they throw is
    /// reported but fires nothing again.
    firing_host_event: Cell<bool>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Uncaught exceptions and unhandled rejections reported along the way.
    pub uncaught_errors: usize,
    /// Whether the run was closed by its time limit with work still pending.
    pub closed_by_limit: bool,
    /// `expect(...)` checks of a test script that failed.
    pub failed_expectations: usize,
}

impl Outcome {
    /// No uncaught error and no failed expectation.
    pub fn passed(&self) -> bool {
        self.uncaught_errors == 0 && self.failed_expectations == 0
    }
}

/// How a package is launched: WeChat's launch options.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The page to open with its query (`pages/detail/detail?id=1`); the entry page when `None`.
    pub path: Option<String>,
    /// The scene value (1001: from the mini-program list).
    pub scene: f64,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            path: None,
            scene: 1001.0,
        }
    }
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
    /// Starts a mini-program for `app`, printing through `console`, with every
    /// API linked into the program in `wx`.
    pub fn new(app: App, console: impl Console + 'static) -> Result<MiniProgram, StartError> {
        let host = Host::new(app).map_err(StartError::Registry)?;
        MiniProgram::with_host(host, console)
    }

    /// [`MiniProgram::new`] with only the APIs of `registry` in `wx` (a host
    /// offering a subset, or its own definitions).
    pub fn with_registry(
        app: App,
        registry: &'static wx_core::Registry,
        console: impl Console + 'static,
    ) -> Result<MiniProgram, StartError> {
        MiniProgram::with_host(Host::with_registry(app, registry), console)
    }

    fn with_host(host: Host, console: impl Console + 'static) -> Result<MiniProgram, StartError> {
        let runtime = Runtime::new().map_err(StartError::Engine)?;
        // A runaway script gets an "out of memory" exception instead of taking the host down.
        runtime.set_memory_limit(DEFAULT_MEMORY_LIMIT);
        let context = Context::full(&runtime).map_err(StartError::Engine)?;
        let shared = Rc::new(Shared {
            host,
            console: Box::new(console),
            tables: Default::default(),
            promises: RefCell::default(),
            timers: RefCell::default(),
            rejections: RefCell::default(),
            format_error: RefCell::default(),
            uncaught: Cell::new(0),
            close_at: Cell::new(None),
            framework: RefCell::default(),
            running: RefCell::default(),
            routes: RefCell::default(),
            channels: RefCell::default(),
            idle_waiters: RefCell::default(),
            failed_expectations: Cell::new(0),
            ui: RefCell::default(),
            singletons: RefCell::default(),
            class_faces: RefCell::default(),
            native_class: Cell::new(0),
            firing_host_event: Cell::new(false),
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
            .with(|ctx| {
                install_globals(&ctx, &shared)?;
                pages::install(&ctx, &shared)
            })
            .map_err(StartError::Engine)?;
        Ok(MiniProgram {
            context,
            runtime,
            shared,
        })
    }

    /// Lets the test driver read and script `ui` (`miniProgram.ui`): the same
    /// UI the app's `Ui` service was built from ([`crate::ui::ReferenceUi::service`]).
    pub fn attach_ui(&self, ui: crate::ui::ReferenceUi) {
        *self.shared.ui.borrow_mut() = Some(ui);
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
            // A route's lifecycles run before anything else: the page stack
            // already counts the pages they create and remove.
            if self.context.with(|ctx| pages::run_next(&ctx, &self.shared)) {
                continue;
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
                self.run_delivery(delivery);
                continue;
            }
            if fired {
                continue;
            }
            if self.is_done() {
                if self.resolve_idle_waiters() {
                    continue;
                }
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
                self.run_delivery(delivery);
            }
        }
        self.shared.host.close();
        Outcome {
            uncaught_errors: self.shared.uncaught.get(),
            closed_by_limit,
            failed_expectations: self.shared.failed_expectations.get(),
        }
    }

    fn is_done(&self) -> bool {
        self.shared.timers.borrow().is_empty()
            && self.shared.routes.borrow().is_empty()
            && self.shared.host.is_idle()
            && !self.runtime.is_job_pending()
    }

    /// Resolves the `miniProgram.idle()` promises; `false` if there were none.
    fn resolve_idle_waiters(&self) -> bool {
        let waiters = std::mem::take(&mut *self.shared.idle_waiters.borrow_mut());
        if waiters.is_empty() {
            return false;
        }
        self.context.with(|ctx| {
            for waiter in waiters {
                if let Ok(resolve) = waiter.restore(&ctx) {
                    invoke(
                        &ctx,
                        &self.shared,
                        &resolve,
                        JsValue::new_undefined(ctx.clone()),
                    );
                }
            }
        });
        true
    }

    /// Launches a mini-program package, as WeChat does: `app.js` runs (its
    /// `App()` calls `onLaunch` and `onShow`), then every page file, then the
    /// launch page opens (`onLoad`, `onShow`, `onReady`). A launch page that does
    /// not exist fires `onPageNotFound`, then the entry page opens unless a
    /// listener routed somewhere. `queue` is the [`PageQueue`] the app's
    /// `PageStack` service was given. Errors thrown by the package's code are
    /// reported and counted, as at any other time; only a package without
    /// `App()` cannot go on.
    pub fn launch(
        &self,
        package: &crate::Package,
        queue: &PageQueue,
        launch: &Launch,
    ) -> Result<(), LaunchError> {
        let package = std::rc::Rc::new(package.clone());
        *self.shared.running.borrow_mut() = Some(pages::Running {
            package: package.clone(),
            queue: queue.clone(),
        });
        self.runtime.set_loader(
            pages::PackageResolver(package.clone()),
            pages::PackageLoader {
                package: package.clone(),
                shared: std::rc::Rc::downgrade(&self.shared),
            },
        );
        let stack = self
            .shared
            .host
            .app()
            .service::<wx_apis::route::PageStack>()
            .ok_or_else(|| LaunchError::Engine("the app has no PageStack service".into()))?;
        let path = launch
            .path
            .clone()
            .unwrap_or_else(|| package.pages().entry().to_owned());
        let path = path.trim_start_matches('/').to_owned();
        let (route, query) = path.split_once('?').unwrap_or((&path, ""));
        let query: serde_json::Map<String, serde_json::Value> =
            wx_apis::route::url::parse_query(query)
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect();
        let options = serde_json::json!({
            "path": route,
            "query": query,
            "scene": launch.scene,
            "referrerInfo": {},
        });
        let files: Vec<String> = std::iter::once("app.js".to_owned())
            .chain(package.pages().routes().iter().map(|r| format!("{r}.js")))
            .collect();
        let prepared = self.context.with(|ctx| -> rquickjs::Result<()> {
            let framework = pages::framework(&ctx, &self.shared)?;
            let routes = serde_json::json!(package.pages().routes());
            for (name, value) in [
                ("setConfig", package.config()),
                ("setLaunch", &options),
                ("setPages", &routes),
            ] {
                let arg = ctx.json_parse(value.to_string())?;
                framework.get::<_, Function>(name)?.call::<_, ()>((arg,))?;
            }
            Ok(())
        });
        prepared.map_err(|e| LaunchError::Engine(e.to_string()))?;
        for file in files {
            self.context.with(|ctx| {
                let load = pages::framework(&ctx, &self.shared)
                    .and_then(|framework| framework.get::<_, Function>("load"));
                if let Err(error) = load
                    .and_then(|load| load.call::<_, ()>((file,)))
                    .catch(&ctx)
                {
                    report_caught(&ctx, &self.shared, "Uncaught", error);
                }
            });
            self.run_jobs();
        }
        let started = self.context.with(|ctx| {
            pages::framework(&ctx, &self.shared)
                .and_then(|framework| framework.get::<_, Function>("hasApp"))
                .and_then(|has_app| has_app.call::<_, bool>(()))
        });
        match started {
            Ok(true) => {}
            Ok(false) => return Err(LaunchError::NoApp),
            Err(err) => return Err(LaunchError::Engine(err.to_string())),
        }
        if let Err(not_found) = stack.launch(launch.path.as_deref()) {
            self.context
                .with(|ctx| -> rquickjs::Result<()> {
                    let framework = pages::framework(&ctx, &self.shared)?;
                    let payload =
                        ctx.json_parse(serde_json::to_string(&not_found).unwrap_or_default())?;
                    if let Err(error) = framework
                        .get::<_, Function>("pageNotFound")?
                        .call::<_, ()>((payload,))
                        .catch(&ctx)
                    {
                        report_caught(&ctx, &self.shared, "Uncaught", error);
                    }
                    pages::adopt(&ctx, &self.shared);
                    Ok(())
                })
                .map_err(|e| LaunchError::Engine(e.to_string()))?;
            // A listener that routed (`wx.redirectTo`) decides where the launch goes.
            stack.launch_after_not_found();
        }
        // The launch page is open before anything else runs.
        while self.context.with(|ctx| pages::run_next(&ctx, &self.shared)) {
            self.run_jobs();
        }
        Ok(())
    }

    /// Runs `source` as an ES module named `file_name` (top-level `await` works):
    /// a test script. Its failure is reported like an uncaught error.
    pub fn eval_module(&self, file_name: &str, source: &str) {
        self.context.with(|ctx| {
            let result = rquickjs::Module::evaluate(ctx.clone(), file_name, source).catch(&ctx);
            match result {
                Ok(promise) => {
                    let report: rquickjs::Result<()> = (|| {
                        let framework = pages::framework(&ctx, &self.shared)?;
                        let watch: Function = framework.get("watch")?;
                        watch.call((promise,))
                    })();
                    if let Err(err) = report {
                        self.shared
                            .console
                            .print(Level::Error, &format!("Uncaught {err}"));
                    }
                }
                Err(error) => report_caught(&ctx, &self.shared, "Uncaught", error),
            }
        });
        self.run_jobs();
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
                for (promise, reason) in unhandled {
                    let (Ok(promise), Ok(reason)) = (promise.restore(&ctx), reason.restore(&ctx))
                    else {
                        continue;
                    };
                    report_value(&ctx, &self.shared, "Uncaught (in promise)", reason.clone());
                    // WeChat gives a rejection to `onUnhandledRejection`, not `onError`.
                    errors::fire(&ctx, &self.shared, "onUnhandledRejection", |ctx| {
                        let payload = Object::new(ctx.clone())?;
                        payload.set("reason", reason)?;
                        payload.set("promise", promise)?;
                        Ok(payload.into_value())
                    });
                }
            });
        }
    }

    fn run_delivery(&self, delivery: Delivery) {
        self.context
            .with(|ctx| delivery::run(&ctx, &self.shared, delivery));
    }

    /// Uncaught exceptions and unhandled rejections reported so far.
    pub fn uncaught_errors(&self) -> usize {
        self.shared.uncaught.get()
    }

    /// How many JS functions wx-core still references (callbacks, listeners).
    pub fn retained_functions(&self) -> usize {
        self.shared.tables.functions.borrow().len()
    }
}

impl Drop for MiniProgram {
    fn drop(&mut self) {
        // Every Persistent must be gone before the runtime is freed, and nothing may
        // call back into JS while it is torn down.
        self.shared.host.close();
        self.shared.tables.clear();
        self.shared.promises.borrow_mut().clear();
        self.shared.timers.borrow_mut().clear_all();
        self.shared.rejections.borrow_mut().clear();
        self.shared.format_error.borrow_mut().take();
        self.shared.framework.borrow_mut().take();
        self.shared.routes.borrow_mut().clear();
        self.shared.idle_waiters.borrow_mut().clear();
        self.shared.singletons.borrow_mut().clear();
        self.shared.class_faces.borrow_mut().clear();
        self.runtime.set_host_promise_rejection_tracker(None);
    }
}

impl Shared {
    fn closing(&self) -> bool {
        self.close_at.get().is_some_and(|at| Instant::now() >= at)
    }
}
