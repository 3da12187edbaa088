//! [`Host`]: the one interface through which an embedding (a JS engine, a test,
//! a simulator) calls APIs by name and receives what they produce.
//!
//! A host calls [`Host::call`] from its JS thread with JS-like [`Value`]s and gets
//! a [`Returned`] at once. Everything that happens later (a settled async call, an
//! event, an object event, a contained panic) arrives as a [`Delivery`] from
//! [`Host::next`], which the host runs on the same thread. Tokio workers only ever
//! send plain data to that queue, so JS values never leave the JS thread, and no
//! callback runs re-entrantly inside `call`.
//!
//! This module owns the tables (pending calls, events, objects, the ready
//! queue), starting calls and closing; the rest lives in its submodules. Nothing
//! here may hold a table lock while user code or JS runs.

pub use crate::channel::{CallId, ObjectId};
use crate::channel::{CallSlot, Inlet, Outlet, SettleGuard};
use crate::panic::{contain, BoxFuture, Contained};
use crate::registry::{Api, ApiKind, Handler, Registry, RegistryError};
use crate::task::TaskMessage;
use crate::{ApiDef, App, ArgSource, Args, Lent, Sink, Value, WxError};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

mod listeners;
mod objects;
mod protocol;
mod queue;
mod stats;

use listeners::{listener_arg, ListenerList};
use protocol::WithoutCallbacks;
pub use protocol::{Callbacks, Delivery, Failure, ObjectHandle, Returned, Settlement};
pub use stats::ApiStats;

/// What a call's settlement needs to know of it, recorded when it starts.
struct CallRecord {
    /// The errMsg prefix: the API's name, or a method's (`sendSocketMessage`).
    name: &'static str,
    /// Its span and start, if stats or a `wx` debug subscriber watch calls.
    watched: Option<stats::Watched>,
    err_code: bool,
    callbacks: Callbacks,
    promise: bool,
}

/// A call that may be settled from elsewhere (a worker, its native object):
/// its record, and the slot whoever settles it uses.
struct Pending {
    record: CallRecord,
    slot: Arc<CallSlot>,
}

/// What waits in the ready queue: a delivery made on the JS thread (a
/// release), or a call settled there, made into its delivery when it is taken,
/// as a worker's message is.
enum Ready {
    Delivery(Delivery),
    Settled(CallId, CallRecord, Result<crate::Encoded, WxError>),
}

impl From<Delivery> for Ready {
    fn from(delivery: Delivery) -> Self {
        Ready::Delivery(delivery)
    }
}

/// How an async call is held while its future starts.
enum Opened {
    /// Pending from the start: its native object's `Task` holds the slot.
    Object(Arc<CallSlot>),
    /// Only its record: it becomes pending only if its future does not finish
    /// on the first poll.
    Plain(CallRecord),
}

/// A future after its first poll.
enum FirstPoll {
    Done(Result<crate::Encoded, WxError>),
    Running(Contained<Result<crate::Encoded, WxError>>),
}

struct Listening {
    listeners: ListenerList,
    source: Option<(AbortHandle, u64)>,
}

struct LiveObject {
    /// The async call the object came from (a sync API's object has none).
    call: Option<CallId>,
    listeners: HashMap<&'static str, ListenerList>,
    /// How many listeners it has in all, shared with its `Task`'s emitters.
    listener_count: Arc<std::sync::atomic::AtomicUsize>,
    inbox: UnboundedSender<TaskMessage>,
    /// Its properties' values, shared with its `Task` (which updates them).
    properties: crate::task::Properties,
    /// Whether it keeps the run going (`Task::set_busy`).
    busy: crate::task::Busy,
}

#[derive(Default)]
struct State {
    pending: HashMap<CallId, Pending>,
    events: HashMap<&'static str, Listening>,
    objects: HashMap<ObjectId, LiveObject>,
    /// The live object of each singleton API (`getBackgroundAudioManager`).
    singletons: HashMap<&'static str, ObjectHandle>,
    /// Deliveries made on the JS thread itself (releases), served before the queue.
    ready: VecDeque<Ready>,
    /// Functions the most recent call made wx-core hold ([`Host::take_kept`]):
    /// its callbacks, or the listener it added. Replaced by each call that
    /// keeps something (a call keeps at most once), so it never grows for a
    /// host that does not ask.
    kept: Vec<crate::FunctionId>,
}

/// One mini-program's connection to the registry: the engine-agnostic interface
/// a host drives.
///
/// Call [`Host::call`] from the JS thread with JS-like [`Value`]s and get a
/// [`Returned`] at once. Everything that happens later (a settled async call, an
/// event, an object event, a contained panic) arrives as a [`Delivery`] from
/// [`Host::next`], to be run on the same thread; no callback ever runs inside `call`.
///
/// ```
/// use wx_core::{App, Delivery, Host, Returned, Value};
///
/// #[wx_core::wx_sync]
/// fn add_sync(a: f64, b: f64) -> f64 {
///     a + b
/// }
///
/// let host = Host::new(App::builder("doc").build()).unwrap();
/// let sum = host.call("addSync", vec![1.into(), 2.into()]).unwrap();
/// assert_eq!(sum, Returned::Value(Value::Number(3.0)));
/// let err = host.call("addSync", vec!["1".into()]).unwrap_err();
/// assert_eq!(
///     err.err_msg.as_str(),
///     "addSync:fail parameter error: parameter.a should be Number instead of String;parameter.b should be Number instead of Undefined;"
/// );
/// ```
pub struct Host {
    app: App,
    registry: &'static Registry,
    tx: Outlet,
    rx: Mutex<Inlet>,
    /// Where `console_warn` in this host's calls prints (the same queue).
    console: crate::console::Console,
    state: Mutex<State>,
    /// The last id handed out (calls, objects, event-source generations).
    last_id: std::sync::atomic::AtomicU64,
    /// Whether `State::kept` holds anything: `take_kept` after a call that kept
    /// nothing (most sync calls) costs no lock.
    kept_any: AtomicBool,
    /// Per-API counters, when enabled.
    stats: stats::Stats,
}

impl Host {
    /// A host for `app` over every API linked into the program; fails if two
    /// declarations share a name, or if no API crate was linked.
    pub fn new(app: App) -> Result<Host, RegistryError> {
        Ok(Host::with_registry(app, Registry::global()?))
    }

    /// A host over a registry of your choosing.
    pub fn with_registry(app: App, registry: &'static Registry) -> Host {
        let (tx, rx) = crate::channel::queue();
        Host {
            app,
            registry,
            console: crate::console::Console::open(tx.clone()),
            tx,
            rx: Mutex::new(rx),
            state: Mutex::new(State::default()),
            last_id: std::sync::atomic::AtomicU64::new(0),
            kept_any: AtomicBool::new(false),
            stats: stats::Stats::default(),
        }
    }

    /// Starts (or stops) counting calls, failures and latencies per API.
    pub fn enable_stats(&self, on: bool) {
        self.stats.enable(on);
    }

    /// The counters so far, by API name (empty unless enabled).
    pub fn stats(&self) -> Vec<ApiStats> {
        self.stats.snapshot()
    }

    /// The app this host serves.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The registry this host dispatches through.
    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    /// A new id, never handed out before by this host.
    fn next_id(&self) -> u64 {
        self.last_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held, but stay usable if one did.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Calls API `name` with the JS arguments `args`.
    ///
    /// Sync APIs return their value or a [`Failure`] to throw. Async APIs never
    /// fail here: errors reach `fail` (or reject the Promise) through a later
    /// [`Delivery::Settle`]. `onXxx`/`offXxx` take a function (`offXxx` also none).
    pub fn call(&self, name: &str, args: Vec<Value>) -> Result<Returned, Failure> {
        match self.registry.get(name) {
            Some(api) => self.call_api(api, args),
            None => Err(Failure::new(name, &WxError::new("not supported"))),
        }
    }

    /// [`Host::call`] for an API already looked up: a host that builds one JS
    /// function per API resolves each once, and calls skip the name lookup.
    pub fn call_api(&self, api: Api, args: Vec<Value>) -> Result<Returned, Failure> {
        match (api.kind, api.def.handler) {
            (ApiKind::Sync, Handler::Sync(_)) => {
                let mut out = crate::value::sink::ValueSink::default();
                Ok(match self.call_sync(api, Args::from(args), &mut out)? {
                    Some(handle) => Returned::Object(handle),
                    None => Returned::Value(out.finish()),
                })
            }
            (ApiKind::Async, Handler::Async(f)) => {
                let options = args.into_iter().next().unwrap_or_default();
                Ok(self.start_async_value(api.def, Ok(f), options))
            }
            (ApiKind::On, Handler::Event(source)) => {
                let listener = listener_arg(api.name, args.first(), ApiKind::On)?;
                self.listen(api.def, source, listener.expect("on requires a function"));
                Ok(Returned::Value(Value::Undefined))
            }
            (ApiKind::Off, Handler::Event(_)) => {
                let listener = listener_arg(api.name, args.first(), ApiKind::Off)?;
                self.unlisten(api.def.name, listener);
                Ok(Returned::Value(Value::Undefined))
            }
            _ => Err(Failure::new(
                api.name,
                &WxError::internal("handler does not match kind"),
            )),
        }
    }

    /// Calls sync API `api` with arguments as the host holds them ([`Args::lent`]
    /// reads them in place), writing its result to `out`; `Some` is the object
    /// it returned instead (`wx.createWorker`). The fast path of [`Host::call_api`].
    pub fn call_sync(
        &self,
        api: Api,
        args: Args<'_>,
        out: &mut dyn Sink,
    ) -> Result<Option<ObjectHandle>, Failure> {
        let Handler::Sync(f) = api.def.handler else {
            return Err(Failure::new(api.name, &WxError::internal("not a sync API")));
        };
        if let Some(class) = api.def.class {
            return self.call_sync_object(api, class, f, args, out);
        }
        match self.run_sync(api, f, args, None, out) {
            Ok(()) => Ok(None),
            Err(err) => Err(self.sync_failure(api, err)),
        }
    }

    /// [`Host::call_sync`] of an API that returns an object (`createWorker`):
    /// it gets its Task, and the object lives as long as the function keeps
    /// it; a singleton's object, while it lives, is the answer.
    #[inline(never)]
    fn call_sync_object(
        &self,
        api: Api,
        class: &'static crate::ClassDef,
        f: crate::registry::SyncFn,
        args: Args<'_>,
        out: &mut dyn Sink,
    ) -> Result<Option<ObjectHandle>, Failure> {
        if class.singleton {
            if let Some(handle) = self.live_singleton(api.def) {
                return Ok(Some(handle));
            }
        }
        let (task, handle) = self.open_object(&mut self.state(), api.def, class, None);
        match self.run_sync(api, f, args, Some(task), out) {
            Ok(()) => {
                if handle.class.singleton {
                    self.state().singletons.insert(api.def.name, handle);
                }
                Ok(Some(handle))
            }
            Err(err) => Err(self.sync_failure(api, err)),
        }
    }

    /// Runs a sync API's function: watched (stats, `wx` spans), with the
    /// host's console, a panic contained as `internal error`. (Inlined in
    /// both callers: the plain one is the hot path of every sync call.)
    #[inline(always)]
    fn run_sync(
        &self,
        api: Api,
        f: crate::registry::SyncFn,
        args: Args<'_>,
        task: Option<crate::Task>,
        out: &mut dyn Sink,
    ) -> Result<(), WxError> {
        let watched = self.stats.watch(api.name, None);
        let entered = watched.as_ref().map(stats::Watched::enter);
        let result = crate::console::scope_sync(self.console.id(), || {
            contain(|| f(&self.app, args, task, out))
        })
        .unwrap_or_else(|panic| {
            tracing::error!(target: "wx", api = api.name, "panic contained: {panic}");
            Err(panic.into_error())
        });
        drop(entered);
        if let Some(watched) = watched {
            self.stats.end(watched, result.as_ref().err());
        }
        result
    }

    /// A sync call's error, diagnosed, as JS receives it.
    #[cold]
    fn sync_failure(&self, api: Api, err: WxError) -> Failure {
        self.diagnose(api.name, &err);
        Failure::new(api.name, &err)
    }

    /// Calls async API `api` with arguments as the host holds them: the options
    /// object's callbacks and declared fields are read in place
    /// ([`ArgSource::lend_field`]); an object that cannot be read so is
    /// converted whole, as [`Host::call_api`] would have it. The fast path of
    /// [`Host::call_api`] for async APIs; like it, it never fails for one.
    pub fn call_async(&self, api: Api, args: &mut dyn ArgSource) -> Result<Returned, Failure> {
        let Handler::Async(f) = api.def.handler else {
            return Err(Failure::new(
                api.name,
                &WxError::internal("not an async API"),
            ));
        };
        let shape = match args.is_empty() {
            true => Some(Lent::Primitive(Value::Undefined)),
            false => args.lend(0),
        };
        let not_object = match shape {
            None => None,
            Some(Lent::Primitive(Value::Undefined)) => {
                let options = Args::from(vec![Value::object()]);
                return Ok(self.start_async(api.def, Ok(f), Callbacks::default(), false, options));
            }
            Some(Lent::Primitive(value)) => Some(value.js_type_name()),
            Some(Lent::Str(_)) => Some("String"),
            Some(Lent::Function(_)) => Some("Function"),
        };
        if let Some(actual) = not_object {
            let refused = Err(not_an_object(actual));
            let none = Args::from(Vec::new());
            return Ok(self.start_async(api.def, refused, Callbacks::default(), false, none));
        }
        let read = Callbacks::lend(args, 0);
        if read.all_read {
            let mut options = WithoutCallbacks(args);
            let options = Args::lent(&mut options);
            return Ok(self.start_async(api.def, Ok(f), read.callbacks, read.any_truthy, options));
        }
        // A callback is an accessor or an object: the options are converted
        // whole, and if they cannot be, the call fails through the callbacks
        // that could be read.
        Ok(match args.value(0) {
            Ok(options) => self.start_async_value(api.def, Ok(f), options),
            Err(reason) => self.start_async(
                api.def,
                Err(WxError::parameter(reason)),
                read.callbacks,
                read.any_truthy,
                Args::from(Vec::new()),
            ),
        })
    }

    /// Fails a call whose arguments the host could not convert (too large, nested
    /// too deep) the way the API itself would have failed: for a sync API or a
    /// listener, the [`Failure`] to throw; for an async API, through its
    /// callbacks or Promise (`options` needs to carry only `success`, `fail` and
    /// `complete`), returning its object too if it has one.
    pub fn refuse(&self, api: Api, options: Value, err: WxError) -> Result<Returned, Failure> {
        match api.kind {
            ApiKind::Async => Ok(self.start_async_value(api.def, Err(err), options)),
            ApiKind::Sync | ApiKind::On | ApiKind::Off => Err(Failure::new(api.name, &err)),
        }
    }

    /// [`Host::start_async`] for options a Rust host converted: the callbacks
    /// taken out of the object, anything but an object (or nothing) refused.
    fn start_async_value(
        &self,
        def: &'static ApiDef,
        f: Result<crate::registry::AsyncFn, WxError>,
        options: Value,
    ) -> Returned {
        let (mut options, f) = match options {
            Value::Object(map) => (map, f),
            Value::Undefined => (Box::default(), f),
            other => (
                Box::default(),
                f.and(Err(not_an_object(other.js_type_name()))),
            ),
        };
        let (callbacks, any_truthy) = Callbacks::take(&mut options);
        let options = Args::from(vec![Value::Object(options)]);
        self.start_async(def, f, callbacks, any_truthy, options)
    }

    /// Opens an async call (Promise mode, its native object) and starts it with
    /// `f` over `options` (argument 0 the options object, callbacks taken), or
    /// fails it at once with the error a host gave. A call whose future
    /// finishes on its first poll (like deno's eager ops) never becomes
    /// pending: no slot, no table entry, no trip through the queue's channel.
    /// Every settlement made before the first poll ends (a native object's
    /// `Task` may settle early) waits in the ready queue, so calls settled at
    /// once are delivered in the order they were made.
    fn start_async(
        &self,
        def: &'static ApiDef,
        f: Result<crate::registry::AsyncFn, WxError>,
        callbacks: Callbacks,
        any_truthy: bool,
        options: Args<'_>,
    ) -> Returned {
        let promise = def.promise && !any_truthy;
        let (call, record) = self.begin_call(def.name, def.err_code, callbacks, promise);
        let (opened, task, object) = match def.class {
            Some(class) => {
                let mut state = self.state();
                let slot = self.pend(&mut state, call, record, true);
                let (task, handle) =
                    self.open_object(&mut state, def, class, Some((call, slot.clone())));
                (Opened::Object(slot), Some(task), Some(handle))
            }
            None => (Opened::Plain(record), None, None),
        };

        let started = match f {
            Err(refused) => Err(refused),
            Ok(f) => contain(|| f(&self.app, options, task, crate::CallForm::Async))
                .unwrap_or_else(|panic| Err(panic.into_error())),
        };
        let first = match started {
            Ok(future) => self.poll_first(future),
            Err(err) => FirstPoll::Done(Err(err)),
        };
        match (first, opened) {
            (first, Opened::Object(slot)) => {
                // Its Task may have settled it during the poll (`connectSocket`
                // does as the connection starts): that settlement is held, and
                // goes to the ready queue like any other made at once.
                match first {
                    FirstPoll::Done(result) => {
                        slot.settle(result);
                    }
                    FirstPoll::Running(future) => self.spawn(slot.clone(), future),
                }
                if let Some(result) = slot.release_held() {
                    let mut state = self.state();
                    if let Some(pending) = state.pending.remove(&call) {
                        let settled = Ready::Settled(call, pending.record, result);
                        state.ready.push_back(settled);
                    }
                }
            }
            (FirstPoll::Done(result), Opened::Plain(record)) => {
                let settled = Ready::Settled(call, record, result);
                self.state().ready.push_back(settled);
            }
            (FirstPoll::Running(future), Opened::Plain(record)) => {
                let slot = self.pend(&mut self.state(), call, record, false);
                self.spawn(slot, future);
            }
        }
        // Kept only now: decoding the options may have run JS (a getter) that
        // made calls of its own, each replacing what the last call kept.
        let functions = callbacks.functions();
        if !functions.is_empty() {
            self.keep(&mut self.state().kept, functions);
        }
        match object {
            Some(handle) => Returned::Object(handle),
            None if promise => Returned::Promise(call),
            None => Returned::Value(Value::Undefined),
        }
    }

    /// A new call's id and record; its span and clock only when observed.
    fn begin_call(
        &self,
        name: &'static str,
        err_code: bool,
        callbacks: Callbacks,
        promise: bool,
    ) -> (CallId, CallRecord) {
        let call = CallId(self.next_id());
        let record = CallRecord {
            name,
            watched: self.stats.watch(name, Some(call.0)),
            err_code,
            callbacks,
            promise,
        };
        (call, record)
    }

    /// Makes a call pending: the slot that settles it, and the entry its
    /// settlement is matched with when it arrives. A slot `holding` keeps a
    /// settlement made before its future's first poll ends (see
    /// [`Host::start_async`]).
    fn pend(
        &self,
        state: &mut State,
        call: CallId,
        record: CallRecord,
        holding: bool,
    ) -> Arc<CallSlot> {
        let slot = Arc::new(CallSlot::new(call, self.tx.clone(), holding));
        let pending = Pending {
            record,
            slot: slot.clone(),
        };
        state.pending.insert(call, pending);
        slot
    }

    /// Records a pending call and the slot that settles it.
    fn open_call(
        &self,
        state: &mut State,
        name: &'static str,
        err_code: bool,
        callbacks: Callbacks,
        promise: bool,
    ) -> (CallId, Arc<CallSlot>) {
        let (call, record) = self.begin_call(name, err_code, callbacks, promise);
        (call, self.pend(state, call, record, false))
    }

    /// The functions wx-core started holding since the last time this was asked:
    /// an async call's callbacks (held until its settlement is delivered) and
    /// listeners (held until a [`Delivery::Release`] names them). A host that
    /// must keep JS functions alive asks after every call and keeps exactly
    /// these: the rule of what wx-core holds lives here, not in the host.
    pub fn take_kept(&self) -> Vec<crate::FunctionId> {
        if !self.kept_any.swap(false, Ordering::AcqRel) {
            return Vec::new();
        }
        std::mem::take(&mut self.state().kept)
    }

    /// Records what the current call made wx-core hold (see [`Host::take_kept`]).
    fn keep(&self, kept: &mut Vec<crate::FunctionId>, functions: Vec<crate::FunctionId>) {
        if !functions.is_empty() {
            *kept = functions;
            self.kept_any.store(true, Ordering::Release);
        }
    }

    /// Polls the future once right here (like deno's eager ops), so calls that
    /// finish at once skip the trip through a worker.
    fn poll_first(&self, future: BoxFuture<Result<crate::Encoded, WxError>>) -> FirstPoll {
        let mut future = Contained::new(future);
        let _context = self.app.runtime().enter();
        let first = crate::console::scope_sync(self.console.id(), || {
            future.poll_once(&mut Context::from_waker(Waker::noop()))
        });
        match first {
            Poll::Ready(result) => {
                FirstPoll::Done(result.unwrap_or_else(|panic| Err(panic.into_error())))
            }
            Poll::Pending => FirstPoll::Running(future),
        }
    }

    /// Runs the rest of a pending call's future on the app's runtime. An abort
    /// (`Host::abort`) is seen at the task's next poll: the future is dropped
    /// first (a download removes its part file, a socket closes), and only
    /// then is the call settled, so JS never sees `fail abort` while what the
    /// future held is still there.
    fn spawn(&self, slot: Arc<CallSlot>, future: Contained<Result<crate::Encoded, WxError>>) {
        let guard = SettleGuard(slot.clone());
        let future = crate::console::scope(self.console.id(), future);
        let handle = self.app.runtime().spawn(async move {
            let outcome = {
                let mut future = std::pin::pin!(future);
                let mut cancelled = std::pin::pin!(guard.0.cancel.notified());
                std::future::poll_fn(|cx| {
                    if Future::poll(cancelled.as_mut(), cx).is_ready() {
                        return Poll::Ready(None);
                    }
                    guard
                        .0
                        .poll_within(|| Future::poll(future.as_mut(), cx).map(Some))
                })
                .await
            };
            guard.0.settle(match outcome {
                Some(result) => result.unwrap_or_else(|panic| Err(panic.into_error())),
                None => Err(WxError::abort()),
            });
        });
        *slot.abort.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle.abort_handle());
    }

    /// Aborts a pending call: it settles as `"<api>:fail abort"` once its
    /// future is dropped (at once if it is not running on the runtime). Does
    /// nothing once the call has settled; `true` if it aborted.
    pub fn abort(&self, call: CallId) -> bool {
        let slot = match self.state().pending.get(&call) {
            Some(pending) => pending.slot.clone(),
            None => return false,
        };
        if slot.settled.load(Ordering::Acquire) {
            return false;
        }
        let running = slot
            .abort
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some();
        match running {
            true => {
                slot.cancel.notify_one();
                true
            }
            false => slot.settle(Err(WxError::abort())),
        }
    }

    /// `true` when nothing can produce a delivery by itself any more: no pending
    /// call, no busy native object (a socket keeps running after its call settled;
    /// an object that said `Task::set_busy(false)` does not count)
    /// and no running event source with listeners. A host's loop may end then.
    pub fn is_idle(&self) -> bool {
        let state = self.state();
        state.ready.is_empty()
            && state.pending.is_empty()
            && state.objects.values().all(|o| !o.busy.is_busy())
            && state.events.values().all(|e| e.source.is_none())
    }

    /// How many async calls have not settled yet.
    pub fn pending_calls(&self) -> usize {
        self.state().pending.len()
    }

    /// Stops everything: event sources and pending futures are dropped, tables
    /// cleared. Nothing more is delivered. Call before tearing down the engine.
    pub fn close(&self) {
        let mut state = self.state();
        for (_, entry) in state.events.drain() {
            if let Some((abort, _)) = entry.source {
                abort.abort();
            }
        }
        for (_, pending) in state.pending.drain() {
            pending.slot.settled.store(true, Ordering::Release);
            if let Some(handle) = pending
                .slot
                .abort
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
            {
                handle.abort();
            }
        }
        state.objects.clear();
        state.ready.clear();
    }
}

/// The error of an async call whose argument is not an options object.
fn not_an_object(actual: &str) -> WxError {
    WxError::parameter(format!("parameter should be Object instead of {actual};"))
}

impl Drop for Host {
    fn drop(&mut self) {
        self.close();
    }
}
