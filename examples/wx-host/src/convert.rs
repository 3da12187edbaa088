//! QuickJS values to `wx_core::Value` and back, on the JS thread.

use crate::atoms::Atoms;
use crate::functions::FunctionTable;
use crate::native::ReturnValue;
use crate::shapes::{KeyTrail, Shapes};
use rquickjs::function::Constructor;
use rquickjs::{Array, ArrayBuffer, Ctx, Function, Object, Type};
use std::cell::RefCell;
use wx_core::{Object as WxObject, Value};

/// How deep an argument may nest before it is refused (cycles end here too).
const MAX_DEPTH: usize = 128;

/// How many values (array items, object properties, leaves) one call's arguments
/// may hold, holes of sparse arrays included: conversion costs memory in
/// proportion to this, so it is bounded before anything is allocated.
pub const MAX_VALUES: usize = 1 << 22;

/// How many bytes of strings, keys and binary data one call's arguments may hold.
pub const MAX_BYTES: usize = 128 << 20;

pub type JsValue<'js> = rquickjs::Value<'js>;

/// What conversions keep per engine: the function table (ids for the JS
/// functions values carry), the atoms of the names read and defined, and the
/// shapes of the objects results are made into. One per program (and per
/// worker); cleared before its engine is dropped.
#[derive(Default)]
pub struct Tables {
    /// JS functions by id, while wx-core or a conversion refers to them.
    pub functions: RefCell<FunctionTable>,
    /// Atoms for declared field names and result keys.
    pub atoms: RefCell<Atoms>,
    /// The shapes of result objects, kept for the next result with the same keys.
    pub shapes: RefCell<Shapes>,
}

impl Tables {
    /// Lets go of every function, shape and atom: required before the engine
    /// is dropped (the shapes before the atoms their keys are).
    pub fn clear(&self) {
        self.functions.borrow_mut().clear();
        self.shapes.borrow_mut().clear();
        self.atoms.borrow_mut().clear();
    }
}

/// Converts a call's arguments. Functions get ids in `functions`. What cannot be
/// converted (nested too deep or circular, larger than [`MAX_VALUES`] or
/// [`MAX_BYTES`]) is refused with a reason for a parameter error.
pub fn from_js_args<'js>(
    ctx: &Ctx<'js>,
    functions: &RefCell<FunctionTable>,
    args: &[JsValue<'js>],
) -> Result<Vec<Value>, String> {
    let converter = Converter::new(ctx, functions);
    args.iter().map(|arg| converter.convert(arg, 0)).collect()
}

/// A sync call's arguments lent to wx-core where they are ([`wx_core::ArgSource`]):
/// a string is read in place, an object's declared fields are read one by one
/// when the converter would read them the same way, anything else goes through
/// the one [`Converter`], whose budget covers the whole call (what is lent is
/// spent from it too). The function table is entered only if a conversion could
/// meet a function; [`JsArgs::converted`] says whether it was.
pub struct JsArgs<'a, 'js> {
    /// The call's arguments as the engine holds them (borrowed for the call).
    args: &'a [rquickjs::qjs::JSValue],
    converter: Converter<'a, 'js>,
    atoms: &'a RefCell<Atoms>,
    /// The string lent last: it must outlive the borrow handed out.
    lent: Option<EngineText>,
    /// The argument whose fields are being lent, if it is a plain object (the
    /// call's argument array holds it alive).
    object: Option<(usize, Option<rquickjs::qjs::JSValue>)>,
    /// The budget before the argument being lent spent anything: a conversion
    /// of that same argument (the fallback) starts from it, so nothing counts twice.
    budget_before: Option<(usize, (usize, usize))>,
    converted: bool,
}

impl<'a, 'js> JsArgs<'a, 'js> {
    /// The arguments of one call (as the engine passed them to a native
    /// function), converted (if at all) with the program's function table for
    /// ids; fields are looked up with its atoms.
    pub fn new(ctx: &'a Ctx<'js>, tables: &'a Tables, args: &'a [rquickjs::qjs::JSValue]) -> Self {
        JsArgs {
            args,
            converter: Converter::new(ctx, &tables.functions),
            atoms: &tables.atoms,
            lent: None,
            object: None,
            budget_before: None,
            converted: false,
        }
    }

    /// Whether an argument went through the converter or a function was lent
    /// (the function table was entered).
    pub fn converted(&self) -> bool {
        self.converted
    }

    /// Argument `index`, owned (`None` past the end).
    fn arg(&self, index: usize) -> Option<JsValue<'js>> {
        let raw = *self.args.get(index)?;
        Some(crate::native::arg(self.converter.ctx, raw))
    }

    /// Tells the function table a call is converting (once per call).
    fn enter_functions(&mut self) {
        if !self.converted {
            self.converted = true;
            self.converter.functions.borrow_mut().enter();
        }
    }

    /// `raw` (argument `index`, or one of its properties; alive for the call)
    /// lent if it is a primitive, a function (its id, registered as the
    /// converter registers it), or a string the converter would copy as it is
    /// (within the budget, no lone surrogate, which `text_of` replaces); its
    /// cost is spent from the call's budget. The value's tag decides
    /// (rquickjs' `type_of` would ask an object half a dozen class questions
    /// first), and a string is read without a handle made for it.
    fn lend_value(
        &mut self,
        index: usize,
        raw: rquickjs::qjs::JSValue,
    ) -> Option<wx_core::Lent<'_>> {
        use rquickjs::qjs;
        if let Some(primitive) = primitive_raw(raw) {
            return Some(wx_core::Lent::Primitive(primitive));
        }
        // SAFETY: tag and class tests on a live value.
        let (tag, is_function) = unsafe {
            let tag = qjs::JS_VALUE_GET_NORM_TAG(raw);
            let ctx = self.converter.ctx.as_raw().as_ptr();
            (
                tag,
                tag == qjs::JS_TAG_OBJECT && qjs::JS_IsFunction(ctx, raw),
            )
        };
        if is_function {
            let function = crate::native::arg(self.converter.ctx, raw).into_function()?;
            self.converter.spend(1, 0).ok()?;
            self.enter_functions();
            let mut functions = self.converter.functions.borrow_mut();
            let id = functions.id_of(self.converter.ctx, &function).ok()?;
            return Some(wx_core::Lent::Function(id));
        }
        if tag != qjs::JS_TAG_STRING && tag != qjs::JS_TAG_STRING_ROPE {
            return None;
        }
        let text = EngineText::of(self.converter.ctx, raw)?;
        let len = text.len;
        let before = self.converter.budget.get();
        self.converter.spend(1, len).ok()?;
        if self.budget_before.is_none_or(|(i, _)| i != index) {
            self.budget_before = Some((index, before));
        }
        Some(wx_core::Lent::Str(self.lent.insert(text).as_str()))
    }

    /// Argument `index` if the converter would read it as a plain object's own
    /// properties: an ordinary object (its class says: not an array, a
    /// function, a `Date`, a buffer, a proxy, ...) with no `toJSON` function,
    /// as the engine's value (the call's argument array holds it). Decided
    /// once per argument.
    fn plain_object(&mut self, index: usize) -> Option<rquickjs::qjs::JSValue> {
        use rquickjs::qjs;
        if self.object.is_none_or(|(i, _)| i != index) {
            let object = self.args.get(index).copied().filter(|&raw| {
                // SAFETY: tag and class tests on a live argument.
                unsafe {
                    qjs::JS_VALUE_GET_NORM_TAG(raw) == qjs::JS_TAG_OBJECT
                        && qjs::JS_GetClassID(raw) == JS_CLASS_OBJECT
                }
            });
            let object = object.filter(|&raw| !has_to_json(self.converter.ctx, raw));
            self.object = Some((index, object));
        }
        self.object.and_then(|(_, object)| object)
    }
}

/// A JS string's UTF-8 bytes as the engine hands them out
/// (`JS_ToCStringLen2`: no copy for a plain ASCII string), given back when
/// dropped. Lives inside a [`JsArgs`], whose context outlives it.
struct EngineText {
    ctx: *mut rquickjs::qjs::JSContext,
    ptr: *const std::ffi::c_char,
    len: usize,
}

impl EngineText {
    /// The text of `raw`, a string, if it is valid UTF-8: a lone surrogate
    /// comes out as bytes that are not, and the converter's `text_of` replaces
    /// it, so it is not lent. `None` too if the engine could not make it (out
    /// of memory: the converter then meets the same failure and says so).
    fn of(ctx: &Ctx<'_>, raw: rquickjs::qjs::JSValue) -> Option<EngineText> {
        let ctx_raw = ctx.as_raw().as_ptr();
        let mut len = 0;
        // SAFETY: a live context and value; the pointer is freed in `drop`.
        let ptr = unsafe { rquickjs::qjs::JS_ToCStringLen2(ctx_raw, &mut len, raw, false) };
        if ptr.is_null() {
            ctx.catch();
            return None;
        }
        let text = EngineText {
            ctx: ctx_raw,
            ptr,
            len: usize::try_from(len).ok()?,
        };
        std::str::from_utf8(text.bytes()).is_ok().then_some(text)
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `len` bytes at `ptr`, alive until `drop`.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }

    fn as_str(&self) -> &str {
        // SAFETY: checked to be UTF-8 when made.
        unsafe { std::str::from_utf8_unchecked(self.bytes()) }
    }
}

impl Drop for EngineText {
    fn drop(&mut self) {
        // SAFETY: made by `JS_ToCStringLen2` on this context, freed once.
        unsafe { rquickjs::qjs::JS_FreeCString(self.ctx, self.ptr) }
    }
}

/// Whether `object` has a `toJSON` function (own or inherited), which the
/// converter would call; a getter that throws counts as one (the converter
/// meets it again and reports it).
fn has_to_json(ctx: &Ctx<'_>, object: rquickjs::qjs::JSValue) -> bool {
    use rquickjs::qjs;
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: a live object; `toJSON` is one of the engine's predefined atoms.
    let found = unsafe { qjs::JS_GetProperty(raw, object, qjs::JS_ATOM_toJSON as qjs::JSAtom) };
    // SAFETY: owned by the `JsValue` from here.
    let found = unsafe { JsValue::from_raw(ctx.clone(), found) };
    if found.is_exception() {
        ctx.catch();
        return true;
    }
    found.is_function()
}

/// The class id QuickJS gives ordinary objects (`JS_CLASS_OBJECT`, the first
/// of its classes). If it were wrong nothing would be read in place, which
/// `tests/in_place.rs` notices (an undeclared getter would run).
const JS_CLASS_OBJECT: u32 = 1;

impl wx_core::ArgSource for JsArgs<'_, '_> {
    fn len(&self) -> usize {
        self.args.len()
    }

    fn lend(&mut self, index: usize) -> Option<wx_core::Lent<'_>> {
        // A primitive is read from the engine's value as it is (no handle made);
        // a missing argument is `undefined`.
        let Some(&raw) = self.args.get(index) else {
            return Some(wx_core::Lent::Primitive(Value::Undefined));
        };
        // The commonest argument, a number, answered before the call below.
        if let Some(primitive) = primitive_raw(raw) {
            return Some(wx_core::Lent::Primitive(primitive));
        }
        self.lend_value(index, raw)
    }

    fn lend_field(&mut self, index: usize, key: &'static str) -> wx_core::Field<'_> {
        use rquickjs::qjs;
        let Some(object) = self.plain_object(index) else {
            return wx_core::Field::NotLent;
        };
        let ctx = self.converter.ctx;
        let Some(atom) = self.atoms.borrow_mut().get(ctx, key) else {
            return wx_core::Field::NotLent;
        };
        // The own property's descriptor: a getter is not run (the converter,
        // which runs it, is left to do so once).
        let (flags, value) = match crate::atoms::own_property(ctx, object, atom) {
            Ok(Some(found)) => found,
            Ok(None) => return wx_core::Field::Absent,
            Err(_) => {
                ctx.catch();
                return wx_core::Field::NotLent;
            }
        };
        if flags & qjs::JS_PROP_GETSET != 0 {
            return wx_core::Field::NotLent;
        }
        // What `Object.keys` skips, the converter never reads.
        if flags & qjs::JS_PROP_ENUMERABLE == 0 {
            return wx_core::Field::Absent;
        }
        match self.lend_value(index, value.as_raw()) {
            Some(lent) => wx_core::Field::Lent(lent),
            None => wx_core::Field::NotLent,
        }
    }

    fn value(&mut self, index: usize) -> Result<Value, String> {
        let Some(arg) = self.arg(index) else {
            return Ok(Value::Undefined);
        };
        if let Some((_, before)) = self.budget_before.filter(|(i, _)| *i == index) {
            self.converter.budget.set(before);
            self.budget_before = None;
        }
        // Only what can hold a function makes the table track a conversion.
        if primitive(&arg).is_none() && !arg.is_string() {
            self.enter_functions();
        }
        self.converter.convert(&arg, 0)
    }
}

/// Where a sync call's result is made: straight into the value the native
/// call hands back (the [`wx_core::Sink`] a sync call writes into). A string or number is made raw,
/// with no handle around it; anything else goes through a [`JsSink`], made
/// when the first such part comes.
pub struct JsOutput<'a, 'js> {
    ctx: &'a Ctx<'js>,
    tables: &'a Tables,
    /// A string or number result, owned (`undefined` when there is none).
    raw: rquickjs::qjs::JSValue,
    /// Where any other result is made (boxed: a string or number result
    /// never makes one, and the output stays small to move).
    sink: Option<Box<JsSink<'a, 'js>>>,
}

impl<'a, 'js> JsOutput<'a, 'js> {
    /// An output for one call, made with the program's `tables` (function ids
    /// in a result, the atoms of its keys).
    pub fn new(ctx: &'a Ctx<'js>, tables: &'a Tables) -> Self {
        JsOutput {
            ctx,
            tables,
            raw: rquickjs::qjs::JS_UNDEFINED,
            sink: None,
        }
    }

    /// The JS value made (`undefined` if nothing was written).
    #[inline]
    pub fn into_returned(mut self) -> rquickjs::Result<ReturnValue> {
        if let Some(sink) = &mut self.sink {
            return sink.finish().map(ReturnValue::from);
        }
        let (ctx, raw) = (self.ctx, self.raw);
        // Nothing else is owned: the raw value's reference is handed over
        // instead of freed by `Drop`.
        std::mem::forget(self);
        // SAFETY: owned by this output, handed over once.
        Ok(unsafe { ReturnValue::from_owned(ctx, raw) })
    }

    /// Whether the next part is a whole result (nothing is open).
    fn at_top(&self) -> bool {
        self.sink.as_ref().is_none_or(|sink| sink.open.is_empty())
    }

    /// A string or number result made raw: it replaces what was written before.
    fn set_raw(&mut self, raw: rquickjs::qjs::JSValue) {
        if self.sink.is_some() {
            self.sink = None;
        }
        let old = std::mem::replace(&mut self.raw, raw);
        free_raw(self.ctx, old);
    }

    /// The sink for any other part; a new whole result replaces a raw one.
    fn compound(&mut self) -> &mut JsSink<'a, 'js> {
        if self.at_top() {
            self.set_raw_none();
        }
        self.sink
            .get_or_insert_with(|| Box::new(JsSink::new(self.ctx, self.tables)))
    }

    fn set_raw_none(&mut self) {
        let old = std::mem::replace(&mut self.raw, rquickjs::qjs::JS_UNDEFINED);
        free_raw(self.ctx, old);
    }
}

impl Drop for JsOutput<'_, '_> {
    fn drop(&mut self) {
        self.set_raw_none();
    }
}

/// Frees an owned raw value (one with no reference count owns nothing).
fn free_raw(ctx: &Ctx<'_>, raw: rquickjs::qjs::JSValue) {
    // SAFETY: the caller's owned value of `ctx`, freed once.
    unsafe {
        if rquickjs::qjs::JS_VALUE_HAS_REF_COUNT(raw) {
            rquickjs::qjs::JS_FreeValue(ctx.as_raw().as_ptr(), raw);
        }
    }
}

/// A whole string or number result is made raw; everything else is the
/// [`JsSink`]'s.
impl wx_core::Sink for JsOutput<'_, '_> {
    fn undefined(&mut self) -> Result<(), wx_core::SerializeError> {
        self.compound().undefined()
    }
    fn null(&mut self) -> Result<(), wx_core::SerializeError> {
        self.compound().null()
    }
    fn bool(&mut self, b: bool) -> Result<(), wx_core::SerializeError> {
        self.compound().bool(b)
    }
    fn number(&mut self, n: f64) -> Result<(), wx_core::SerializeError> {
        match self.at_top() {
            true => {
                self.set_raw(raw_number(n));
                Ok(())
            }
            false => self.compound().number(n),
        }
    }
    fn str(&mut self, text: &str) -> Result<(), wx_core::SerializeError> {
        if !self.at_top() {
            return self.compound().str(text);
        }
        match raw_string(self.ctx, text) {
            Ok(raw) => {
                self.set_raw(raw);
                Ok(())
            }
            Err(err) => Err(self.compound().engine(err)),
        }
    }
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), wx_core::SerializeError> {
        self.compound().array_buffer(bytes)
    }
    fn date(&mut self, ms: f64) -> Result<(), wx_core::SerializeError> {
        self.compound().date(ms)
    }
    fn function(&mut self, id: wx_core::FunctionId) -> Result<(), wx_core::SerializeError> {
        self.compound().function(id)
    }
    fn begin_array(&mut self, len: usize) -> Result<(), wx_core::SerializeError> {
        self.compound().begin_array(len)
    }
    fn end_array(&mut self) -> Result<(), wx_core::SerializeError> {
        self.compound().end_array()
    }
    fn begin_object(&mut self, len: usize) -> Result<(), wx_core::SerializeError> {
        self.compound().begin_object(len)
    }
    fn key(&mut self, key: &str) -> Result<bool, wx_core::SerializeError> {
        self.compound().key(key)
    }
    fn field(&mut self, key: &'static str) -> Result<bool, wx_core::SerializeError> {
        self.compound().field(key)
    }
    fn end_object(&mut self) -> Result<(), wx_core::SerializeError> {
        self.compound().end_object()
    }
}

/// A JS number: the one way numbers go into the engine.
fn js_number<'js>(ctx: &Ctx<'js>, n: f64) -> JsValue<'js> {
    // SAFETY: a number holds no reference to own.
    unsafe { JsValue::from_raw(ctx.clone(), raw_number(n)) }
}

/// The engine's number for `n`: an int when it is one (as the engine's own
/// arithmetic makes them; -0 stays a double, told apart by its bits).
fn raw_number(n: f64) -> rquickjs::qjs::JSValue {
    rquickjs::qjs::JS_NewFloat64(n)
}

/// A JS string from Rust text: the one way strings go into the engine.
fn js_string<'js>(ctx: &Ctx<'js>, text: &str) -> rquickjs::Result<JsValue<'js>> {
    let raw = raw_string(ctx, text)?;
    // SAFETY: a new string, owned by the handle from here.
    Ok(unsafe { JsValue::from_raw(ctx.clone(), raw) })
}

/// The engine's new string for `text` (owned by the caller), or its exception.
fn raw_string(ctx: &Ctx<'_>, text: &str) -> rquickjs::Result<rquickjs::qjs::JSValue> {
    use rquickjs::qjs;
    // SAFETY: `text.len()` bytes of UTF-8 at its pointer, copied by the engine.
    let raw = unsafe {
        qjs::JS_NewStringLen(ctx.as_raw().as_ptr(), text.as_ptr().cast(), text.len() as _)
    };
    if unsafe { qjs::JS_IsException(raw) } {
        return Err(rquickjs::Error::Exception);
    }
    Ok(raw)
}

struct Converter<'a, 'js> {
    ctx: &'a Ctx<'js>,
    functions: &'a RefCell<FunctionTable>,
    /// Values and bytes still allowed.
    budget: std::cell::Cell<(usize, usize)>,
}

impl<'a, 'js> Converter<'a, 'js> {
    fn new(ctx: &'a Ctx<'js>, functions: &'a RefCell<FunctionTable>) -> Self {
        Converter {
            ctx,
            functions,
            budget: std::cell::Cell::new((MAX_VALUES, MAX_BYTES)),
        }
    }

    /// Takes `values` and `bytes` from the budget, before they are allocated.
    fn spend(&self, values: usize, bytes: usize) -> Result<(), String> {
        let (v, b) = self.budget.get();
        match (v.checked_sub(values), b.checked_sub(bytes)) {
            (Some(v), Some(b)) => {
                self.budget.set((v, b));
                Ok(())
            }
            (None, _) => Err(format!("the arguments hold more than {MAX_VALUES} values")),
            (_, None) => Err(format!("the arguments hold more than {MAX_BYTES} bytes")),
        }
    }

    /// The bytes a typed array or `DataView` views (a copy); `None` for other objects.
    fn view_bytes(&self, object: &Object<'js>) -> Result<Option<Vec<u8>>, String> {
        if let Some(bytes) = typed_array_bytes(object) {
            return Ok(Some(bytes));
        }
        // SAFETY: a class check on a live value.
        if !unsafe { rquickjs::qjs::JS_IsDataView(object.as_raw()) } {
            return Ok(None);
        }
        let err = |e: rquickjs::Error| reason_of(self.ctx, e);
        let buffer: Object = object.get("buffer").map_err(err)?;
        let offset: f64 = object.get("byteOffset").map_err(err)?;
        let length: f64 = object.get("byteLength").map_err(err)?;
        let Some(buffer) = array_buffer(&buffer) else {
            return Ok(Some(Vec::new()));
        };
        // SAFETY: copied before any JS runs.
        let all = unsafe { buffer.as_bytes() }.unwrap_or_default();
        let (start, len) = (offset as usize, length as usize);
        Ok(Some(
            all.get(start..start.saturating_add(len))
                .unwrap_or_default()
                .to_vec(),
        ))
    }

    fn convert(&self, value: &JsValue<'js>, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("the arguments nest too deep (or are circular)".into());
        }
        self.spend(1, 0)?;
        let err = |e: rquickjs::Error| reason_of(self.ctx, e);
        if let Some(primitive) = primitive(value) {
            return Ok(primitive);
        }
        Ok(match value.type_of() {
            Type::String => {
                let text = value
                    .as_string()
                    .map(text_of)
                    .transpose()?
                    .unwrap_or_default();
                self.spend(0, text.len())?;
                Value::String(text)
            }
            Type::BigInt => Value::Number(value.get::<f64>().map_err(err)?),
            Type::Function | Type::Constructor => {
                let function: Function = value.get().map_err(err)?;
                Value::Function(
                    self.functions
                        .borrow_mut()
                        .id_of(self.ctx, &function)
                        .map_err(err)?,
                )
            }
            Type::Array => {
                let array: Array = value.get().map_err(err)?;
                // `length` as a number: from 2^31 on it is not an int, and it may
                // be far larger than what is there (a sparse array): the budget
                // is checked before anything is allocated.
                let length: f64 = array.as_object().get("length").map_err(err)?;
                let length = length as usize;
                self.spend(length, 0)?;
                let mut items = Vec::with_capacity(length);
                for i in 0..length {
                    let item: JsValue = array.get(i).map_err(err)?;
                    items.push(self.convert(&item, depth + 1)?);
                }
                Value::Array(items)
            }
            Type::Object | Type::Exception | Type::Proxy | Type::Promise => {
                let object: Object = value.get().map_err(err)?;
                if let Some(buffer) = array_buffer(&object) {
                    // SAFETY: the bytes are copied before any JS can run and detach the buffer.
                    let bytes = unsafe { buffer.as_bytes() }.unwrap_or_default();
                    self.spend(0, bytes.len())?;
                    return Ok(Value::ArrayBuffer(bytes.to_vec()));
                }
                // A typed array (`Uint8Array`, `Float64Array`, ...) or a `DataView`
                // is the bytes it views.
                if let Some(view) = self.view_bytes(&object)? {
                    self.spend(0, view.len())?;
                    return Ok(Value::ArrayBuffer(view));
                }
                // A real `Date` (its class, not its prototype chain: no global
                // lookup per call, and a `Date.prototype`-derived plain object
                // is not one).
                // SAFETY: a class check on a live value.
                if unsafe { rquickjs::qjs::JS_IsDate(object.as_raw()) } {
                    let time: Function = object.get("getTime").map_err(err)?;
                    let ms: f64 = time
                        .call((rquickjs::function::This(object.clone()),))
                        .map_err(err)?;
                    return Ok(Value::Date(ms));
                }
                // Arguments cross to native code as JSON.stringify would send them
                // (WeChat's bridge serialises them): an object's own `toJSON` is honoured.
                if let Ok(to_json) = object.get::<_, Function>("toJSON") {
                    let plain: JsValue = to_json
                        .call((rquickjs::function::This(object.clone()), ""))
                        .map_err(err)?;
                    return self.convert(&plain, depth + 1);
                }
                let mut map = WxObject::new();
                for key in object.keys::<rquickjs::String>() {
                    let key = key.map_err(err)?;
                    let item: JsValue = object.get(key.clone()).map_err(err)?;
                    let key = text_of(&key)?;
                    self.spend(0, key.len())?;
                    map.insert(key, self.convert(&item, depth + 1)?);
                }
                Value::from(map)
            }
            // Symbols and anything exotic have no wx meaning: they arrive as undefined.
            _ => Value::Undefined,
        })
    }
}

/// Why reading an argument failed, for its parameter error: what a getter, a
/// `toJSON` or a proxy trap threw (`RangeError: out of range`), taken off the
/// engine so it does not linger, or rquickjs' own reason.
fn reason_of(ctx: &Ctx<'_>, err: rquickjs::Error) -> String {
    if !err.is_exception() {
        return err.to_string();
    }
    let thrown = ctx.catch();
    if let Some(exception) = thrown.as_exception() {
        let name: Option<String> = exception.get("name").ok();
        let message = exception.message().unwrap_or_default();
        return match name {
            Some(name) if !message.is_empty() => format!("{name}: {message}"),
            Some(name) => name,
            None => message,
        };
    }
    // A thrown string, number, ...: as the engine would print it.
    thrown
        .get::<rquickjs::convert::Coerced<String>>()
        .map(|text| text.0)
        .unwrap_or_else(|_| {
            ctx.catch();
            "a value that cannot be printed was thrown".to_owned()
        })
}

/// `undefined`, `null`, a boolean or a number as its `Value` (nothing to
/// allocate); `None` for anything else.
fn primitive(value: &JsValue<'_>) -> Option<Value> {
    primitive_raw(value.as_raw())
}

/// [`primitive`] of the engine's value itself: its tag read, no handle made
/// (`type_of` asks an object half a dozen class questions, and this runs for
/// every argument).
fn primitive_raw(raw: rquickjs::qjs::JSValue) -> Option<Value> {
    use rquickjs::qjs;
    // SAFETY: reading the tag and payload of a value the caller holds.
    unsafe {
        match qjs::JS_VALUE_GET_NORM_TAG(raw) {
            qjs::JS_TAG_INT => Some(Value::Number(qjs::JS_VALUE_GET_INT(raw).into())),
            qjs::JS_TAG_FLOAT64 => Some(Value::Number(qjs::JS_VALUE_GET_FLOAT64(raw))),
            qjs::JS_TAG_BOOL => Some(Value::Bool(qjs::JS_VALUE_GET_BOOL(raw))),
            qjs::JS_TAG_NULL => Some(Value::Null),
            // The engine's marker for an unset binding reads as `undefined` too.
            qjs::JS_TAG_UNDEFINED | qjs::JS_TAG_UNINITIALIZED => Some(Value::Undefined),
            _ => None,
        }
    }
}

/// A JS string as Rust text: whole (a NUL inside stays), and valid UTF-8 even
/// when the JS string holds lone surrogates (each becomes U+FFFD, as a
/// `TextEncoder` would write it).
fn text_of(s: &rquickjs::String<'_>) -> Result<String, String> {
    if let Ok(text) = s.to_string() {
        return Ok(text);
    }
    let ctx = s.ctx().as_raw().as_ptr();
    let mut len = 0;
    // SAFETY: the engine returns `len` UTF-16 units we free right after copying.
    unsafe {
        let units = rquickjs::qjs::JS_ToCStringLenUTF16(ctx, &mut len, s.as_raw());
        if units.is_null() {
            return Err("a string could not be read (out of memory)".into());
        }
        let text = String::from_utf16_lossy(std::slice::from_raw_parts(units, len as usize));
        rquickjs::qjs::JS_FreeCStringUTF16(ctx, units);
        Ok(text)
    }
}

/// `object` as an `ArrayBuffer`, if it is one. Asked first: the engine's own
/// accessor throws for anything else, and that exception would stay pending in
/// the context and surface at the next engine call that checks for one.
fn array_buffer<'js>(object: &Object<'js>) -> Option<ArrayBuffer<'js>> {
    // SAFETY: a type test on a live value; it neither throws nor allocates.
    if !unsafe { rquickjs::qjs::JS_IsArrayBuffer(object.as_raw()) } {
        return None;
    }
    ArrayBuffer::from_object(object.clone())
}

/// The bytes a typed array views (a copy), or `None` for any other object.
fn typed_array_bytes(object: &Object<'_>) -> Option<Vec<u8>> {
    // SAFETY: only read when the engine says the object is a typed array; the
    // `u8` view of any typed array reads its bytes (offset and length in bytes).
    if unsafe { rquickjs::qjs::JS_GetTypedArrayType(object.as_raw()) } < 0 {
        return None;
    }
    let view = unsafe { object.ref_typed_array::<u8>() };
    // SAFETY: copied before any JS runs.
    Some(
        unsafe { view.as_bytes() }
            .map(<[u8]>::to_vec)
            .unwrap_or_default(),
    )
}

/// The object a settled call's callbacks receive, made in JS in one step: the
/// keys wx-core names (`errMsg`, `errCode`, `errno`) defined through the
/// program's atoms, made once, then the data's entries, as a [`JsSink`]
/// defines an object's.
pub fn settlement_to_js<'js>(
    ctx: &Ctx<'js>,
    tables: &Tables,
    settlement: &wx_core::Settlement,
) -> rquickjs::Result<JsValue<'js>> {
    let mut sink = JsSink::new(ctx, tables);
    let written = (|| {
        use wx_core::Sink;
        sink.begin_object(settlement.data.len_hint() + 3)?;
        settlement.write_head(&mut sink)?;
        settlement.data.replay_entries(&mut sink)?;
        sink.end_object()
    })();
    sink.outcome(written)
}

/// How a data property is defined, as `JSON.parse` makes one (writable,
/// enumerable, configurable): defined, not assigned, so a setter user code put
/// on `Object.prototype`, or a `__proto__` key, changes nothing.
const PLAIN: u32 = rquickjs::qjs::JS_PROP_C_W_E;

/// Where a result, payload or callback object is made in the engine as it is
/// serialized ([`wx_core::Sink`]): the one way objects and arrays go into
/// JS. An object's entries are defined in order as their values complete,
/// their keys through the program's atoms, and [`Shapes`] keeps the shapes
/// of a sequence of keys seen twice; an array is made in one step from its
/// items, as `JSON.parse` makes one (a setter on `Array.prototype` sees
/// nothing).
pub struct JsSink<'a, 'js> {
    ctx: &'a Ctx<'js>,
    tables: &'a Tables,
    /// The arrays and objects begun and not yet ended.
    open: Frames<'js>,
    /// The value written at the top, once complete.
    done: Option<JsValue<'js>>,
    /// What the engine said when it could not make a part (its exception
    /// left pending): the writing stopped there. Boxed: rarely there.
    failed: Option<Box<rquickjs::Error>>,
}

enum Open<'js> {
    Array(Vec<JsValue<'js>>),
    Object {
        object: Object<'js>,
        /// The key the next value is defined under.
        key: Option<crate::atoms::KeyAtom<'js>>,
        /// The keys defined so far, for [`Shapes`].
        trail: KeyTrail,
    },
}

/// The open arrays and objects, innermost last: the outermost kept in
/// place, so a result that is one flat object (most are) allocates no stack.
#[derive(Default)]
struct Frames<'js> {
    outer: Option<Open<'js>>,
    inner: Vec<Open<'js>>,
}

impl<'js> Frames<'js> {
    fn is_empty(&self) -> bool {
        self.outer.is_none()
    }

    fn push(&mut self, frame: Open<'js>) {
        match self.outer {
            None => self.outer = Some(frame),
            Some(_) => self.inner.push(frame),
        }
    }

    fn pop(&mut self) -> Option<Open<'js>> {
        self.inner.pop().or_else(|| self.outer.take())
    }

    fn last_mut(&mut self) -> Option<&mut Open<'js>> {
        match self.inner.last_mut() {
            Some(frame) => Some(frame),
            None => self.outer.as_mut(),
        }
    }
}

impl<'a, 'js> JsSink<'a, 'js> {
    /// A sink for one value, made with the program's `tables`.
    pub fn new(ctx: &'a Ctx<'js>, tables: &'a Tables) -> Self {
        JsSink {
            ctx,
            tables,
            open: Frames::default(),
            done: None,
            failed: None,
        }
    }

    /// The value written (`undefined` if none was), or the engine's failure.
    pub fn finish(&mut self) -> rquickjs::Result<JsValue<'js>> {
        if let Some(err) = self.failed.take() {
            return Err(*err);
        }
        Ok(self
            .done
            .take()
            .unwrap_or_else(|| JsValue::new_undefined(self.ctx.clone())))
    }

    /// The value, once `written` says how the writing into this sink went:
    /// on a failure, the engine's error (a serializer's own error, not the
    /// engine's, is an unknown one here).
    fn outcome(
        mut self,
        written: Result<(), wx_core::SerializeError>,
    ) -> rquickjs::Result<JsValue<'js>> {
        match written {
            Ok(()) => self.finish(),
            Err(_) => Err(self
                .failed
                .take()
                .map_or(rquickjs::Error::Unknown, |err| *err)),
        }
    }

    /// Records the engine's failure and stops the writing.
    #[cold]
    fn engine(&mut self, err: rquickjs::Error) -> wx_core::SerializeError {
        let stop = wx_core::SerializeError::new(format!("the engine could not make it: {err}"));
        self.failed = Some(Box::new(err));
        stop
    }

    /// A part the engine made (or failed to), put where it belongs.
    fn made(
        &mut self,
        made: rquickjs::Result<JsValue<'js>>,
    ) -> Result<(), wx_core::SerializeError> {
        let value = made.map_err(|err| self.engine(err))?;
        self.put(value)
    }

    /// A complete value: into the array or object it is part of, or the result.
    fn put(&mut self, value: JsValue<'js>) -> Result<(), wx_core::SerializeError> {
        let defined = match self.open.last_mut() {
            Some(Open::Array(items)) => {
                items.push(value);
                Ok(())
            }
            Some(Open::Object { object, key, trail }) => match key.take() {
                Some(atom) => {
                    trail.push(atom.atom());
                    crate::atoms::define(self.ctx, object.as_raw(), atom.atom(), &value, PLAIN)
                }
                // A value with no key before it: nothing to define it as.
                None => Ok(()),
            },
            None => {
                self.done = Some(value);
                Ok(())
            }
        };
        defined.map_err(|err| self.engine(err))
    }

    /// The next entry's key, as the atom the program keeps or one for this use.
    fn set_key(
        &mut self,
        atom: rquickjs::Result<crate::atoms::KeyAtom<'js>>,
    ) -> Result<bool, wx_core::SerializeError> {
        let atom = atom.map_err(|err| self.engine(err))?;
        if let Some(Open::Object { key, .. }) = self.open.last_mut() {
            *key = Some(atom);
        }
        Ok(true)
    }
}

impl wx_core::Sink for JsSink<'_, '_> {
    fn undefined(&mut self) -> Result<(), wx_core::SerializeError> {
        self.put(JsValue::new_undefined(self.ctx.clone()))
    }
    fn null(&mut self) -> Result<(), wx_core::SerializeError> {
        self.put(JsValue::new_null(self.ctx.clone()))
    }
    fn bool(&mut self, b: bool) -> Result<(), wx_core::SerializeError> {
        self.put(JsValue::new_bool(self.ctx.clone(), b))
    }
    fn number(&mut self, n: f64) -> Result<(), wx_core::SerializeError> {
        self.put(js_number(self.ctx, n))
    }
    fn str(&mut self, text: &str) -> Result<(), wx_core::SerializeError> {
        let made = js_string(self.ctx, text);
        self.made(made)
    }
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), wx_core::SerializeError> {
        let made = ArrayBuffer::new_copy(self.ctx.clone(), bytes).map(ArrayBuffer::into_value);
        self.made(made)
    }
    fn date(&mut self, ms: f64) -> Result<(), wx_core::SerializeError> {
        let made = (|| {
            let date: Constructor = self.ctx.globals().get("Date")?;
            date.construct((ms,))
        })();
        self.made(made)
    }
    fn function(&mut self, id: wx_core::FunctionId) -> Result<(), wx_core::SerializeError> {
        let function = self.tables.functions.borrow().get(self.ctx, id);
        match function {
            Some(function) => self.put(function.into_value()),
            None => self.put(JsValue::new_undefined(self.ctx.clone())),
        }
    }
    fn begin_array(&mut self, len: usize) -> Result<(), wx_core::SerializeError> {
        // The hint is the serializer's: bounded before it is trusted.
        self.open
            .push(Open::Array(Vec::with_capacity(len.min(1024))));
        Ok(())
    }
    fn end_array(&mut self) -> Result<(), wx_core::SerializeError> {
        let Some(Open::Array(items)) = self.open.pop() else {
            return Err(wx_core::SerializeError::new(
                "an array ended that was not begun",
            ));
        };
        let made = new_array(self.ctx, items);
        self.made(made)
    }
    fn begin_object(&mut self, _: usize) -> Result<(), wx_core::SerializeError> {
        let object = Object::new(self.ctx.clone()).map_err(|err| self.engine(err))?;
        self.open.push(Open::Object {
            object,
            key: None,
            trail: KeyTrail::new(),
        });
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<bool, wx_core::SerializeError> {
        let atom = self.tables.atoms.borrow_mut().key(self.ctx, key);
        self.set_key(atom)
    }
    fn field(&mut self, key: &'static str) -> Result<bool, wx_core::SerializeError> {
        let atom = self.tables.atoms.borrow_mut().field(self.ctx, key);
        self.set_key(atom)
    }
    fn end_object(&mut self) -> Result<(), wx_core::SerializeError> {
        let Some(Open::Object { object, trail, .. }) = self.open.pop() else {
            return Err(wx_core::SerializeError::new(
                "an object ended that was not begun",
            ));
        };
        if self.tables.shapes.borrow_mut().wants(&trail) {
            keep_shapes(self.ctx, self.tables, &object, &trail).map_err(|err| self.engine(err))?;
        }
        self.put(object.into_value())
    }
}

/// Keeps the shapes of `object`'s keys (the sequence `trail` hashed), read
/// back from the object: its own keys in order are the sequence it was built
/// with (a repeated key was defined once). The engine lists integer-like keys
/// first, so for an object that has them the kept shapes are not the ones its
/// next twin steps through: nothing is gained then, and nothing is wrong.
/// Rare: once per sequence.
#[cold]
fn keep_shapes(
    ctx: &Ctx<'_>,
    tables: &Tables,
    object: &Object<'_>,
    trail: &KeyTrail,
) -> rquickjs::Result<()> {
    use rquickjs::qjs;
    let raw = ctx.as_raw().as_ptr();
    let mut names: *mut qjs::JSPropertyEnum = std::ptr::null_mut();
    let mut count: u32 = 0;
    let flags = (qjs::JS_GPN_STRING_MASK | qjs::JS_GPN_SYMBOL_MASK) as i32;
    // SAFETY: a live context and object; on success the engine hands over an
    // array of `count` atoms, each with a reference, freed below.
    let listed =
        unsafe { qjs::JS_GetOwnPropertyNames(raw, &mut names, &mut count, object.as_raw(), flags) };
    if listed < 0 {
        return Err(rquickjs::Error::Exception);
    }
    let atoms: Vec<qjs::JSAtom> = (0..count as usize)
        // SAFETY: `count` entries, as the engine said.
        .map(|i| unsafe { (*names.add(i)).atom })
        .collect();
    let kept = tables.shapes.borrow_mut().keep(ctx, trail, &atoms, PLAIN);
    // SAFETY: the array and its atoms, handed over above, freed once (the
    // stones hold their own references to the atoms).
    unsafe { qjs::JS_FreePropertyEnum(raw, names, count) };
    kept
}

/// A JS array of `items`, made in one step: defined, as `JSON.parse` makes
/// one (a setter on `Array.prototype` sees nothing).
fn new_array<'js>(ctx: &Ctx<'js>, items: Vec<JsValue<'js>>) -> rquickjs::Result<JsValue<'js>> {
    use rquickjs::qjs;
    let count = i32::try_from(items.len()).map_err(|_| rquickjs::Error::Allocation)?;
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: one new reference per item, which the engine takes (and frees
    // if it fails); the `items` keep and then drop their own.
    let array = unsafe {
        let values: Vec<qjs::JSValue> = items
            .iter()
            .map(|item| qjs::JS_DupValue(raw, item.as_raw()))
            .collect();
        JsValue::from_raw(
            ctx.clone(),
            qjs::JS_NewArrayFrom(raw, count, values.as_ptr()),
        )
    };
    match array.is_exception() {
        true => Err(rquickjs::Error::Exception),
        false => Ok(array),
    }
}

/// Makes an encoded value (an event's payload) into JS, replayed into a [`JsSink`].
pub fn encoded_to_js<'js>(
    ctx: &Ctx<'js>,
    tables: &Tables,
    encoded: &wx_core::Encoded,
) -> rquickjs::Result<JsValue<'js>> {
    let mut sink = JsSink::new(ctx, tables);
    let written = encoded.replay(&mut sink);
    sink.outcome(written)
}

/// Converts a result, payload or callback object into JS (through a
/// [`JsSink`]; a primitive straight, as the sink would make it).
pub fn to_js<'js>(
    ctx: &Ctx<'js>,
    tables: &Tables,
    value: &Value,
) -> rquickjs::Result<JsValue<'js>> {
    match value {
        Value::Undefined => return Ok(JsValue::new_undefined(ctx.clone())),
        Value::Null => return Ok(JsValue::new_null(ctx.clone())),
        Value::Bool(b) => return Ok(JsValue::new_bool(ctx.clone(), *b)),
        Value::Number(n) => return Ok(js_number(ctx, *n)),
        Value::String(text) => return js_string(ctx, text),
        _ => {}
    }
    let mut sink = JsSink::new(ctx, tables);
    let written = wx_core::serialize_into(value, &mut sink);
    sink.outcome(written)
}
