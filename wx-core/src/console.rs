//! What an API prints on the mini-program's console, as WeChat's base library
//! does for some calls (`console.warn` for a `hideToast` that does not match
//! its `showToast`). Owns the [`console_warn`] entry point and the scope that
//! gives it the calling host; the host prints a [`crate::Delivery::Console`].

use crate::channel::Message;
use std::sync::mpsc::Sender;

/// How a console line is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleLevel {
    /// `console.warn`.
    Warn,
    /// `console.error`.
    Error,
}

scoped_tls::scoped_thread_local! {
    /// The host of the call being run, set around every sync call and every
    /// poll of an API's future: a borrow for the call's length (no clone, no
    /// allocation), so a call that prints nothing pays two thread-local writes.
    static HOST: Sender<Message>
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
    HOST.is_set() && HOST.with(|tx| tx.send(Message::Console { level, text }).is_ok())
}

/// Runs `f` (a sync call, or one poll) with `tx` as the calling host.
pub(crate) fn scope_sync<R>(tx: &Sender<Message>, f: impl FnOnce() -> R) -> R {
    HOST.set(tx, f)
}

/// `future` with `tx` as the calling host for each of its polls.
pub(crate) fn scope<F: std::future::Future + Unpin>(tx: Sender<Message>, future: F) -> Scoped<F> {
    Scoped { tx, future }
}

/// A future whose polls run with its host set (see [`scope`]).
pub(crate) struct Scoped<F> {
    tx: Sender<Message>,
    future: F,
}

impl<F: std::future::Future + Unpin> std::future::Future for Scoped<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = &mut *self;
        HOST.set(&this.tx, || std::pin::Pin::new(&mut this.future).poll(cx))
    }
}
