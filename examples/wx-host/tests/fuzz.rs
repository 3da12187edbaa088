//! The seeded JS fuzzer (`fuzz.js`) through the real `wx-host` binary: every API
//! and task method with hostile arguments; every async call must settle exactly
//! once, and the process must survive and exit on its own.
//!
//! A longer run: `WX_FUZZ_CALLS=100000 WX_FUZZ_SEED=3 cargo test --release -p wx-host --test fuzz -- --nocapture`

mod common;

use common::*;

#[test]
fn hostile_js_calls_every_api_and_every_call_settles_exactly_once() {
    let calls: u32 = std::env::var("WX_FUZZ_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let seed: u32 = std::env::var("WX_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    let dir = data_dir("fuzz-js");
    // Empty domain lists: every URL is refused before a byte is sent.
    let domains = dir.join("domains.json");
    std::fs::write(&domains, "{}").unwrap();
    // Which names are sync APIs, from the registry: those never settle (some
    // return objects, `createWorker`), so the fuzzer does not wait for them.
    wx_host::link_apis();
    let sync: Vec<&str> = wx_core::Registry::global()
        .unwrap()
        .iter()
        .filter(|api| api.kind == wx_core::ApiKind::Sync)
        .map(|api| api.name)
        .collect();
    let script = format!(
        "const SEED = {seed}, CALLS = {calls}, SYNC = new Set({});\n{}",
        serde_json::to_string(&sync).unwrap(),
        include_str!("fuzz.js")
    );
    let output = cli(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--domains",
        domains.to_str().unwrap(),
        "--for",
        "120",
        "-e",
        &script,
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    println!("{stdout}");
    assert!(code.is_some(), "the host died from a signal:\n{stderr}");
    assert!(
        stdout.contains(&format!("fuzz.js: seed {seed}, {calls} calls"))
            && stdout.contains(" 0 not settled exactly once"),
        "{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
