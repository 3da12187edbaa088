//! [`Host`]: the one interface through which an embedding (a JS engine, a test,
//! a simulator) calls APIs by name and receives what they produce.
//!
//! A host calls [`Host::call`] from its JS thread with JS-like [`Value`]s and gets
//! a [`Returned`] at once. Everything that happens later (a settled async call, an
//! event, an object event, a contained panic) arrives as a [`Delivery`] from
//! [`Host::next`], which the host runs on the same thread. Tokio workers only ever
//! send plain data to that queue, so JS values never leave the JS thread, and no
//! callback runs re-entrantly inside `call`.

use crate::panic::{contain, BoxFuture, Contained};
use crate::registry::{Api, ApiKind, Handler, Listeners, Registry, RegistryError};
use crate::task::TaskMessage;
use crate::{
    ApiDef, App, Args, ClassDef, Emitter, ErrMsg, FunctionId, Object, Task, Value, WxError,
};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::task::AbortHandle;

/// Identifies one async call, e.g. to resolve the Promise the host made for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u64);

/// Identifies one native object (a task) the host shows to JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(pub u64);

/// What [`Host::call`] hands back to JS at once.
#[derive(Debug, Clone, PartialEq)]
pub enum Returned {
    /// A plain value: a sync API's result, or `undefined`.
    Value(Value),
    /// An async call made without callbacks: the host returns a Promise and
    /// settles it when the [`Settlement`] with this id arrives.
    Promise(CallId),
    /// A native object; the host exposes its class's methods and forwards them
    /// to [`Host::call_method`].
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
    fn new(api: &str, err: &WxError) -> Self {
        Failure {
            err_msg: err.err_msg(api),
            err_code: err.err_code(),
            errno: err.errno(),
            console_only: false,
        }
    }

    /// A mistake WeChat reports on the console instead of throwing.
    fn console(text: String) -> Self {
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
}

/// Where an emitted event goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Target {
    /// A `wx.onXxx` event, by its `on` name.
    Global(&'static str),
    /// An object's event.
    Object(ObjectId, &'static str),
}

impl Target {
    pub(crate) fn event(&self) -> &'static str {
        match self {
            Target::Global(name) | Target::Object(_, name) => name,
        }
    }
}

/// What tokio workers send to the JS thread: plain data only.
#[derive(Debug)]
pub(crate) enum Message {
    /// The future behind a native object is gone: the object has ended.
    ObjectEnded {
        object: ObjectId,
    },
    Settled {
        call: CallId,
        result: Result<Value, WxError>,
    },
    Emitted {
        target: Target,
        payload: Value,
        /// The Rust function behind a `Task::emit_global`, to name in an error.
        origin: Option<&'static str>,
    },
    Failed {
        api: &'static str,
        reason: String,
    },
    SourceEnded {
        event: &'static str,
        generation: u64,
    },
}

/// The shared end of one pending call: whoever settles first wins.
#[derive(Debug)]
pub(crate) struct CallSlot {
    call: CallId,
    settled: AtomicBool,
    tx: Sender<Message>,
    abort: Mutex<Option<AbortHandle>>,
}

impl CallSlot {
    pub(crate) fn settle(&self, result: Result<Value, WxError>) -> bool {
        if self.settled.swap(true, Ordering::AcqRel) {
            return false;
        }
        // A closed queue means the host is gone; nobody is left to tell.
        let _ = self.tx.send(Message::Settled {
            call: self.call,
            result,
        });
        true
    }
}

/// Settles its call as failed if dropped first: the future was cancelled or
/// its runtime shut down.
struct SettleGuard(Arc<CallSlot>);

impl Drop for SettleGuard {
    fn drop(&mut self) {
        self.0.settle(Err(WxError::new("cancelled")));
    }
}

struct Pending {
    /// The errMsg prefix: the API's name, or a method's (`sendSocketMessage`).
    name: &'static str,
    err_code: bool,
    callbacks: Callbacks,
    promise: bool,
    slot: Arc<CallSlot>,
}

struct Listening {
    listeners: Vec<FunctionId>,
    source: Option<(AbortHandle, u64)>,
}

struct LiveObject {
    /// The async call the object came from (a sync API's object has none).
    call: Option<CallId>,
    listeners: HashMap<&'static str, Vec<FunctionId>>,
    inbox: UnboundedSender<TaskMessage>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    pending: HashMap<CallId, Pending>,
    events: HashMap<&'static str, Listening>,
    objects: HashMap<ObjectId, LiveObject>,
    /// Deliveries made on the JS thread itself (releases), served before the queue.
    ready: VecDeque<Delivery>,
}

impl State {
    /// Forgets an ended object; the release of its listeners, if it had any.
    fn end_object(&mut self, id: ObjectId) -> Option<Delivery> {
        let ended = self.objects.remove(&id)?;
        let released: Vec<_> = ended.listeners.into_values().flatten().collect();
        (!released.is_empty()).then_some(Delivery::Release(released))
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
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
    tx: Sender<Message>,
    rx: Mutex<Receiver<Message>>,
    state: Mutex<State>,
}

impl Host {
    /// A host for `app` over every API linked into the program; fails if two
    /// declarations share a name, or if no API crate was linked.
    pub fn new(app: App) -> Result<Host, RegistryError> {
        Ok(Host::with_registry(app, Registry::global()?))
    }

    /// A host over a registry of your choosing.
    pub fn with_registry(app: App, registry: &'static Registry) -> Host {
        let (tx, rx) = mpsc::channel();
        Host {
            app,
            registry,
            tx,
            rx: Mutex::new(rx),
            state: Mutex::new(State::default()),
        }
    }

    /// The app this host serves.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The registry this host dispatches through.
    pub fn registry(&self) -> &'static Registry {
        self.registry
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
            (ApiKind::Sync, Handler::Sync(f)) => {
                // An object-returning sync API (`createWorker`) gets its Task; the
                // object lives as long as the function keeps it.
                let object = api
                    .def
                    .class
                    .map(|class| self.open_object(&mut self.state(), api.def, class, None));
                let (task, handle) = object.unzip();
                let result = contain(|| f(&self.app, Args(args), task))
                    .unwrap_or_else(|panic| Err(panic.into_error()));
                match (result, handle) {
                    (Ok(_), Some(handle)) => Ok(Returned::Object(handle)),
                    (Ok(value), None) => Ok(Returned::Value(value)),
                    (Err(err), _) => {
                        self.diagnose(api.name, &err);
                        Err(Failure::new(api.name, &err))
                    }
                }
            }
            (ApiKind::Async, Handler::Async(f)) => {
                let options = args.into_iter().next().unwrap_or_default();
                Ok(self.start_async(api.def, Ok(f), options))
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

    /// Fails a call whose arguments the host could not convert (too large, nested
    /// too deep) the way the API itself would have failed: for a sync API or a
    /// listener, the [`Failure`] to throw; for an async API, through its
    /// callbacks or Promise (`options` needs to carry only `success`, `fail` and
    /// `complete`), returning its object too if it has one.
    pub fn refuse(&self, api: Api, options: Value, err: WxError) -> Result<Returned, Failure> {
        match api.kind {
            ApiKind::Async => Ok(self.start_async(api.def, Err(err), options)),
            ApiKind::Sync | ApiKind::On | ApiKind::Off => Err(Failure::new(api.name, &err)),
        }
    }

    /// Opens an async call (its pending entry, Promise mode, object) and starts
    /// it with `f`, or fails it at once with the error a host gave.
    fn start_async(
        &self,
        def: &'static ApiDef,
        f: Result<crate::registry::AsyncFn, WxError>,
        options: Value,
    ) -> Returned {
        let (mut options, shape_error) = match options {
            Value::Object(map) => (map, None),
            Value::Undefined => (Box::default(), None),
            other => (Box::default(), Some(other.js_type_name())),
        };
        let (callbacks, any_truthy) = Callbacks::take(&mut options);
        let promise = def.promise && !any_truthy;

        let mut state = self.state();
        let (call, slot) = self.open_call(&mut state, def.name, def.err_code, callbacks, promise);
        let (task, object) = def
            .class
            .map(|class| self.open_object(&mut state, def, class, Some((call, slot.clone()))))
            .unzip();
        drop(state);

        let started = match (shape_error, f) {
            (_, Err(refused)) => Err(refused),
            (Some(actual), _) => Err(WxError::parameter(format!(
                "parameter should be Object instead of {actual};"
            ))),
            (None, Ok(f)) => contain(|| {
                f(
                    &self.app,
                    Value::Object(options),
                    task,
                    crate::CallForm::Async,
                )
            })
            .unwrap_or_else(|panic| Err(panic.into_error())),
        };
        match started {
            Ok(future) => self.drive(slot, future),
            Err(err) => {
                slot.settle(Err(err));
            }
        }
        match object {
            Some(handle) => Returned::Object(handle),
            None if promise => Returned::Promise(call),
            None => Returned::Value(Value::Undefined),
        }
    }

    /// Records a live native object and makes the `Task` its call's future holds.
    fn open_object(
        &self,
        state: &mut State,
        def: &'static ApiDef,
        class: &'static ClassDef,
        call: Option<(CallId, Arc<CallSlot>)>,
    ) -> (Task, ObjectHandle) {
        let id = ObjectId(state.next_id());
        let (inbox, messages) = unbounded_channel();
        let (call, slot) = call.unzip();
        state.objects.insert(
            id,
            LiveObject {
                call,
                listeners: HashMap::default(),
                inbox,
            },
        );
        (
            Task::new(id, class, def.rust_path, self.tx.clone(), messages, slot),
            ObjectHandle { id, class },
        )
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
        let call = CallId(state.next_id());
        let slot = Arc::new(CallSlot {
            call,
            settled: AtomicBool::new(false),
            tx: self.tx.clone(),
            abort: Mutex::new(None),
        });
        let pending = Pending {
            name,
            err_code,
            callbacks,
            promise,
            slot: slot.clone(),
        };
        state.pending.insert(call, pending);
        (call, slot)
    }

    /// Polls the future once right here (like deno's eager ops), so calls that
    /// finish at once skip the trip through a worker; the rest go to tokio.
    fn drive(&self, slot: Arc<CallSlot>, future: BoxFuture<Result<Value, WxError>>) {
        let mut future = Contained::new(future);
        let runtime = self.app.runtime();
        let first = {
            let _context = runtime.enter();
            future.poll_once(&mut Context::from_waker(Waker::noop()))
        };
        if let Poll::Ready(result) = first {
            slot.settle(result.unwrap_or_else(|panic| Err(panic.into_error())));
            return;
        }
        let guard = SettleGuard(slot.clone());
        let handle = runtime.spawn(async move {
            let result = future.await.unwrap_or_else(|panic| Err(panic.into_error()));
            guard.0.settle(result);
        });
        *slot.abort.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle.abort_handle());
    }

    fn listen(
        &self,
        def: &'static ApiDef,
        source: Option<crate::registry::SourceFn>,
        listener: FunctionId,
    ) {
        let mut guard = self.state();
        let generation = guard.next_id();
        let state = &mut *guard; // disjoint borrows of the tables below
        let entry = state.events.entry(def.name).or_insert_with(|| Listening {
            listeners: Vec::new(),
            source: None,
        });
        let replaced = match def.listeners {
            Listeners::Single => std::mem::replace(&mut entry.listeners, vec![listener]),
            Listeners::Many => {
                entry.listeners.push(listener);
                Vec::new()
            }
        };
        // Someone was listening already: the source runs (or has none).
        let running = entry.listeners.len() > 1 || entry.source.is_some() || !replaced.is_empty();
        if !replaced.is_empty() {
            state.ready.push_back(Delivery::Release(replaced));
        }
        if running {
            return;
        }
        let Some(source) = source else { return };
        let emitter = Emitter::new(self.tx.clone(), Target::Global(def.name));
        let future = match contain(|| source(&self.app, emitter)) {
            Ok(future) => future,
            Err(panic) => {
                state
                    .ready
                    .push_back(internal_error(def.name, &panic.to_string()));
                return;
            }
        };
        let tx = self.tx.clone();
        let event = def.name;
        let handle = self.app.runtime().spawn(async move {
            if let Err(panic) = Contained::new(future).await {
                let _ = tx.send(Message::Failed {
                    api: event,
                    reason: format!("internal error: {panic}"),
                });
            }
            let _ = tx.send(Message::SourceEnded { event, generation });
        });
        entry.source = Some((handle.abort_handle(), generation));
    }

    fn unlisten(&self, event: &'static str, listener: Option<FunctionId>) {
        let mut state = self.state();
        let Some(entry) = state.events.get_mut(event) else {
            return;
        };
        let released = remove_listeners(&mut entry.listeners, listener);
        if entry.listeners.is_empty() {
            // The last listener left: stop the source by dropping its future.
            if let Some((abort, _)) = state.events.remove(event).and_then(|e| e.source) {
                abort.abort();
            }
        }
        if !released.is_empty() {
            state.ready.push_back(Delivery::Release(released));
        }
    }

    /// Calls `method` of a native object: `abort()`, `onXxx(listener)`,
    /// `offXxx(listener?)`, or a declared method (forwarded to the running call as
    /// a [`TaskMessage`]; callbacks in its options object are settled by the
    /// call's [`crate::MethodReply`]). Once the object's call has ended, `abort`
    /// and `on`/`off` do nothing and a declared method's callbacks get
    /// `"<api>:fail the task has ended"`, as in WeChat.
    pub fn call_method(
        &self,
        object: ObjectHandle,
        method: &str,
        mut args: Vec<Value>,
    ) -> Result<Value, Failure> {
        let class = object.class;
        if let Some(def) = class.method(method) {
            let callbacks = match args.first_mut() {
                Some(Value::Object(options)) => Callbacks::take(options).0,
                _ => Callbacks::default(),
            };
            let mut state = self.state();
            let reply = (callbacks != Callbacks::default()).then(|| {
                let (_, slot) = self.open_call(&mut state, def.api, false, callbacks, false);
                crate::MethodReply(slot)
            });
            // A call that stopped reading drops the message, and with it the reply.
            if let Some(live) = state.objects.get(&object.id) {
                let _ = live.inbox.send(TaskMessage {
                    method: def.name.to_owned(),
                    args,
                    reply,
                });
            } else {
                drop(state);
                drop(reply);
            }
            return Ok(Value::Undefined);
        }
        let api_name = format!("{}.{method}", class.name);
        let Some(event) = class.event_of(method) else {
            if method == "abort" && class.abort {
                let call = self
                    .state()
                    .objects
                    .get(&object.id)
                    .and_then(|live| live.call);
                // Once the call has settled (a socket lives on after connectSocket),
                // abort has nothing to stop and the object carries on.
                if call.is_some_and(|call| self.abort(call)) {
                    // The object ends now: events its future queued before it was
                    // dropped find no listener.
                    let mut state = self.state();
                    if let Some(release) = state.end_object(object.id) {
                        state.ready.push_back(release);
                    }
                }
                return Ok(Value::Undefined);
            }
            return Err(Failure::new(&api_name, &WxError::new("not supported")));
        };
        let kind = match method.starts_with("off") {
            true => ApiKind::Off,
            false => ApiKind::On,
        };
        let listener = listener_arg(&api_name, args.first(), kind)?;
        let mut state = self.state();
        let Some(live) = state.objects.get_mut(&object.id) else {
            return Ok(Value::Undefined);
        };
        let listeners = live.listeners.entry(event).or_default();
        let released = match (kind, listener) {
            (ApiKind::On, Some(f)) => {
                listeners.push(f);
                return Ok(Value::Undefined);
            }
            (_, listener) => remove_listeners(listeners, listener),
        };
        if !released.is_empty() {
            state.ready.push_back(Delivery::Release(released));
        }
        Ok(Value::Undefined)
    }

    /// Aborts a pending call: it settles as `"<api>:fail abort"` and its future is
    /// dropped. Does nothing once the call has settled; `true` if it aborted.
    pub fn abort(&self, call: CallId) -> bool {
        let slot = match self.state().pending.get(&call) {
            Some(pending) => pending.slot.clone(),
            None => return false,
        };
        if !slot.settle(Err(WxError::abort())) {
            return false;
        }
        if let Some(handle) = slot.abort.lock().unwrap_or_else(|e| e.into_inner()).take() {
            handle.abort();
        }
        true
    }

    /// The next delivery if one is ready, without waiting.
    pub fn try_next(&self) -> Option<Delivery> {
        self.next_inner(None)
    }

    /// The next delivery, waiting up to `timeout` (`None`: as long as it takes,
    /// which a host should only do while [`Host::is_idle`] is false). `None` also
    /// when something arrived that needs no action but may have made the host
    /// idle (an object ended with no listeners): check [`Host::is_idle`] again.
    pub fn next(&self, timeout: Option<Duration>) -> Option<Delivery> {
        self.next_inner(Some(timeout.unwrap_or(Duration::MAX)))
    }

    fn next_inner(&self, wait: Option<Duration>) -> Option<Delivery> {
        loop {
            if let Some(ready) = self.state().ready.pop_front() {
                return Some(ready);
            }
            let rx = self.rx.lock().unwrap_or_else(|e| e.into_inner());
            let message = match wait {
                None => rx.try_recv().ok()?,
                Some(timeout) => match rx.recv_timeout(timeout) {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
                },
            };
            drop(rx);
            match self.deliver(message) {
                Some(delivery) => return Some(delivery),
                // Something changed with nothing to run (an object ended, a source
                // stopped): hand control back so the caller can check `is_idle`.
                None if wait.is_some() => return None,
                None => continue,
            }
        }
    }

    /// Turns a worker's message into what the host does with it, reading the
    /// tables as they are now (listeners removed meanwhile get nothing).
    fn deliver(&self, message: Message) -> Option<Delivery> {
        let mut state = self.state();
        match message {
            Message::Settled { call, result } => {
                let pending = state.pending.remove(&call)?;
                if let Err(err) = &result {
                    self.diagnose(pending.name, err);
                }
                let (ok, result) = settle_value(pending.name, pending.err_code, result);
                Some(Delivery::Settle(Settlement {
                    call,
                    promise: pending.promise,
                    callbacks: pending.callbacks,
                    ok,
                    result,
                }))
            }
            Message::ObjectEnded { object } => state.end_object(object),
            Message::Emitted {
                target,
                payload,
                origin,
            } => {
                if let Target::Global(event) = target {
                    if self
                        .registry
                        .get(event)
                        .is_none_or(|api| api.kind != ApiKind::On)
                    {
                        let by = origin.map(|o| format!(" by `{o}`")).unwrap_or_default();
                        let reason = format!(
                            "internal error: emitted{by}, but no #[wx_event] declares this event"
                        );
                        return Some(Delivery::Error {
                            err_msg: ErrMsg::fail(event, &reason),
                        });
                    }
                }
                let listeners = match target {
                    Target::Global(event) => state.events.get(event).map(|e| e.listeners.clone()),
                    Target::Object(id, event) => state
                        .objects
                        .get(&id)
                        .and_then(|o| o.listeners.get(event).cloned()),
                }?;
                (!listeners.is_empty()).then_some(Delivery::Event { listeners, payload })
            }
            Message::Failed { api, reason } => Some(Delivery::Error {
                err_msg: ErrMsg::fail(api, &reason),
            }),
            Message::SourceEnded { event, generation } => {
                if let Some(entry) = state.events.get_mut(event) {
                    if entry.source.as_ref().is_some_and(|(_, g)| *g == generation) {
                        entry.source = None;
                    }
                }
                None
            }
        }
    }

    /// Hands what lies behind a failure to the app's diagnostics.
    fn diagnose(&self, api: &str, err: &WxError) {
        if let Some(detail) = err.detail() {
            self.app.diagnose(api, &detail);
        }
    }

    /// `true` when nothing can produce a delivery by itself any more: no pending
    /// call, no live native object (a socket keeps running after its call settled)
    /// and no running event source with listeners. A host's loop may end then.
    pub fn is_idle(&self) -> bool {
        let state = self.state();
        state.ready.is_empty()
            && state.pending.is_empty()
            && state.objects.is_empty()
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

impl Drop for Host {
    fn drop(&mut self) {
        self.close();
    }
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

/// Removes every registration of `listener` (WeChat keeps duplicates and `off`
/// removes them all), or every listener when there is none; returns what it removed.
fn remove_listeners(
    listeners: &mut Vec<FunctionId>,
    listener: Option<FunctionId>,
) -> Vec<FunctionId> {
    match listener {
        Some(f) => {
            let before = listeners.len();
            listeners.retain(|&l| l != f);
            vec![f; before - listeners.len()]
        }
        None => std::mem::take(listeners),
    }
}

/// The object every callback of a settled call receives.
fn settle_value(api: &str, err_code: bool, result: Result<Value, WxError>) -> (bool, Value) {
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

fn internal_error(api: &str, panic: &str) -> Delivery {
    Delivery::Error {
        err_msg: ErrMsg::fail(api, &format!("internal error: {panic}")),
    }
}

/// The listener argument of `onXxx` (a function) or `offXxx` (a function, or a
/// falsy value for "all"). Anything else is reported the way WeChat's base
/// library reports it: on the console, not thrown.
fn listener_arg(
    api: &str,
    arg: Option<&Value>,
    kind: ApiKind,
) -> Result<Option<FunctionId>, Failure> {
    match arg {
        Some(Value::Function(id)) => Ok(Some(*id)),
        other if kind == ApiKind::Off && !other.is_some_and(Value::is_truthy) => Ok(None),
        other => Err(Failure::console(format!(
            "{api} should accept a function instead of {}",
            other.map_or("undefined", Value::type_of)
        ))),
    }
}
