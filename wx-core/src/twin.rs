//! Sync twins: `#[wx_async(sync(...))]` registers `xxxSync` beside `xxx`, running
//! the same future to completion on the calling thread.

use crate::{App, ArgSource, Field, Lent, Object, Value, WxError};
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

/// A Sync twin's positional arguments seen as the options object of its async
/// form: argument *i* is field `fields[i]`, and a missing or `undefined` one is
/// left out. One argument (the object) to the async wrapper, which decodes it
/// like any options object: a declared field is read where the host holds its
/// positional argument, and only a failure builds the object.
///
/// ```
/// use wx_core::{schema, ArgSource, Args, Positional, Value};
///
/// #[derive(serde::Deserialize, wx_core::JsonSchema)]
/// struct SetOptions {
///     key: String,
///     data: Value,
/// }
///
/// // `wx.setStorageSync("k", 1)` as the options of `wx.setStorage`.
/// let mut args = Args::from(vec!["k".into(), 1.into()]);
/// let mut options = Positional::new(&mut args, &["key", "data"]);
/// let decoded: SetOptions = Args::lent(&mut options)
///     .options(schema::input::<SetOptions>)
///     .unwrap();
/// assert_eq!((decoded.key.as_str(), decoded.data), ("k", Value::Number(1.0)));
///
/// // Missing and `undefined` arguments are left out of the object.
/// let mut args = Args::from(vec![Value::Undefined]);
/// let mut options = Positional::new(&mut args, &["key", "data"]);
/// assert_eq!(options.value(0).unwrap(), Value::object());
/// ```
pub struct Positional<'a> {
    args: &'a mut dyn ArgSource,
    fields: &'static [&'static str],
}

impl<'a> Positional<'a> {
    /// `args` read as the fields `fields`, in order.
    pub fn new(args: &'a mut dyn ArgSource, fields: &'static [&'static str]) -> Self {
        Positional { args, fields }
    }
}

impl ArgSource for Positional<'_> {
    fn len(&self) -> usize {
        1
    }

    fn lend(&mut self, _index: usize) -> Option<Lent<'_>> {
        None
    }

    fn value(&mut self, index: usize) -> Result<Value, String> {
        if index != 0 {
            return Ok(Value::Undefined);
        }
        let mut options = Object::with_capacity(self.fields.len());
        for (index, field) in self.fields.iter().enumerate().take(self.args.len()) {
            let value = self.args.value(index)?;
            if !value.is_undefined() {
                options.insert((*field).to_owned(), value);
            }
        }
        Ok(Value::from(options))
    }

    fn lend_field(&mut self, index: usize, key: &'static str) -> Field<'_> {
        let position = self.fields.iter().position(|field| *field == key);
        match position.filter(|&at| index == 0 && at < self.args.len()) {
            None => Field::Absent,
            Some(at) => match self.args.lend(at) {
                Some(Lent::Primitive(Value::Undefined)) => Field::Absent,
                Some(lent) => Field::Lent(lent),
                None => Field::NotLent,
            },
        }
    }
}

/// Runs a Sync twin's future (its API's own function, unboxed) to completion
/// on this thread. A panic in it is contained by the sync call around it
/// (`Host::call_sync`), as any sync API's is.
///
/// Fails instead of deadlocking when called from inside the runtime's own
/// context (a sync API called from an async task).
pub fn run_blocking<F: std::future::Future>(app: &App, future: F) -> Result<F::Output, WxError> {
    let mut future = std::pin::pin!(future);
    // Most twins finish on their first poll (storage does): no runtime round trip then.
    let first = {
        let _context = app.runtime().enter();
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    };
    match first {
        Poll::Ready(output) => Ok(output),
        Poll::Pending if tokio::runtime::Handle::try_current().is_ok() => Err(WxError::internal(
            "a Sync API cannot wait inside an async task; call its async form",
        )),
        Poll::Pending => Ok(app.runtime().block_on(future)),
    }
}
