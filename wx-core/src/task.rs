//! [`Task`]: the native object an async API returns to JS (`RequestTask`,
//! `SocketTask`, ...), as the running call sees it.
//!
//! JS holds an [`crate::ObjectHandle`] to the same object. Its `abort()` settles the
//! call as `"<api>:fail abort"` and drops the future; its `onXxx`/`offXxx` manage
//! listeners of the events the call emits here; its other declared methods
//! arrive as [`TaskMessage`]s.

use crate::channel::{Message, ObjectId, Outlet};
use crate::event::Emitter;
use crate::{ClassDef, Value};
use serde::Serialize;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;

/// A call of a declared method (`task.send({...})`) from JS.
#[derive(Debug)]
pub struct TaskMessage {
    /// The method's name; for an assignment to a property from JS, its name
    /// and `=` (`"src="`, the value in `args`).
    pub method: String,
    /// Its arguments (`success`/`fail`/`complete` taken out of an options object).
    pub args: Vec<Value>,
    /// Present when the call passed callbacks: settle it to call them. Dropped
    /// unsettled, it fails with `"<api>:fail the task has ended"`.
    pub reply: Option<MethodReply>,
}

/// The callbacks of one method call, settled exactly once like a call's.
#[derive(Debug)]
pub struct MethodReply(pub(crate) std::sync::Arc<crate::channel::CallSlot>);

impl MethodReply {
    /// Settles the method call: `success` (data beside errMsg) or `fail`, then `complete`.
    pub fn settle(self, result: Result<Value, crate::WxError>) {
        self.0
            .settle(result.map(|value| crate::Encoded::from(&value)));
    }
}

impl Drop for MethodReply {
    fn drop(&mut self) {
        self.0
            .settle(Err(crate::WxError::new("the task has ended")));
    }
}

/// The values of an object's properties, shared by its `Task` (which sets
/// them as the object changes) and the host (which reads them for JS).
#[derive(Clone, Debug, Default)]
pub(crate) struct Properties(std::sync::Arc<std::sync::Mutex<crate::Object>>);

/// Whether a live object keeps its host's run going (shared by the host and
/// the `Task`): it says so itself (`Task::set_busy`), and a message JS sent it
/// counts as work until the task has handled it (asked for the next one).
#[derive(Clone, Debug)]
pub(crate) struct Busy(std::sync::Arc<BusyState>);

#[derive(Debug)]
struct BusyState {
    busy: std::sync::atomic::AtomicBool,
    in_flight: std::sync::atomic::AtomicUsize,
}

impl Default for Busy {
    fn default() -> Self {
        Busy(std::sync::Arc::new(BusyState {
            busy: std::sync::atomic::AtomicBool::new(true),
            in_flight: std::sync::atomic::AtomicUsize::new(0),
        }))
    }
}

impl Busy {
    /// Whether the object has work: busy by its own word, or a message not yet handled.
    pub(crate) fn is_busy(&self) -> bool {
        use std::sync::atomic::Ordering::Acquire;
        self.0.busy.load(Acquire) || self.0.in_flight.load(Acquire) > 0
    }

    /// A message is on its way to the task.
    pub(crate) fn sent(&self) {
        self.0
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    fn handled(&self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl Properties {
    pub(crate) fn new(class: &'static ClassDef) -> Self {
        let values = class
            .properties
            .iter()
            .map(|p| (p.name.to_owned(), Value::Undefined))
            .collect();
        Properties(std::sync::Arc::new(std::sync::Mutex::new(values)))
    }

    fn values(&self) -> std::sync::MutexGuard<'_, crate::Object> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self, name: &str) -> Value {
        self.values().get(name).cloned().unwrap_or_default()
    }

    pub(crate) fn set(&self, name: &str, value: Value) {
        if let Some(slot) = self.values().get_mut(name) {
            *slot = value;
        }
    }
}

/// The running call's side of its native object. The object lives as long as
/// the call's future: dropping the `Task` (the future ending or being aborted)
/// ends it, its listeners are released and its methods become no-ops.
#[derive(Debug)]
pub struct Task {
    /// Its properties' values (empty for a class without properties).
    properties: Properties,
    busy: Busy,
    /// A message was handed out and its handling is not over yet.
    handling: bool,
    id: ObjectId,
    class: &'static ClassDef,
    tx: Outlet,
    /// How many listeners JS has on the object (kept by the host).
    listener_count: Arc<AtomicUsize>,
    inbox: UnboundedReceiver<TaskMessage>,
    /// The call behind the object; none for an object a sync API returned.
    call: Option<std::sync::Arc<crate::channel::CallSlot>>,
    /// The Rust function of the API that made the object, to name in errors.
    origin: &'static str,
}

impl Drop for Task {
    fn drop(&mut self) {
        // Dropped as its call's future finishes: the end goes out with the
        // settlement (one message), else now.
        if let Some(call) = &self.call {
            if call.end_with_settlement(self.id) {
                return;
            }
        }
        let _ = self.tx.send(Message::ObjectEnded { object: self.id });
    }
}

impl Task {
    pub(crate) fn new(
        id: ObjectId,
        class: &'static ClassDef,
        origin: &'static str,
        tx: Outlet,
        listener_count: Arc<AtomicUsize>,
        inbox: UnboundedReceiver<TaskMessage>,
        call: Option<std::sync::Arc<crate::channel::CallSlot>>,
    ) -> Self {
        Task {
            properties: Properties::default(),
            busy: Busy::default(),
            handling: false,
            id,
            class,
            tx,
            listener_count,
            inbox,
            call,
            origin,
        }
    }

    pub(crate) fn with_properties(mut self, properties: Properties, busy: Busy) -> Self {
        self.properties = properties;
        self.busy = busy;
        self
    }

    /// Whether the object keeps the host's run going. Every object does at
    /// first (a socket, a worker); one that only waits for JS to use it (a
    /// background audio manager with nothing playing) says `false`, and the
    /// run may end around it. Set it back to `true` while it works.
    pub fn set_busy(&self, busy: bool) {
        self.busy
            .0
            .busy
            .store(busy, std::sync::atomic::Ordering::Release);
    }

    /// Sets a property as JS will read it (`currentTime`, `paused`). A name
    /// the class does not declare is ignored (and `false`).
    pub fn set_property<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> bool {
        if self.class.property(name).is_none() {
            return false;
        }
        match crate::to_value(value) {
            Ok(value) => {
                self.properties.set(name, value);
                true
            }
            Err(_) => false,
        }
    }

    /// A property's value now (what JS assigned, or what the task set last).
    pub fn property(&self, name: &str) -> Value {
        self.properties.get(name)
    }

    /// Settles the call now while the object lives on: `wx.connectSocket` calls
    /// `success` as soon as the connection starts, and its `SocketTask` runs until
    /// closed. The call's own return value is then ignored. `false` if the call
    /// had settled already (or was aborted), or if a sync API made the object.
    pub fn settle<T: Serialize>(&self, result: Result<T, crate::WxError>) -> bool {
        self.call
            .as_ref()
            .is_some_and(|call| call.settle(crate::encode(result)))
    }

    /// The object's id, as the host knows it.
    pub fn id(&self) -> ObjectId {
        self.id
    }

    /// The object's class.
    pub fn class(&self) -> &'static ClassDef {
        self.class
    }

    /// Emits `event` (one of the class's `onXxx` events) to the object's listeners.
    /// `false` if the host is gone, or if the class declares no such event: that
    /// is a bug in the API, reported to the host as an internal error of the class.
    pub fn emit<T: Serialize + ?Sized>(&self, event: &str, payload: &T) -> bool {
        match self.emitter(event) {
            Some(emitter) => emitter.emit(payload),
            None => {
                let _ = self.tx.send(Message::Failed {
                    api: self.class.name,
                    reason: format!(
                        "internal error: `{}` emitted `{event}`, which is not an event of {} (declare it in `events(...)`)",
                        self.origin, self.class.name
                    ),
                });
                false
            }
        }
    }

    /// Emits a global `wx.onXxx` event (a registered `#[wx_event]`), as legacy
    /// APIs do (`wx.onSocketOpen` for the default socket). `false` once the host is gone.
    pub fn emit_global<T: Serialize + ?Sized>(&self, event: &'static str, payload: &T) -> bool {
        let target = crate::channel::Target::Global(event);
        Emitter::from(self.tx.clone(), target, self.origin).emit(payload)
    }

    /// An emitter for one of the class's events, to hand to another thread.
    pub fn emitter(&self, event: &str) -> Option<Emitter> {
        let event = self.class.event(event)?;
        Some(Emitter::for_object(
            self.tx.clone(),
            self.id,
            event.name,
            self.listener_count.clone(),
        ))
    }

    /// The next declared-method call (or property assignment) from JS; `None`
    /// once JS can no longer send any. Asking for it marks the previous one
    /// handled: until then the object counts as busy.
    pub async fn next_message(&mut self) -> Option<TaskMessage> {
        if std::mem::take(&mut self.handling) {
            self.busy.handled();
        }
        let message = self.inbox.recv().await;
        self.handling = message.is_some();
        message
    }
}
