//! Issue 12 through the `wx-host` binary: the sample app and its test script
//! (the README's first command), exit codes of test scripts, and packages that
//! are broken, each failing with a clear message, never a hang or a panic.

mod common;
use common::{cli, data_dir, text, write_package};

fn sample() -> String {
    format!("{}/../todo-app", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_app_launches_and_its_test_script_passes() {
    let data = data_dir("sample-app");
    let test = format!("{}/../todo-app.test.js", env!("CARGO_MANIFEST_DIR"));
    let data_arg = data.to_str().unwrap();
    let output = cli(&[&sample(), "--data-dir", data_arg, "--test", &test])
        .output()
        .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("todo-app: all checks passed"), "{stdout}");
    // State is kept in storage: a second launch starts from what the first left.
    let output = cli(&[&sample(), "--data-dir", data_arg]).output().unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("with 2 todos"), "{stdout}");
}

#[test]
fn the_readme_first_command_runs_the_sample_twice() {
    // No --data-dir: the per-user data folder (redirected by `cli`), twice in a
    // row; the test script starts from a clean list each time.
    let test = format!("{}/../todo-app.test.js", env!("CARGO_MANIFEST_DIR"));
    let home = data_dir("readme-home");
    for _ in 0..2 {
        let output = cli(&[&sample()])
            .env("XDG_DATA_HOME", &home)
            .output()
            .unwrap();
        let (stdout, stderr, code) = text(&output);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert!(
            stdout.starts_with("launched on pages/todos/todos scene 1001"),
            "{stdout}"
        );
        let output = cli(&[&sample(), "--test", &test])
            .env("XDG_DATA_HOME", &home)
            .output()
            .unwrap();
        let (stdout, stderr, code) = text(&output);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    }
}

#[test]
fn a_failed_expectation_or_exception_in_the_test_script_sets_the_exit_code() {
    let data = data_dir("sample-fail");
    let dir = write_package("fail-test", &[]);
    let cases = [
        (
            "expect(1).toBe(2)",
            "Expectation failed: expected 1 to be 2",
        ),
        // Caught by the script, still a failure.
        (
            "try { expect('a').toEqual('b') } catch (e) {}",
            "Expectation failed",
        ),
        (
            "await miniProgram.idle(); throw new Error('late')",
            "Uncaught Error: late",
        ),
    ];
    for (i, (script, message)) in cases.into_iter().enumerate() {
        let test = dir.join(format!("t{i}.js"));
        std::fs::write(&test, script).unwrap();
        let output = cli(&[
            &sample(),
            "--data-dir",
            data.to_str().unwrap(),
            "--test",
            test.to_str().unwrap(),
        ])
        .output()
        .unwrap();
        let (stdout, stderr, code) = text(&output);
        assert_eq!(code, Some(1), "{script}: {stdout}\n{stderr}");
        assert!(stderr.contains(message), "{script}: {stderr}");
    }
}

/// A package's files, `(path, text)`.
type Files<'a> = Vec<(&'a str, &'a str)>;

#[test]
fn broken_packages_fail_clearly() {
    let page = ("pages/a/a.js", "Page({})");
    let app_js = ("app.js", "App({})");
    let cases: Vec<(&str, Files, &str)> = vec![
        ("no-app-json", vec![app_js, page], "app.json: No such file"),
        (
            "bad-json",
            vec![("app.json", "{ \"pages\": [ }"), app_js, page],
            "app.json: not valid JSON: ",
        ),
        (
            "no-pages",
            vec![("app.json", "{}"), app_js, page],
            "app.json: \"pages\" is missing",
        ),
        (
            "pages-type",
            vec![("app.json", r#"{ "pages": "a" }"#), app_js, page],
            "app.json: \"pages\" must be an array",
        ),
        (
            "page-entry",
            vec![
                ("app.json", r#"{ "pages": ["pages/a/a", 3] }"#),
                app_js,
                page,
            ],
            "app.json: pages[1] must be a page path",
        ),
        (
            "tab-not-page",
            vec![
                (
                    "app.json",
                    r#"{ "pages": ["pages/a/a"], "tabBar": { "list": [{ "pagePath": "pages/a/a" }, { "pagePath": "pages/x/x" }] } }"#,
                ),
                app_js,
                page,
            ],
            "tabBar.list pagePath \"pages/x/x\" is not listed in \"pages\"",
        ),
        (
            "entry",
            vec![
                (
                    "app.json",
                    r#"{ "pages": ["pages/a/a"], "entryPagePath": "pages/z/z" }"#,
                ),
                app_js,
                page,
            ],
            "entryPagePath \"pages/z/z\" is not listed in \"pages\"",
        ),
        (
            "page-file",
            vec![
                ("app.json", r#"{ "pages": ["pages/a/a", "pages/b/b"] }"#),
                app_js,
                page,
            ],
            "page \"pages/b/b\" is listed in",
        ),
        (
            "no-app-js",
            vec![("app.json", r#"{ "pages": ["pages/a/a"] }"#), page],
            "app.js does not exist",
        ),
        (
            "no-app-call",
            vec![
                ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
                ("app.js", "getApp()"),
                page,
            ],
            "app.js did not call App()",
        ),
        (
            "missing-module",
            vec![
                ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
                ("app.js", "require('./gone'); App({})"),
                page,
            ],
            "module \"./gone\" is not defined, require args is './gone' (from app.js)",
        ),
        (
            "escape",
            vec![
                ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
                ("app.js", "require('../../etc/passwd'); App({})"),
                page,
            ],
            "is not defined",
        ),
    ];
    for (name, files, message) in cases {
        let dir = write_package(name, &files);
        let output = cli(&[
            dir.to_str().unwrap(),
            "--data-dir",
            data_dir("broken").to_str().unwrap(),
        ])
        .output()
        .unwrap();
        let (stdout, stderr, code) = text(&output);
        assert_eq!(code, Some(1), "{name}: {stdout}\n{stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn path_and_scene_choose_the_launch() {
    let dir = write_package("launch-test", &[]);
    let test = dir.join("launch.test.js");
    std::fs::write(
        &test,
        r#"
        const page = miniProgram.currentPage()
        expect(page.route).toBe('pages/detail/detail')
        expect(page.options).toEqual({ id: '3' })
        expect(page.data.todo.title).toBe('Call the bank')
        miniProgram.tap(page, 'back')               // no page below: back to the list tab
        await miniProgram.idle()
        expect(getCurrentPages().map(p => p.route)).toEqual(['pages/todos/todos'])
        "#,
    )
    .unwrap();
    let data = data_dir("launch-path");
    let output = cli(&[
        &sample(),
        "--data-dir",
        data.to_str().unwrap(),
        "--path",
        "pages/detail/detail?id=3",
        "--scene",
        "1007",
        "--test",
        test.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("launched on pages/detail/detail scene 1007"),
        "{stdout}"
    );
}

#[test]
fn ui_answers_from_a_file_and_everything_shown_as_json_lines() {
    let dir = write_package("ui-files", &[]);
    let answers = dir.join("answers.json");
    std::fs::write(
        &answers,
        r#"{ "modal": [{ "confirm": false }], "actionSheet": [null, 1] }"#,
    )
    .unwrap();
    let log = dir.join("ui.jsonl");
    let script = r#"
        wx.showToast({ title: 'Saved' })
        wx.showModal({ title: 'Sure?', success: r => console.log('confirm', r.confirm) })
        wx.showActionSheet({ itemList: ['a', 'b'], fail: e => console.log(e.errMsg) })
        wx.showActionSheet({ itemList: ['a', 'b'], success: r => console.log('tapIndex', r.tapIndex) })
    "#;
    let data = data_dir("ui-files");
    let output = cli(&[
        "--data-dir",
        data.to_str().unwrap(),
        "--ui",
        "script",
        "--ui-answers",
        answers.to_str().unwrap(),
        "--ui-log",
        log.to_str().unwrap(),
        "-e",
        script,
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(
        stdout,
        "confirm false\nshowActionSheet:fail cancel\ntapIndex 1\n"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["toast", "modal", "actionSheet", "actionSheet"]);
    assert_eq!(lines[0]["title"], "Saved");
    assert_eq!(lines[1]["answer"]["confirm"], false);
    assert_eq!(lines[2]["answer"]["tapIndex"], serde_json::Value::Null);
    assert_eq!(lines[3]["answer"]["tapIndex"], 1);
    // A bad answers file is the person's mistake: exit 2, named.
    std::fs::write(&answers, r#"{ "modals": [] }"#).unwrap();
    let output = cli(&["--ui-answers", answers.to_str().unwrap(), "-e", "1"])
        .output()
        .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("answers.json: unknown field `modals`"),
        "{stderr}"
    );
}

#[test]
fn test_and_path_need_a_package() {
    let output = cli(&["-e", "1", "--test", "x.js"]).output().unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("--test and --path need a mini-program folder"),
        "{stderr}"
    );
}
