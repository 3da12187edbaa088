//! The delivery queue: turning what workers sent (plain data) into what the
//! host runs on its JS thread, reading the tables as they are at delivery time.
//! It must not run callbacks itself: it only hands deliveries to the host.

use super::listeners::ListenerList;
use super::{CallRecord, Host, Ready};
use crate::channel::{CallId, Message, Target};
use crate::host::protocol::{Delivery, Settlement};
use crate::registry::ApiKind;
use crate::{ErrMsg, WxError};
use std::time::Duration;

impl Host {
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
            let ready = self.state().ready.pop_front();
            match ready {
                Some(Ready::Delivery(delivery)) => return Some(delivery),
                Some(Ready::Settled(call, record, result)) => {
                    return Some(self.settlement(call, record, result))
                }
                None => {}
            }
            let message = self
                .rx
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .recv(wait)?;
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
            Message::Settled {
                call,
                result,
                ended,
            } => {
                // The object's end first, as when it came on its own before.
                let released = ended.and_then(|object| state.end_object(object));
                let settled = state.pending.remove(&call);
                let settlement = settled.map(|p| self.settlement(call, p.record, result));
                match (released, settlement) {
                    (Some(release), Some(settlement)) => {
                        state.ready.push_front(Ready::Delivery(settlement));
                        Some(release)
                    }
                    (release, settlement) => release.or(settlement),
                }
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
                    Target::Global(event) => {
                        state.events.get(event).map(|e| e.listeners.snapshot())
                    }
                    Target::Object(id, event) => state
                        .objects
                        .get(&id)
                        .and_then(|o| o.listeners.get(event).map(ListenerList::snapshot)),
                }?;
                (!listeners.is_empty()).then_some(Delivery::Event { listeners, payload })
            }
            Message::Failed { api, reason } => Some(Delivery::Error {
                err_msg: ErrMsg::fail(api, &reason),
            }),
            Message::Console { level, text } => Some(Delivery::Console { level, text }),
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

    /// A call's end as the host runs it: counted, traced, its failure
    /// diagnosed, and the object its callbacks receive built.
    pub(super) fn settlement(
        &self,
        call: CallId,
        record: CallRecord,
        result: Result<crate::Encoded, WxError>,
    ) -> Delivery {
        if let Err(err) = &result {
            self.diagnose(record.name, err);
            if err.reason().starts_with("internal error") {
                tracing::error!(target: "wx", api = record.name, call = call.0, "{}", err.reason());
            }
        }
        if let Some(watched) = record.watched {
            self.stats.end(watched, result.as_ref().err());
        }
        Delivery::Settle(Settlement::new(
            call,
            record.promise,
            record.callbacks,
            record.name,
            record.err_code,
            result,
        ))
    }

    /// Hands what lies behind a failure to the app's diagnostics.
    pub(super) fn diagnose(&self, api: &str, err: &WxError) {
        if let Some(detail) = err.detail() {
            self.app.diagnose(api, &detail);
        }
    }
}
