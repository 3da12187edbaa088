//! Keeps alive the engine's shapes of the objects results are made into, so
//! that the next result with the same keys finds them instead of making each
//! one again.
//!
//! QuickJS gives every object a shape (its keys in order with their flags, and
//! its prototype) and shares shapes through a hash table: defining a new key
//! on an object looks for a live shape that is the object's shape plus that
//! key. A shape lives only while an object has it, and an object has only its
//! last one, so once a result is collected the next result with the same keys
//! makes a shape per key again (allocated, hashed, its property table grown,
//! later freed). Keeping one object per prefix of a key sequence, a "stepping
//! stone" nobody else sees, keeps every shape on the way alive. A sequence is
//! kept the second time it is seen (a one-off object costs nothing more), and
//! what is kept is bounded: keys come with data (a server chooses its header
//! names).

use rquickjs::{qjs, Ctx};
use rustc_hash::FxHashSet;
use std::hash::Hasher;

/// The longest key sequence kept: an object with more keys is built key by
/// key each time (the stones cost memory in the square of the length).
const MAX_KEYS: usize = 64;
/// How many stepping stones a program keeps in all (one per kept prefix): at
/// most about 1.4 MB of the engine's memory, when every kept sequence has
/// [`MAX_KEYS`] keys (measured with `Runtime::memory_usage`).
const MAX_STONES: usize = 1024;
/// How many sequences seen once are remembered before that memory is cleared.
const MAX_SEEN: usize = 1024;

/// One program's stepping stones (see the module's comment).
#[derive(Default)]
pub struct Shapes {
    /// The sequences whose stones are kept, by [`KeyTrail`] hash.
    kept: FxHashSet<u64>,
    /// The sequences seen once, by hash.
    seen: FxHashSet<u64>,
    /// The stones: one reference each, freed by [`Shapes::clear`].
    stones: Vec<qjs::JSValue>,
    /// The runtime that owns them, once one is made: what frees them.
    runtime: Option<std::ptr::NonNull<qjs::JSRuntime>>,
}

/// The keys an object was given, in order, as a hash (what [`Shapes`] asks).
/// Two sequences with the same hash are taken for one: the cost of a
/// collision is a sequence not kept, never a wrong object.
pub struct KeyTrail {
    hasher: rustc_hash::FxHasher,
    len: usize,
}

impl KeyTrail {
    /// No keys yet.
    pub fn new() -> Self {
        KeyTrail {
            hasher: rustc_hash::FxHasher::default(),
            len: 0,
        }
    }

    /// `atom` was defined next.
    pub fn push(&mut self, atom: qjs::JSAtom) {
        self.hasher.write_u32(atom);
        self.len += 1;
    }
}

impl Shapes {
    /// Whether the caller should [`keep`](Shapes::keep) the sequence `trail`
    /// it just built an object with: the second time it is seen, while there
    /// is room.
    pub fn wants(&mut self, trail: &KeyTrail) -> bool {
        if trail.len == 0 || trail.len > MAX_KEYS || self.stones.len() + trail.len > MAX_STONES {
            return false;
        }
        let hash = trail.hasher.finish();
        if self.kept.contains(&hash) {
            return false;
        }
        if self.seen.remove(&hash) {
            return true;
        }
        if self.seen.len() == MAX_SEEN {
            self.seen.clear();
        }
        self.seen.insert(hash);
        false
    }

    /// Makes and keeps the stones of the sequence `atoms` (the keys `trail`
    /// hashed): one plain object per prefix, its keys defined with `flags`
    /// and `undefined` values, as the results' own are. `Err` leaves the
    /// engine's exception pending (out of memory); what was made is kept.
    pub fn keep(
        &mut self,
        ctx: &Ctx<'_>,
        trail: &KeyTrail,
        atoms: &[qjs::JSAtom],
        flags: u32,
    ) -> rquickjs::Result<()> {
        let raw = ctx.as_raw().as_ptr();
        self.kept.insert(trail.hasher.finish());
        // SAFETY: the context's runtime outlives every object made in it.
        self.runtime = std::ptr::NonNull::new(unsafe { qjs::JS_GetRuntime(raw) });
        let undefined = rquickjs::Value::new_undefined(ctx.clone());
        for end in 1..=atoms.len() {
            // SAFETY: a live context; the new object's one reference is
            // `stones`', freed by `clear`.
            let stone = unsafe { qjs::JS_NewObject(raw) };
            if unsafe { qjs::JS_IsException(stone) } {
                return Err(rquickjs::Error::Exception);
            }
            self.stones.push(stone);
            for atom in &atoms[..end] {
                crate::atoms::define(ctx, stone, *atom, &undefined, flags)?;
            }
        }
        Ok(())
    }

    /// Frees every stone: required before the runtime is dropped.
    pub fn clear(&mut self) {
        self.kept.clear();
        self.seen.clear();
        let Some(runtime) = self.runtime else {
            return;
        };
        for stone in self.stones.drain(..) {
            // SAFETY: made in this runtime by `keep`, still alive (the owner
            // calls this before dropping the runtime), freed once.
            unsafe { qjs::JS_FreeValueRT(runtime.as_ptr(), stone) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(atoms: &[qjs::JSAtom]) -> KeyTrail {
        let mut trail = KeyTrail::new();
        atoms.iter().for_each(|atom| trail.push(*atom));
        trail
    }

    #[test]
    fn a_sequence_is_kept_the_second_time_and_the_stones_are_bounded() {
        let runtime = rquickjs::Runtime::new().unwrap();
        let context = rquickjs::Context::full(&runtime).unwrap();
        context.with(|ctx| {
            let mut shapes = Shapes::default();
            let atoms: Vec<qjs::JSAtom> = (0..MAX_KEYS as u32).map(|i| i + 1).collect();
            let first = trail(&atoms[..3]);
            assert!(!shapes.wants(&first), "kept the first time it was seen");
            assert!(shapes.wants(&first));
            shapes.keep(&ctx, &first, &[], PLAIN_FLAGS).unwrap();
            assert!(!shapes.wants(&first), "kept twice");
            assert!(
                !shapes.wants(&trail(&[])),
                "an empty object has no shapes to keep"
            );
            let long: Vec<qjs::JSAtom> = (0..=MAX_KEYS as u32).collect();
            assert!(!shapes.wants(&trail(&long)) && !shapes.wants(&trail(&long)));
            // Fill the stones up to the bound with sequences of MAX_KEYS keys.
            let raw = ctx.as_raw().as_ptr();
            let names: Vec<qjs::JSAtom> = (0..MAX_KEYS)
                .map(|i| {
                    let name = format!("k{i}");
                    unsafe { qjs::JS_NewAtomLen(raw, name.as_ptr().cast(), name.len() as _) }
                })
                .collect();
            let mut kept = 0;
            for round in 0..(2 * MAX_STONES / MAX_KEYS) as u32 {
                let mut sequence = atoms.clone();
                sequence[0] = 1000 + round;
                let t = trail(&sequence);
                let _ = shapes.wants(&t);
                if shapes.wants(&t) {
                    shapes.keep(&ctx, &t, &names, PLAIN_FLAGS).unwrap();
                    kept += 1;
                }
            }
            assert_eq!(kept, MAX_STONES / MAX_KEYS);
            assert!(shapes.stones.len() <= MAX_STONES);
            shapes.clear();
            for atom in names {
                unsafe { qjs::JS_FreeAtom(raw, atom) };
            }
        });
    }

    const PLAIN_FLAGS: u32 = qjs::JS_PROP_C_W_E;
}
