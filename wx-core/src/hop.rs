//! How an async API hands the rest of its work to the runtime: the host polls
//! every call's future once on the thread that made the call (the JS thread,
//! `Host::call`'s eager poll), so that calls which finish at once never wait
//! for a worker; a call that knows its next step cannot finish at once (a
//! network exchange) ends that first poll early instead of doing the costly
//! start of its work on the JS thread.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Pending once, then ready: what is left of the future after this point
/// runs on the app's runtime, not on the thread that made the call.
///
/// Under the host's first poll this ends the poll (the host then spawns the
/// call on the runtime, whose first poll goes on from here); on a worker it is
/// a plain yield. Put it after the checks whose failures should settle at once
/// and before work that only waits or costs (connecting, sending): the JS
/// thread is free for the next call sooner, and many calls made in one turn
/// start in parallel on the workers.
///
/// ```
/// # use std::future::Future;
/// # use std::task::{Context, Waker};
/// let mut hop = std::pin::pin!(wx_core::to_runtime());
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(hop.as_mut().poll(&mut cx).is_pending());
/// assert!(hop.as_mut().poll(&mut cx).is_ready());
/// ```
pub fn to_runtime() -> ToRuntime {
    ToRuntime { yielded: false }
}

/// The future [`to_runtime`] returns.
#[must_use = "a future does nothing unless awaited"]
#[derive(Debug)]
pub struct ToRuntime {
    yielded: bool,
}

impl Future for ToRuntime {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // Polled again at once by whoever polls it next: a worker's scheduler,
        // or the host's spawn after its first poll (whose waker does nothing).
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
