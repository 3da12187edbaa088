//! [`Task`]: the native object an async API returns to JS (`RequestTask`,
//! `SocketTask`, ...), as the running call sees it.
//!
//! JS holds an [`crate::ObjectHandle`] to the same object. Its `abort()` settles the
//! call as `"<api>:fail abort"` and drops the future; its `onXxx`/`offXxx` manage
//! listeners of the events the call emits here; its other declared methods
//! arrive as [`TaskMessage`]s.

use crate::channel::{Message, ObjectId};
use crate::event::Emitter;
use crate::{ClassDef, Value};
use serde::Serialize;
use std::sync::mpsc::Sender;
use tokio::sync::mpsc::UnboundedReceiver;

/// A call of a declared method (`task.send({...})`) from JS.
#[derive(Debug)]
pub struct TaskMessage {
    /// The method's name.
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
        self.0.settle(result);
    }
}

impl Drop for MethodReply {
    fn drop(&mut self) {
        self.0
            .settle(Err(crate::WxError::new("the task has ended")));
    }
}

/// The running call's side of its native object. The object lives as long as
/// the call's future: dropping the `Task` (the future ending or being aborted)
/// ends it, its listeners are released and its methods become no-ops.
#[derive(Debug)]
pub struct Task {
    id: ObjectId,
    class: &'static ClassDef,
    tx: Sender<Message>,
    inbox: UnboundedReceiver<TaskMessage>,
    /// The call behind the object; none for an object a sync API returned.
    call: Option<std::sync::Arc<crate::channel::CallSlot>>,
    /// The Rust function of the API that made the object, to name in errors.
    origin: &'static str,
}

impl Drop for Task {
    fn drop(&mut self) {
        let _ = self.tx.send(Message::ObjectEnded { object: self.id });
    }
}

impl Task {
    pub(crate) fn new(
        id: ObjectId,
        class: &'static ClassDef,
        origin: &'static str,
        tx: Sender<Message>,
        inbox: UnboundedReceiver<TaskMessage>,
        call: Option<std::sync::Arc<crate::channel::CallSlot>>,
    ) -> Self {
        Task {
            id,
            class,
            tx,
            inbox,
            call,
            origin,
        }
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
        Some(Emitter::for_object(self.tx.clone(), self.id, event.name))
    }

    /// The next declared-method call from JS; `None` once JS can no longer send any.
    pub async fn next_message(&mut self) -> Option<TaskMessage> {
        self.inbox.recv().await
    }
}
