//! What JS sees of every registered API and of every member of the classes they
//! return, in one engine-neutral shape: kind, Promise support, version, inputs,
//! output. Built from the declarations and their schemas; read by conformance
//! checks against WeChat's official typings, and by anything that writes docs or
//! typings for a registry.

use crate::registry::{Api, ApiKind, Registry};
use crate::schema::{self, FieldType, JsType, Schema, SchemaFn};
use crate::ClassDef;

/// How JS calls one name, in the vocabulary of WeChat's typings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    /// `wx.xxxSync(a, b)`, or any API that returns at once (`wx.createWorker`).
    Sync,
    /// `wx.xxx({ success, fail, complete })`, maybe a Promise.
    Async,
    /// An async call that returns an object (`wx.request` → `RequestTask`).
    Task,
    /// `wx.onXxx(listener)` or its `offXxx` twin, or a class's `onXxx`/`offXxx`.
    Event,
    /// A class method (`RequestTask.abort`, `SocketTask.send`).
    Method,
    /// A class property (`BackgroundAudioManager.src`).
    Property,
}

impl SignatureKind {
    /// `sync`, `async`, `task`, `event` or `method`, as the typings spell them.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureKind::Sync => "sync",
            SignatureKind::Async => "async",
            SignatureKind::Task => "task",
            SignatureKind::Event => "event",
            SignatureKind::Method => "method",
            SignatureKind::Property => "property",
        }
    }
}

/// One input: an options field, or a sync API's positional parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The field's (or parameter's) JS name.
    pub field: FieldType,
    /// A positional parameter rather than a field of an options object.
    pub positional: bool,
}

/// What a call gives back: the success data (async), the return value (sync), or
/// a listener's argument (events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The value's type.
    pub ty: JsType,
    /// Its fields, when it is an object with declared properties.
    pub fields: Vec<FieldType>,
}

/// One name JS can call: `getStorage`, `offCompassChange`, `RequestTask.abort`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The JS name; class members are `Class.member`.
    pub name: String,
    /// How it is called.
    pub kind: SignatureKind,
    /// Whether a call without truthy callbacks returns a Promise.
    pub promise: bool,
    /// The base library version it appeared in, or `""`.
    pub since: &'static str,
    /// Its one-line summary.
    pub summary: &'static str,
    /// Options fields or positional parameters.
    pub inputs: Vec<Input>,
    /// Success data, return value or listener argument, when it has one.
    pub output: Option<Output>,
    /// The class of the object it returns.
    pub returns_class: Option<&'static str>,
    /// A property JS may read but not assign.
    pub readonly: bool,
    /// Where it is declared (`rust::path (file:line)`).
    pub place: String,
}

/// Every API in `registry` (name order), then every member of every class its
/// APIs return (class order, then member order).
pub fn signatures(registry: &Registry) -> Vec<Signature> {
    let mut all: Vec<Signature> = registry.iter().map(api_signature).collect();
    let mut classes: Vec<&'static ClassDef> = registry.iter().filter_map(|a| a.def.class).collect();
    classes.sort_by_key(|c| c.name);
    classes.dedup_by_key(|c| c.name);
    for class in classes {
        let origin = registry
            .iter()
            .find(|a| a.def.class.is_some_and(|c| std::ptr::eq(c, class)))
            .map(|a| place(&a))
            .unwrap_or_default();
        all.extend(class_signatures(class, &origin));
    }
    all
}

fn place(api: &Api) -> String {
    format!("{} ({}:{})", api.def.rust_path, api.def.file, api.def.line)
}

fn output_of(schema: Option<SchemaFn>) -> Option<Output> {
    schema.map(|f| {
        let schema: Schema = f();
        Output {
            ty: schema::js_type(&schema),
            fields: schema::fields(&schema),
        }
    })
}

/// The fields of an options object, as inputs.
fn option_inputs(options: Option<SchemaFn>) -> Vec<Input> {
    let fields = options.map(|f| schema::fields(&f())).unwrap_or_default();
    fields
        .into_iter()
        .map(|field| Input {
            field,
            positional: false,
        })
        .collect()
}

fn api_signature(api: Api) -> Signature {
    let def = api.def;
    let kind = match (api.kind, def.class) {
        (ApiKind::Async, Some(_)) => SignatureKind::Task,
        (ApiKind::Async, None) => SignatureKind::Async,
        (ApiKind::Sync, _) => SignatureKind::Sync,
        (ApiKind::On | ApiKind::Off, _) => SignatureKind::Event,
    };
    let inputs = match api.kind {
        ApiKind::Async => option_inputs(def.options),
        ApiKind::Sync => def
            .params
            .iter()
            .flat_map(|p| {
                // A trailing `options` object (`createWorker(scriptPath, options)`)
                // is described by its fields, as WeChat's typings describe it.
                if p.name == "options" {
                    return option_inputs(Some(p.schema));
                }
                let ty = schema::js_type(&(p.schema)());
                vec![Input {
                    field: FieldType {
                        name: p.name.to_owned(),
                        // `Option<T>` admits null: the argument may be left out.
                        required: !ty.kinds.contains("null"),
                        ty,
                    },
                    positional: true,
                }]
            })
            .collect(),
        ApiKind::On | ApiKind::Off => Vec::new(),
    };
    // An `off` twin's listener is the `on` listener it removes: no payload of its own.
    let output = match api.kind {
        ApiKind::Off => None,
        _ => output_of(def.result),
    };
    Signature {
        name: api.name.to_owned(),
        kind,
        promise: api.kind == ApiKind::Async && def.promise,
        since: api.since(),
        summary: api.summary(),
        inputs,
        output,
        returns_class: def.class.map(|c| c.name),
        readonly: false,
        place: place(&api),
    }
}

fn class_signatures(class: &'static ClassDef, origin: &str) -> Vec<Signature> {
    let member = |name: String, kind, since, output| Signature {
        name: format!("{}.{name}", class.name),
        kind,
        promise: false,
        since,
        summary: "",
        inputs: Vec::new(),
        output,
        returns_class: None,
        readonly: false,
        place: origin.to_owned(),
    };
    let mut all = Vec::new();
    if class.abort {
        all.push(member(
            "abort".into(),
            SignatureKind::Method,
            class.abort_since,
            None,
        ));
    }
    for method in class.methods {
        let mut signature = member(method.name.into(), SignatureKind::Method, "", None);
        signature.inputs = option_inputs(method.options);
        all.push(signature);
    }
    for property in class.properties {
        let mut signature = member(
            property.name.into(),
            SignatureKind::Property,
            property.since,
            output_of(Some(property.schema)),
        );
        signature.readonly = property.readonly;
        all.push(signature);
    }
    for event in class.events {
        let payload = output_of(Some(event.payload));
        all.push(member(
            event.name.into(),
            SignatureKind::Event,
            event.since,
            payload,
        ));
        if let Some(off_since) = event.off_since {
            let off = crate::on_to_off(event.name).unwrap_or_default();
            all.push(member(off, SignatureKind::Event, off_since, None));
        }
    }
    all
}
