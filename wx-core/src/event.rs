//! Emitting events from any thread: [`EventSink`] for `#[wx_event]` sources,
//! [`Emitter`] underneath it (also used by [`crate::Task`]).

use crate::channel::{Message, ObjectId, Outlet, Target};
use crate::{Encoded, Value};
use serde::Serialize;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Sends one event's payloads to the host that owns its listeners. `Send`,
/// `Sync` and cheap to clone: emit from any thread.
#[derive(Clone, Debug)]
pub struct Emitter {
    tx: Outlet,
    target: Target,
    /// An object's count of listeners: while it is 0, payloads go without
    /// waking the host (see [`Outlet::send_unobserved`]).
    listeners: Option<Arc<AtomicUsize>>,
    /// The Rust function emitting, when it is not the event's own source.
    origin: Option<&'static str>,
}

impl Emitter {
    pub(crate) fn new(tx: Outlet, target: Target) -> Self {
        Emitter {
            tx,
            target,
            listeners: None,
            origin: None,
        }
    }

    /// An emitter used by `origin` (a task API's function) for an event it does not own.
    pub(crate) fn from(tx: Outlet, target: Target, origin: &'static str) -> Self {
        Emitter {
            tx,
            target,
            listeners: None,
            origin: Some(origin),
        }
    }

    /// An emitter of one of `object`'s events; `listeners` is the object's
    /// count of them.
    pub(crate) fn for_object(
        tx: Outlet,
        object: ObjectId,
        event: &'static str,
        listeners: Arc<AtomicUsize>,
    ) -> Self {
        Emitter {
            listeners: Some(listeners),
            ..Emitter::new(tx, Target::Object(object, event))
        }
    }

    /// Emits an already-converted payload. `false` once the host is gone.
    pub fn emit_value(&self, payload: Value) -> bool {
        self.send(Encoded::from(&payload))
    }

    fn send(&self, payload: Encoded) -> bool {
        let message = Message::Emitted {
            target: self.target,
            payload,
            origin: self.origin,
        };
        match &self.listeners {
            Some(listeners) if listeners.load(Ordering::Relaxed) == 0 => {
                self.tx.send_unobserved(message, listeners)
            }
            _ => self.tx.send(message),
        }
    }

    /// Encodes `payload` here, on the emitting thread, and emits it (as an
    /// async result travels: [`Encoded`]); a payload that cannot be encoded
    /// is reported to the host as an internal error of the event, not
    /// dropped silently.
    pub fn emit<T: Serialize + ?Sized>(&self, payload: &T) -> bool {
        match Encoded::of(payload) {
            Ok(encoded) => self.send(encoded),
            Err(err) => self.tx.send(Message::Failed {
                api: self.target.event(),
                reason: format!("internal error: event payload: {err}"),
            }),
        }
    }
}

/// The typed handle a `#[wx_event]` source emits through: every listener of the
/// event receives each payload.
///
/// ```no_run
/// # use wx_core::{App, EventSink};
/// # #[derive(serde::Serialize, wx_core::JsonSchema)] struct CompassChange { direction: f64 }
/// async fn on_compass_change(_app: &App, sink: EventSink<CompassChange>) {
///     sink.emit(&CompassChange { direction: 90.0 });
/// }
/// ```
#[derive(Debug)]
pub struct EventSink<T: ?Sized> {
    emitter: Emitter,
    payload: PhantomData<fn(&T)>,
}

impl<T: ?Sized> Clone for EventSink<T> {
    fn clone(&self) -> Self {
        EventSink {
            emitter: self.emitter.clone(),
            payload: PhantomData,
        }
    }
}

impl<T: Serialize + ?Sized> EventSink<T> {
    /// Wraps an untyped emitter (the macros do this).
    pub fn new(emitter: Emitter) -> Self {
        EventSink {
            emitter,
            payload: PhantomData,
        }
    }

    /// Sends `payload` to every listener. `false` once the host is gone.
    pub fn emit(&self, payload: &T) -> bool {
        self.emitter.emit(payload)
    }
}
