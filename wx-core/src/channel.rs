//! The vocabulary the JS thread and tokio workers share: call and object ids, the
//! messages workers send to the host's queue (plain data only), the queue itself
//! (which sends wake the host's thread), and the slot that settles one call
//! exactly once. A leaf: it imports nothing else of wx-core's
//! runtime, and every module above it (host, events, tasks) speaks through it.
//! It must not hold engine values or call user code.

use crate::WxError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::Poll;
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

/// The sending end of a host's queue, for any thread. [`Outlet::send`] wakes
/// the host's thread if it is waiting for a message; [`Outlet::send_unobserved`]
/// (an event of an object no listener watches) leaves it asleep, and the
/// message waits, in order, for whatever wakes it next.
#[derive(Clone, Debug)]
pub(crate) struct Outlet {
    tx: Sender<Message>,
    waiter: Arc<Waiter>,
}

/// The receiving end, for the host's thread ([`Inlet::recv`]).
#[derive(Debug)]
pub(crate) struct Inlet {
    rx: Receiver<Message>,
    waiter: Arc<Waiter>,
}

/// The thread waiting in [`Inlet::recv`] (the last one that waited), and how
/// many messages were sent without waking it.
#[derive(Debug, Default)]
struct Waiter {
    thread: Mutex<Option<std::thread::Thread>>,
    unwoken: AtomicUsize,
}

/// At most this many unobserved messages wait for a wake: the next one wakes
/// the host, so an object emitting often with nobody listening (progress
/// events) never piles up its payloads.
const MAX_UNWOKEN: usize = 64;

/// A host's queue: both ends.
pub(crate) fn queue() -> (Outlet, Inlet) {
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = Arc::new(Waiter::default());
    (
        Outlet {
            tx,
            waiter: waiter.clone(),
        },
        Inlet { rx, waiter },
    )
}

impl Waiter {
    fn wake(&self) {
        self.unwoken.store(0, Ordering::Relaxed);
        if let Some(thread) = &*self.thread.lock().unwrap_or_else(|e| e.into_inner()) {
            thread.unpark();
        }
    }
}

impl Outlet {
    /// Sends `message` and wakes the host's thread; `false` once the host is gone.
    pub(crate) fn send(&self, message: Message) -> bool {
        let sent = self.tx.send(message).is_ok();
        self.waiter.wake();
        sent
    }

    /// Sends an object's event while `listeners` (the object's count of them)
    /// is 0, without waking the host's thread. Nothing is lost or reordered:
    /// a sleeping host runs no JS, so no listener can appear before it wakes
    /// and reads the queue in order (it then finds none, as it would have at
    /// once); a host that is running JS reads the queue before it sleeps.
    /// A listener added just as the event is sent is the race the fence
    /// settles: with the host's fence after it counts a listener
    /// ([`listeners_changed`]), either the count is seen here (and the host
    /// woken) or the message is seen by the host's next look at the queue.
    pub(crate) fn send_unobserved(&self, message: Message, listeners: &AtomicUsize) -> bool {
        let sent = self.tx.send(message).is_ok();
        std::sync::atomic::fence(Ordering::SeqCst);
        let unwoken = self.waiter.unwoken.fetch_add(1, Ordering::Relaxed) + 1;
        if listeners.load(Ordering::Relaxed) > 0 || unwoken >= MAX_UNWOKEN {
            self.waiter.wake();
        }
        sent
    }
}

/// Records an object's new count of listeners (on the host's thread), for
/// [`Outlet::send_unobserved`] to read.
pub(crate) fn listeners_changed(listeners: &AtomicUsize, count: usize) {
    listeners.store(count, Ordering::Relaxed);
    std::sync::atomic::fence(Ordering::SeqCst);
}

impl Inlet {
    /// The next message: at once if one is queued; else, with `timeout`,
    /// waiting up to it (`Duration::MAX`: as long as it takes). `None` if
    /// nothing came.
    pub(crate) fn recv(&self, timeout: Option<std::time::Duration>) -> Option<Message> {
        if let Ok(message) = self.rx.try_recv() {
            return Some(message);
        }
        let deadline = std::time::Instant::now().checked_add(timeout?);
        // Named before the queue is read again: a message sent after that
        // read then finds this thread to wake.
        {
            let mut thread = self.waiter.thread.lock().unwrap_or_else(|e| e.into_inner());
            let current = std::thread::current();
            if thread.as_ref().map(std::thread::Thread::id) != Some(current.id()) {
                *thread = Some(current);
            }
        }
        loop {
            // The host holds a sender itself, so the queue never disconnects.
            if let Ok(message) = self.rx.try_recv() {
                return Some(message);
            }
            match deadline {
                None => std::thread::park(),
                Some(deadline) => {
                    let now = std::time::Instant::now();
                    if now >= deadline {
                        return None;
                    }
                    std::thread::park_timeout(deadline - now);
                }
            }
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
        /// The call's object, if it ended in the poll that settled the call:
        /// told here rather than in an `ObjectEnded` of its own, so the JS
        /// thread wakes once for both (it ends the object first, as if the
        /// two had come one after the other).
        ended: Option<ObjectId>,
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
    pub(crate) tx: Outlet,
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
    /// Settlements go to the queue. `ended`: the call's object, ended in the
    /// poll now running (see [`CallSlot::poll_within`]), to be told with the
    /// settlement that poll makes, or right after it.
    Sending {
        ended: Option<ObjectId>,
    },
}

thread_local! {
    /// The call whose future this thread is polling (see [`CallSlot::poll_within`]).
    static POLLING: std::cell::Cell<*const CallSlot> = const { std::cell::Cell::new(std::ptr::null()) };
}

/// Puts back what [`POLLING`] held when a poll began, however the poll ends.
struct PollingMark(*const CallSlot);

impl Drop for PollingMark {
    fn drop(&mut self) {
        POLLING.set(self.0);
    }
}

impl CallSlot {
    /// A slot for `call`; `holding` while its first poll is still to come
    /// (see [`CallSlot::release_held`]).
    pub(crate) fn new(call: CallId, tx: Outlet, holding: bool) -> Self {
        CallSlot {
            call,
            settled: AtomicBool::new(false),
            tx,
            abort: Mutex::new(None),
            cancel: tokio::sync::Notify::new(),
            outbox: Mutex::new(match holding {
                true => Outbox::Holding(None),
                false => Outbox::Sending { ended: None },
            }),
        }
    }

    pub(crate) fn settle(&self, result: Result<crate::Encoded, WxError>) -> bool {
        if self.settled.swap(true, Ordering::AcqRel) {
            self.send_ended();
            return false;
        }
        let mut outbox = self.lock_outbox();
        match &mut *outbox {
            Outbox::Holding(held) => *held = Some(result),
            // A closed queue means the host is gone; nobody is left to tell.
            Outbox::Sending { ended } => {
                let _ = self.tx.send(Message::Settled {
                    call: self.call,
                    result,
                    ended: ended.take(),
                });
            }
        }
        true
    }

    /// Ends holding: settlements from now on go to the queue; the one held
    /// meanwhile, if any, is the caller's to deliver.
    pub(crate) fn release_held(&self) -> Option<Result<crate::Encoded, WxError>> {
        let mut outbox = self.lock_outbox();
        match std::mem::replace(&mut *outbox, Outbox::Sending { ended: None }) {
            Outbox::Holding(held) => held,
            Outbox::Sending { ended } => {
                *outbox = Outbox::Sending { ended };
                None
            }
        }
    }

    /// Runs one poll of the call's future on this thread. Its object's end,
    /// if its `Task` is dropped during the poll ([`CallSlot::end_with_settlement`]),
    /// goes out with the settlement the caller makes when the poll is ready,
    /// or right after a pending poll: a network call ends its object and
    /// settles in one poll, and the JS thread then wakes once, not twice.
    pub(crate) fn poll_within<T>(&self, poll: impl FnOnce() -> Poll<T>) -> Poll<T> {
        let _mark = PollingMark(POLLING.replace(self));
        let polled = poll();
        if polled.is_pending() {
            self.send_ended();
        }
        polled
    }

    /// Keeps `object`'s end for the settlement, if this thread is polling the
    /// call's future ([`CallSlot::poll_within`]) and the call has not settled;
    /// `false` otherwise (the caller then tells the end itself).
    pub(crate) fn end_with_settlement(&self, object: ObjectId) -> bool {
        if !std::ptr::eq(POLLING.get(), self) {
            return false;
        }
        let mut outbox = self.lock_outbox();
        match &mut *outbox {
            Outbox::Sending { ended } if !self.settled.load(Ordering::Acquire) => {
                *ended = Some(object);
                true
            }
            _ => false,
        }
    }

    /// Tells an end kept for a settlement that is not coming from this poll.
    fn send_ended(&self) {
        let kept = match &mut *self.lock_outbox() {
            Outbox::Sending { ended } => ended.take(),
            Outbox::Holding(_) => None,
        };
        if let Some(object) = kept {
            let _ = self.tx.send(Message::ObjectEnded { object });
        }
    }

    fn lock_outbox(&self) -> std::sync::MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(|e| e.into_inner())
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
