//! Native objects' JS face (`wx.request`'s RequestTask, an InnerAudioContext):
//! each is an instance of one engine class whose opaque value is the object's
//! handle, made from a prototype per native class (and program) that holds its
//! methods; its properties are its own accessors.
//!
//! A method is an accessor on the prototype, so making an object costs one
//! engine object and its properties, not a function per method (a
//! RequestTask has five, and `wx.request` makes one per call). Reading a
//! method makes its function, bound to the object, and keeps it as the
//! object's own property (writable, not enumerable, as a class's methods
//! are): `task.abort === task.abort`, a method taken off the object
//! (`const { abort } = task`) still works, and assigning one shadows it as
//! on any object. A method read from anything but one of the class's objects
//! (`Object.create(task).abort`) throws a `TypeError`: the handle is never
//! taken from what a script could forge.

use super::bindings::{convert_args, fail_to_js, settle_retention};
use super::Shared;
use crate::convert::{to_js, JsValue};
use crate::native::{guarded, NativeCall, ReturnValue};
use rquickjs::{qjs, Ctx, Object, Persistent};
use std::ffi::c_void;
use std::rc::Rc;
use wx_core::{ClassDef, ObjectHandle, PropertyDef};

/// Registers the engine class native objects are made of in `ctx`'s runtime;
/// its id goes in `shared`. Once per program, before any object is made.
pub(super) fn register_class(ctx: &Ctx<'_>, shared: &Shared) -> rquickjs::Result<()> {
    let definition = qjs::JSClassDef {
        class_name: c"NativeObject".as_ptr(),
        finalizer: Some(finalize),
        gc_mark: None,
        call: None,
        exotic: std::ptr::null_mut(),
    };
    let mut id: qjs::JSClassID = 0;
    // SAFETY: a live context's runtime; the engine copies the definition
    // (its name into an atom).
    let registered = unsafe {
        let runtime = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
        qjs::JS_NewClassID(runtime, &mut id);
        qjs::JS_NewClass(runtime, id, &definition)
    };
    if registered != 0 {
        return Err(rquickjs::Error::Allocation);
    }
    shared.native_class.set(id);
    Ok(())
}

/// The engine's finalizer of a native object: its boxed handle goes with it.
unsafe extern "C" fn finalize(_runtime: *mut qjs::JSRuntime, value: qjs::JSValue) {
    // SAFETY: `value` is an object of the class `register_class` made, whose
    // opaque (if set) is the box `native_object` handed over, freed only here.
    unsafe {
        let opaque = qjs::JS_GetOpaque(value, qjs::JS_GetClassID(value));
        if !opaque.is_null() {
            drop(Box::from_raw(opaque.cast::<ObjectHandle>()));
        }
    }
}

/// The handle of `this` if it is one of `class`'s objects.
fn handle_of(shared: &Shared, this: qjs::JSValue, class: &ClassDef) -> Option<ObjectHandle> {
    // SAFETY: `JS_GetOpaque` checks the value is an object of our class (null
    // otherwise), whose opaque is the live box `native_object` set.
    let handle = unsafe {
        let opaque = qjs::JS_GetOpaque(this, shared.native_class.get());
        opaque.cast::<ObjectHandle>().as_ref().copied()
    }?;
    std::ptr::eq(handle.class, class).then_some(handle)
}

/// The JS object of the native object `handle`.
pub(super) fn native_object<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    handle: ObjectHandle,
) -> rquickjs::Result<Object<'js>> {
    let face = face_of(ctx, shared, handle.class)?;
    let prototype = face.prototype.clone().restore(ctx)?;
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: a live context and prototype; the new object is owned by the
    // `Object` made of it, and its opaque box by the object (see `finalize`).
    let object = unsafe {
        let value = qjs::JS_NewObjectProtoClass(raw, prototype.as_raw(), shared.native_class.get());
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        let opaque = Box::into_raw(Box::new(handle)).cast::<c_void>();
        qjs::JS_SetOpaque(value, opaque);
        JsValue::from_raw(ctx.clone(), value)
    }
    .into_object()
    .expect("JS_NewObjectProtoClass makes an object");
    for (property, label) in face.properties.iter() {
        define_property(shared, handle, &object, property, label)?;
    }
    Ok(object)
}

/// What the JS face of a native class is made of, worked out once per
/// program (the first time an object of the class is made): the prototype
/// with its methods, each property's label. Objects are made per call
/// (`wx.request`), so nothing here is formatted or allocated per object.
pub(super) struct ClassFace {
    prototype: Persistent<Object<'static>>,
    properties: Box<[(&'static PropertyDef, Rc<str>)]>,
}

/// A method as its JS function knows it.
struct Member {
    name: Box<str>,
    label: Box<str>,
}

/// The face of `class` for this program, made on first use.
fn face_of(
    ctx: &Ctx<'_>,
    shared: &Rc<Shared>,
    class: &'static ClassDef,
) -> rquickjs::Result<Rc<ClassFace>> {
    let key = std::ptr::from_ref(class) as usize;
    if let Some(face) = shared.class_faces.borrow().get(&key) {
        return Ok(face.clone());
    }
    let face = Rc::new(ClassFace {
        prototype: Persistent::save(ctx, prototype(ctx, shared, class)?),
        properties: class
            .properties
            .iter()
            .map(|property| {
                (
                    property,
                    Rc::from(format!("{}.{}", class.name, property.name)),
                )
            })
            .collect(),
    });
    shared.class_faces.borrow_mut().insert(key, face.clone());
    Ok(face)
}

/// The prototype of `class`'s objects: `abort`, its declared methods, and an
/// `onXxx`/`offXxx` pair per event, each an accessor that makes the method
/// bound to the object it is read from.
fn prototype<'js>(
    ctx: &Ctx<'js>,
    shared: &Rc<Shared>,
    class: &'static ClassDef,
) -> rquickjs::Result<Object<'js>> {
    let offs = class
        .events
        .iter()
        .filter(|e| e.off_since.is_some())
        .filter_map(|e| wx_core::on_to_off(e.name));
    let names = class
        .abort
        .then(|| "abort".to_owned())
        .into_iter()
        .chain(class.methods.iter().map(|m| m.name.to_owned()))
        .chain(class.events.iter().map(|e| e.name.to_owned()))
        .chain(offs);
    let prototype = Object::new(ctx.clone())?;
    let raw = ctx.as_raw().as_ptr();
    for name in names {
        let member = Rc::new(Member {
            label: format!("{}.{name}", class.name).into(),
            name: name.into(),
        });
        let getter = ReadMethod {
            shared: shared.clone(),
            class,
            member: member.clone(),
        };
        let getter = crate::native::new_function(ctx, &format!("get {}", member.name), getter)?;
        let setter = ShadowMethod {
            shared: shared.clone(),
            member: member.clone(),
        };
        let setter =
            crate::native::new_function(ctx, &format!("set {}", setter.member.name), setter)?;
        let atom = shared.tables.atoms.borrow_mut().key(ctx, &member.name)?;
        let flags = qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_THROW;
        // SAFETY: a live context, object and atom; the engine takes the two
        // references duplicated for it.
        let defined = unsafe {
            qjs::JS_DefinePropertyGetSet(
                raw,
                prototype.as_raw(),
                atom.atom(),
                qjs::JS_DupValue(raw, getter.as_raw()),
                qjs::JS_DupValue(raw, setter.as_raw()),
                flags as _,
            )
        };
        if defined < 0 {
            return Err(rquickjs::Error::Exception);
        }
    }
    Ok(prototype)
}

impl Member {
    /// The atom of its name, for defining it as an object's own property.
    fn key<'js>(
        &self,
        ctx: &Ctx<'js>,
        shared: &Shared,
    ) -> rquickjs::Result<crate::atoms::KeyAtom<'js>> {
        shared.tables.atoms.borrow_mut().key(ctx, &self.name)
    }
}

/// The getter of a method on the prototype: the method bound to `this`, kept
/// as `this`'s own property so the next read finds it there.
struct ReadMethod {
    shared: Rc<Shared>,
    class: &'static ClassDef,
    member: Rc<Member>,
}

impl NativeCall for ReadMethod {
    fn label(&self) -> &str {
        &self.member.label
    }

    fn call(
        &self,
        ctx: &Ctx<'_>,
        this: qjs::JSValue,
        _args: &[qjs::JSValue],
    ) -> rquickjs::Result<ReturnValue> {
        let Some(handle) = handle_of(&self.shared, this, self.class) else {
            let message = format!(
                "{} called on an object that is not a {}",
                self.member.label, self.class.name
            );
            return Err(rquickjs::Exception::throw_type(ctx, &message));
        };
        let method = Method {
            shared: self.shared.clone(),
            handle,
            member: self.member.clone(),
        };
        let function = crate::native::new_function(ctx, &self.member.name, method)?;
        let atom = self.member.key(ctx, &self.shared)?;
        // Kept for the next read, unless the object is frozen or sealed (its
        // methods still work then, as a class's do: made anew on each read).
        let flags = qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_WRITABLE;
        crate::atoms::try_define(ctx, this, atom.atom(), &function, flags)?;
        Ok(ReturnValue::from(function.into_value()))
    }
}

/// The setter of a method on the prototype: an assignment makes the value
/// `this`'s own property, as assigning over an inherited method does.
struct ShadowMethod {
    shared: Rc<Shared>,
    member: Rc<Member>,
}

impl NativeCall for ShadowMethod {
    fn label(&self) -> &str {
        &self.member.label
    }

    fn call(
        &self,
        ctx: &Ctx<'_>,
        this: qjs::JSValue,
        args: &[qjs::JSValue],
    ) -> rquickjs::Result<ReturnValue> {
        let value = match args.first() {
            Some(&raw) => crate::native::arg(ctx, raw),
            None => JsValue::new_undefined(ctx.clone()),
        };
        let atom = self.member.key(ctx, &self.shared)?;
        crate::atoms::define(ctx, this, atom.atom(), &value, qjs::JS_PROP_C_W_E)?;
        // SAFETY: `undefined` owns nothing.
        Ok(unsafe { ReturnValue::from_owned(ctx, qjs::JS_UNDEFINED) })
    }
}

/// One method of one native object (`task.abort`): its arguments converted,
/// the call handed to wx-core under the object's handle.
struct Method {
    shared: Rc<Shared>,
    handle: ObjectHandle,
    member: Rc<Member>,
}

impl NativeCall for Method {
    fn label(&self) -> &str {
        &self.member.label
    }

    fn call(
        &self,
        ctx: &Ctx<'_>,
        _this: qjs::JSValue,
        args: &[qjs::JSValue],
    ) -> rquickjs::Result<ReturnValue> {
        let s = &self.shared;
        let args: Vec<JsValue<'_>> = args
            .iter()
            .map(|&raw| crate::native::arg(ctx, raw))
            .collect();
        let values = match convert_args(ctx, s, &args) {
            Ok(values) => values,
            Err(reason) => {
                s.tables.functions.borrow_mut().leave();
                let message = format!("{}:fail parameter error: {reason}", self.member.label);
                return Err(rquickjs::Exception::throw_message(ctx, &message));
            }
        };
        let result = s.host.call_method(self.handle, &self.member.name, values);
        settle_retention(s);
        match result {
            Ok(value) => to_js(ctx, &s.tables, &value),
            Err(failure) => fail_to_js(ctx, s, &failure),
        }
        .map(ReturnValue::from)
    }
}

/// A property of a native object as a JS accessor: the getter reads what wx-core
/// holds; the setter (none for a read-only one, as a JS getter-only property)
/// converts the value and hands it over, throwing what the declaration refuses.
fn define_property<'js>(
    shared: &Rc<Shared>,
    handle: ObjectHandle,
    object: &Object<'js>,
    property: &'static wx_core::PropertyDef,
    label: &Rc<str>,
) -> rquickjs::Result<()> {
    use rquickjs::object::Accessor;
    let s = shared.clone();
    let getter = move |ctx: Ctx<'js>| -> rquickjs::Result<JsValue<'js>> {
        to_js(&ctx, &s.tables, &s.host.get_property(handle, property.name))
    };
    if property.readonly {
        return object.prop(
            property.name,
            Accessor::new_get(getter).enumerable().configurable(),
        );
    }
    let s = shared.clone();
    let label = label.clone();
    let setter = move |ctx: Ctx<'js>, value: JsValue<'js>| -> rquickjs::Result<JsValue<'js>> {
        guarded(&ctx, &label, || {
            let value = match convert_args(&ctx, &s, std::slice::from_ref(&value)) {
                Ok(mut values) => values.pop().unwrap_or_default(),
                Err(reason) => {
                    s.tables.functions.borrow_mut().leave();
                    let message = format!("{label}: {reason}");
                    return Err(rquickjs::Exception::throw_message(&ctx, &message));
                }
            };
            let result = s.host.set_property(handle, property.name, value);
            settle_retention(&s);
            match result {
                Ok(()) => Ok(JsValue::new_undefined(ctx.clone())),
                Err(failure) => fail_to_js(&ctx, &s, &failure),
            }
        })
    };
    object.prop(
        property.name,
        Accessor::new(getter, setter).enumerable().configurable(),
    )
}
