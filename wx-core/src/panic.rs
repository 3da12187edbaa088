//! Panic containment: the only place wx-core calls `catch_unwind`.
//!
//! Both entry points are non-generic (a function pointer and a boxed future), so
//! the unwinding machinery is compiled once here instead of in every API.

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A boxed, sendable future, the shape every async API and event source takes
/// once the macros have wrapped it.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Runs `f`, turning a panic into its message.
pub(crate) fn contain<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(&*payload))
}

/// A future that resolves to `Err(panic message)` if polling `inner` panics.
pub(crate) struct Contained<T> {
    inner: BoxFuture<T>,
}

impl<T> Contained<T> {
    pub(crate) fn new(inner: BoxFuture<T>) -> Self {
        Contained { inner }
    }

    /// Polls once with the given context; used for the eager first poll.
    pub(crate) fn poll_once(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, String>> {
        let inner = &mut self.inner;
        match catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(&*payload))),
        }
    }
}

impl<T> Future for Contained<T> {
    type Output = Result<T, String>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().poll_once(cx)
    }
}
