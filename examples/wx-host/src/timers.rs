//! `setTimeout`/`setInterval` on the JS thread: a deadline heap the event loop
//! sleeps toward.

use rquickjs::{Function, Persistent};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};

struct Timer {
    callback: Persistent<Function<'static>>,
    every: Option<Duration>,
}

#[derive(Default)]
pub struct Timers {
    next_id: u32,
    /// (deadline, id); entries whose id was cleared are skipped when they come up.
    queue: BinaryHeap<Reverse<(Instant, u32)>>,
    timers: HashMap<u32, Timer>,
}

impl Timers {
    pub fn add(
        &mut self,
        callback: Persistent<Function<'static>>,
        delay: Duration,
        repeat: bool,
    ) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        self.timers.insert(
            id,
            Timer {
                callback,
                every: repeat.then_some(delay),
            },
        );
        self.queue.push(Reverse((Instant::now() + delay, id)));
        id
    }

    pub fn clear(&mut self, id: u32) {
        self.timers.remove(&id);
    }

    /// The earliest deadline of a live timer.
    pub fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse((at, id))) = self.queue.peek().copied() {
            if self.timers.contains_key(&id) {
                return Some(at);
            }
            self.queue.pop();
        }
        None
    }

    /// A timer due at `now`: its callback, rescheduled first if it repeats.
    pub fn take_due(&mut self, now: Instant) -> Option<Persistent<Function<'static>>> {
        let at = self.next_deadline()?;
        if at > now {
            return None;
        }
        let Reverse((_, id)) = self.queue.pop()?;
        let timer = self.timers.get(&id)?;
        let callback = timer.callback.clone();
        match timer.every {
            // Measured from now, as browsers do, so a slow callback never piles up runs.
            Some(every) => self
                .queue
                .push(Reverse((now + every.max(Duration::from_millis(1)), id))),
            None => {
                self.timers.remove(&id);
            }
        }
        Some(callback)
    }

    pub fn is_empty(&self) -> bool {
        self.timers.is_empty()
    }

    /// Forgets every timer: required before the engine is dropped.
    pub fn clear_all(&mut self) {
        self.timers.clear();
        self.queue.clear();
    }
}

/// Installs what every JS world of the host has, the main one and each
/// worker's: `console` (printing through `print`) and `setTimeout`/
/// `setInterval`/`clear*` (on the `Timers` `timers` gives), from `prelude.js`.
/// Gives the prelude's `describe`, which formats an uncaught value.
pub fn install_prelude<'js, S: 'static>(
    ctx: &rquickjs::Ctx<'js>,
    state: &std::rc::Rc<S>,
    print: fn(&S, crate::console::Level, &str),
    timers: fn(&S) -> &std::cell::RefCell<Timers>,
) -> rquickjs::Result<Function<'js>> {
    use rquickjs::Ctx;
    let globals = ctx.globals();
    let s = state.clone();
    globals.set(
        "__wx_print",
        Function::new(ctx.clone(), move |level: String, text: String| {
            print(&s, crate::console::Level::parse(&level), &text);
        })?,
    )?;
    let s = state.clone();
    globals.set(
        "__wx_timer",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, callback: Function<'js>, delay: f64, repeat: bool| {
                let delay = Duration::from_secs_f64(delay.clamp(0.0, 1e9) / 1000.0);
                timers(&s)
                    .borrow_mut()
                    .add(Persistent::save(&ctx, callback), delay, repeat)
            },
        )?,
    )?;
    let s = state.clone();
    globals.set(
        "__wx_clear_timer",
        Function::new(ctx.clone(), move |id: f64| {
            timers(&s).borrow_mut().clear(id as u32)
        })?,
    )?;
    let helpers: rquickjs::Object = ctx.eval(include_str!("program/prelude.js"))?;
    helpers.get("describe")
}
