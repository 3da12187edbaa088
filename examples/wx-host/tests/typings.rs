//! Issue 15 (part): TypeScript declarations generated from the registry
//! (`wx-host --typings FILE`) type-check under `--strict`, and so do realistic
//! calls written against them (`typings/calls.ts`, whose `@ts-expect-error`
//! lines must be errors). TypeScript comes from npm, installed by the test.

mod common;
use common::{cli, text};
use std::path::{Path, PathBuf};
use std::process::Command;

/// TypeScript's compiler, installed from npm once per target folder.
fn tsc() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-5.6.3");
    let tsc = dir.join("node_modules/typescript/bin/tsc");
    if !tsc.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(&dir)
            .arg("typescript@5.6.3")
            .status()
            .expect("npm is needed to install TypeScript");
        assert!(status.success(), "npm install typescript failed");
    }
    tsc
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
