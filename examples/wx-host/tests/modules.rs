//! Issue 12, modules: CommonJS `require` and ES modules in a package, one
//! cache, cycles as Node has them, errors and stack traces naming each file.

mod common;
use common::{run_package, write_package};
use wx_host::Launch;

const APP_JSON: &str = r#"{ "pages": ["pages/index/index"] }"#;
const PAGE: &str = "Page({})";

fn package(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let mut all = vec![("app.json", APP_JSON), ("pages/index/index.js", PAGE)];
    all.extend_from_slice(files);
    write_package(name, &all)
}

#[test]
fn require_resolves_relative_root_and_bare_paths_js_and_json() {
    let dir = package(
        "require-paths",
        &[
            (
                "app.js",
                r#"
                const a = require('./lib/a')            // relative, .js added
                const b = require('/lib/b.js')           // package root
                const c = require('lib/data')           // bare: beside app.js, .json added
                const d = require('./lib/dir')          // a folder's index.js
                const e = require('left-pad')           // miniprogram_npm
                App({ globalData: { a, b: b.name, c: c.list, d, e: e(3) } })
            "#,
            ),
            (
                "lib/a.js",
                "module.exports = 'a:' + require('../lib/b').name",
            ),
            ("lib/b.js", "exports.name = 'b'"),
            ("lib/data.json", r#"{ "list": [1, 2] }"#),
            ("lib/dir/index.js", "module.exports = 'index'"),
            (
                "miniprogram_npm/left-pad/index.js",
                "module.exports = n => 'x'.repeat(n)",
            ),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        expect(getApp().globalData).toEqual({ a: 'a:b', b: 'b', c: [1, 2], d: 'index', e: 'xxx' })
    "#,
    );
    run.assert_passed();
}

#[test]
fn one_cache_and_cycles_as_node_has_them() {
    let dir = package(
        "require-cycles",
        &[
            ("app.js", r#"
                const counter = require('./counter')
                require('./counter.js'); require('/counter')
                const a = require('./a')
                App({ globalData: { loads: counter.loads, a: a.done, sawB: a.sawB, bSawA: require('./b').sawA } })
            "#),
            ("counter.js", "exports.loads = (exports.loads || 0) + 1; globalThis.counterLoads = (globalThis.counterLoads || 0) + 1"),
            // a requires b while a is half done: b sees a's exports so far.
            ("a.js", "exports.done = false; const b = require('./b'); exports.sawB = b.done; exports.done = true"),
            ("b.js", "const a = require('./a'); exports.sawA = a.done; exports.done = true"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        expect(globalThis.counterLoads).toBe(1)
        expect(getApp().globalData).toEqual({ loads: 1, a: true, sawB: true, bSawA: false })
    "#,
    );
    run.assert_passed();
}

#[test]
fn es_modules_and_commonjs_use_each_other() {
    let dir = package(
        "esm",
        &[
            ("app.js", r#"
                import answer, { twice } from './esm/math'
                import { greet } from './cjs/greet'
                import config from './config.json'
                const viaRequire = require('./esm/math')
                App({ globalData: { answer, six: twice(3), hi: greet('wx'), name: config.name,
                                    same: viaRequire.twice === twice, def: viaRequire.default } })
            "#),
            ("esm/math.js", "import { base } from './base.js'\nexport const twice = n => n * base\nexport default 42\n"),
            ("esm/base.js", "export const base = 2\n"),
            ("cjs/greet.js", "exports.greet = name => 'hi ' + name"),
            ("config.json", r#"{ "name": "demo" }"#),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        expect(getApp().globalData).toEqual({ answer: 42, six: 6, hi: 'hi wx', name: 'demo', same: true, def: 42 })
    "#,
    );
    run.assert_passed();
}

#[test]
fn errors_name_the_file_and_stacks_show_each_modules_own_lines() {
    let dir = package(
        "module-errors",
        &[
            ("app.js", "App({})\n"),
            ("lib/thrower.js", "// line 1\n// line 2\nexports.boom = function () {\n  throw new Error('boom')\n}\n"),
            ("lib/esm-thrower.js", "\n\nexport function bang() {\n  throw new Error('bang')\n}\n"),
            ("lib/needs-missing.js", "require('./nope')\n"),
            ("lib/bad-syntax.js", "const x = {\n"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        const require = miniProgram.require
        try { require('./lib/thrower').boom() } catch (e) { console.log(e.stack.split('\n')[0].trim()) }
        try { require('./lib/esm-thrower').bang() } catch (e) { console.log(e.stack.split('\n')[0].trim()) }
        try { require('./lib/needs-missing') } catch (e) { console.log(e.message) }
        try { require('./lib/bad-syntax') } catch (e) { console.log(e.name, e.stack.includes('lib/bad-syntax.js')) }
    "#,
    );
    assert_eq!(
        run.stdout,
        "at <anonymous> (lib/thrower.js:4:13)\n\
         at bang (lib/esm-thrower.js:4:13)\n\
         module \"./nope\" is not defined, require args is './nope' (from lib/needs-missing.js)\n\
         SyntaxError true\n",
        "{}",
        run.stderr
    );
}

/// Seen in a real project (a rich-text parser): a file that both `import`s and
/// assigns `module.exports`, required from CommonJS and imported as a default
/// (another project). WeChat DevTools compiles both forms to CommonJS, so both
/// give what was assigned.
#[test]
fn a_file_mixing_import_and_module_exports_gives_what_it_assigned() {
    let dir = package(
        "esm-mixed",
        &[
            ("app.js", "import Parser from './lib/parser.js'\nconst parser = require('./lib/parser.js')\nApp({ globalData: { parsed: parser.parse('x'), same: Parser === parser } })"),
            ("lib/parser.js", "import { wrap } from './wrap'\nfunction parse(s) { return wrap(s) }\nmodule.exports = { parse }\n"),
            ("lib/wrap.js", "export const wrap = s => '<' + s + '>'\n"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        "expect(getApp().globalData.parsed).toBe('<x>')",
    );
    run.assert_passed();
}

/// Seen in a real project: app.js passed an object to a `wx` API, and the next
/// ES module to load failed with `ArrayBuffer object expected`. Converting an
/// object asked the engine whether it was an `ArrayBuffer`, which left an
/// exception pending that the next engine call then reported as its own.
#[test]
fn converting_an_object_leaves_no_exception_behind() {
    let dir = write_package(
        "stale-exception",
        &[
            ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
            ("app.js", "wx.setStorageSync('k', { a: 1 }); App({})"),
            (
                "pages/a/a.js",
                "import { x } from '../../lib/x'\nPage({ data: { x } })\n",
            ),
            ("lib/x.js", "export const x = 1\n"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        "expect(miniProgram.currentPage().data.x).toBe(1)",
    );
    run.assert_passed();
}

/// Seen in a real project (a UMD bundle passing `window` as its root): inside a
/// module, as in WeChat's module wrapper, the browser's globals are `undefined`
/// rather than missing, so such a bundle takes its CommonJS path.
#[test]
fn browser_globals_are_undefined_inside_modules() {
    let dir = package(
        "umd",
        &[
            ("app.js", "const lib = require('./umd'); App({ globalData: { name: lib.name, window: typeof window } })"),
            ("umd.js", "!function (root, factory) { typeof exports === 'object' ? module.exports = factory() : root.Lib = factory() }(window, function () { return { name: 'umd' } })"),
        ],
    );
    let run = run_package(
        &dir,
        Launch::default(),
        "expect(getApp().globalData).toEqual({ name: 'umd', window: 'undefined' })",
    );
    run.assert_passed();
}

/// Seen in a real project: `requirePlugin`. Plugins are not run; the error says so.
#[test]
fn require_plugin_says_plugins_are_not_run() {
    let dir = package("plugin", &[("app.js", "App({})")]);
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        let message = ''
        try { requirePlugin('chart') } catch (e) { message = e.message }
        expect(message).toBe('requirePlugin("chart"): wx-host does not run mini-program plugins')
    "#,
    );
    run.assert_passed();
}
