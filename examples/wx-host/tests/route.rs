//! Issue 12, the route family through JS in the host: url resolution, the
//! query `onLoad` gets, WeChat's refusals, `delta`, tab pages, the lifecycle
//! order of every route type, and navigateTo's EventChannel.

mod common;
use common::{run_package, write_package, PackageRun};
use wx_host::Launch;

const APP_JSON: &str = r#"{
  "pages": ["pages/home/home", "pages/list/list", "pages/list/more", "pages/detail/detail", "pages/me/me"],
  "tabBar": { "list": [
    { "pagePath": "pages/home/home", "text": "Home" },
    { "pagePath": "pages/me/me", "text": "Me" }
  ] }
}"#;

/// Every page logs its lifecycle calls into `globalThis.log` as `name.hook`.
const LOGGER: &str = r#"
globalThis.log = globalThis.log || []
module.exports = function page(name, extra) {
  const options = {}
  for (const hook of ['onLoad', 'onShow', 'onReady', 'onHide', 'onUnload']) {
    options[hook] = function (query) {
      log.push(name + '.' + hook.slice(2).toLowerCase() + (hook === 'onLoad' && Object.keys(query).length ? JSON.stringify(query) : ''))
    }
  }
  return Object.assign(options, extra)
}
"#;

fn run(test: &str) -> PackageRun {
    let dir = write_package(
        "route",
        &[
            ("app.json", APP_JSON),
            ("app.js", "App({})"),
            ("log.js", LOGGER),
            ("pages/home/home.js", "Page(require('../../log')('home'))"),
            ("pages/list/list.js", "Page(require('../../log')('list'))"),
            ("pages/list/more.js", "Page(require('../../log')('more'))"),
            (
                "pages/detail/detail.js",
                "Page(require('../../log')('detail'))",
            ),
            ("pages/me/me.js", "Page(require('../../log')('me'))"),
        ],
    );
    let run = run_package(&dir, Launch::default(), test);
    run.assert_passed();
    run
}

/// The lifecycle calls made by `steps`, one line per step.
const TAKE: &str = "const take = () => { const out = log.join(' '); log.length = 0; return out }\n";

#[test]
fn every_route_type_calls_lifecycles_in_wechat_order() {
    run(&(TAKE.to_owned()
        + r#"
        expect(take()).toBe('home.load home.show home.ready')
        await wx.navigateTo({ url: '/pages/list/list?x=1' })
        expect(take()).toBe('home.hide list.load{"x":"1"} list.show list.ready')
        await wx.navigateTo({ url: 'more' })                   // beside pages/list/list
        expect(take()).toBe('list.hide more.load more.show more.ready')
        await wx.redirectTo({ url: '../detail/detail?id=7' })
        expect(take()).toBe('more.unload detail.load{"id":"7"} detail.show detail.ready')
        await wx.navigateBack({ delta: 5 })                    // beyond the stack: the first page
        expect(take()).toBe('detail.unload list.unload home.show')
        await wx.switchTab({ url: '/pages/me/me' })             // nothing popped: home hidden, kept
        expect(take()).toBe('home.hide me.load me.show me.ready')
        await wx.navigateTo({ url: '/pages/list/list' })
        take()
        await wx.switchTab({ url: '/pages/home/home' })         // popped: the kept tab is shown again
        expect(take()).toBe('list.unload home.show')
        await wx.switchTab({ url: '/pages/home/home' })         // already there: nothing
        expect(take()).toBe('')
        await wx.navigateTo({ url: '/pages/list/list' })
        take()
        await wx.reLaunch({ url: '/pages/me/me?tab=1' })        // a tab page, query kept
        expect(take()).toBe('list.unload home.unload me.unload me.load{"tab":"1"} me.show me.ready')
        await wx.reLaunch({ url: '/pages/detail/detail' })
        take()
        await wx.switchTab({ url: '/pages/home/home' })         // a bottom page that is no tab is unloaded
        expect(take()).toBe('detail.unload home.load home.show home.ready')
    "#));
}

#[test]
fn success_comes_after_the_new_pages_load_and_show() {
    run(r#"
        const seen = await new Promise(resolve => wx.navigateTo({
            url: '/pages/list/list',
            success: res => resolve([res.errMsg, log.slice(-3).join(' '), getCurrentPages().map(p => p.route)]),
        }))
        expect(seen).toEqual(['navigateTo:ok', 'list.load list.show list.ready', ['pages/home/home', 'pages/list/list']])
    "#);
}

#[test]
fn wechat_refusals_and_their_messages() {
    run(r#"
        const fail = async call => { try { await call; return 'resolved' } catch (e) { return e.errMsg } }
        expect(await fail(wx.navigateTo({ url: '/pages/me/me' }))).toBe('navigateTo:fail can not navigateTo a tabbar page')
        expect(await fail(wx.redirectTo({ url: '/pages/home/home' }))).toBe('redirectTo:fail can not redirectTo a tabbar page')
        expect(await fail(wx.switchTab({ url: '/pages/list/list' }))).toBe('switchTab:fail can not switch to no-tabBar page')
        expect(await fail(wx.navigateTo({ url: '/pages/nope/nope?a=b c' }))).toBe('navigateTo:fail page "pages/nope/nope?a=b%20c" is not found')
        expect(await fail(wx.navigateTo({ url: 'pages/list/list' }))).toBe('navigateTo:fail page "pages/home/pages/list/list" is not found')
        expect(await fail(wx.navigateTo({ url: '/pages/list/list.html' }))).toBe('navigateTo:fail page "pages/list/list.html" is not found')
        expect(await fail(wx.navigateTo({ url: 'https://example.com' }))).toBe('navigateTo:fail APP-SERVICE-SDK:Unknown URL protocol "https://"')
        expect(await fail(wx.navigateBack())).toBe('navigateBack:fail cannot navigate back at first page.')
        // Hostile input: a huge url fails at once, its errMsg cut short.
        const huge = await fail(wx.navigateTo({ url: '/nope?' + 'a=1&'.repeat(200000) }))
        expect(huge.startsWith('navigateTo:fail page "nope?a=1')).toBe(true)
        expect(huge.length <= 2048).toBe(true)
        const bad = await wx.navigateTo({ url: 42 }).catch(e => e)
        expect(bad.errMsg).toBe('navigateTo:fail parameter error: parameter.url should be String instead of Number;')
        expect(bad.errno).toBe(1001)
        for (let i = 1; i < 10; i++) await wx.navigateTo({ url: '/pages/list/list' })
        expect(getCurrentPages().length).toBe(10)
        expect(await fail(wx.navigateTo({ url: '/pages/list/list' }))).toBe('navigateTo:fail webview count limit exceed')
        expect(getCurrentPages().length).toBe(10)
    "#);
}

#[test]
fn navigate_back_reads_delta_as_the_base_library_does() {
    run(r#"
        const depth = async delta => {
            await wx.reLaunch({ url: '/pages/list/list' })
            for (let i = 0; i < 4; i++) await wx.navigateTo({ url: '/pages/list/list' })
            await wx.navigateBack(delta === undefined ? undefined : { delta })
            return getCurrentPages().length
        }
        expect(await depth(undefined)).toBe(4)
        expect(await depth(2)).toBe(3)
        expect(await depth(2.7)).toBe(3)
        expect(await depth('2')).toBe(4)   // not a number: 1
        expect(await depth(0)).toBe(4)
        expect(await depth(-3)).toBe(4)
        expect(await depth(99)).toBe(1)
    "#);
}

#[test]
fn switch_tab_drops_a_query_with_wechats_warning_and_keeps_tabs_alive() {
    let run = run(r#"
        const home = getCurrentPages()[0]
        home.setData({ visits: 1 })
        await wx.switchTab({ url: '/pages/me/me?x=1' })
        expect(getCurrentPages()[0].options).toEqual({})
        await wx.switchTab({ url: '/pages/home/home' })
        expect(getCurrentPages()[0] === home).toBe(true)
        expect(getCurrentPages()[0].data.visits).toBe(1)
        expect(getCurrentPages().length).toBe(1)   // the kept tab is not listed
    "#);
    assert!(
        run.stderr.contains("wx.switchTab: url 不支持 queryString"),
        "{}",
        run.stderr
    );
}

#[test]
fn queries_reach_on_load_as_written() {
    run(r#"
        await wx.navigateTo({ url: '/pages/list/list?a=1&b=x y&c=%E4%BD%A0&flag&k=1&k=2&e=1=2' })
        const page = getCurrentPages()[1]
        const expected = { a: '1', b: 'x y', c: '%E4%BD%A0', flag: 'undefined', k: '2', e: '1' }
        expect(page.options).toEqual(expected)
        expect(log.includes('list.load' + JSON.stringify(expected))).toBe(true)
    "#);
}

#[test]
fn event_channel_carries_messages_both_ways_and_caches_until_someone_listens() {
    let dir = write_package(
        "channel",
        &[
            ("app.json", r#"{ "pages": ["pages/a/a", "pages/b/b"] }"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
            (
                "pages/b/b.js",
                r#"Page({
                onLoad() {
                    const channel = this.getOpenerEventChannel()
                    channel.emit('fromB', 'loaded')              // the opener listens through `events`
                    channel.on('fromA', (...args) => { globalThis.gotA = (globalThis.gotA || []).concat([args]) })
                }
            })"#,
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        const got = []
        const res = await wx.navigateTo({ url: '/pages/b/b', events: { fromB: value => got.push(value) } })
        expect(res.errMsg).toBe('navigateTo:ok')
        expect(got).toEqual(['loaded'])
        res.eventChannel.emit('fromA', 1, 2)
        expect(globalThis.gotA).toEqual([[1, 2]])
        // Cached until the other side listens, then replayed in order.
        res.eventChannel.emit('later', 'x')
        res.eventChannel.emit('later', 'y')
        const b = getCurrentPages()[1]
        const later = []
        b.getOpenerEventChannel().on('later', v => later.push(v))
        expect(later).toEqual(['x', 'y'])
        // `once` takes one, and `off` removes.
        const once = []
        b.getOpenerEventChannel().once('ping', v => once.push(v))
        res.eventChannel.emit('ping', 1); res.eventChannel.emit('ping', 2)
        expect(once).toEqual([1])
        // A page not opened by navigateTo has an empty channel.
        await wx.redirectTo({ url: '/pages/a/a' })
        expect(getCurrentPages()[0].getOpenerEventChannel()).toEqual({})
    "#,
    );
    run.assert_passed();
}

/// Many navigations hold nothing once their pages are gone: the EventChannel
/// functions each `navigateTo` handed out die with the page they lead to.
#[test]
fn navigations_leave_nothing_held() {
    let run = run(r#"
        for (let i = 0; i < 500; i++) {
            const res = await wx.navigateTo({ url: '/pages/list/list?i=' + i, events: { x() {} } })
            res.eventChannel.emit('hello', i)
            await wx.navigateBack()
        }
        expect(getCurrentPages().length).toBe(1)
    "#);
    assert_eq!(run.retained, 0, "functions still held after the run");
}
