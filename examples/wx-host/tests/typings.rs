//! Issue 15 (part): TypeScript declarations generated from the registry
//! (`wx-host --typings FILE`) type-check under `--strict`, and so do realistic
//! calls written against them (`typings/calls.ts`, whose `@ts-expect-error`
//! lines must be errors). TypeScript comes from npm, installed by the test.

mod common;
use common::{cli, text};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The npm packages the checks need, installed once per target folder: their folder.
///
/// Both tests of this file run at once and need the same packages, so one
/// installs and the other waits (`OnceLock`); and the install goes into a
/// folder of its own, renamed into place when complete, so a folder that is
/// there is whole (an npm run interrupted, or racing another process, leaves
/// only its own staging folder behind).
fn node_modules() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED.get_or_init(install).clone()
}

fn install() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("typings-node");
    if !dir.exists() {
        let staging = tmp.join(format!("typings-node.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&staging)
            .args(["typescript@5.6.3", "miniprogram-api-typings@5.2.3"])
            .status()
            .expect("npm is needed to install TypeScript");
        assert!(status.success(), "npm install failed");
        // Another process may have finished first: then its folder is kept.
        if std::fs::rename(&staging, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
    }
    dir.join("node_modules")
}

fn tsc() -> PathBuf {
    node_modules().join("typescript/bin/tsc")
}

/// Official declarations our options accept more than (`EXCEPTIONS` of the
/// conformance test: WeChat's base library accepts these calls, its typings do
/// not), or whose result we type less precisely. Each is checked in the one
/// direction that holds.
const ONE_WAY: &[(&str, &str)] = &[
    // `data` may be left out: the base library stores "".
    ("setStorage", "option"),
    // `title` may be left out: the base library shows "".
    ("showToast", "option"),
    ("showLoading", "option"),
    // Our `eventChannel` is an object of four functions, not the `EventChannel` class.
    ("navigateTo", "result"),
    // `content` comes only with `editable`.
    ("showModal", "result"),
    // Nested objects (`host: { appId }`) are typed `IAnyObject`, not their own interface.
    ("getSystemInfoSync", "return"),
    // Worker.env and Worker.getCameraFrameData are not there (the conformance exceptions).
    ("createWorker", "return"),
];

#[test]
fn our_declarations_accept_the_same_calls_as_the_official_ones() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typings-compare");
    std::fs::create_dir_all(&dir).unwrap();
    let full = dir.join("ours-full.d.ts");
    let output = cli(&["--typings", full.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    // Without our global `wx`: the official typings declare theirs.
    let ours: String = std::fs::read_to_string(&full)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("declare const wx"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("ours.d.ts"), &ours).unwrap();
    let modules = node_modules();
    let theirs =
        std::fs::read_to_string(modules.join("miniprogram-api-typings/types/wx/lib.wx.api.d.ts"))
            .unwrap();
    let official: Vec<serde_json::Value> = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../wx-apis/tests/reference/wx-api-signatures.json"
    )))
    .unwrap();
    let declares = |text: &str, name: &str| {
        text.contains(&format!("interface {name} ")) || text.contains(&format!("interface {name}<"))
    };
    let mut check = format!(
        "/// <reference path=\"{}\" />\n/// <reference path=\"ours.d.ts\" />\ntype Plain<T> = Omit<T, 'success' | 'fail' | 'complete'>\n",
        modules.join("miniprogram-api-typings/index.d.ts").display()
    );
    let mut compared = 0;
    for api in official.iter().filter(|a| a["kind"] == "async") {
        let name = api["name"].as_str().unwrap();
        let pascal = name[..1].to_uppercase() + &name[1..];
        for (aspect, ours_type, theirs_type) in [
            (
                "option",
                format!("Plain<WxRs.{pascal}Option>"),
                format!("Plain<WechatMiniprogram.{pascal}Option>"),
            ),
            (
                "result",
                format!("WxRs.{pascal}SuccessCallbackResult"),
                format!("WechatMiniprogram.{pascal}SuccessCallbackResult"),
            ),
        ] {
            let interface = if aspect == "option" {
                format!("{pascal}Option")
            } else {
                format!("{pascal}SuccessCallbackResult")
            };
            if !declares(&ours, &interface) || !declares(&theirs, &interface) {
                continue;
            }
            compared += 1;
            let id = format!("{name}_{aspect}");
            // What theirs accepts (options) or describes (results) fits ours; and, but
            // for `ONE_WAY`, the other way round.
            check.push_str(&format!("declare const theirs_{id}: {theirs_type}; const ours_{id}: {ours_type} = theirs_{id}\n"));
            if !ONE_WAY.contains(&(name, aspect)) {
                check.push_str(&format!("declare const ours2_{id}: {ours_type}; const theirs2_{id}: {theirs_type} = ours2_{id}\n"));
            }
        }
    }
    // Sync APIs and listeners: the calls (parameters) both ways, and what a
    // call returns fits what theirs declares.
    for api in official
        .iter()
        .filter(|a| a["kind"] == "sync" || a["kind"] == "event")
    {
        let name = api["name"].as_str().unwrap();
        if name.contains('.') || !ours.contains(&format!("    {name}(")) {
            continue;
        }
        compared += 1;
        let (o, t) = (
            format!("WxRs.Wx['{name}']"),
            format!("WechatMiniprogram.Wx['{name}']"),
        );
        check.push_str(&format!("declare const po_{name}: Parameters<{o}>; const pt_{name}: Parameters<{t}> = po_{name}\n"));
        check.push_str(&format!("declare const pt2_{name}: Parameters<{t}>; const po2_{name}: Parameters<{o}> = pt2_{name}\n"));
        if !ONE_WAY.contains(&(name, "return")) {
            check.push_str(&format!("declare const ro_{name}: ReturnType<{o}>; const rt_{name}: ReturnType<{t}> = ro_{name}\n"));
        }
    }
    assert!(compared >= 30, "only {compared} declarations compared");
    let file = dir.join("compare.ts");
    std::fs::write(&file, check).unwrap();
    let output = Command::new("node")
        .arg(tsc())
        .args(["--noEmit", "--strict", "--lib", "es2020"])
        .arg(&file)
        .output()
        .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(
        code,
        Some(0),
        "the declarations disagree:\n{stdout}\n{stderr}"
    );
}

#[test]
fn generated_declarations_and_realistic_calls_type_check() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typings-check");
    std::fs::create_dir_all(&dir).unwrap();
    let declarations = dir.join("wx.d.ts");
    let output = cli(&["--typings", declarations.to_str().unwrap()])
        .output()
        .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    let generated = std::fs::read_to_string(&declarations).unwrap();
    // Promise overloads exactly where Promise mode exists; a task returns its class.
    assert!(generated.contains("getStorage<T extends GetStorageOption = GetStorageOption>(option: T): PromisifySuccessResult<T, GetStorageOption>"));
    assert!(generated.contains("getSystemInfoAsync(option?: GetSystemInfoAsyncOption): void"));
    assert!(generated.contains("request(option: RequestOption): RequestTask"));
    assert!(generated.contains("readonly currentTime: number"));
    let calls = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/typings/calls.ts");
    let output = Command::new("node")
        .arg(tsc())
        .args(["--noEmit", "--strict", "--lib", "es2020,dom"])
        .arg(&declarations)
        .arg(calls)
        .output()
        .expect("node runs tsc");
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "tsc found errors:\n{stdout}\n{stderr}");
}
