//! Sync twins: `#[wx_async(sync(...))]` registers `xxxSync` beside `xxx`, running
//! the same future to completion on the calling thread.

use crate::panic::{BoxFuture, Contained};
use crate::{App, Args, Object, Value, WxError};
use std::task::{Context, Poll, Waker};

/// Which form of an API is running: the async original or its Sync twin. An API
/// whose twins differ (WeChat's `getStorageSync` returns `""` for a missing key
/// where `getStorage` fails) takes a `CallForm` parameter to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallForm {
    /// `wx.xxx({...})`.
    Async,
    /// `wx.xxxSync(a, b)`.
    Sync,
}

impl Args<'_> {
    /// Builds the options object of the async form from positional arguments:
    /// argument *i* becomes field `fields[i]`; missing ones are left out.
    pub fn into_options(mut self, fields: &[&str]) -> Result<Value, WxError> {
        let mut options = Object::with_capacity(fields.len());
        for (index, field) in fields.iter().enumerate().take(self.len()) {
            let value = self.take(index)?;
            if !value.is_undefined() {
                options.insert((*field).to_owned(), value);
            }
        }
        Ok(Value::from(options))
    }
}

/// Runs an async API's future to completion on this thread, with a panic in it
/// contained like anywhere else.
///
/// Fails instead of deadlocking when called from inside the runtime's own
/// context (a sync API called from an async task).
pub fn run_blocking(
    app: &App,
    future: BoxFuture<Result<Value, WxError>>,
) -> Result<Value, WxError> {
    let mut future = Contained::new(future);
    // Most twins finish on their first poll (storage does): no runtime round trip then.
    let first = {
        let _context = app.runtime().enter();
        future.poll_once(&mut Context::from_waker(Waker::noop()))
    };
    let result = match first {
        Poll::Ready(result) => result,
        Poll::Pending if tokio::runtime::Handle::try_current().is_ok() => {
            return Err(WxError::internal(
                "a Sync API cannot wait inside an async task; call its async form",
            ));
        }
        Poll::Pending => app.runtime().block_on(future),
    };
    result.unwrap_or_else(|panic| Err(panic.into_error()))
}

/// The Sync twin's return value, written to `out`: one field of the success
/// data, or all of it.
pub fn sync_result(data: Value, field: Option<&str>, out: &mut dyn crate::Output) {
    out.value(match (field, data) {
        (Some(field), Value::Object(mut map)) => map.shift_remove(field).unwrap_or_default(),
        (Some(_), _) => Value::Undefined,
        (None, data) => data,
    });
}
