//! The vocabulary the JS thread and tokio workers share: call and object ids, the
//! messages workers send to the host's queue (plain data only), and the slot that
//! settles one call exactly once. A leaf: it imports nothing else of wx-core's
//! runtime, and every module above it (host, events, tasks) speaks through it.
//! It must not hold engine values or call user code.

use crate::WxError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use tokio::task::AbortHandle;

/// Identifies one async call, e.g. to resolve the Promise the host made for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u64);

/// Identifies one native object (a task) the host shows to JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(pub u64);

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
        result: Result<crate::Encoded, WxError>,
    },
    Emitted {
        target: Target,
        payload: crate::Encoded,
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
    /// A line an API prints on the mini-program's console.
    Console {
        level: crate::ConsoleLevel,
        text: String,
    },
}

/// The shared end of one pending call: whoever settles first wins.
#[derive(Debug)]
pub(crate) struct CallSlot {
    pub(crate) call: CallId,
    pub(crate) settled: AtomicBool,
    pub(crate) tx: Sender<Message>,
    pub(crate) abort: Mutex<Option<AbortHandle>>,
    /// Told when JS aborts the call: its task drops the future, then settles
    /// (see `Host::abort`).
    pub(crate) cancel: tokio::sync::Notify,
    /// Where the settlement goes; see [`Outbox`].
    outbox: Mutex<Outbox>,
}

/// Where a settlement goes: to the host's queue, or, while the JS thread is
/// still polling the call's future for the first time, held for the host to
/// deliver from its own ready queue (so calls settled at once are delivered
/// in the order they were made, whoever settled them).
#[derive(Debug)]
enum Outbox {
    Holding(Option<Result<crate::Encoded, WxError>>),
    Sending,
}

impl CallSlot {
    /// A slot for `call`; `holding` while its first poll is still to come
    /// (see [`CallSlot::release_held`]).
    pub(crate) fn new(call: CallId, tx: Sender<Message>, holding: bool) -> Self {
        CallSlot {
            call,
            settled: AtomicBool::new(false),
            tx,
            abort: Mutex::new(None),
            cancel: tokio::sync::Notify::new(),
            outbox: Mutex::new(match holding {
                true => Outbox::Holding(None),
                false => Outbox::Sending,
            }),
        }
    }

    pub(crate) fn settle(&self, result: Result<crate::Encoded, WxError>) -> bool {
        if self.settled.swap(true, Ordering::AcqRel) {
            return false;
        }
        let mut outbox = self.outbox.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *outbox {
            Outbox::Holding(held) => *held = Some(result),
            // A closed queue means the host is gone; nobody is left to tell.
            Outbox::Sending => {
                let _ = self.tx.send(Message::Settled {
                    call: self.call,
                    result,
                });
            }
        }
        true
    }

    /// Ends holding: settlements from now on go to the queue; the one held
    /// meanwhile, if any, is the caller's to deliver.
    pub(crate) fn release_held(&self) -> Option<Result<crate::Encoded, WxError>> {
        let mut outbox = self.outbox.lock().unwrap_or_else(|e| e.into_inner());
        match std::mem::replace(&mut *outbox, Outbox::Sending) {
            Outbox::Holding(held) => held,
            Outbox::Sending => None,
        }
    }
}

/// Settles its call as failed if dropped first: the future was cancelled or
/// its runtime shut down.
pub(crate) struct SettleGuard(pub(crate) Arc<CallSlot>);

impl Drop for SettleGuard {
    fn drop(&mut self) {
        self.0.settle(Err(WxError::new("cancelled")));
    }
}
