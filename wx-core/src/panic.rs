//! Panic containment: the only place wx-core calls `catch_unwind`.
//!
//! Both entry points are non-generic (a function pointer and a boxed future), so
//! the unwinding machinery is compiled once here instead of in every API.
//!
//! A contained panic becomes `"<api>:fail internal error: <message>"` for JS and,
//! with [`install_quiet_panic_hook`], nothing on stderr: where it happened goes
//! with the error as its detail, to the host's `Diagnostics`.

use std::any::Any;
use std::cell::{Cell, RefCell};
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

/// A contained panic: its message, and where it happened if the quiet hook saw it.
#[derive(Debug, Clone)]
pub(crate) struct Panicked {
    message: String,
    location: Option<String>,
}

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Panicked {
    /// The call's failure: `internal error: <message>`, with where it happened
    /// as the detail. (A method, not `From`: users' error types never see it.)
    pub(crate) fn into_error(self) -> crate::WxError {
        let err = crate::WxError::internal(&self.message);
        match self.location {
            Some(at) => err.with_detail(format_args!("panicked at {at}: {}", self.message)),
            None => err,
        }
    }
}

thread_local! {
    /// How many containments are running on this thread.
    static CONTAINING: Cell<u32> = const { Cell::new(0) };
    /// Where the last contained panic on this thread happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Makes panics that wx-core contains silent: the default hook prints every
/// panic on stderr, caught or not, and a contained panic is not the person at
/// the terminal's business (it reaches JS as an errMsg and the host's
/// `Diagnostics` with its place). Panics anywhere else still go to the hook
/// that was installed before. A host calls this once at start-up.
pub fn install_quiet_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CONTAINING.with(Cell::get) > 0 {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            LOCATION.with(|slot| *slot.borrow_mut() = at);
        } else {
            previous(info);
        }
    }));
}

/// Runs `catch_unwind` with the containment marked, so the quiet hook knows.
fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| Panicked {
        message: panic_message(&*payload),
        location: LOCATION.with(|slot| slot.borrow_mut().take()),
    })
}

/// Runs `f`, turning a panic into a [`Panicked`].
pub(crate) fn contain<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    catch(f)
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
    pub(crate) fn poll_once(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Panicked>> {
        let inner = &mut self.inner;
        match catch(|| inner.as_mut().poll(cx)) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

impl<T> Future for Contained<T> {
    type Output = Result<T, Panicked>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().poll_once(cx)
    }
}
