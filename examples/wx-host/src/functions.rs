//! JS functions that wx-core knows by [`FunctionId`]: callbacks and listeners.
//!
//! One function always gets the same id (it is stored on the function under a
//! private symbol, or, for a frozen, sealed or non-extensible function, in a
//! `WeakMap`: nothing is written onto the user's function), so
//! `offXxx(listener)` finds the listener `onXxx` added. An entry lives while
//! wx-core holds a registration of it (a pending call's callbacks, a listener):
//! retained when the registration is made, released by the settlement or by
//! `Delivery::Release`. Ids handed out by a native call that kept nothing are
//! swept when the outermost native call in progress ends, so a getter that calls
//! `wx` while the outer call's arguments are converted cannot free the outer
//! call's callbacks.

use rquickjs::{qjs, Ctx, Function, Object, Persistent, Value};
use rustc_hash::FxHashMap as HashMap;
use wx_core::FunctionId;

struct Entry {
    function: Persistent<Function<'static>>,
    refs: u32,
}

#[derive(Default)]
pub struct FunctionTable {
    entries: HashMap<FunctionId, Entry>,
    next: u64,
    /// Ids handed out during the native calls in progress, swept if nothing retained them.
    fresh: Vec<FunctionId>,
    /// How many native calls are converting or registering right now (they nest
    /// when argument conversion runs user code that calls `wx`).
    active: u32,
    /// The private symbol's atom, made once: what ids are stored under. It
    /// keeps the symbol alive; `clear` frees it, with the runtime it came from.
    key: Option<(qjs::JSAtom, std::ptr::NonNull<qjs::JSRuntime>)>,
    /// Ids of functions that cannot carry the symbol (frozen, sealed).
    weak: Option<Persistent<Object<'static>>>,
}

impl FunctionTable {
    /// The id of `function`, registering it if needed.
    pub fn id_of<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        function: &Function<'js>,
    ) -> rquickjs::Result<FunctionId> {
        let extensible =
            unsafe { rquickjs::qjs::JS_IsExtensible(ctx.as_raw().as_ptr(), function.as_raw()) } > 0;
        let id = if extensible {
            let key = self.key(ctx)?;
            match own_id(ctx, function, key)? {
                Some(id) => id,
                None => {
                    self.next += 1;
                    define_id(ctx, function, key, self.next)?;
                    FunctionId(self.next)
                }
            }
        } else {
            // Read-only to us: keep its id beside it, in a WeakMap.
            let weak = match &self.weak {
                Some(weak) => weak.clone().restore(ctx)?,
                None => {
                    let constructor: rquickjs::function::Constructor =
                        ctx.globals().get("WeakMap")?;
                    let weak: Object = constructor.construct(())?;
                    self.weak = Some(Persistent::save(ctx, weak.clone()));
                    weak
                }
            };
            let get: Function = weak.get("get")?;
            let found: Option<f64> =
                get.call((rquickjs::function::This(weak.clone()), function.clone()))?;
            match found {
                Some(id) => FunctionId(id as u64),
                None => {
                    self.next += 1;
                    let set: Function = weak.get("set")?;
                    set.call::<_, ()>((
                        rquickjs::function::This(weak.clone()),
                        function.clone(),
                        self.next as f64,
                    ))?;
                    FunctionId(self.next)
                }
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

    /// A native call starts converting its arguments.
    pub fn enter(&mut self) {
        self.active += 1;
    }

    /// A native call is done with its arguments: when it was the outermost one,
    /// the functions converted but kept by nothing are dropped.
    pub fn leave(&mut self) {
        self.active = self.active.saturating_sub(1);
        if self.active == 0 {
            self.sweep();
        }
    }

    /// Drops the functions native calls converted but nothing kept.
    fn sweep(&mut self) {
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
        if let Some((atom, runtime)) = self.key.take() {
            // SAFETY: made in this runtime by `key`, freed once, before the
            // runtime is (the owner calls this first).
            unsafe { qjs::JS_FreeAtomRT(runtime.as_ptr(), atom) };
        }
        self.weak = None;
    }

    /// The atom of the private symbol ids are stored under, made on first use.
    fn key(&mut self, ctx: &Ctx<'_>) -> rquickjs::Result<qjs::JSAtom> {
        if let Some((atom, _)) = self.key {
            return Ok(atom);
        }
        let raw = ctx.as_raw().as_ptr();
        // SAFETY: a live context; the symbol value is freed once its atom (which
        // holds its own reference) is made, and the atom is ours until `clear`.
        let atom = unsafe {
            let symbol = qjs::JS_NewSymbol(raw, c"wx.functionId".as_ptr(), false);
            if qjs::JS_IsException(symbol) {
                return Err(rquickjs::Error::Exception);
            }
            let atom = qjs::JS_ValueToAtom(raw, symbol);
            qjs::JS_FreeValue(raw, symbol);
            atom
        };
        if atom == qjs::JS_ATOM_NULL as qjs::JSAtom {
            return Err(rquickjs::Error::Exception);
        }
        // SAFETY: the context's runtime outlives the atom (freed in `clear`).
        let runtime = std::ptr::NonNull::new(unsafe { qjs::JS_GetRuntime(raw) })
            .expect("a live context has a runtime");
        self.key = Some((atom, runtime));
        Ok(atom)
    }
}

/// The id `function` carries as its own property under `key`: an inherited
/// one (a script that found the symbol could put one on `Function.prototype`)
/// is not this function's.
fn own_id(
    ctx: &Ctx<'_>,
    function: &Function<'_>,
    key: qjs::JSAtom,
) -> rquickjs::Result<Option<FunctionId>> {
    let found = crate::atoms::own_property(ctx, function.as_raw(), key)?;
    Ok(found.and_then(|(_, value)| value.as_number().map(|id| FunctionId(id as u64))))
}

/// Stores `id` on `function` under `key`: defined (a setter on a prototype
/// never sees it), and neither writable, enumerable nor configurable, so the
/// script cannot change or delete it.
fn define_id(
    ctx: &Ctx<'_>,
    function: &Function<'_>,
    key: qjs::JSAtom,
    id: u64,
) -> rquickjs::Result<()> {
    let id = Value::new_number(ctx.clone(), id as f64);
    crate::atoms::define(ctx, function.as_raw(), key, &id, 0)
}
