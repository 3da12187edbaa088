//! The `wx-host` binary: the seed's three examples verbatim, exit codes, error
//! reports with file:line, and the command-line options.

mod common;

use common::*;

fn seed(name: &str) -> String {
    format!("{}/tests/seed/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn seed_compass_prints_each_direction_until_closed() {
    let dir = data_dir("seed-compass");
    let output = cli(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--for",
        "1",
        &seed("compass.js"),
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    // Five readings a second: 0°, 15°, 30°, ... within one second.
    assert!((3..=6).contains(&lines.len()), "{stdout}");
    assert_eq!(lines[..3], ["0", "15", "30"]);
}

#[test]
fn seed_storage_stores_silently_and_the_value_is_there_next_run() {
    let dir = data_dir("seed-storage");
    let dir = dir.to_str().unwrap();
    let output = cli(&["--data-dir", dir, &seed("storage.js")])
        .output()
        .unwrap();
    assert_eq!(text(&output), (String::new(), String::new(), Some(0)));
    let output = cli(&[
        "--data-dir",
        dir,
        "-e",
        "console.log(wx.getStorageSync('key'))",
    ])
    .output()
    .unwrap();
    assert_eq!(text(&output).0, "value\n");
}

#[test]
fn seed_login_prints_the_code() {
    let dir = data_dir("seed-login");
    let output = cli(&["--data-dir", dir.to_str().unwrap(), &seed("login.js")])
        .output()
        .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    let code_line = stdout.trim_end();
    assert_eq!(code_line.len(), 32, "{stdout}");
    assert!(code_line.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[test]
fn uncaught_exceptions_exit_1_with_message_and_stack() {
    let dir = data_dir("uncaught");
    let script = dir.join("bad.js");
    std::fs::write(
        &script,
        "console.log('before');\nfunction fail() {\n  throw new Error('broken');\n}\nfail();\n",
    )
    .unwrap();
    let output = cli(&[
        "--data-dir",
        dir.to_str().unwrap(),
        script.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!((stdout.as_str(), code), ("before\n", Some(1)));
    let file = script.display().to_string();
    assert_eq!(
        stderr,
        format!("Uncaught Error: broken\n    at fail ({file}:3:13)\n    at <eval> ({file}:5:1)\n")
    );
}

#[test]
fn unhandled_rejections_are_reported_and_fail_the_run() {
    let output = cli(&["-e", "wx.getStorage({ key: 'surely-missing-key-1c9' })"])
        .output()
        .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "Uncaught (in promise) { errMsg: 'getStorage:fail data not found' }\n"
    );
}

#[test]
fn the_process_waits_for_timers_calls_and_promises() {
    let output = cli(&[
        "-e",
        "setTimeout(() => console.log('timer'), 30); wx.login().then(() => console.log('login')); \
         Promise.resolve().then(() => console.log('microtask')); console.log('sync')",
    ])
    .output()
    .unwrap();
    assert_eq!(
        text(&output),
        (
            "sync\nmicrotask\nlogin\ntimer\n".into(),
            String::new(),
            Some(0)
        )
    );
}

#[test]
fn for_closes_a_mini_program_that_would_run_forever() {
    let started = std::time::Instant::now();
    let output = cli(&[
        "--for",
        "0.3",
        "-e",
        "setInterval(() => {}, 10); wx.onCompassChange(() => {})",
    ])
    .output()
    .unwrap();
    assert_eq!(text(&output).2, Some(0));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn for_also_stops_javascript_that_never_yields() {
    for script in [
        "console.log('start'); while (true) {}",
        "setTimeout(() => { for (;;) {} }, 10)",
    ] {
        let started = std::time::Instant::now();
        let output = cli(&["--for", "0.5", "-e", script]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{script}");
        assert!(
            String::from_utf8_lossy(&output.stderr).is_empty(),
            "closing is not an error: {script}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{script}"
        );
    }
}

#[test]
fn list_apis_prints_every_registered_api() {
    let output = cli(&["--list-apis"]).output().unwrap();
    let (stdout, _, code) = text(&output);
    assert_eq!(code, Some(0));
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["name", "kind", "since", "summary"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    let find = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} missing:\n{stdout}"))
    };
    assert_eq!(find("getStorage")[1..3], ["async", "-"]);
    assert_eq!(find("getSystemInfoAsync")[1..3], ["async", "2.14.1"]);
    assert_eq!(find("getStorageSync")[1], "sync");
    assert_eq!(find("onCompassChange")[1], "on");
    // An `off` twin has its own version and summary.
    assert_eq!(
        find("offCompassChange")[1..5],
        ["off", "2.9.3", "Stops", "calling"]
    );
    assert!(
        !stdout.contains("offSocketOpen"),
        "not a WeChat API:\n{stdout}"
    );
    assert_eq!(find("login")[3..6], ["Gets", "a", "temporary"]);
}

#[test]
fn app_id_and_data_dir_select_the_storage() {
    let dir = data_dir("app-id");
    let dir = dir.to_str().unwrap();
    cli(&[
        "--data-dir",
        dir,
        "--app-id",
        "wx-one",
        "-e",
        "wx.setStorageSync('who', 'one')",
    ])
    .output()
    .unwrap();
    let output = cli(&[
        "--data-dir",
        dir,
        "--app-id",
        "wx-two",
        "-e",
        "console.log(JSON.stringify(wx.getStorageSync('who')))",
    ])
    .output()
    .unwrap();
    assert_eq!(text(&output).0, "\"\"\n");
    assert!(std::path::Path::new(dir)
        .join("wx-one/storage.sqlite")
        .exists());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["--nope"],
        &["a.js", "b.js"],
        &["--for", "soon", "-e", "1"],
        &["/no/such/file.js"],
    ] {
        let output = cli(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).starts_with("wx-host: "),
            "{args:?}"
        );
    }
}

#[test]
fn failures_show_wechat_words_to_js_and_the_os_error_to_the_person_at_the_terminal() {
    let output = cli(&[
        "-e",
        "wx.request({ url: 'http://127.0.0.1:9/', fail: e => console.log(e.errMsg, e.errno) })",
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "request:fail net::ERR_CONNECTION_REFUSED 600001\n");
    assert!(
        stderr.contains("wx-host: request failed: ") && stderr.contains("Connection refused"),
        "{stderr}"
    );
}

#[test]
fn the_readme_demo_runs_to_the_end() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo.js");
    let output = cli(&[demo]).output().unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    for line in [
        "top-level Date: true",
        "profile: Mini string 2024-01-01T00:00:00.000Z",
        "request failed: request:fail net::ERR_CONNECTION_REFUSED",
        "compass direction: 30 high",
    ] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
}

#[test]
fn app_ids_that_could_leave_the_data_folder_are_refused() {
    let data = data_dir("app-ids");
    for bad in [
        "../x", "/etc", "a/b", "", ".hidden", "a\u{7}b", "..", "x\\y",
    ] {
        let output = cli(&[
            "--data-dir",
            data.to_str().unwrap(),
            "--app-id",
            bad,
            "-e",
            "wx.setStorageSync('k', 1)",
        ])
        .output()
        .unwrap();
        let (_, stderr, code) = text(&output);
        assert_eq!(code, Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains("invalid app id"), "{stderr}");
    }
    // Nothing was written anywhere, inside or beside the data folder.
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0);
    assert!(!data.parent().unwrap().join("x").exists());
    let ok = cli(&[
        "--data-dir",
        data.to_str().unwrap(),
        "--app-id",
        "wx0123456789abcdef",
        "-e",
        "wx.setStorageSync('k', 1)",
    ])
    .output()
    .unwrap();
    assert_eq!(ok.status.code(), Some(0));
}

#[test]
fn for_stops_a_promise_job_loop_like_any_runaway_script() {
    let started = std::time::Instant::now();
    let output = cli(&[
        "--for",
        "0.3",
        "-e",
        "function f() { return Promise.resolve().then(f) } f()",
    ])
    .output()
    .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Issue 15 (part): the conventions of clap-style tools.
#[test]
fn version_json_listing_and_option_errors_that_name_the_option() {
    let output = cli(&["--version"]).output().unwrap();
    let (stdout, _, code) = text(&output);
    assert_eq!(
        (stdout.as_str(), code),
        (
            concat!("wx-host ", env!("CARGO_PKG_VERSION"), "\n"),
            Some(0)
        )
    );
    for (args, message) in [
        (
            vec!["--for", "abc", "-e", "1"],
            "wx-host: --for takes a number, not \"abc\"",
        ),
        (
            vec!["--scene", "x", "-e", "1"],
            "wx-host: --scene takes a number, not \"x\"",
        ),
        (vec!["--nope"], "wx-host: invalid option '--nope'"),
    ] {
        let output = cli(&args).output().unwrap();
        let (_, stderr, code) = text(&output);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with("For more information, try '--help'.\n"),
            "{stderr}"
        );
    }
    let output = cli(&["--list-apis", "--json"]).output().unwrap();
    let (stdout, _, code) = text(&output);
    assert_eq!(code, Some(0));
    let listed: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let get_storage = listed.iter().find(|e| e["name"] == "getStorage").unwrap();
    assert_eq!(get_storage["kind"], "async");
    assert_eq!(get_storage["promise"], true);
    assert_eq!(get_storage["options"][0]["name"], "key");
    assert_eq!(get_storage["options"][0]["type"], "string");
    let request = listed.iter().find(|e| e["name"] == "request").unwrap();
    assert_eq!(request["class"], "RequestTask");
    let src = listed
        .iter()
        .find(|e| e["name"] == "BackgroundAudioManager.src")
        .unwrap();
    assert_eq!(
        (src["kind"].as_str(), src["result"]["type"].as_str()),
        (Some("property"), Some("string"))
    );
}

/// Issue 15 (part): `--log debug` shows each call as a span; `--stats` a table at exit.
#[test]
fn log_and_stats() {
    let dir = data_dir("log-stats");
    let output = cli(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--log",
        "debug",
        "--stats",
        "-e",
        "wx.setStorageSync('a', 1); wx.getStorage({ key: 'nope' }).catch(() => {})",
    ])
    .output()
    .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(r#"wx_call{api="setStorageSync" kind="sync" outcome="ok"}: close"#),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"outcome="fail" err_msg="getStorage:fail data not found""#),
        "{stderr}"
    );
    let table: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("api "))
        .collect();
    assert!(table.len() == 3, "{stderr}");
    assert!(
        table[1].starts_with("getStorage ") && table[1].contains(" 1 "),
        "{stderr}"
    );
    let output = cli(&["--log", "loud", "-e", "1"]).output().unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("--log takes error, warn, info, debug or trace"),
        "{stderr}"
    );
}

/// A data folder that cannot be made: the failure names it.
#[test]
fn a_data_folder_error_shows_the_path() {
    let output = cli(&[
        "--data-dir",
        "/proc/wx-rs-cannot-be-here",
        "-e",
        "wx.setStorageSync('a', 1)",
    ])
    .output()
    .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("setStorageSync failed: /proc/wx-rs-cannot-be-here/wx-demo"),
        "{stderr}"
    );
    assert!(
        stderr.contains("setStorageSync:fail storage unavailable"),
        "{stderr}"
    );
}

/// One default data folder for the library and the CLI: the per-user data
/// folder's `wx-rs/<app id>` (here `$XDG_DATA_HOME`, redirected by `cli`).
#[test]
fn the_cli_and_the_library_share_one_default_data_folder() {
    let home = data_dir("default-folder");
    let output = cli(&["--app-id", "wx-shared", "-e", "wx.setStorageSync('k', 1)"])
        .env("XDG_DATA_HOME", &home)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        home.join("wx-rs/wx-shared").is_dir(),
        "the CLI wrote elsewhere"
    );
    let library = wx_core::App::builder("wx-shared").build();
    assert!(
        library.data_dir().ends_with("wx-rs/wx-shared"),
        "{}",
        library.data_dir().display()
    );
    assert_eq!(
        library.data_dir(),
        wx_core::default_data_root().join("wx-shared")
    );
}
