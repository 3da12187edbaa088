//! WeChat's own rules, each checked through JS in the reference host: what its
//! base library does (`base-library-facts`, read from WAService.js) and what its
//! official typings declare. One test per rule.

mod common;

use common::server::{http, websocket};
use common::*;
use std::time::Duration;
use wx_apis::open::LoginProvider;
use wx_core::App;

fn run(source: &str) -> Run {
    run_app(&data_dir("rules"), "wx-rules", source)
}

#[test]
fn what_returns_nothing_is_undefined_in_js_never_null() {
    let r = run(r#"
        console.log(wx.setStorageSync('k', 1), wx.removeStorageSync('k'), wx.clearStorageSync());
        console.log(wx.onCompassChange(() => {}), wx.offCompassChange());
        const task = wx.request({ url: 'http://127.0.0.1:9/', fail() {} });
        console.log(task.abort(), task.onHeadersReceived(() => {}), task.offHeadersReceived());
    "#);
    assert_eq!(
        r.stdout,
        "undefined undefined undefined\nundefined undefined\nundefined undefined undefined\n",
        "{}",
        r.stderr
    );
}

#[test]
fn parameter_errors_carry_errno_1001_in_every_form() {
    let r = run(r#"
        wx.getStorage({ key: 5, fail: e => console.log('callback', e.errno, e.errMsg) });
        wx.getStorage({ key: 5 }).catch(e => console.log('promise', e.errno, e instanceof Error));
        try { wx.setStorageSync(3, 'x') } catch (e) { console.log('thrown', e.errno) }
    "#);
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "callback 1001 getStorage:fail parameter error: parameter.key should be String instead of Number;",
            "promise 1001 false",
            "thrown 1001",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn promise_mode_follows_the_api_metadata_and_callback_truthiness() {
    let r = run(r#"
        // getSystemInfoAsync has no Promise mode (official signature: promise false).
        console.log('async form:', wx.getSystemInfoAsync());
        wx.getSystemInfoAsync({ success: res => console.log('async success', typeof res.platform) });
        console.log('getSystemInfo:', wx.getSystemInfo() instanceof Promise);
        // A truthy non-function: no Promise, and nothing is called.
        console.log('truthy:', wx.getStorageInfo({ success: 1, complete: 'x' }));
        // Falsy values do not count: still a Promise.
        console.log('falsy:', wx.getStorageInfo({ success: 0, fail: null, complete: '' }) instanceof Promise);
    "#);
    assert_eq!(
        r.stdout,
        "async form: undefined\ngetSystemInfo: true\ntruthy: undefined\nfalsy: true\nasync success string\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 0, "{}", r.stderr);
}

#[test]
fn request_method_is_case_insensitive_and_lenient_enums_fall_back() {
    let server = http();
    let r = run(&format!(
        r#"
        wx.request({{ url: '{echo}', method: 'post', data: {{ a: 1 }},
            success: r => console.log('method', r.data.method) }});
        wx.request({{ url: '{bytes}', responseType: 'blob',
            success: r => console.log('unknown responseType is text:', typeof r.data) }});
        wx.request({{ url: '{echo}', method: 'patch', fail: e => console.log(e.errno, e.errMsg.split(':')[1]) }});
        "#,
        echo = server.url("/echo"),
        bytes = server.url("/text"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "1001 fail parameter error",
            "method POST",
            "unknown responseType is text: string",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn request_results_and_events_carry_every_documented_field() {
    let server = http();
    let r = run(&format!(
        r#"
        const task = wx.request({{ url: '{cookies}', success: r => {{
            const p = r.profile;
            console.log('success', Object.keys(r).sort().join(','));
            console.log('profile', p.protocol, p.peerIP, p.port > 0, p.responseEnd >= p.requestStart,
                p.receivedBytedCount, typeof p.SSLconnectionStart);
            console.log('exception', r.exception.retryCount, r.exception.reasons.length, r.useHttpDNS);
        }} }});
        task.onHeadersReceived(h => console.log('headers', h.statusCode, h.cookies.join('|'), typeof h.header));
        wx.request({{ url: '{redirect}', redirect: 'manual', success: r => console.log('manual', r.statusCode) }});
        "#,
        cookies = server.url("/cookies"),
        redirect = server.url("/redirect"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "exception 0 0 false",
            "headers 200 a=1; Path=/|b=2 object",
            "manual 302",
            "profile http/1.1 127.0.0.1 true true 2 number",
            "success cookies,data,errMsg,exception,header,profile,statusCode,useHttpDNS",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn network_failures_read_like_wechat_with_errno_and_diagnostics_get_the_rest() {
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let app = App::builder("wx-net-errors")
        .data_dir(data_dir("net-errors"))
        .service(wx_core::Diagnostics::new(move |api, detail| {
            sink.lock().unwrap().push(format!("{api}: {detail}"))
        }))
        .build();
    let r = run_with(
        app,
        r#"
        const show = e => console.log(e.errno, e.errMsg);
        wx.request({ url: 'http://127.0.0.1:9/', fail: show });
        wx.request({ url: 'not a url', fail: show });
        wx.downloadFile({ url: 'ftp://127.0.0.1/x', fail: show });
        wx.connectSocket({ url: 'ws://127.0.0.1:9/', fail: show }).onError(e => console.log('socket', e.errMsg));
        "#,
    );
    let mut out: Vec<&str> = r.stdout.lines().collect();
    out.sort();
    assert_eq!(
        out,
        [
            "600001 request:fail net::ERR_CONNECTION_REFUSED",
            "600009 downloadFile:fail invalid url",
            "600009 request:fail invalid url",
            "socket net::ERR_CONNECTION_REFUSED",
        ],
        "{}",
        r.stderr
    );
    for text in [&r.stdout, &r.stderr] {
        assert!(
            !text.contains("os error") && !text.contains("IO error"),
            "{text}"
        );
    }
    // The OS's own words reach the host developer instead.
    let lines = lines.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("request: ") && l.contains("Connection refused")),
        "{lines:?}"
    );
}

#[test]
fn login_timeout_fails_with_the_base_library_text_and_drops_the_late_code() {
    let app = App::builder("wx-login-timeout")
        .data_dir(data_dir("login-timeout"))
        .service(LoginProvider::new(|_| {
            std::thread::sleep(Duration::from_millis(300));
            Ok("late-code".into())
        }))
        .build();
    let r = run_with(
        app,
        r#"
        wx.login({ timeout: 50, success: r => console.log('success?!', r.code),
            fail: e => console.log('fail', JSON.stringify(e)), complete: () => console.log('complete') });
        wx.login({ timeout: 50 }).catch(e => console.log('rejected', e.errMsg));
        wx.login({ success: r => console.log('no timeout', r.code) });
        "#,
    );
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "complete",
            r#"fail {"errMsg":"request timeout"}"#,
            "no timeout late-code",
            "rejected request timeout",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn can_i_use_answers_sections_bare_classes_and_refuses_non_strings_as_wechat_does() {
    let r = run(r#"
        console.log(wx.canIUse('request.success'), wx.canIUse('request.object'), wx.canIUse('SocketTask'),
            wx.canIUse('RequestTask.offHeadersReceived'), wx.canIUse('SocketTask.offOpen'));
        console.log(wx.canIUse(), wx.canIUse(''), wx.canIUse('wx.request'), wx.canIUse('getSystemInfo.object'));
        try { wx.canIUse(1) } catch (e) { console.log(e.message) }
    "#);
    assert_eq!(
        r.stdout,
        "true true true true false\nfalse false false false\nAPP-SERVICE-SDK:canIUse: schema should be a string\n",
        "{}",
        r.stderr
    );
}

#[test]
fn off_removes_every_copy_and_bad_listeners_are_reported_not_thrown() {
    let r = run_limited(
        App::builder("wx-listeners")
            .data_dir(data_dir("listeners"))
            .build(),
        r#"
        let calls = 0;
        const f = () => { calls++ };
        wx.onCompassChange(f);
        wx.onCompassChange(f);
        wx.onCompassChange(() => {
            console.log('twice per reading:', calls);
            wx.offCompassChange(f);               // every copy
            wx.offCompassChange(null);            // and then everything
            setTimeout(() => console.log('after off:', calls), 500);
        });
        wx.onCompassChange(42);                   // reported, not thrown
        wx.offCompassChange('nope');
        console.log('still running');
        "#,
        Some(Duration::from_secs(3)),
    );
    assert_eq!(
        r.stdout, "still running\ntwice per reading: 2\nafter off: 2\n",
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr,
        "onCompassChange should accept a function instead of number\n\
         offCompassChange should accept a function instead of string\n"
    );
    assert_eq!(r.uncaught, 0);
}

#[test]
fn legacy_socket_listeners_keep_the_last_one_and_follow_the_first_live_socket() {
    let server = websocket();
    let r = run(&format!(
        r#"
        console.log(typeof wx.offSocketOpen, typeof wx.offSocketMessage, typeof wx.offSocketError, typeof wx.offSocketClose);
        wx.onSocketOpen(() => console.log('replaced listener?!'));
        wx.onSocketOpen(res => console.log('legacy open', Object.keys(res).join(',')));
        const first = wx.connectSocket({{ url: '{ws}' }});
        const second = wx.connectSocket({{ url: '{ws}' }});
        let opened = 0;
        const both = () => {{
            if (++opened < 2) return;
            // The legacy API talks to the first connection, not the newest.
            wx.onSocketMessage(m => {{
                console.log('legacy message', m.data);
                first.close({{}});
                second.close({{}});
            }});
            second.onMessage(m => console.log('second got?!', m.data));
            wx.sendSocketMessage({{ data: 'to the first' }});
        }};
        first.onOpen(both);
        second.onOpen(both);
        "#,
        ws = server.ws_url("/"),
    ));
    assert_eq!(
        r.stdout,
        "undefined undefined undefined undefined\nlegacy open header\nlegacy message echo:to the first\n",
        "{}",
        r.stderr
    );
}
