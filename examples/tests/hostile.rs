//! Hostile input through JS in the reference host: whatever the arguments, a
//! call fails cleanly (a WeChat-style error), settles once, and the host lives.

mod common;

use common::*;

fn run(source: &str) -> Run {
    run_app(&data_dir("hostile"), "wx-hostile", source)
}

#[test]
fn times_that_are_not_finite_or_out_of_range_are_parameter_errors_everywhere() {
    let r = run(r#"
        const bad = [Infinity, -Infinity, NaN, -1, 1e300, '5'];
        const calls = [
            t => wx.request({ url: 'http://127.0.0.1:9/', timeout: t, fail: e => report('request', t, e) }),
            t => wx.downloadFile({ url: 'http://127.0.0.1:9/', timeout: t, fail: e => report('downloadFile', t, e) }),
            t => wx.uploadFile({ url: 'http://127.0.0.1:9/', filePath: 'wxfile://tmp/x', name: 'f', timeout: t,
                                 fail: e => report('uploadFile', t, e) }),
            t => wx.connectSocket({ url: 'ws://127.0.0.1:9/', timeout: t, fail: e => report('connectSocket', t, e) }),
            t => wx.login({ timeout: t, fail: e => report('login', t, e) }),
        ];
        const seen = {};
        function report(api, t, e) {
            const ok = e.errno === 1001 && e.errMsg.startsWith(api + ':fail parameter error: parameter.timeout should be');
            seen[api] = (seen[api] || 0) + (ok ? 1 : 0);
            if (!ok) console.log('unexpected', api, t, JSON.stringify(e));
        }
        for (const call of calls) for (const t of bad) call(t);
        setTimeout(() => console.log(JSON.stringify(seen)), 300);
    "#);
    assert_eq!(
        r.stdout,
        "{\"request\":6,\"downloadFile\":6,\"uploadFile\":6,\"connectSocket\":6,\"login\":6}\n",
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
