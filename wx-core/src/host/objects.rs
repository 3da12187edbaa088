//! Native objects (`RequestTask`, `SocketTask`, ...): opening one for a call,
//! JS calling its methods (`abort`, declared methods forwarded to the running
//! call, `onXxx`/`offXxx`), and forgetting it when its call's future ends.
//! It must not run the call's future or talk to JS: methods reach the future as
//! messages, and what JS should hear goes to the queue.

use super::listeners::{listener_arg, ListenerList};
use super::{CallSlot, Host, LiveObject, State};
use crate::channel::{CallId, ObjectId};
use crate::host::protocol::{Callbacks, Delivery, Failure, ObjectHandle};
use crate::registry::ApiKind;
use crate::task::TaskMessage;
use crate::{ApiDef, ClassDef, Task, Value, WxError};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::unbounded_channel;

impl State {
    /// Forgets an ended object; the release of its listeners, if it had any.
    pub(super) fn end_object(&mut self, id: ObjectId) -> Option<Delivery> {
        let ended = self.objects.remove(&id)?;
        let released: Vec<_> = ended
            .listeners
            .into_values()
            .flat_map(ListenerList::into_inner)
            .collect();
        (!released.is_empty()).then_some(Delivery::Release(released))
    }
}

impl Host {
    /// Records a live native object and makes the `Task` its call's future holds.
    pub(super) fn open_object(
        &self,
        state: &mut State,
        def: &'static ApiDef,
        class: &'static ClassDef,
        call: Option<(CallId, Arc<CallSlot>)>,
    ) -> (Task, ObjectHandle) {
        let id = ObjectId(self.next_id());
        let (inbox, messages) = unbounded_channel();
        let (call, slot) = call.unzip();
        let properties = crate::task::Properties::new(class);
        let busy = crate::task::Busy::default();
        let listener_count = Arc::default();
        state.objects.insert(
            id,
            LiveObject {
                call,
                listeners: HashMap::default(),
                listener_count: Arc::clone(&listener_count),
                inbox,
                properties: properties.clone(),
                busy: busy.clone(),
            },
        );
        let task = Task::new(
            id,
            class,
            def.rust_path,
            self.tx.clone(),
            listener_count,
            messages,
            slot,
        );
        (
            task.with_properties(properties, busy),
            ObjectHandle { id, class },
        )
    }

    /// The live object of a singleton API, if it has one.
    pub(super) fn live_singleton(&self, def: &'static ApiDef) -> Option<ObjectHandle> {
        let state = self.state();
        let handle = *state.singletons.get(def.name)?;
        state.objects.contains_key(&handle.id).then_some(handle)
    }

    /// Reads a property of a native object: its value as its `Task` last set
    /// it (`undefined` before, and once the object has ended).
    pub fn get_property(&self, object: ObjectHandle, name: &str) -> Value {
        let state = self.state();
        state
            .objects
            .get(&object.id)
            .map(|live| live.properties.get(name))
            .unwrap_or_default()
    }

    /// Assigns a property of a native object from JS: checked by its
    /// declaration (type, then the API's own check; a failure is thrown),
    /// stored, and told to the object's `Task` as a `"<name>="` message.
    /// Assigning a read-only or unknown property fails.
    pub fn set_property(
        &self,
        object: ObjectHandle,
        name: &str,
        value: Value,
    ) -> Result<(), Failure> {
        let label = format!("{}.{name}", object.class.name);
        let def = match object.class.property(name) {
            Some(def) if !def.readonly => def,
            _ => {
                return Err(Failure::new(
                    &label,
                    &WxError::verbatim(format!("Cannot set read-only property {label}")),
                ))
            }
        };
        let value = (def.assign)(&value).map_err(|err| Failure::new(&label, &err))?;
        let state = self.state();
        if let Some(live) = state.objects.get(&object.id) {
            live.properties.set(def.name, value.clone());
            live.busy.sent();
            let _ = live.inbox.send(TaskMessage {
                method: format!("{}=", def.name),
                args: vec![value],
                reply: None,
            });
        }
        Ok(())
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
                self.keep(&mut state.kept, callbacks.functions());
                crate::MethodReply(slot)
            });
            // A call that stopped reading drops the message, and with it the reply.
            if let Some(live) = state.objects.get(&object.id) {
                live.busy.sent();
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
        let Some(event_def) = class.event_of(method) else {
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
                        state.ready.push_back(release.into());
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
        let mut guard = self.state();
        let state = &mut *guard; // disjoint borrows of the tables below
        let Some(live) = state.objects.get_mut(&object.id) else {
            return Ok(Value::Undefined);
        };
        let listeners = live.listeners.entry(event_def.name).or_default();
        let released = match (kind, listener) {
            (ApiKind::On, Some(f)) => {
                self.keep(&mut state.kept, vec![f]);
                listeners.add(f, event_def.listeners)
            }
            (_, listener) => listeners.remove(listener),
        };
        let count = live.listeners.values().map(ListenerList::len).sum();
        crate::channel::listeners_changed(&live.listener_count, count);
        if !released.is_empty() {
            state.ready.push_back(Delivery::Release(released).into());
        }
        Ok(Value::Undefined)
    }
}
