//! The engine's atoms for the property names wx-core asks for by `&'static str`
//! (an options struct's declared fields, `success`/`fail`/`complete`) and for
//! the keys of the objects results are made into (a response's header names,
//! its `profile` fields): made once per program instead of once per use.
//! `JS_NewAtomLen` hashes the name on every call, and for a name no live
//! object holds (a result's keys, once the last result was collected) also
//! makes and frees a string each time. Also the one reader and definer of an
//! own property by atom ([`own_property`], [`define`]), for those names and
//! the function-id symbol.

use rquickjs::{qjs, Ctx};
use rustc_hash::FxHashMap;

/// How many keys of result objects a program keeps atoms for, and how long
/// one may be: keys come with data (a server chooses its header names), so
/// the cache is bounded; a key beyond it gets an atom for the one use.
const MAX_KEYS: usize = 4096;
const MAX_KEY_LEN: usize = 64;

/// One program's atoms: for `'static` names by the address and length of the
/// name (the set is bounded by the names in the binary, and each name's bytes
/// never change); for keys that come with data by their text, up to [`MAX_KEYS`].
#[derive(Default)]
pub struct Atoms {
    by_name: FxHashMap<(usize, usize), qjs::JSAtom>,
    by_key: FxHashMap<Box<str>, qjs::JSAtom>,
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

    /// The atom for `name` (a struct field's), as a [`KeyAtom`]: `Err` if the
    /// engine could not make it (out of memory).
    pub fn field<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &'static str,
    ) -> rquickjs::Result<KeyAtom<'js>> {
        match self.get(ctx, name) {
            Some(atom) => Ok(KeyAtom { atom, owned: None }),
            None => Err(rquickjs::Error::Allocation),
        }
    }

    /// The atom for `key`, a key that came with data, kept for the next use
    /// while the cache has room (see [`MAX_KEYS`]). `Err` leaves the engine's
    /// exception pending (out of memory).
    pub fn key<'js>(&mut self, ctx: &Ctx<'js>, key: &str) -> rquickjs::Result<KeyAtom<'js>> {
        if let Some(atom) = self.by_key.get(key) {
            return Ok(KeyAtom {
                atom: *atom,
                owned: None,
            });
        }
        let raw = ctx.as_raw().as_ptr();
        // SAFETY: a live context; the atom is freed by `clear` (cached) or by
        // the `KeyAtom` (not).
        let atom = unsafe { qjs::JS_NewAtomLen(raw, key.as_ptr().cast(), key.len() as _) };
        if atom == qjs::JS_ATOM_NULL as qjs::JSAtom {
            return Err(rquickjs::Error::Exception);
        }
        if self.by_key.len() < MAX_KEYS && key.len() <= MAX_KEY_LEN {
            // SAFETY: as in `get`.
            self.runtime = std::ptr::NonNull::new(unsafe { qjs::JS_GetRuntime(raw) });
            self.by_key.insert(key.into(), atom);
            return Ok(KeyAtom { atom, owned: None });
        }
        Ok(KeyAtom {
            atom,
            owned: Some(ctx.clone()),
        })
    }

    /// Frees every atom: required before the runtime is dropped.
    pub fn clear(&mut self) {
        let Some(runtime) = self.runtime else {
            return;
        };
        let names = self.by_name.drain().map(|(_, atom)| atom);
        for atom in names.chain(self.by_key.drain().map(|(_, atom)| atom)) {
            // SAFETY: made in this runtime by `get`, still alive (the owner
            // calls this before dropping the runtime), freed once.
            unsafe { qjs::JS_FreeAtomRT(runtime.as_ptr(), atom) };
        }
    }
}

/// An atom [`Atoms::key`] gave: the cache's, or one made for this use only
/// (freed when this is dropped).
pub struct KeyAtom<'js> {
    atom: qjs::JSAtom,
    owned: Option<Ctx<'js>>,
}

impl KeyAtom<'_> {
    /// The atom, valid while this lives.
    pub fn atom(&self) -> qjs::JSAtom {
        self.atom
    }
}

impl Drop for KeyAtom<'_> {
    fn drop(&mut self) {
        if let Some(ctx) = &self.owned {
            // SAFETY: made by `Atoms::key` for this use only, freed once.
            unsafe { qjs::JS_FreeAtom(ctx.as_raw().as_ptr(), self.atom) };
        }
    }
}

/// The own property `atom` of `object` as its descriptor has it: the flags
/// (`JS_PROP_*`) and the value, `None` if there is none. A getter is not run
/// (an accessor's value is `undefined`; its flags say `JS_PROP_GETSET`).
/// `Err` leaves the engine's exception pending (a proxy's trap threw).
pub fn own_property<'js>(
    ctx: &Ctx<'js>,
    object: qjs::JSValue,
    atom: qjs::JSAtom,
) -> rquickjs::Result<Option<(u32, rquickjs::Value<'js>)>> {
    let raw = ctx.as_raw().as_ptr();
    let mut desc = std::mem::MaybeUninit::<qjs::JSPropertyDescriptor>::uninit();
    // SAFETY: the caller's live context, object and atom; on 1 the
    // descriptor's three values are ours: getter and setter freed here, the
    // value handed over to a `Value` that frees it.
    let found = unsafe { qjs::JS_GetOwnProperty(raw, desc.as_mut_ptr(), object, atom) };
    if found < 0 {
        return Err(rquickjs::Error::Exception);
    }
    if found == 0 {
        return Ok(None);
    }
    let desc = unsafe { desc.assume_init() };
    unsafe {
        qjs::JS_FreeValue(raw, desc.getter);
        qjs::JS_FreeValue(raw, desc.setter);
    }
    let value = unsafe { rquickjs::Value::from_raw(ctx.clone(), desc.value) };
    Ok(Some((desc.flags as u32, value)))
}

/// Defines `object`'s own property `atom` as `value` with `flags`
/// (`JS_PROP_*`): no setter anywhere runs. `Err` leaves the engine's
/// exception pending.
pub fn define(
    ctx: &Ctx<'_>,
    object: qjs::JSValue,
    atom: qjs::JSAtom,
    value: &rquickjs::Value<'_>,
    flags: u32,
) -> rquickjs::Result<()> {
    try_define(ctx, object, atom, value, flags | qjs::JS_PROP_THROW).map(|_| ())
}

/// [`define`], except that an object refusing the property (frozen, sealed,
/// not extensible) is `Ok(false)` rather than a thrown `TypeError`.
pub fn try_define(
    ctx: &Ctx<'_>,
    object: qjs::JSValue,
    atom: qjs::JSAtom,
    value: &rquickjs::Value<'_>,
    flags: u32,
) -> rquickjs::Result<bool> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the caller's live context, object and atom; the engine takes
    // the reference made here for it.
    let defined = unsafe {
        let owned = qjs::JS_DupValue(raw, value.as_raw());
        qjs::JS_DefinePropertyValue(raw, object, atom, owned, flags as _)
    };
    match defined < 0 {
        true => Err(rquickjs::Error::Exception),
        false => Ok(defined > 0),
    }
}
