//! The storage family, through JS in the reference host.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn values_keep_their_js_type_through_a_round_trip() {
    let dir = data_dir("types");
    let r = run_app(
        &dir,
        "a",
        r#"
        const values = { s: 'text', n: 3.25, neg: -7, z: -0, b: false, nul: null, arr: [1, 'two', [3], { four: 4 }],
                         obj: { nested: { deep: [true] } }, d: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), big: 1e21 };
        for (const [k, v] of Object.entries(values)) wx.setStorageSync(k, v);
        const same = (a, b) => Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
        for (const [k, v] of Object.entries(values)) {
            const back = wx.getStorageSync(k);
            console.log(k, typeof back, same(back, v), back instanceof Date);
        }
        console.log(Object.is(wx.getStorageSync('z'), -0), wx.getStorageSync('d').toISOString());
    "#,
    );
    assert_eq!(
        r.stdout,
        "s string true false\nn number true false\nneg number true false\nz number true false\nb boolean true false\n\
         nul object true false\narr object true false\nobj object true false\nd object true true\nbig number true false\n\
         true 2024-01-02T03:04:05.000Z\n"
    );
    // A second run (a new process in real life) reads the same values back.
    let r = run_app(&dir, "a", "console.log(wx.getStorageSync('obj').nested.deep[0], wx.getStorageSync('d') instanceof Date)");
    assert_eq!(r.stdout, "true true\n");
}

#[test]
fn nested_values_are_stored_as_json_stringify_stores_them_and_the_top_level_keeps_its_type() {
    let dir = data_dir("json-semantics");
    let r = run_app(
        &dir,
        "a",
        r#"
        const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
        wx.setStorageSync('top', when);
        const top = wx.getStorageSync('top');
        console.log(top instanceof Date, top.getTime() === when.getTime());
        wx.setStorageSync('nested', {
            when, f() {}, u: undefined, n: NaN, inf: -Infinity, buf: new ArrayBuffer(2),
            list: [undefined, function () {}, NaN, -0], custom: { toJSON() { return 'custom!' } },
        });
        console.log(JSON.stringify(wx.getStorageSync('nested')));
        // No data at all stores "" (WeChat's setStorageSync(key)).
        wx.setStorageSync('empty');
        console.log(JSON.stringify(wx.getStorageSync('empty')));
        wx.setStorage({ key: 'nan', data: NaN, success: () => console.log('nan:', wx.getStorageSync('nan')) });
    "#,
    );
    assert_eq!(
        r.stdout,
        "true true\n\
         {\"when\":\"2024-01-02T03:04:05.000Z\",\"n\":null,\"inf\":null,\"buf\":{},\"list\":[null,null,null,0],\"custom\":\"custom!\"}\n\
         \"\"\n\
         nan: null\n",
        "{}",
        r.stderr
    );
}

#[test]
fn missing_keys_overwrites_and_removal() {
    let dir = data_dir("missing");
    let r = run_app(
        &dir,
        "a",
        r#"
        console.log(JSON.stringify(wx.getStorageSync('nope')));
        wx.getStorage({ key: 'nope', fail: e => console.log(e.errMsg) });
        wx.setStorage({ key: 'k', data: 1 });
        wx.setStorage({ key: 'k', data: 2, success: () => {
            console.log('overwritten:', wx.getStorageSync('k'));
            wx.removeStorage({ key: 'never-there', success: r => console.log(r.errMsg) });
            wx.removeStorageSync('k');
            console.log('removed:', JSON.stringify(wx.getStorageSync('k')));
        }});
    "#,
    );
    assert_eq!(
        r.stdout,
        "\"\"\ngetStorage:fail data not found\noverwritten: 2\nremoved: \"\"\nremoveStorage:ok\n"
    );
}

#[test]
fn calls_take_effect_in_the_order_they_were_made() {
    let dir = data_dir("order");
    let r = run_app(
        &dir,
        "a",
        r#"
        wx.setStorage({ key: 'k', data: 'async write' });
        console.log(wx.getStorageSync('k'));
        // Many async writes to one key: the last one made is the one that stays.
        for (let i = 0; i < 200; i++) wx.setStorage({ key: 'n', data: i });
        wx.getStorage({ key: 'n', success: r => console.log('after 200 writes:', r.data) });
        wx.setStorageSync('m', 'sync');
        wx.setStorage({ key: 'm', data: 'async' });
        wx.removeStorage({ key: 'm' });
        console.log(JSON.stringify(wx.getStorageSync('m')));
        wx.clearStorage();
        console.log(wx.getStorageInfoSync().keys.length);
    "#,
    );
    // Sync lines print first; the getStorage made before clearStorage still read 199.
    assert_eq!(r.stdout, "async write\n\"\"\n0\nafter 200 writes: 199\n");
}

#[test]
fn limits_refuse_without_touching_what_is_stored() {
    let dir = data_dir("limits");
    let r = run_app(
        &dir,
        "a",
        r#"
        const MB = 1024 * 1024;
        wx.setStorageSync('big', 'old');
        try { wx.setStorageSync('big', 'x'.repeat(MB + 1)) } catch (e) { console.log(e.message) }
        console.log(wx.getStorageSync('big'));
        // Ten values of 1,000,000 characters fit in 10 MB; the eleventh does not.
        for (let i = 0; i < 10; i++) wx.setStorageSync('fill' + i, String(i).repeat(1000000));
        let info = wx.getStorageInfoSync();
        console.log(info.keys.length, info.currentSize, info.limitSize);
        wx.setStorage({ key: 'fill10', data: 'y'.repeat(1000000), fail: e => {
            console.log(e.errMsg);
            const after = wx.getStorageInfoSync();
            console.log(after.keys.length, after.currentSize === info.currentSize, JSON.stringify(wx.getStorageSync('fill10')));
            // Overwriting a key counts its new size, not both.
            wx.setStorageSync('fill0', 'z'.repeat(1000000));
            console.log('overwrite fits', wx.getStorageSync('fill0')[0]);
        }});
    "#,
    );
    assert_eq!(
        r.stdout,
        "setStorageSync:fail exceed storage item max length\nold\n11 9766 10240\n\
         setStorage:fail exceed storage max size 10Mb\n11 true \"\"\noverwrite fits z\n"
    );
}

#[test]
fn encrypted_storage_round_trips_with_reduced_limits_and_is_not_plaintext_on_disk() {
    let dir = data_dir("encrypt");
    let r = run_app(
        &dir,
        "a",
        r#"
        const KB = 1024;
        wx.setStorage({ key: 'secret', data: { card: 'PLAINTEXT-MARKER-4242' }, encrypt: true, success: () => {
            wx.getStorage({ key: 'secret', encrypt: true, success: r => console.log('decrypted', r.data.card) });
            wx.getStorage({ key: 'secret', fail: r => console.log(r.errMsg) });
            try { wx.getStorageSync('secret') } catch (e) { console.log(e.message) }
            wx.setStorageSync('plain', 1);
            wx.getStorage({ key: 'plain', encrypt: true, fail: r => console.log(r.errMsg) });
            // 0.8 MB: too big encrypted (0.7 MB), fine in plain storage (1 MB).
            const data = 'e'.repeat(800 * KB);
            wx.setStorage({ key: 'e', data, encrypt: true, fail: r => console.log(r.errMsg) });
            wx.setStorage({ key: 'e', data, success: r => console.log('plain', r.errMsg) });
        }});
    "#,
    );
    // The Sync call throws at once, before the callbacks of the calls made just before it.
    assert_eq!(
        r.stdout,
        "getStorageSync:fail data is encrypted: read it with encrypt: true\n\
         decrypted PLAINTEXT-MARKER-4242\ngetStorage:fail data is encrypted: read it with encrypt: true\n\
         getStorage:fail data is not encrypted: read it without encrypt\n\
         setStorage:fail exceed storage item max length\nplain setStorage:ok\n"
    );
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(dir.join("a")).unwrap() {
        on_disk.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let marker = b"PLAINTEXT-MARKER-4242";
    assert!(
        !on_disk.windows(marker.len()).any(|w| w == marker),
        "the secret is on disk in plain text"
    );
}

#[test]
fn encrypted_total_is_limited_to_7_1_mb() {
    let dir = data_dir("encrypt-total");
    let r = run_app(
        &dir,
        "a",
        r#"
        for (let i = 0; i < 7; i++) wx.setStorageSync('p' + i, 'p'.repeat(1000000));
        wx.setStorage({ key: 'x', data: 'x'.repeat(700000), encrypt: true, fail: r => console.log(r.errMsg) });
        wx.setStorage({ key: 'y', data: 'y'.repeat(400000), encrypt: true, success: r => console.log(r.errMsg) });
    "#,
    );
    assert_eq!(
        r.stdout,
        "setStorage:fail exceed storage max size 7.1Mb\nsetStorage:ok\n"
    );
}

#[test]
fn apps_on_one_data_dir_never_see_count_or_clear_each_other() {
    let dir = data_dir("isolation");
    run_app(
        &dir,
        "wx-app-a",
        "wx.setStorageSync('shared-name', 'from a'); wx.setStorageSync('only-a', 1)",
    );
    let r = run_app(
        &dir,
        "wx-app-b",
        r#"
        console.log(JSON.stringify(wx.getStorageSync('shared-name')), wx.getStorageInfoSync().keys.length);
        wx.setStorageSync('shared-name', 'from b');
        wx.clearStorageSync();
    "#,
    );
    assert_eq!(r.stdout, "\"\" 0\n");
    let r = run_app(
        &dir,
        "wx-app-a",
        "console.log(wx.getStorageSync('shared-name'), wx.getStorageInfoSync().keys.join(','))",
    );
    assert_eq!(r.stdout, "from a shared-name,only-a\n");
}

#[test]
fn bad_arguments_get_the_parameter_error_format() {
    let dir = data_dir("args");
    let r = run_app(
        &dir,
        "a",
        r#"
        for (const call of [() => wx.setStorageSync(), () => wx.setStorageSync(3, 'x')]) {
            try { call() } catch (e) { console.log(e.message, e.errno) }
        }
        // As WeChat's base library: a key that is not a string reads nothing and
        // removes nothing, without throwing.
        console.log(wx.getStorageSync({}), wx.getStorageSync(1), wx.removeStorageSync(null), wx.removeStorageSync());
        wx.setStorage({ data: 1, fail: e => console.log(e.errMsg) });
        wx.getStorage({ key: 5, fail: e => console.log(e.errMsg) });
        wx.setStorage('key', 'value').catch(e => console.log(e.errMsg));
    "#,
    );
    assert_eq!(
        r.stdout,
        "setStorageSync:fail parameter error: parameter.key should be String instead of Undefined; 1001\n\
         setStorageSync:fail parameter error: parameter.key should be String instead of Number; 1001\n\
         undefined undefined undefined undefined\n\
         setStorage:fail parameter error: parameter.key should be String instead of Undefined;\n\
         getStorage:fail parameter error: parameter.key should be String instead of Number;\n\
         setStorage:fail parameter error: parameter should be Object instead of String;\n"
    );
}

#[test]
fn every_write_that_returned_survives_sigkill() {
    let dir = data_dir("sigkill");
    let dir_arg = dir.to_str().unwrap();
    let writer = "for (let i = 0; ; i++) { wx.setStorageSync('k' + i, { i, pad: 'x'.repeat(100) }); console.log(i) }";
    let mut child = cli(&["--data-dir", dir_arg, "--app-id", "crash", "-e", writer])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut last = 0;
    for line in lines.by_ref() {
        last = line.unwrap().parse::<u64>().unwrap();
        if last >= 2000 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no checkpoint
    child.wait().unwrap();
    // Lines printed while we were killing it are writes that returned too.
    for line in lines.map_while(Result::ok) {
        if let Ok(n) = line.parse::<u64>() {
            last = n;
        }
    }
    let check = format!(
        "let missing = 0; for (let i = 0; i <= {last}; i++) {{ const v = wx.getStorageSync('k' + i); if (!v || v.i !== i) missing++ }}\n\
         console.log('missing', missing)"
    );
    let output = cli(&["--data-dir", dir_arg, "--app-id", "crash", "-e", &check])
        .output()
        .unwrap();
    let (stdout, stderr, code) = text(&output);
    assert_eq!(
        (stdout.as_str(), code),
        ("missing 0\n", Some(0)),
        "{stderr}"
    );
    let db = rusqlite::Connection::open(dir.join("crash/storage.sqlite")).unwrap();
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
