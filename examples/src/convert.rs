//! QuickJS values to `wx_core::Value` and back, on the JS thread.

use crate::functions::FunctionTable;
use rquickjs::{function::Constructor, Array, ArrayBuffer, Ctx, Function, Object, Type};
use std::cell::RefCell;
use wx_core::{Object as WxObject, Value};

/// How deep an argument may nest before it is refused (cycles end here too).
const MAX_DEPTH: usize = 128;

pub type JsValue<'js> = rquickjs::Value<'js>;

/// Converts an argument. Functions get ids in `functions`; a value too deep (or
/// circular) is refused with a message for a `TypeError`.
pub fn from_js<'js>(
    ctx: &Ctx<'js>,
    functions: &RefCell<FunctionTable>,
    value: &JsValue<'js>,
) -> Result<Value, String> {
    let date = std::cell::OnceCell::new();
    Converter {
        ctx,
        functions,
        date,
    }
    .convert(value, 0)
}

struct Converter<'a, 'js> {
    ctx: &'a Ctx<'js>,
    functions: &'a RefCell<FunctionTable>,
    /// `Date`, looked up the first time an object needs checking (most calls pass none).
    date: std::cell::OnceCell<Option<Constructor<'js>>>,
}

impl<'js> Converter<'_, 'js> {
    fn convert(&self, value: &JsValue<'js>, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("argument nests too deep (or is circular)".into());
        }
        let err = |e: rquickjs::Error| e.to_string();
        Ok(match value.type_of() {
            Type::Uninitialized | Type::Undefined => Value::Undefined,
            Type::Null => Value::Null,
            Type::Bool => Value::Bool(value.as_bool().unwrap_or_default()),
            Type::Int => Value::Number(value.as_int().unwrap_or_default().into()),
            Type::Float => Value::Number(value.as_float().unwrap_or_default()),
            Type::String => Value::String(
                value
                    .as_string()
                    .map(|s| s.to_string())
                    .transpose()
                    .map_err(err)?
                    .unwrap_or_default(),
            ),
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
                let mut items = Vec::with_capacity(array.len());
                for item in array.iter::<JsValue>() {
                    items.push(self.convert(&item.map_err(err)?, depth + 1)?);
                }
                Value::Array(items)
            }
            Type::Object | Type::Exception | Type::Proxy | Type::Promise => {
                let object: Object = value.get().map_err(err)?;
                if let Some(buffer) = ArrayBuffer::from_object(object.clone()) {
                    // SAFETY: the bytes are copied before any JS can run and detach the buffer.
                    let bytes = unsafe { buffer.as_bytes() }
                        .map(<[u8]>::to_vec)
                        .unwrap_or_default();
                    return Ok(Value::ArrayBuffer(bytes));
                }
                let date = self
                    .date
                    .get_or_init(|| self.ctx.globals().get("Date").ok());
                if date
                    .as_ref()
                    .is_some_and(|date| object.is_instance_of(date))
                {
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
                for key in object.keys::<String>() {
                    let key = key.map_err(err)?;
                    let item: JsValue = object.get(key.as_str()).map_err(err)?;
                    map.insert(key, self.convert(&item, depth + 1)?);
                }
                Value::from(map)
            }
            // Symbols and anything exotic have no wx meaning: they arrive as undefined.
            _ => Value::Undefined,
        })
    }
}

/// Converts a result, payload or callback object into JS.
pub fn to_js<'js>(
    ctx: &Ctx<'js>,
    functions: &RefCell<FunctionTable>,
    value: &Value,
) -> rquickjs::Result<JsValue<'js>> {
    Ok(match value {
        Value::Undefined => JsValue::new_undefined(ctx.clone()),
        Value::Null => JsValue::new_null(ctx.clone()),
        Value::Bool(b) => JsValue::new_bool(ctx.clone(), *b),
        // `new_number` stores integral doubles as ints, which would turn -0 into 0.
        Value::Number(n) if *n == 0.0 && n.is_sign_negative() => {
            JsValue::new_float(ctx.clone(), *n)
        }
        Value::Number(n) => JsValue::new_number(ctx.clone(), *n),
        Value::String(s) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        Value::Array(items) => {
            let array = Array::new(ctx.clone())?;
            for (i, item) in items.iter().enumerate() {
                array.set(i, to_js(ctx, functions, item)?)?;
            }
            array.into_value()
        }
        Value::Object(map) => {
            let object = Object::new(ctx.clone())?;
            for (key, item) in map.iter() {
                object.set(key.as_str(), to_js(ctx, functions, item)?)?;
            }
            object.into_value()
        }
        Value::ArrayBuffer(bytes) => ArrayBuffer::new_copy(ctx.clone(), bytes)?.into_value(),
        Value::Date(ms) => {
            let date: Constructor = ctx.globals().get("Date")?;
            date.construct((*ms,))?
        }
        Value::Function(id) => match functions.borrow().get(ctx, *id) {
            Some(function) => function.into_value(),
            None => JsValue::new_undefined(ctx.clone()),
        },
    })
}
