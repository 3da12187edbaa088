//! Issue 14 (part): the compass's start and stop beside its listeners, with
//! readings scripted by the device profile; and `checkSession` against the
//! session a login opens, whose lifetime the host chooses.

mod common;
use common::{data_dir, run_with};
use std::time::Duration;
use wx_apis::open::LoginProvider;
use wx_apis::system::DeviceProfile;
use wx_core::App;

fn compass_app(name: &str) -> App {
    let profile = DeviceProfile::from_json(
        r#"{ "compass": { "headings": [10, 20, 30, 40], "accuracy": "medium" } }"#,
    )
    .unwrap();
    App::builder(name)
        .data_dir(data_dir(name))
        .service(profile)
        .build()
}

const SLEEP: &str = "const sleep = ms => new Promise(r => setTimeout(r, ms));\n";

/// `body` as an async script (a script has no top-level `await`).
fn script(body: &str) -> String {
    format!("{SLEEP}(async () => {{\n{body}\n}})()")
}

#[test]
fn readings_follow_the_profiles_script_and_stop_and_start_switch_them() {
    let run = run_with(
        compass_app("compass-script"),
        &script(
            r#"
        const seen = []
        const listener = r => seen.push(r.direction + ' ' + r.accuracy)
        wx.onCompassChange(listener)                   // listening starts the compass
        await sleep(500)                               // five a second: two readings
        expect(seen).toEqual(['10 medium', '20 medium'])
        expect((await wx.stopCompass()).errMsg).toBe('stopCompass:ok')
        await sleep(500)
        expect(seen.length).toBe(2)                    // stopped: the listener hears nothing
        expect((await wx.startCompass()).errMsg).toBe('startCompass:ok')
        await sleep(300)
        expect(seen[2]).toBe('30 medium')              // the script goes on where it stopped
        wx.offCompassChange(listener)
    "#,
        ),
    );
    assert_eq!(run.uncaught, 0, "{}", run.stderr);
}

#[test]
fn duplicates_off_and_a_throwing_listener() {
    let run = run_with(
        compass_app("compass-listeners"),
        &script(
            r#"
        let a = 0, b = 0
        const twice = () => a++
        wx.onCompassChange(twice)
        wx.onCompassChange(twice)                      // the same function twice: called twice
        wx.onCompassChange(() => { throw new Error('listener broke') })
        const other = () => b++
        wx.onCompassChange(other)                      // still called after the one that throws
        await sleep(300)
        expect([a, b]).toEqual([2, 1])
        wx.offCompassChange(twice)                     // removes every copy
        await sleep(200)
        expect([a, b]).toEqual([2, 2])
        wx.offCompassChange()
    "#,
        ),
    );
    assert_eq!(
        run.uncaught, 2,
        "two readings reached the throwing listener: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Uncaught Error: listener broke"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_session_follows_the_login_and_its_lifetime() {
    let dir = data_dir("session");
    let app = || {
        App::builder("session-app")
            .data_dir(dir.join("session-app"))
            .service(LoginProvider::default().with_session_lifetime(Duration::from_millis(300)))
            .build()
    };
    let run = run_with(
        app(),
        &script(
            r#"
        const fails = async p => { try { await p; return 'ok' } catch (e) { return e.errMsg } }
        expect(await fails(wx.checkSession())).toBe('checkSession:fail session time out, need relogin')
        await wx.login()
        expect((await wx.checkSession()).errMsg).toBe('checkSession:ok')
    "#,
        ),
    );
    assert_eq!(run.uncaught, 0, "{}", run.stderr);
    // A restart keeps the session, until its lifetime is over.
    let run = run_with(
        app(),
        &script(
            r#"
        expect((await wx.checkSession()).errMsg).toBe('checkSession:ok')
        await sleep(350)
        const expired = await wx.checkSession().catch(e => e)
        expect(expired.errMsg).toBe('checkSession:fail session time out, need relogin')
        await wx.login()
        expect((await wx.checkSession()).errMsg).toBe('checkSession:ok')
    "#,
        ),
    );
    assert_eq!(run.uncaught, 0, "{}", run.stderr);
}

/// The heading script through the command line's `--device` profile.
#[test]
fn device_profile_scripts_the_compass_from_the_command_line() {
    let dir = data_dir("compass-cli");
    let profile = dir.join("device.json");
    std::fs::write(&profile, r#"{ "compass": { "headings": [90, 180] } }"#).unwrap();
    let output = common::cli(&[
        "--device",
        profile.to_str().unwrap(),
        "--data-dir",
        dir.to_str().unwrap(),
        "-e",
        "const seen = []; const f = r => { seen.push(r.direction + ' ' + r.accuracy); if (seen.length === 3) { wx.offCompassChange(f); console.log(seen.join(', ')) } }; wx.onCompassChange(f)",
    ])
    .output()
    .unwrap();
    let (stdout, stderr, code) = common::text(&output);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "90 high, 180 high, 90 high\n");
    // A heading out of range is the profile's mistake, named.
    std::fs::write(&profile, r#"{ "compass": { "headings": [400] } }"#).unwrap();
    let output = common::cli(&["--device", profile.to_str().unwrap(), "-e", "1"])
        .output()
        .unwrap();
    let (_, stderr, code) = common::text(&output);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("compass.headings must be degrees from 0 to under 360"),
        "{stderr}"
    );
}
