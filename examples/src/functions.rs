//! JS functions that wx-core knows by [`FunctionId`]: callbacks and listeners.
//!
//! One function always gets the same id (it is stored on the function under a
//! private symbol), so `offXxx(listener)` finds the listener `onXxx` added. An
//! entry lives while wx-core holds a registration of it (a pending call's
//! callbacks, a listener): retained when the registration is made, released by
//! the settlement or by `Delivery::Release`.

use rquickjs::{Ctx, Function, Persistent, Symbol};
use std::collections::HashMap;
use wx_core::FunctionId;

struct Entry {
    function: Persistent<Function<'static>>,
    refs: u32,
}

#[derive(Default)]
pub struct FunctionTable {
    entries: HashMap<FunctionId, Entry>,
    next: u64,
    /// Ids handed out during the current native call, swept if nothing retained them.
    fresh: Vec<FunctionId>,
    key: Option<Persistent<Symbol<'static>>>,
}

impl FunctionTable {
    /// The id of `function`, registering it if needed.
    pub fn id_of<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        function: &Function<'js>,
    ) -> rquickjs::Result<FunctionId> {
        let key = match &self.key {
            Some(key) => key.clone().restore(ctx)?,
            None => {
                let key = Symbol::new(ctx.clone())?;
                self.key = Some(Persistent::save(ctx, key.clone()));
                key
            }
        };
        let id = match function.get::<_, Option<f64>>(key.clone())? {
            Some(id) => FunctionId(id as u64),
            None => {
                self.next += 1;
                function.set(key, self.next as f64)?;
                FunctionId(self.next)
            }
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = self.entries.entry(id) {
            slot.insert(Entry {
                function: Persistent::save(ctx, function.clone()),
                refs: 0,
            });
            self.fresh.push(id);
        }
        Ok(id)
    }

    pub fn get<'js>(&self, ctx: &Ctx<'js>, id: FunctionId) -> Option<Function<'js>> {
        self.entries
            .get(&id)
            .and_then(|e| e.function.clone().restore(ctx).ok())
    }

    pub fn retain(&mut self, id: FunctionId) {
        if let Some(entry) = self.entries.get_mut(&id) {
            entry.refs += 1;
        }
    }

    pub fn release(&mut self, id: FunctionId) {
        if let Some(entry) = self.entries.get_mut(&id) {
            entry.refs = entry.refs.saturating_sub(1);
            if entry.refs == 0 {
                self.entries.remove(&id);
            }
        }
    }

    /// Drops the functions a native call converted but nothing kept.
    pub fn sweep(&mut self) {
        for id in std::mem::take(&mut self.fresh) {
            if self.entries.get(&id).is_some_and(|e| e.refs == 0) {
                self.entries.remove(&id);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets everything: required before the engine is dropped.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.fresh.clear();
        self.key = None;
    }
}
