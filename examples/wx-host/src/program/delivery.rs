//! Running one `Delivery` on the JS thread: a settled call's callbacks or
//! Promise, an event's listeners, a release of functions wx-core let go, an
//! error with no call to report it to. A result JS cannot build still settles
//! its call, as a failure.

use super::errors::invoke;
use super::Shared;
use crate::console::Level;
use crate::convert::{encoded_to_js, settlement_to_js};
use rquickjs::Ctx;
use wx_core::Delivery;

pub(super) fn run<'js>(ctx: &Ctx<'js>, shared: &Shared, delivery: Delivery) {
    match delivery {
        Delivery::Settle(mut settlement) => {
            let built = settlement_to_js(ctx, &shared.tables, &settlement);
            let result = match built {
                Ok(result) => result,
                // The result object could not be built in JS (user code replaced
                // `Date`, out of memory, ...): the call still settles, as a failure.
                Err(err) => {
                    settlement.fail(&wx_core::WxError::internal(format!(
                        "the result could not be built in JS: {err}"
                    )));
                    match settlement_to_js(ctx, &shared.tables, &settlement) {
                        Ok(result) => result,
                        Err(err) => {
                            // Not even that: report it, and free the callbacks.
                            shared.uncaught.set(shared.uncaught.get() + 1);
                            shared.console.print(
                                Level::Error,
                                &format!(
                                    "Uncaught Error: {}: the result could not be delivered: {err}",
                                    settlement.api
                                ),
                            );
                            release_callbacks(shared, &settlement);
                            return;
                        }
                    }
                }
            };
            if settlement.promise {
                let ends = shared.promises.borrow_mut().remove(&settlement.call);
                if let Some((resolve, reject)) = ends {
                    let end = if settlement.ok { resolve } else { reject };
                    if let Ok(end) = end.restore(ctx) {
                        invoke(ctx, shared, &end, result);
                    }
                }
                return;
            }
            for id in settlement.invocations() {
                let callback = shared.tables.functions.borrow().get(ctx, id);
                if let Some(callback) = callback {
                    invoke(ctx, shared, &callback, result.clone());
                }
            }
            release_callbacks(shared, &settlement);
        }
        Delivery::Event { listeners, payload } => {
            let payload = match encoded_to_js(ctx, &shared.tables, &payload) {
                Ok(payload) => payload,
                Err(err) => {
                    shared.uncaught.set(shared.uncaught.get() + 1);
                    shared.console.print(
                        Level::Error,
                        &format!("Uncaught Error: an event could not be delivered: {err}"),
                    );
                    return;
                }
            };
            for id in listeners {
                let listener = shared.tables.functions.borrow().get(ctx, id);
                if let Some(listener) = listener {
                    invoke(ctx, shared, &listener, payload.clone());
                }
            }
        }
        Delivery::Error { err_msg } => {
            shared.uncaught.set(shared.uncaught.get() + 1);
            shared
                .console
                .print(Level::Error, &format!("Uncaught Error: {err_msg}"));
        }
        Delivery::Console { level, text } => {
            let level = match level {
                wx_core::ConsoleLevel::Warn => Level::Warn,
                wx_core::ConsoleLevel::Error => Level::Error,
            };
            shared.console.print(level, &text);
        }
        Delivery::Release(ids) => {
            let mut functions = shared.tables.functions.borrow_mut();
            ids.into_iter().for_each(|id| functions.release(id));
        }
    }
}

/// Frees a settled call's callbacks: wx-core holds them no longer.
fn release_callbacks(shared: &Shared, settlement: &wx_core::Settlement) {
    let callbacks = settlement.callbacks;
    let mut functions = shared.tables.functions.borrow_mut();
    for id in [callbacks.success, callbacks.fail, callbacks.complete]
        .into_iter()
        .flatten()
    {
        functions.release(id);
    }
}
