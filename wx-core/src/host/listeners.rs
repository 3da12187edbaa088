//! Listeners: one [`ListenerList`] type for global `wx.onXxx` events and for
//! objects' events alike, owning WeChat's rules (duplicates kept, `off(fn)`
//! removes every copy, `off()` removes all, a single-listener event replaces),
//! the listener argument rule, and starting/stopping a global event's source.
//! It must not call user code: releases go to the queue as deliveries.

use super::{Host, Listening};
use crate::channel::{Message, Target};
use crate::host::protocol::{Delivery, Failure};
use crate::panic::{contain, Contained};
use crate::registry::{ApiKind, Listeners};
use crate::{ApiDef, Emitter, ErrMsg, FunctionId, Value};

/// The functions listening to one event, in registration order.
#[derive(Debug, Default)]
pub(super) struct ListenerList(Vec<FunctionId>);

impl ListenerList {
    /// Adds `listener`; a [`Listeners::Single`] list replaces what it held.
    /// Returns the registrations it let go.
    pub(super) fn add(&mut self, listener: FunctionId, mode: Listeners) -> Vec<FunctionId> {
        match mode {
            Listeners::Single => std::mem::replace(&mut self.0, vec![listener]),
            Listeners::Many => {
                self.0.push(listener);
                Vec::new()
            }
        }
    }

    /// Removes every registration of `listener` (WeChat keeps duplicates and
    /// `off` removes them all), or every listener when there is none; returns
    /// what it removed.
    pub(super) fn remove(&mut self, listener: Option<FunctionId>) -> Vec<FunctionId> {
        match listener {
            Some(f) => {
                let before = self.0.len();
                self.0.retain(|&l| l != f);
                vec![f; before - self.0.len()]
            }
            None => std::mem::take(&mut self.0),
        }
    }

    /// How many registrations there are.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// The listeners now, for one delivery.
    pub(super) fn snapshot(&self) -> Vec<FunctionId> {
        self.0.clone()
    }

    /// Every registration, given up.
    pub(super) fn into_inner(self) -> Vec<FunctionId> {
        self.0
    }
}

impl Host {
    pub(super) fn listen(
        &self,
        def: &'static ApiDef,
        source: Option<crate::registry::SourceFn>,
        listener: FunctionId,
    ) {
        let mut guard = self.state();
        let generation = self.next_id();
        let state = &mut *guard; // disjoint borrows of the tables below
        let entry = state.events.entry(def.name).or_insert_with(|| Listening {
            listeners: ListenerList::default(),
            source: None,
        });
        let replaced = entry.listeners.add(listener, def.listeners);
        self.keep(&mut state.kept, vec![listener]);
        // Someone was listening already: the source runs (or has none).
        let running = entry.listeners.len() > 1 || entry.source.is_some() || !replaced.is_empty();
        if !replaced.is_empty() {
            state.ready.push_back(Delivery::Release(replaced).into());
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
                    .push_back(internal_error(def.name, &panic.to_string()).into());
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

    /// The listeners of the global event `event` (`"onError"`) right now, in the
    /// order they were added: for a host that fires an event itself, where its
    /// payload comes from its own world (a script error, a foreground event).
    pub fn listeners(&self, event: &str) -> Vec<FunctionId> {
        self.state()
            .events
            .get(event)
            .map(|entry| entry.listeners.snapshot())
            .unwrap_or_default()
    }

    pub(super) fn unlisten(&self, event: &'static str, listener: Option<FunctionId>) {
        let mut state = self.state();
        let Some(entry) = state.events.get_mut(event) else {
            return;
        };
        let released = entry.listeners.remove(listener);
        if entry.listeners.len() == 0 {
            // The last listener left: stop the source by dropping its future.
            if let Some((abort, _)) = state.events.remove(event).and_then(|e| e.source) {
                abort.abort();
            }
        }
        if !released.is_empty() {
            state.ready.push_back(Delivery::Release(released).into());
        }
    }
}

/// The listener argument of `onXxx` (a function) or `offXxx` (a function, or a
/// falsy value for "all"). Anything else is reported the way WeChat's base
/// library reports it: on the console, not thrown.
pub(super) fn listener_arg(
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

pub(super) fn internal_error(api: &str, panic: &str) -> Delivery {
    Delivery::Error {
        err_msg: ErrMsg::fail(api, &format!("internal error: {panic}")),
    }
}
