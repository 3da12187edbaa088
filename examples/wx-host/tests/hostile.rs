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

#[test]
fn a_failed_download_leaves_the_file_already_there_untouched() {
    let server = common::server::http();
    let dir = data_dir("download-keep");
    let r = run_app(
        &dir,
        "wx-keep",
        &format!(
            r#"
            const filePath = `${{wx.env.USER_DATA_PATH}}/keep.bin`;
            wx.downloadFile({{ url: '{ok}', filePath, success: r => {{
                console.log('first', r.statusCode);
                const task = wx.downloadFile({{ url: '{slow}', filePath, fail: e => console.log('second', e.errMsg) }});
                task.onHeadersReceived(() => task.abort());
            }} }});
            "#,
            ok = server.url("/file?size=1000"),
            slow = server.url("/slow-body"),
        ),
    );
    assert_eq!(
        r.stdout, "first 200\nsecond downloadFile:fail abort\n",
        "{}",
        r.stderr
    );
    let usr = dir.join("wx-keep").join("usr");
    let kept = std::fs::read(usr.join("keep.bin")).unwrap();
    assert_eq!(kept.len(), 1000, "the first download's file is intact");
    let leftovers: Vec<_> = std::fs::read_dir(&usr)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no part file left behind: {leftovers:?}"
    );
}

#[test]
fn socket_close_codes_and_reasons_are_checked_and_messages_stay_bounded() {
    let server = common::server::websocket();
    let r = run(&format!(
        r#"
        const socket = wx.connectSocket({{ url: '{ws}' }});
        socket.onOpen(() => {{
            socket.close({{ code: 1001, fail: e => console.log(e.errno, e.errMsg) }});
            socket.close({{ code: 3000, reason: 'x'.repeat(124), fail: e => console.log(e.errMsg) }});
            socket.close({{ code: 4000, reason: 'bye', success: r => console.log(r.errMsg) }});
        }});
        socket.onClose(c => console.log('closed', c.code, c.reason));
        wx.closeSocket({{ code: 2000, fail: e => console.log(e.errMsg) }});
        wx.request({{ url: 'http://127.0.0.1:9/', method: 'x'.repeat(5000000), fail: e => console.log(e.errMsg.length < 2100) }});
        "#,
        ws = server.ws_url("/"),
    ));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "closeSocket:fail parameter error: parameter.code should be 1000 or from 3000 to 4999 instead of 2000;",
            "true",
            "1001 closeSocket:fail parameter error: parameter.code should be 1000 or from 3000 to 4999 instead of 1001;",
            "closeSocket:fail parameter error: parameter.reason should be at most 123 bytes instead of 124 bytes;",
            "closeSocket:ok",
            "closed 4000 bye",
        ],
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn the_sandbox_never_follows_a_symlink_out() {
    let server = common::server::http();
    let dir = data_dir("symlink");
    let outside = data_dir("symlink-target");
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    let usr = dir.join("wx-links").join("usr");
    std::fs::create_dir_all(&usr).unwrap();
    std::os::unix::fs::symlink(&outside, usr.join("link")).unwrap();
    let r = run_app(
        &dir,
        "wx-links",
        &format!(
            r#"
            const show = e => console.log(e.errMsg);
            wx.uploadFile({{ url: '{echo}', filePath: `${{wx.env.USER_DATA_PATH}}/link/secret.txt`, name: 'f', fail: show }});
            wx.downloadFile({{ url: '{file}', filePath: `${{wx.env.USER_DATA_PATH}}/link/planted.bin`, fail: show }});
            "#,
            echo = server.url("/echo"),
            file = server.url("/file?size=10"),
        ),
    );
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "downloadFile:fail permission denied, wxfile://usr/link/planted.bin is outside the mini-program's sandbox",
            "uploadFile:fail permission denied, wxfile://usr/link/secret.txt is outside the mini-program's sandbox",
        ],
        "{}",
        r.stderr
    );
    assert!(!outside.join("planted.bin").exists());
}

#[test]
fn every_redirect_hop_is_checked_against_the_list_of_the_api_making_the_request() {
    use wx_apis::network::{DomainList, NetworkConfig};
    let files = common::server::http();
    let api = common::server::http();
    let list = DomainList {
        request: vec![format!("http://{}", api.addr)],
        download_file: vec![format!("http://{}", files.addr)],
        upload_file: vec![format!("http://{}", files.addr)],
        https_only: false,
        ..DomainList::default()
    };
    let app = wx_core::App::builder("wx-hops")
        .data_dir(data_dir("hops"))
        .service(NetworkConfig {
            domains: Some(list),
            on_unchecked: None,
        })
        .build();
    let files_away = format!("{}?to={}", files.url("/redirect"), api.url("/json"));
    let r = run_with(
        app,
        &format!(
            r#"
            // Inside the downloadFile list: followed. Out to a host listed only for request: refused.
            wx.downloadFile({{ url: '{files_self}', success: r => console.log('inside', r.statusCode),
                fail: e => console.log('inside?!', e.errMsg) }});
            wx.downloadFile({{ url: '{files_away}', success: () => console.log('away?!'),
                fail: e => console.log('away', e.errMsg, e.errno) }});
            // An upload is a POST: a 302 is not followed as a body-less GET.
            wx.downloadFile({{ url: '{files_small}', success: d =>
                wx.uploadFile({{ url: '{files_self}', filePath: d.tempFilePath, name: 'f',
                    success: r => console.log('upload', r.statusCode) }}) }});
            "#,
            files_self = files.url("/redirect"),
            files_small = files.url("/file?size=10"),
        ),
    );
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "away downloadFile:fail url not in domain list 600002",
            "inside 200",
            "upload 302",
        ],
        "{}",
        r.stderr
    );
    assert_eq!(
        api.hits(),
        0,
        "nothing reached the host listed only for request"
    );
}

#[test]
fn conversion_costs_memory_in_proportion_to_what_is_there() {
    let r = run(r#"
        const sparse = []; sparse.length = 2 ** 31 - 1;
        try { wx.setStorageSync('k', sparse) } catch (e) { console.log(e.errno, e.message) }
        const huge = []; huge.length = 2 ** 32 - 1;    // past an int: no engine assertion
        wx.setStorage({ key: 'k', data: huge, fail: e => console.log('async', e.errno, e.errMsg) });
        // A typed array is the bytes it views (10 MB in, 10 MB through), not an object of 10M keys.
        const bytes = new Uint8Array(10 * 1024 * 1024); bytes[5] = 7;
        const view = new Uint16Array(bytes.buffer, 2, 2);
        wx.request({ url: 'http://127.0.0.1:9/', data: view, fail: () => console.log('view ok') });
        console.log(wx.canIUse('request'));
        // Small holes are fine: stored as JSON.stringify would (null).
        const few = [1]; few.length = 3;
        wx.setStorageSync('few', few);
        console.log(JSON.stringify(wx.getStorageSync('few')));
    "#);
    assert_eq!(
        r.stdout,
        "1001 setStorageSync:fail parameter error: the arguments hold more than 4194304 values\n\
         true\n[1,null,null]\n\
         async 1001 setStorage:fail parameter error: the arguments hold more than 4194304 values\n\
         view ok\n",
        "{}",
        r.stderr
    );
}

#[test]
fn a_getter_that_calls_wx_does_not_free_the_outer_calls_callbacks() {
    let r = run(r#"
        // The outer callbacks are converted first; then the getter re-enters wx
        // while the outer call's arguments are still being converted.
        const options = {
            key: 'outer',
            success: () => console.log('outer success'),
            complete: () => console.log('outer complete'),
            get data() {
                wx.getStorage({ key: 'none', fail: e => console.log('inner', e.errMsg) });
                return 1;
            },
        };
        wx.setStorage(options);
    "#);
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "inner getStorage:fail data not found",
            "outer complete",
            "outer success"
        ],
        "{}",
        r.stderr
    );
    assert_eq!(r.retained, 0);
}

#[test]
fn frozen_sealed_and_non_extensible_functions_work_as_callbacks_and_listeners() {
    let r = run_limited(
        wx_core::App::builder("wx-frozen")
            .data_dir(data_dir("frozen"))
            .build(),
        r#"
        const done = Object.freeze(() => console.log('frozen success'));
        const sealed = Object.seal(function () { console.log('sealed complete') });
        const listener = Object.preventExtensions(r => {
            console.log('compass', typeof r.direction);
            wx.offCompassChange(listener);      // found again: same identity
        });
        wx.getStorageInfo({ success: done, complete: sealed });
        wx.onCompassChange(listener);
        "#,
        Some(std::time::Duration::from_secs(2)),
    );
    assert_eq!(
        r.stdout, "frozen success\nsealed complete\ncompass number\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 0);
}

#[test]
fn a_script_that_finds_the_function_id_symbol_cannot_make_callbacks_call_each_other() {
    let r = run(r#"
        const first = () => console.log('first');
        wx.getStorageInfo({ success: first });
        const [key] = Object.getOwnPropertySymbols(first);
        console.log('symbol', typeof key, String(key));
        // The id is the function's own, and fixed.
        console.log('hidden', Object.keys(first).length, JSON.stringify(Object.getOwnPropertyDescriptor(first, key).writable));
        const id = first[key];
        first[key] = id + 1;
        console.log('unchanged', first[key] === id);
        console.log('delete', delete first[key]);
        // An id inherited from Function.prototype is not a function's own.
        Object.defineProperty(Function.prototype, key, { value: first[key], configurable: true });
        wx.getStorageInfo({ success: () => console.log('second') });
        wx.getStorageInfo({ success: () => console.log('third') });
        // A setter there never sees the id of a new function either.
        delete Function.prototype[key];
        Object.defineProperty(Function.prototype, key, { set() { console.log('setter ran') }, configurable: true });
        wx.getStorageInfo({ success: () => console.log('fourth') });
    "#);
    assert_eq!(
        r.stdout,
        "symbol symbol Symbol(wx.functionId)\nhidden 0 false\nunchanged true\ndelete false\nfirst\nsecond\nthird\nfourth\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 0);
    assert_eq!(r.retained, 0);
}

#[test]
fn every_call_settles_even_when_its_result_cannot_be_built_in_js() {
    let r = run(r#"
        wx.setStorageSync('when', new Date(0));
        // A throwing setter on Object.prototype: results are defined, not assigned.
        Object.defineProperty(Object.prototype, 'errMsg', { set() { throw new Error('trap') }, configurable: true });
        wx.getStorageInfo({ success: r => console.log('info', r.errMsg) });
        wx.getStorage({ key: 'none', fail: r => console.log('plain result', Object.getPrototypeOf(r) === Object.prototype) });
        setTimeout(() => {
            delete Object.prototype.errMsg;
            // User code replaced Date: the Date result cannot be built; the call fails instead of vanishing.
            globalThis.Date = 5;
            wx.getStorage({ key: 'when', success: () => console.log('success?!'),
                fail: e => console.log('fail', e.errMsg.split(':').slice(0, 2).join(':')),
                complete: () => console.log('complete') });
            wx.getStorage({ key: 'when' }).catch(e => console.log('rejected', e.errMsg.startsWith('getStorage:fail internal error')));
        }, 10);
    "#);
    assert_eq!(
        r.stdout,
        "info getStorageInfo:ok\nplain result true\nfail getStorage:fail internal error\ncomplete\nrejected true\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.retained, 0);
}

#[test]
fn setters_on_the_prototypes_never_see_or_change_a_result() {
    let r = run(r#"
        wx.setStorageSync('a', [1, 2]);
        wx.setStorageSync('b', { x: 1 });
        // Setters for an array index and a key: results are defined as JSON.parse makes them.
        Object.defineProperty(Array.prototype, '0', { set() { console.log('array setter ran') }, configurable: true });
        Object.defineProperty(Object.prototype, 'x', { set() { console.log('object setter ran') }, configurable: true });
        const a = wx.getStorageSync('a');
        const b = wx.getStorageSync('b');
        const keys = wx.getStorageInfoSync().keys;
        console.log(a[0], a.length, Object.keys(a).join(), b.x, keys.join());
        delete Array.prototype[0];
        delete Object.prototype.x;
    "#);
    assert_eq!(r.stdout, "1 2 0,1 1 a,b\n", "{}", r.stderr);
    assert_eq!(r.uncaught, 0);
}

#[test]
fn response_bodies_are_capped_whatever_the_server_sends() {
    let server = common::server::http();
    let r = run(&format!(
        r#"
        wx.request({{ url: '{big}', fail: e => console.log(e.errno, e.errMsg) }});
        wx.request({{ url: '{huge}', fail: e => console.log(e.errno, e.errMsg) }});
        wx.request({{ url: '{small}', success: r => console.log('small', r.data.length) }});
        "#,
        big = server.url("/stream?mb=80"),
        huge = server.url("/huge"),
        small = server.url("/stream?mb=2"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "600001 request:fail response data exceeds the limit of 67108864 bytes",
            "600001 request:fail response data exceeds the limit of 67108864 bytes",
            "small 2097152",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn user_data_never_collides_with_internal_markers_and_keys_stay_whole() {
    let server = common::server::http();
    let r = run(&format!(
        r#"
        for (const data of [{{ '$wx::Date': 5, keep: 1 }}, {{ '$wx::Date': 5 }}, {{ '$wx::Function': 1 }}, {{ $wx: 'date', value: 1 }}]) {{
            wx.setStorageSync('k', data);
            console.log(JSON.stringify(wx.getStorageSync('k')));
        }}
        wx.setStorageSync('keys', {{ ['a\u0000b']: 1, ['\uD800x']: 2 }});
        const keys = Object.keys(wx.getStorageSync('keys'));
        console.log(keys.length, keys[0] === 'a\u0000b', keys[1] === '\uFFFDx');
        wx.request({{ url: '{echo}', method: 'POST', data: {{ a: 1, f() {{}}, d: new Date(0), u: undefined, n: NaN }},
            success: r => console.log(r.data.body) }});
        "#,
        echo = server.url("/echo"),
    ));
    assert_eq!(
        r.stdout,
        "{\"$wx::Date\":5,\"keep\":1}\n{\"$wx::Date\":5}\n{\"$wx::Function\":1}\n{\"$wx\":\"date\",\"value\":1}\n\
         2 true true\n\
         {\"a\":1,\"d\":\"1970-01-01T00:00:00.000Z\",\"n\":null}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn a_chain_of_zero_ms_timers_does_not_starve_settlements() {
    let r = run_limited(
        wx_core::App::builder("wx-fair")
            .data_dir(data_dir("fair"))
            .build(),
        r#"
        let ticks = 0, settled = false;
        (function tick() { ticks++; if (!settled && ticks < 100000) setTimeout(tick, 0) })();
        wx.getStorageInfo({ success: () => { settled = true; console.log('settled while the chain ran:', ticks < 100000) } });
        "#,
        Some(std::time::Duration::from_secs(20)),
    );
    assert_eq!(
        r.stdout, "settled while the chain ran: true\n",
        "{}",
        r.stderr
    );
}

#[test]
fn a_promise_job_loop_is_stopped_by_the_close_time() {
    let started = std::time::Instant::now();
    let r = run_limited(
        wx_core::App::builder("wx-jobs")
            .data_dir(data_dir("jobs"))
            .build(),
        "function f() { return Promise.resolve().then(f) } f(); console.log('started')",
        Some(std::time::Duration::from_millis(300)),
    );
    assert_eq!(r.stdout, "started\n", "{}", r.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Two hosts (two processes in real life) of one app over one data folder.
#[test]
fn two_hosts_of_one_app_share_one_quota_and_one_count() {
    let dir = data_dir("two-hosts");
    let open = || {
        let console = wx_host::CapturedConsole::default();
        let app = wx_core::App::builder("wx-shared")
            .data_dir(dir.join("wx-shared"))
            .build();
        (
            wx_host::MiniProgram::new(app, console.clone()).unwrap(),
            console,
        )
    };
    wx_host::link_apis();
    let ((a, a_out), (b, b_out)) = (open(), open());
    // Both opened before either wrote: each would have counted 0 bytes in memory.
    a.eval("a.js", "console.log(wx.getStorageInfoSync().currentSize)");
    b.eval("b.js", "console.log(wx.getStorageInfoSync().currentSize)");
    let fill = |who: &str| {
        format!(
            "let stored = 0; for (let i = 0; i < 7; i++) {{ try {{ wx.setStorageSync('{who}' + i, 'x'.repeat(1000 * 1000)); stored++ }} catch (e) {{ console.log(e.message) }} }} console.log('{who} stored', stored)"
        )
    };
    a.eval("a.js", &fill("a"));
    b.eval("b.js", &fill("b"));
    b.eval(
        "b.js",
        "console.log('b sees', wx.getStorageInfoSync().currentSize)",
    );
    // A removes what B wrote: the count goes down, never below zero.
    a.eval("a.js", "for (let i = 0; i < 7; i++) wx.removeStorageSync('b' + i); console.log('a sees', wx.getStorageInfoSync().currentSize)");
    b.eval(
        "b.js",
        "wx.clearStorageSync(); console.log('b sees', wx.getStorageInfoSync().currentSize)",
    );
    assert_eq!(a_out.stdout(), "0\na stored 7\na sees 6836\n");
    assert_eq!(
        b_out.stdout(),
        "0\nsetStorageSync:fail exceed storage max size 10Mb\nsetStorageSync:fail exceed storage max size 10Mb\n\
         setStorageSync:fail exceed storage max size 10Mb\nsetStorageSync:fail exceed storage max size 10Mb\n\
         b stored 3\nb sees 9766\nb sees 0\n",
        "{}",
        b_out.stderr()
    );
}

#[test]
fn a_database_another_process_holds_is_waited_for_not_failed_for_good() {
    let dir = data_dir("locked");
    let db_dir = dir.join("wx-locked");
    std::fs::create_dir_all(&db_dir).unwrap();
    let other = rusqlite::Connection::open(db_dir.join("storage.sqlite")).unwrap();
    other
        .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .unwrap();
    other
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE held (x);")
        .unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    let r = run_app(
        &dir,
        "wx-locked",
        "wx.setStorageSync('k', 1); console.log(wx.getStorageSync('k'))",
    );
    release.join().unwrap();
    assert_eq!(r.stdout, "1\n", "{}", r.stderr);
}

#[test]
fn data_views_convert_as_the_bytes_they_view() {
    let server = common::server::http();
    let r = run(&format!(
        r#"
        const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
        const view = new DataView(bytes.buffer, 1, 3);
        wx.request({{ url: '{echo}', method: 'POST', data: view, success: r => console.log(JSON.stringify(r.data.body)) }});
        "#,
        echo = server.url("/echo"),
    ));
    assert_eq!(r.stdout, "\"\\u0002\\u0003\\u0004\"\n", "{}", r.stderr);
}

/// A sync call reads strings and primitives where the engine holds them; what
/// that road cannot take as it is (lone surrogates, objects, a wrong type)
/// goes through the converter, and the result must be the same either way.
#[test]
fn sync_arguments_read_in_place_decode_as_converted_ones_do() {
    let r = run(r#"
        const out = [];
        const attempt = f => { try { return f(); } catch (e) { return e.message; } };
        // A lone surrogate becomes U+FFFD (the converter's rule); a NUL stays inside.
        wx.setStorageSync('lone\uD800', 1);
        wx.setStorageSync('a\u0000b', 'nul');
        out.push(wx.getStorageInfoSync().keys.includes('lone\uFFFD'));
        out.push(wx.getStorageSync('lone\uFFFD'), wx.getStorageSync('a\u0000b'), wx.getStorageSync('a'));
        // Primitives as `data` (a Value) and as the result.
        for (const v of [0, -0, 1.5, true, null, 'text']) {
            wx.setStorageSync('p', v);
            const back = wx.getStorageSync('p');
            out.push(Object.is(back, v));
        }
        // Wrong types: the same WeChat texts on every road.
        out.push(attempt(() => wx.setStorageSync(42, 1)));
        out.push(attempt(() => wx.setStorageSync({ toJSON() { return 'k'; } }, 1)) === undefined);
        out.push(wx.getStorageSync({ toJSON() { return 'k'; } }) === 1);
        out.push(attempt(() => wx.setStorageSync(true, 1)));
        console.log(JSON.stringify(out));
    "#);
    assert_eq!(
        r.stdout,
        concat!(
            r#"[true,1,"nul","",true,true,true,true,true,true,"#,
            r#""setStorageSync:fail parameter error: parameter.key should be String instead of Number;",true,true,"#,
            r#""setStorageSync:fail parameter error: parameter.key should be String instead of Boolean;"]"#,
            "\n"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn wx_functions_and_native_methods_behave_as_ordinary_functions() {
    let server = common::server::http();
    let r = run(&r#"
        const f = wx.getStorageSync;
        console.log(typeof f, f.name, f.length, Object.getPrototypeOf(f) === Function.prototype);
        wx.setStorageSync('k', 'v');
        // Called detached, through call/apply/bind, with extra arguments.
        console.log(f('k'), f.call(null, 'k'), f.apply(undefined, ['k', 1, 2]), f.bind(null, 'k')());
        try { new f('k'); } catch (e) { console.log(e instanceof TypeError); }
        try { wx.setStorageSync(); } catch (e) { console.log(e.message); }
        // An exception thrown while an argument is read is the parameter error's reason.
        const hostile = { get key() { throw new RangeError('from a getter'); } };
        try { wx.setStorageSync(hostile, 1); } catch (e) { console.log(e.message); }
        try { wx.setStorageSync('k', { toJSON() { throw 'nope'; } }); } catch (e) { console.log(e.message); }
        // A native object's method, taken off the object.
        const task = wx.request({ url: 'SLOW', fail: e => console.log(e.errMsg) });
        const abort = task.abort;
        console.log(typeof abort, abort.name, abort.length);
        abort();
        // Methods are the class's, as a class's are: one function per object
        // once read, not enumerable; assigning one shadows it.
        console.log(task.abort === abort, Object.keys(task).length, 'abort' in task);
        task.onHeadersReceived = 5;
        console.log(task.onHeadersReceived, Object.keys(task).join());
        // Read from anything but one of the class's objects: a TypeError,
        // never a handle taken from what a script made.
        const read = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(task), 'offHeadersReceived').get;
        const other = wx.downloadFile({ url: 'SLOW', fail() {} });
        for (const fake of [{}, Object.create(task), other, 1]) {
            try { read.call(fake); console.log('read'); } catch (e) { console.log(e.constructor.name, e.message); }
        }
        other.abort();
        // A frozen object's methods still work (made anew on each read).
        const frozen = Object.freeze(wx.request({ url: 'SLOW', fail: e => console.log('frozen', e.errMsg) }));
        console.log(typeof frozen.abort, Object.isFrozen(frozen));
        frozen.abort();
    "#
    .replace("SLOW", &server.url("/slow-headers")));
    assert_eq!(
        r.stdout,
        "function getStorageSync 0 true\n\
         v v v v\n\
         true\n\
         setStorageSync:fail parameter error: parameter.key should be String instead of Undefined;\n\
         setStorageSync:fail parameter error: RangeError: from a getter\n\
         setStorageSync:fail parameter error: nope\n\
         function abort 0\n\
         true 0 true\n\
         5 onHeadersReceived\n\
         TypeError RequestTask.offHeadersReceived called on an object that is not a RequestTask\n\
         TypeError RequestTask.offHeadersReceived called on an object that is not a RequestTask\n\
         TypeError RequestTask.offHeadersReceived called on an object that is not a RequestTask\n\
         TypeError RequestTask.offHeadersReceived called on an object that is not a RequestTask\n\
         function true\n\
         request:fail abort\n\
         frozen request:fail abort\n",
        "{}",
        r.stderr
    );
    assert_eq!(r.uncaught, 0);
}
