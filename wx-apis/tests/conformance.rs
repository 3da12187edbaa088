//! The whole registry against WeChat's official signatures.
//!
//! Every registered API, and every member of every class an API returns, that the
//! official typings list (`tests/reference/wx-api-signatures.json`, from the npm
//! package `miniprogram-api-typings` 5.2.3) is compared on: kind, Promise support,
//! `since`, option names, required-ness, types and enum values, success/return
//! fields and their types, listener payload fields, and class member names. Every
//! disagreement is reported in one run; the deliberate ones are in [`EXCEPTIONS`],
//! each with its reason. An API added later is checked without touching this file.

use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use wx_core::schema::{FieldType, JsType};
use wx_core::signature::{signatures, Signature, SignatureKind};
use wx_core::Registry;

/// Deliberate differences: (name, aspect, why). An aspect is what the report
/// line names after the API (`option enableCache`, `since`, ...). An exception
/// that no longer matches a disagreement fails the test too, so the list stays true.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "setStorage",
        "option data",
        "declared required, but WeChat's base library stores \"\" when `data` is left out; \
         ours behaves the same, so the schema (and its parameter errors) says optional",
    ),
    (
        "showToast",
        "option title",
        "declared required, but the base library checks only that it is a String when \
         given, and shows \"\" without one (base-library-facts §4.1); ours does the same",
    ),
    (
        "Worker.env",
        "registered",
        "a property: native objects get properties in issue 14's second half",
    ),
    (
        "Worker.getCameraFrameData",
        "registered",
        "camera frames come from VisionKit, which no host here has",
    ),
    (
        "Worker.onError",
        "payload error",
        "the base library hands the handler an error-like object itself (base-library-facts §7.2)",
    ),
    (
        "Worker.onError",
        "payload message",
        "the error-like object's own fields (§7.2), not the typings' wrapper",
    ),
    (
        "Worker.onError",
        "payload stack",
        "the error-like object's own fields (§7.2), not the typings' wrapper",
    ),
    (
        "Worker.onMessage",
        "payload message",
        "the handler receives the worker's value directly, not wrapped (§7.2; WeChat's own docs' example)",
    ),
    (
        "Worker.postMessage",
        "option message",
        "a positional argument: class methods' positional arguments are not described yet",
    ),
    (
        "Worker.testOnProcessKilled",
        "since",
        "class methods carry no version of their own yet",
    ),
    (
        "BackgroundAudioManager.onError",
        "payload errCode",
        "the base library hands onError the native state's errMsg and errCode (base-library-facts §8.3); \
         the typings list only errMsg",
    ),
    (
        "BackgroundAudioManager.seek",
        "option currentTime",
        "a positional argument: class methods' positional arguments are not described yet",
    ),
    (
        "showLoading",
        "option title",
        "declared required, but the base library shows \"\" without one (§4.3); ours does the same",
    ),
];

fn official() -> Vec<Json> {
    let text = include_str!("reference/wx-api-signatures.json");
    serde_json::from_str::<Json>(text)
        .expect("valid JSON")
        .as_array()
        .expect("a list")
        .clone()
}

/// A TypeScript type as kinds of JS value (`None`: any value).
fn ts_type(ts: &str) -> Option<JsType> {
    let mut ty = JsType::default();
    for part in ts.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let kind = match part {
            "T" | "any" | "unknown" => return None,
            "string" => "string",
            "number" => "number",
            "boolean" => "boolean",
            "ArrayBuffer" => "ArrayBuffer",
            "null" => "null",
            "void" | "undefined" => "undefined",
            p if p.starts_with('\'') => {
                ty.values.push(p.trim_matches('\'').to_owned());
                "string"
            }
            p if p.ends_with("[]") => {
                ty.items = ts_type(&p[..p.len() - 2]).map(Box::new);
                "array"
            }
            // IAnyObject, Record<..>, and named interfaces (SafeArea, RequestProfile, ...).
            _ => "object",
        };
        ty.kinds.insert(kind);
    }
    Some(ty)
}

/// Ours as the typings would write it: `Option`'s null dropped unless asked for,
/// `()` as `undefined`.
fn ours_kinds(ty: &JsType, official: &JsType) -> BTreeSet<&'static str> {
    let mut kinds = ty.kinds.clone();
    if kinds.len() > 1 && !official.kinds.contains("null") {
        kinds.remove("null");
    }
    if kinds.len() == 1 && kinds.contains("null") && official.kinds.contains("undefined") {
        return official.kinds.clone();
    }
    kinds
}

fn show(kinds: &BTreeSet<&str>) -> String {
    if kinds.is_empty() {
        return "any".into();
    }
    kinds.iter().copied().collect::<Vec<_>>().join(" | ")
}

struct Report {
    lines: Vec<(String, String, String)>,
}

impl Report {
    fn add(&mut self, name: &str, aspect: impl Into<String>, detail: impl Into<String>) {
        self.lines
            .push((name.to_owned(), aspect.into(), detail.into()));
    }

    fn types(&mut self, name: &str, aspect: &str, official_ts: &str, ours: &JsType) {
        let Some(official) = ts_type(official_ts) else {
            return; // `T`/`any` officially: anything we give fits
        };
        let kinds = ours_kinds(ours, &official);
        if kinds != official.kinds {
            self.add(
                name,
                aspect,
                format!("type: official `{official_ts}`, ours `{}`", show(&kinds)),
            );
            return;
        }
        let (a, b): (BTreeSet<_>, BTreeSet<_>) = (
            official.values.iter().collect(),
            ours.values.iter().collect(),
        );
        if !official.values.is_empty() && a != b {
            self.add(
                name,
                aspect,
                format!("enum values: official {a:?}, ours {b:?}"),
            );
        }
        if let (Some(want), Some(have)) = (&official.items, &ours.items) {
            let have_kinds = ours_kinds(have, want);
            if !have.is_any() && have_kinds != want.kinds {
                self.add(
                    name,
                    aspect,
                    format!(
                        "item type: official `{official_ts}`, ours `{}[]`",
                        show(&have_kinds)
                    ),
                );
            }
        }
    }

    /// Official fields (success, payload, return fields) against ours, by name and type.
    fn fields(&mut self, name: &str, what: &str, official: &[Json], ours: &[FieldType]) {
        // wx-core adds `errMsg` to every success result; a payload's is the API's own.
        let skip_err_msg = what == "success";
        let ours: BTreeMap<&str, &FieldType> = ours.iter().map(|f| (f.name.as_str(), f)).collect();
        let mut seen = BTreeSet::new();
        for field in official {
            let field_name = field["name"].as_str().unwrap();
            if field_name == "errMsg" && skip_err_msg {
                continue;
            }
            seen.insert(field_name);
            match ours.get(field_name) {
                None => self.add(name, format!("{what} {field_name}"), "missing"),
                Some(f) => self.types(
                    name,
                    &format!("{what} {field_name}"),
                    field["type"].as_str().unwrap(),
                    &f.ty,
                ),
            }
        }
        for extra in ours.keys().filter(|k| !seen.contains(*k)) {
            self.add(
                name,
                format!("{what} {extra}"),
                "not in the official signature",
            );
        }
    }
}

fn kind_of(official: &Json) -> &str {
    official["kind"].as_str().unwrap()
}

fn compare(report: &mut Report, official: &Json, ours: &Signature) {
    let name = ours.name.as_str();
    let kind = kind_of(official);
    if kind != ours.kind.as_str() {
        report.add(
            name,
            "kind",
            format!("official {kind}, ours {}", ours.kind.as_str()),
        );
    }
    let promise = official["promise"].as_bool().unwrap_or(false);
    if promise != ours.promise {
        report.add(
            name,
            "promise",
            format!("official {promise}, ours {}", ours.promise),
        );
    }
    let since = official["minBaseLib"].as_str().unwrap_or("");
    if since != ours.since {
        report.add(
            name,
            "since",
            format!("official {since:?}, ours {:?}", ours.since),
        );
    }

    // Inputs: options fields, or a sync API's positional parameters.
    let mut seen = BTreeSet::new();
    for option in official["options"].as_array().into_iter().flatten() {
        let option_name = option["name"].as_str().unwrap();
        seen.insert(option_name);
        let aspect = format!("option {option_name}");
        let Some(input) = ours.inputs.iter().find(|i| i.field.name == option_name) else {
            report.add(name, aspect, "missing");
            continue;
        };
        let required = option["required"].as_bool().unwrap_or(false);
        if required != input.field.required {
            report.add(
                name,
                &aspect,
                format!(
                    "required: official {required}, ours {}",
                    input.field.required
                ),
            );
        }
        let positional = option["positional"].as_bool().unwrap_or(false);
        if positional != input.positional {
            report.add(name, &aspect, format!("positional: official {positional}"));
        }
        report.types(
            name,
            &aspect,
            option["type"].as_str().unwrap(),
            &input.field.ty,
        );
    }
    for extra in ours
        .inputs
        .iter()
        .filter(|i| !seen.contains(i.field.name.as_str()))
    {
        report.add(
            name,
            format!("option {}", extra.field.name),
            "not in the official signature",
        );
    }

    // Outputs.
    let output = ours.output.as_ref();
    let our_fields = output.map(|o| o.fields.as_slice()).unwrap_or_default();
    match (kind, ours.kind) {
        ("event", _)
            if official.get("listener").is_some()
                && !name.contains(".off")
                && !name.starts_with("off") =>
        {
            let payload = official["listener"]["payload"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            report.fields(name, "payload", &payload, our_fields);
        }
        ("async" | "task", _) => {
            let success = official["success"].as_array().cloned().unwrap_or_default();
            report.fields(name, "success", &success, our_fields);
        }
        ("sync", _) if official["returnsFields"].is_array() => {
            let fields = official["returnsFields"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            report.fields(name, "return", &fields, our_fields);
        }
        ("sync", SignatureKind::Sync) if ours.returns_class.is_none() => {
            if let Some(output) = output {
                report.types(
                    name,
                    "return",
                    official["returns"].as_str().unwrap(),
                    &output.ty,
                );
            }
        }
        _ => {}
    }

    // The class a task (or object-returning sync) API returns.
    if let Some(class) = ours.returns_class {
        let returns = official["returns"].as_str().unwrap_or("");
        if returns != class {
            report.add(name, "returns", format!("official {returns}, ours {class}"));
        }
    }
}

#[test]
fn the_registry_agrees_with_the_official_signatures() {
    wx_apis::link();
    let registry = Registry::global().expect("a registry");
    let ours = signatures(registry);
    let by_name: BTreeMap<&str, &Signature> = ours.iter().map(|s| (s.name.as_str(), s)).collect();
    let official = official();
    let official_names: BTreeSet<&str> = official
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    let our_classes: BTreeSet<&str> = ours.iter().filter_map(|s| s.returns_class).collect();
    let mut report = Report { lines: Vec::new() };
    let mut checked = 0;

    for entry in &official {
        let name = entry["name"].as_str().unwrap();
        if let Some(sig) = by_name.get(name) {
            compare(&mut report, entry, sig);
            checked += 1;
            continue;
        }
        // Not registered: missing only if it belongs to something we have — a member
        // of one of our classes, or the `off` twin of one of our events.
        let class = name.split_once('.').map(|(c, _)| c);
        let twin_of = wx_core::off_to_on(name);
        if class.is_some_and(|c| our_classes.contains(c))
            || twin_of
                .as_deref()
                .is_some_and(|on| by_name.contains_key(on))
        {
            report.add(name, "registered", "missing");
        }
    }
    for sig in &ours {
        if official_names.contains(sig.name.as_str()) {
            continue;
        }
        // Ours but not WeChat's, where WeChat defines the neighbourhood: a class
        // member of a class it lists, or an `off` twin of an event it lists.
        let class = sig.name.split_once('.').map(|(c, _)| c);
        let listed_class = class.is_some_and(|c| {
            official_names
                .iter()
                .any(|n| n.starts_with(&format!("{c}.")))
        });
        let listed_on =
            wx_core::off_to_on(&sig.name).is_some_and(|on| official_names.contains(on.as_str()));
        if listed_class || listed_on {
            report.add(&sig.name, "registered", "not a WeChat API");
        }
    }

    let mut unexpected = Vec::new();
    let mut used = BTreeSet::new();
    for (name, aspect, detail) in &report.lines {
        match EXCEPTIONS
            .iter()
            .position(|(n, a, _)| n == name && a == aspect)
        {
            Some(i) => {
                used.insert(i);
            }
            None => {
                let place = by_name
                    .get(name.as_str())
                    .map(|s| s.place.as_str())
                    .unwrap_or("");
                unexpected.push(format!("{name}: {aspect}: {detail}  [{place}]"));
            }
        }
    }
    let stale: Vec<_> = EXCEPTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, (n, a, _))| format!("{n}: {a}"))
        .collect();
    assert!(
        checked > 40,
        "only {checked} registered APIs are in the official list"
    );
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} disagreement(s) with the official signatures:\n{}\n\nexceptions that match nothing any more:\n{}",
        unexpected.len(),
        unexpected.join("\n"),
        stale.join("\n")
    );
}
