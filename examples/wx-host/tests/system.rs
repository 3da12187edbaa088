//! The system family and `canIUse`, through JS in the reference host.

mod common;

use common::*;
use wx_apis::system::DeviceProfile;
use wx_core::App;

/// `SystemInfo`'s fields and types as the official typings give them (vendored
/// in `wx-apis/tests/reference`, see its README).
fn reference_fields() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../wx-apis/tests/reference/wx-api-signatures.json"
    );
    let text = std::fs::read_to_string(path).expect("the vendored official signatures");
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    let api = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "getSystemInfoSync")
        .unwrap();
    api["returnsFields"].to_string()
}

fn run(source: &str) -> Run {
    run_app(&data_dir("system"), "wx-system-test", source)
}

#[test]
fn every_system_info_field_has_its_documented_type() {
    let r = run(&format!(
        r#"
        const fields = {fields};
        const info = wx.getSystemInfoSync();
        const problems = [];
        const isType = (value, type) => {{
            const t = type.trim();
            if (t === 'string' || t === 'number' || t === 'boolean') return typeof value === t;
            if (t.includes("'")) return t.split('|').map(s => s.trim().replace(/'/g, '')).filter(Boolean).includes(value);
            if (t === 'SafeArea') return ['left', 'right', 'top', 'bottom', 'width', 'height'].every(k => typeof value[k] === 'number');
            if (t === 'SystemInfoHost') return typeof value.appId === 'string';
            return false;
        }};
        for (const f of fields) {{
            if (!(f.name in info)) problems.push('missing ' + f.name);
            else if (!isType(info[f.name], f.type)) problems.push(f.name + ' is not ' + f.type);
        }}
        const extra = Object.keys(info).filter(k => !fields.some(f => f.name === k));
        console.log(fields.length, problems.join(';') || 'no problems', extra.join(',') || 'no extra fields');
        console.log(/^\d+\.\d+\.\d+$/.test(info.SDKVersion), info.host.appId, info.platform);
        "#,
        fields = reference_fields()
    ));
    assert_eq!(
        r.stdout, "33 no problems no extra fields\ntrue wx-system-test devtools\n",
        "{}",
        r.stderr
    );
}

#[test]
fn all_forms_give_the_same_information() {
    let r = run(r#"
        const strip = r => { const c = Object.assign({}, r); delete c.errMsg; return JSON.stringify(c); };
        const a = JSON.stringify(wx.getSystemInfoSync()), b = JSON.stringify(wx.getSystemInfoSync());
        wx.getSystemInfo({ success: r => {
            console.log('callback', r.errMsg, strip(r) === a);
            wx.getSystemInfo().then(p => {
                console.log('promise', strip(p) === a);
                wx.getSystemInfoAsync({ success: s => console.log('async', s.errMsg, strip(s) === a, a === b) });
            });
        } });
    "#);
    assert_eq!(
        r.stdout,
        "callback getSystemInfo:ok true\npromise true\nasync getSystemInfoAsync:ok true true\n"
    );
}

#[test]
fn the_split_apis_agree_with_get_system_info_sync() {
    let r = run(r#"
        const info = wx.getSystemInfoSync();
        const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
        const report = [];
        const check = (name, part, map = v => v) => {
            const bad = Object.keys(part).filter(k => k in info && !same(map(part[k], k), info[k]));
            report.push(name + ' ' + Object.keys(part).length + (bad.length ? ' differ: ' + bad : ' agree'));
        };
        check('device', wx.getDeviceInfo());
        check('window', wx.getWindowInfo());
        check('base', wx.getAppBaseInfo());
        check('setting', wx.getSystemSetting());
        const auth = wx.getAppAuthorizeSetting();
        check('authorize', auth, (v, k) => typeof v === 'string' ? v === 'authorized' : v);
        console.log(report.join('\n'));
        console.log(Object.values(auth).filter(v => typeof v === 'string').every(v => ['authorized', 'denied', 'not determined'].includes(v)));
    "#);
    assert_eq!(
        r.stdout,
        "device 9 agree\nwindow 8 agree\nbase 9 agree\nsetting 4 agree\nauthorize 11 agree\ntrue\n"
    );
}

#[test]
fn sizes_are_consistent() {
    let r = run(r#"
        const s = wx.getSystemInfoSync(), a = s.safeArea;
        console.log(s.windowWidth <= s.screenWidth && s.windowHeight <= s.screenHeight,
            a.left >= 0 && a.top >= 0 && a.right <= s.windowWidth && a.bottom <= s.windowHeight,
            a.width === a.right - a.left && a.height === a.bottom - a.top, s.pixelRatio > 0);
    "#);
    assert_eq!(r.stdout, "true true true true\n");
}

#[test]
fn the_host_profile_decides_the_values() {
    let profile = DeviceProfile::from_json(
        r#"{"platform": "ios", "brand": "Apple", "model": "iPhone 15", "system": "iOS 17.0",
            "screenWidth": 393, "screenHeight": 852, "windowWidth": 393, "windowHeight": 852, "statusBarHeight": 54,
            "safeArea": {"left": 0, "right": 393, "top": 54, "bottom": 818, "width": 393, "height": 764},
            "pixelRatio": 3, "language": "en", "theme": "dark", "authorizations": {"camera": "authorized"}}"#,
    )
    .unwrap();
    let app = App::builder("wx-profile")
        .data_dir(data_dir("profile"))
        .service(profile)
        .build();
    let r = run_with(
        app,
        r#"
        const s = wx.getSystemInfoSync();
        console.log(s.platform, s.brand, s.model, s.system, s.pixelRatio, s.language, s.theme, s.cameraAuthorized,
            wx.getAppAuthorizeSetting().cameraAuthorized, wx.getWindowInfo().safeArea.top, wx.getAppBaseInfo().host.appId);
    "#,
    );
    assert_eq!(
        r.stdout,
        "ios Apple iPhone 15 iOS 17.0 3 en dark true authorized 54 wx-profile\n"
    );
}

#[test]
fn the_cli_default_takes_language_and_system_from_the_machine_and_device_loads_a_profile() {
    let script = "const s = wx.getSystemInfoSync(); console.log(s.language, s.system.split(' ')[0], s.platform)";
    let output = cli(&["-e", script])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        "windows" => "Windows",
        other => other,
    };
    assert_eq!(text(&output).0, format!("en_US {os} devtools\n"));
    let output = cli(&["-e", script])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .unwrap();
    assert_eq!(text(&output).0, format!("zh_CN {os} devtools\n"));

    let dir = data_dir("device-file");
    let file = dir.join("device.json");
    std::fs::write(
        &file,
        r#"{"platform": "android", "language": "fr", "system": "Android 14"}"#,
    )
    .unwrap();
    let output = cli(&["--device", file.to_str().unwrap(), "-e", script])
        .output()
        .unwrap();
    assert_eq!(text(&output).0, "fr Android android\n");
    std::fs::write(&file, r#"{"windowWidth": 9999}"#).unwrap();
    let output = cli(&["--device", file.to_str().unwrap(), "-e", script])
        .output()
        .unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(2));
    assert!(
        stderr.ends_with("invalid device profile: the window is larger than the screen\n"),
        "{stderr}"
    );
}

#[test]
fn can_i_use_answers_every_documented_form() {
    let yes = [
        "getSystemInfoSync",
        "getSystemInfo.success.platform",
        "getSystemInfo.success.platform.devtools",
        "getSystemInfoSync.return.safeArea.left",
        "getSystemInfoSync.return.host.appId",
        "getAppAuthorizeSetting.return.cameraAuthorized",
        "getWindowInfo.return.screenTop",
        "request.object.method.GET",
        "request.object.responseType.arraybuffer",
        "request.success.statusCode",
        "setStorage.object.encrypt",
        "getStorageSync.object.key",
        "onCompassChange.callback.direction",
        "offCompassChange",
        "RequestTask.abort",
        "RequestTask.onHeadersReceived",
        "SocketTask.send",
        "DownloadTask.offProgressUpdate",
    ];
    let no = [
        "request.object.method.PATCH",
        "getSystemInfoSync.return.safeArea.middle",
        "getSystemInfo.success.platform.symbian",
        "getSystemInfo.object.platform",
        "onCompassChange.callback.speed",
        "RequestTask.pause",
        "SocketTask.abort",
        "SocketTask.abort.now",
        "navigateToMiniProgram",
        "",
        "...",
        "request..url",
    ];
    let script = format!(
        "const yes = {}; const no = {};\n\
         console.log(yes.filter(q => wx.canIUse(q) !== true).join(',') || 'all yes');\n\
         console.log(no.filter(q => wx.canIUse(q) !== false).join(',') || 'all no');",
        serde_json::to_string(&yes).unwrap(),
        serde_json::to_string(&no).unwrap()
    );
    let r = run(&script);
    assert_eq!(r.stdout, "all yes\nall no\n", "{}", r.stderr);
}
