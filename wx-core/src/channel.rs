//! The vocabulary the JS thread and tokio workers share: call and object ids, the
//! messages workers send to the host's queue (plain data only), and the slot that
//! settles one call exactly once. A leaf: it imports nothing else of wx-core's
//! runtime, and every module above it (host, events, tasks) speaks through it.
//! It must not hold engine values or call user code.

use crate::{Value, WxError};
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
pub(crate) struct SettleGuard(pub(crate) Arc<CallSlot>);

impl Drop for SettleGuard {
    fn drop(&mut self) {
        self.0.settle(Err(WxError::new("cancelled")));
    }
}
