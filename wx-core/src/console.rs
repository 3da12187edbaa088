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

tokio::task_local! {
    /// The host of the call being run (set around every poll of an API's future
    /// and every sync call).
    static HOST: Sender<Message>;
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
    HOST.try_with(|tx| tx.send(Message::Console { level, text }).is_ok())
        .unwrap_or(false)
}

/// Runs `f` (a sync call, or one poll) with `tx` as the calling host.
pub(crate) fn scope_sync<R>(tx: &Sender<Message>, f: impl FnOnce() -> R) -> R {
    HOST.sync_scope(tx.clone(), f)
}

/// `future` with `tx` as the calling host for all its polls.
pub(crate) fn scope<F: std::future::Future>(
    tx: Sender<Message>,
    future: F,
) -> tokio::task::futures::TaskLocalFuture<Sender<Message>, F> {
    HOST.scope(tx, future)
}
