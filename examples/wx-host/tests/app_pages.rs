//! Issue 12, App and Page through JS in the host: `App()`/`getApp()`, launch
//! options, app handlers and the matching `wx.on*` listeners, foreground and
//! background order, `Page()`'s rules, instances, `setData`, Component pages,
//! `getCurrentPages`, and the test driver's event objects.

mod common;
use common::{run_package, write_package};
use wx_host::Launch;

fn app(name: &str, app_js: &str, pages: &[(&str, &str)]) -> std::path::PathBuf {
    let routes: Vec<String> = pages
        .iter()
        .map(|(route, _)| format!("\"{route}\""))
        .collect();
    let app_json = format!("{{ \"pages\": [{}] }}", routes.join(", "));
    let files: Vec<(String, String)> = pages
        .iter()
        .map(|(route, js)| (format!("{route}.js"), js.to_string()))
        .chain([
            ("app.json".to_owned(), app_json),
            ("app.js".to_owned(), app_js.to_owned()),
        ])
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_package(name, &borrowed)
}

#[test]
fn app_get_app_launch_options_and_handlers_registered_before_on_launch() {
    let dir = app(
        "app-launch",
        r#"
        globalThis.before = getApp()
        getApp({ allowDefault: true }).fromPlaceholder = 'kept'
        globalThis.seen = []
        wx.onAppShow(o => seen.push('wx.onAppShow ' + o.path))
        App({
            globalData: { n: 1 },
            onLaunch(o) { seen.push('onLaunch ' + JSON.stringify(o)); throw new Error('launch broke') },
            onShow(o) { seen.push('onShow ' + o.scene) },
            onError(message) { seen.push('App.onError ' + message.split('\n')[0]) },
            helper() { return this.globalData.n },
        })
        "#,
        &[("pages/a/a", "Page({})"), ("pages/b/b", "Page({})")],
    );
    let launch = Launch {
        path: Some("pages/b/b?x=1".into()),
        scene: 1011.0,
    };
    let run = run_package(
        &dir,
        launch,
        r#"
        expect(globalThis.before).toBe(undefined)
        expect(getApp().fromPlaceholder).toBe('kept')
        expect(getApp().helper()).toBe(1)
        expect(seen).toEqual([
            'onLaunch {"path":"pages/b/b","query":{"x":"1"},"scene":1011,"referrerInfo":{}}',
            'App.onError Error: launch broke',
            'onShow 1011',
            'wx.onAppShow pages/b/b',
        ])
        expect(getCurrentPages()[0].route).toBe('pages/b/b')
    "#,
    );
    // The hook's error is reported (and counted) and the run went on.
    assert_eq!(
        (run.uncaught, run.failed),
        (1, 0),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains("Uncaught Error: launch broke"),
        "{}",
        run.stderr
    );
}

#[test]
fn background_and_foreground_in_wechat_order() {
    let dir = app(
        "app-background",
        r#"
        globalThis.seen = []
        wx.onAppHide(() => seen.push('wx.onAppHide'))
        wx.onAppShow(o => seen.push('wx.onAppShow ' + o.path))
        App({ onShow(o) { seen.push('App.onShow ' + o.path + ' ' + JSON.stringify(o.query)) }, onHide() { seen.push('App.onHide') } })
        "#,
        &[
            (
                "pages/a/a",
                "Page({ onShow() { seen.push('a.onShow') }, onHide() { seen.push('a.onHide') } })",
            ),
            (
                "pages/b/b",
                "Page({ onShow() { seen.push('b.onShow') }, onHide() { seen.push('b.onHide') } })",
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        await wx.navigateTo({ url: '/pages/b/b?k=v' })
        seen.length = 0
        miniProgram.hide()
        miniProgram.show()
        expect(seen).toEqual([
            'b.onHide', 'App.onHide', 'wx.onAppHide',
            'App.onShow pages/b/b {"k":"v"}', 'wx.onAppShow pages/b/b', 'b.onShow',
        ])
    "#,
    );
    run.assert_passed();
}

#[test]
fn unhandled_rejections_and_errors_reach_the_app_and_wx_listeners() {
    let dir = app(
        "app-errors",
        r#"
        globalThis.seen = []
        wx.onError(m => seen.push('wx.onError ' + m.split('\n')[0]))
        App({
            onUnhandledRejection({ reason, promise }) { seen.push('App.onUnhandledRejection ' + reason + ' ' + (promise instanceof Promise)) },
        })
        "#,
        &[(
            "pages/a/a",
            "Page({ onTap() { throw new TypeError('tap broke') } })",
        )],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        Promise.reject('nobody caught me')
        setTimeout(() => miniProgram.currentPage().onTap(), 0)
        await miniProgram.idle()
        expect(seen).toEqual(['App.onUnhandledRejection nobody caught me true', 'wx.onError TypeError: tap broke'])
    "#,
    );
    assert_eq!(
        (run.uncaught, run.failed),
        (2, 0),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_missing_launch_page_fires_on_page_not_found_then_opens_the_entry_page() {
    let dir = app(
        "app-not-found",
        r#"globalThis.seen = []; App({ onPageNotFound(res) { seen.push(res) } })"#,
        &[("pages/a/a", "Page({})"), ("pages/b/b", "Page({})")],
    );
    let launch = Launch {
        path: Some("pages/gone/gone?id=3".into()),
        ..Launch::default()
    };
    let run = run_package(
        &dir,
        launch,
        r#"
        expect(seen).toEqual([{ path: 'pages/gone/gone', query: { id: '3' }, isEntryPage: true }])
        expect(getCurrentPages().map(p => p.route)).toEqual(['pages/a/a'])
    "#,
    );
    run.assert_passed();
    // A listener that routes decides where the launch goes.
    let dir = app(
        "app-not-found-redirect",
        r#"App({ onPageNotFound() { wx.redirectTo({ url: '/pages/b/b' }) } })"#,
        &[("pages/a/a", "Page({})"), ("pages/b/b", "Page({})")],
    );
    let launch = Launch {
        path: Some("pages/gone/gone".into()),
        ..Launch::default()
    };
    let run = run_package(
        &dir,
        launch,
        r#"
        expect(getCurrentPages().map(p => p.route)).toEqual(['pages/b/b'])
    "#,
    );
    run.assert_passed();
}

#[test]
fn page_registration_errors_are_wechats() {
    let dir = app(
        "page-rules",
        r#"
        try { Page({}) } catch (e) { console.log(e.message) }
        require('./util')
        App({})
        "#,
        &[(
            "pages/a/a",
            "Page({})\ntry { Page({}) } catch (e) { console.log(e.message) }",
        )],
    );
    std::fs::write(
        dir.join("util.js"),
        "try { Page({}) } catch (e) { console.log(e.message, e.type) }",
    )
    .unwrap();
    let run = run_package(&dir, Launch::default(), "");
    assert_eq!(
        run.stdout,
        "APP-SERVICE-Engine:Please do not call Page constructor in files that not listed in \"pages\" section of app.json or plugin.json\n\
         APP-SERVICE-Engine:Please do not call Page constructor in files that not listed in \"pages\" section of app.json or plugin.json AppServiceEngineKnownError\n\
         APP-SERVICE-Engine:Please do not register multiple Pages in pages/a/a.js\n"
    );
}

#[test]
fn instances_set_data_and_get_current_pages() {
    let dir = app(
        "page-instances",
        "App({})",
        &[
            ("pages/a/a", "Page({})"),
            (
                "pages/list/list",
                r#"Page({
                data: { items: [{ done: false }, { done: false }, { done: false }], nested: { deep: { n: 1 } } },
                onLoad(query) { this.loadedWith = query },
            })"#,
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        await wx.navigateTo({ url: '/pages/list/list?id=1' })
        await wx.navigateTo({ url: '/pages/list/list?id=2' })
        const [, one, two] = getCurrentPages()
        expect(getCurrentPages() !== getCurrentPages()).toBe(true)
        expect([one.route, one.options, two.options, one.loadedWith]).toEqual(['pages/list/list', { id: '1' }, { id: '2' }, { id: '1' }])
        one.setData({ 'items[2].done': true, 'nested.deep.n': 5, 'made.up[1].path': 'x', plain: [1] })
        expect(one.data.items[2].done).toBe(true)
        expect(one.data.nested.deep.n).toBe(5)
        expect(one.data.made).toEqual({ up: [undefined, { path: 'x' }] })
        // Each instance has its own deep copy of `data`.
        expect(two.data.items[2].done).toBe(false)
        expect(two.data.nested.deep.n).toBe(1)
        let called = false
        one.setData({ x: 1 }, function () { called = this === one })
        expect(called).toBe(false)   // after the (absent) render, not during setData
        await miniProgram.idle()
        expect(called).toBe(true)
        let error = ''
        try { one.setData('nope') } catch (e) { error = e.message }
        expect(error).toBe('setData: the data to set must be an object, not string')
        // Hostile paths: nothing reaches Object.prototype.
        for (const path of ['__proto__.polluted', 'a.__proto__.polluted', 'x[0].__proto__']) {
            error = ''
            try { one.setData({ [path]: 1 }) } catch (e) { error = e.message }
            expect(error).toBe('setData: invalid data path "' + path + '"')
        }
        one.setData({ 'toString.x': 1, 'constructor.y': 2 })
        expect([({}).polluted, one.data.toString.x, typeof Object.prototype.x]).toEqual([undefined, 1, 'undefined'])
        for (const path of ['a..b', '[x]', 'a[', '']) {
            error = ''
            try { one.setData({ [path]: 1 }) } catch (e) { error = e.message }
            expect(error).toBe('setData: invalid data path "' + path + '"')
        }
    "#,
    );
    run.assert_passed();
}

#[test]
fn component_pages_run_lifetimes_page_lifetimes_and_methods() {
    let dir = app(
        "component-page",
        "globalThis.seen = []; App({})",
        &[
            ("pages/a/a", "Page({})"),
            (
                "pages/c/c",
                r#"Component({
                properties: { id: { type: String, value: 'none' }, other: { type: Number, value: 7 } },
                data: { count: 0 },
                lifetimes: { created() { seen.push('created') }, attached() { seen.push('attached') }, ready() { seen.push('ready') }, detached() { seen.push('detached') } },
                pageLifetimes: { show() { seen.push('show') }, hide() { seen.push('hide') } },
                methods: {
                    onLoad(q) { seen.push('onLoad ' + q.id) },
                    onShow() { seen.push('onShow') },
                    onUnload() { seen.push('onUnload') },
                    bump(e) { this.setData({ count: this.data.count + e.currentTarget.dataset.by }) },
                },
            })"#,
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        await wx.navigateTo({ url: '/pages/c/c?id=9' })
        const page = miniProgram.currentPage()
        expect([page.data.id, page.data.other]).toEqual(['9', 7])
        miniProgram.tap(page, 'bump', { dataset: { by: 2 } })
        expect(page.data.count).toBe(2)
        await wx.navigateBack()
        expect(seen).toEqual(['created', 'attached', 'onLoad 9', 'onShow', 'show', 'ready', 'onUnload', 'detached'])
    "#,
    );
    run.assert_passed();
}

#[test]
fn the_driver_builds_wechat_shaped_events() {
    let dir = app(
        "driver-events",
        "App({})",
        &[("pages/a/a", "Page({ handle(e) { this.got = e } })")],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        const page = miniProgram.currentPage()
        miniProgram.trigger(page, 'handle', { type: 'input', dataset: { id: 3 }, detail: { value: 'hi' } })
        expect(page.got.type).toBe('input')
        expect(page.got.currentTarget.dataset).toEqual({ id: 3 })
        expect(page.got.target.dataset).toEqual({ id: 3 })
        expect(page.got.detail).toEqual({ value: 'hi' })
        expect(typeof page.got.timeStamp).toBe('number')
    "#,
    );
    run.assert_passed();
}

/// Seen in real projects: pages in `subpackages` (routes under their root).
#[test]
fn subpackage_pages_are_pages() {
    let dir = write_package(
        "subpackages",
        &[
            (
                "app.json",
                r#"{ "pages": ["pages/a/a"], "subpackages": [{ "root": "packageB/", "pages": ["pages/b/b"] }] }"#,
            ),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
            (
                "packageB/pages/b/b.js",
                "Page({ onLoad(q) { this.q = q } })",
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        await wx.navigateTo({ url: '/packageB/pages/b/b?from=a' })
        expect(miniProgram.currentPage().route).toBe('packageB/pages/b/b')
        expect(miniProgram.currentPage().q).toEqual({ from: 'a' })
    "#,
    );
    run.assert_passed();
}

/// Seen in a real project (a performance profiler): `setData` wrapped by
/// assigning `page.setData`. As in WeChat it is inherited, so that works.
#[test]
fn pages_may_wrap_their_own_set_data() {
    let dir = app(
        "wrap-set-data",
        "App({})",
        &[(
            "pages/a/a",
            r#"Page({
            onLoad() {
                const original = this.setData
                this.calls = 0
                this.setData = function (data, callback) { this.calls++; return original.call(this, data, callback) }
                this.setData({ n: 1 })
            }
        })"#,
        )],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        const page = miniProgram.currentPage()
        expect([page.calls, page.data.n]).toEqual([1, 1])
        expect(Object.keys(page).includes('getOpenerEventChannel')).toBe(false)
    "#,
    );
    run.assert_passed();
}

/// A common pattern: `App.onLaunch` sends the user elsewhere (a login page).
/// The route waits for the launch page, then runs, as in WeChat.
#[test]
fn routes_called_in_on_launch_run_after_the_launch_page_opens() {
    let dir = app(
        "route-in-launch",
        r#"globalThis.seen = []; App({ onLaunch() { wx.reLaunch({ url: '/pages/login/login', success: r => seen.push(r.errMsg) }); wx.navigateTo({ url: '/pages/a/a?second=1' }) } })"#,
        &[
            ("pages/a/a", "Page({ onLoad(q) { seen.push('a.load ' + JSON.stringify(q)) }, onUnload() { seen.push('a.unload') } })"),
            ("pages/login/login", "Page({ onLoad() { seen.push('login.load') } })"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        await miniProgram.idle()
        expect(getCurrentPages().map(p => p.route)).toEqual(['pages/login/login', 'pages/a/a'])
        expect(seen).toEqual(['a.load {}', 'a.unload', 'login.load', 'a.load {"second":"1"}', 'reLaunch:ok'])
    "#,
    );
    run.assert_passed();
}
