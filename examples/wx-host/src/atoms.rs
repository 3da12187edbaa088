//! The engine's atoms for the property names wx-core asks for by `&'static str`
//! (an options struct's declared fields, `success`/`fail`/`complete`): made once
//! per program instead of once per call. `JS_NewAtomLen` hashes the name on
//! every call, and for a name no script uses (`complete`, often) also makes and
//! frees a string each time.

use rquickjs::{qjs, Ctx};
use rustc_hash::FxHashMap;

/// One program's atoms, by the address and length of the `'static` name: the
/// set is bounded by the names in the binary, and each name's bytes never change.
#[derive(Default)]
pub struct Atoms {
    by_name: FxHashMap<(usize, usize), qjs::JSAtom>,
    /// The runtime that owns them, once one is made: what frees them.
    runtime: Option<std::ptr::NonNull<qjs::JSRuntime>>,
}

impl Atoms {
    /// The atom for `name`, made on first use; `None` if the engine could not
    /// make it (out of memory: its exception is cleared). The atom stays valid
    /// until [`Atoms::clear`].
    pub fn get(&mut self, ctx: &Ctx<'_>, name: &'static str) -> Option<qjs::JSAtom> {
        let key = (name.as_ptr() as usize, name.len());
        if let Some(atom) = self.by_name.get(&key) {
            return Some(*atom);
        }
        let raw = ctx.as_raw().as_ptr();
        // SAFETY: a live context; the atom is ours until `clear` frees it.
        let atom = unsafe { qjs::JS_NewAtomLen(raw, name.as_ptr().cast(), name.len() as _) };
        if atom == qjs::JS_ATOM_NULL as qjs::JSAtom {
            ctx.catch();
            return None;
        }
        // SAFETY: the context's runtime outlives every atom made in it.
        self.runtime = std::ptr::NonNull::new(unsafe { qjs::JS_GetRuntime(raw) });
        self.by_name.insert(key, atom);
        Some(atom)
    }

    /// Frees every atom: required before the runtime is dropped.
    pub fn clear(&mut self) {
        let Some(runtime) = self.runtime else {
            return;
        };
        for (_, atom) in self.by_name.drain() {
            // SAFETY: made in this runtime by `get`, still alive (the owner
            // calls this before dropping the runtime), freed once.
            unsafe { qjs::JS_FreeAtomRT(runtime.as_ptr(), atom) };
        }
    }
}
