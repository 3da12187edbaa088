//! What an API prints on the mini-program's console, as WeChat's base library
//! does for some calls (`console.warn` for a `hideToast` that does not match
//! its `showToast`). Owns the [`console_warn`] entry point, the list of hosts'
//! consoles and the scope that names the calling one; the host prints a [`crate::Delivery::Console`].

use crate::channel::Message;
use crate::channel::Outlet;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// How a console line is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleLevel {
    /// `console.warn`.
    Warn,
    /// `console.error`.
    Error,
}

thread_local! {
    /// The console of the call being run on this thread (0: none), set around
    /// every sync call and every poll of an API's future. An id rather than a
    /// reference to the host's sender: setting and restoring it are two plain
    /// thread-local writes, and a call that prints nothing pays only those.
    static CALLING: Cell<u64> = const { Cell::new(0) };
}

/// Every open console by id, looked up only when a line is printed. Hosts are
/// few and printing is rare, so a list under a lock is enough.
static CONSOLES: Mutex<Vec<(u64, Outlet)>> = Mutex::new(Vec::new());

/// Where console ids come from (0 is never handed out).
static LAST_ID: AtomicU64 = AtomicU64::new(0);

/// Names a host's console while a call of that host runs (see [`scope_sync`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConsoleId(u64);

/// A host's console: registered while it lives, so a call running on any
/// thread can print to it; a line printed after it closed goes nowhere.
#[derive(Debug)]
pub(crate) struct Console {
    id: ConsoleId,
}

impl Console {
    /// Registers the console whose lines go to `tx`.
    pub(crate) fn open(tx: Outlet) -> Console {
        let id = LAST_ID.fetch_add(1, Ordering::Relaxed) + 1;
        consoles().push((id, tx));
        Console { id: ConsoleId(id) }
    }

    /// Its id, to name it as the calling console.
    pub(crate) fn id(&self) -> ConsoleId {
        self.id
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        consoles().retain(|(id, _)| *id != self.id.0);
    }
}

fn consoles() -> MutexGuard<'static, Vec<(u64, Outlet)>> {
    // Nothing panics while the list is locked; stay usable if something did.
    CONSOLES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Prints `text` with `console.warn` on the console of the mini-program whose
/// call is running, in order with that call's callbacks. Outside an API call it
/// does nothing; `false` then (or when the host is gone).
pub fn console_warn(text: impl Into<String>) -> bool {
    print(ConsoleLevel::Warn, text.into())
}

/// Prints `text` with `console.error`, like [`console_warn`].
pub fn console_error(text: impl Into<String>) -> bool {
    print(ConsoleLevel::Error, text.into())
}

fn print(level: ConsoleLevel, text: String) -> bool {
    let calling = CALLING.get();
    if calling == 0 {
        return false;
    }
    let consoles = consoles();
    consoles
        .iter()
        .find(|(id, _)| *id == calling)
        .is_some_and(|(_, tx)| tx.send(Message::Console { level, text }))
}

/// Runs `f` (a sync call, or one poll) with `console` as the calling host's.
pub(crate) fn scope_sync<R>(console: ConsoleId, f: impl FnOnce() -> R) -> R {
    /// Puts back the console of the call around this one (calls nest: a sync
    /// twin polls its future inside the host's sync call), even on a panic.
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALLING.set(self.0);
        }
    }
    let _restore = Restore(CALLING.replace(console.0));
    f()
}

/// `future` with `console` as the calling host's for each of its polls.
pub(crate) fn scope<F: std::future::Future + Unpin>(console: ConsoleId, future: F) -> Scoped<F> {
    Scoped { console, future }
}

/// A future whose polls run with its host's console set (see [`scope`]).
pub(crate) struct Scoped<F> {
    console: ConsoleId,
    future: F,
}

impl<F: std::future::Future + Unpin> std::future::Future for Scoped<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = &mut *self;
        scope_sync(this.console, || {
            std::pin::Pin::new(&mut this.future).poll(cx)
        })
    }
}
