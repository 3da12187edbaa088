//! Issue 15 (part): `console` as mini-program developers know it from Node and
//! WeChat DevTools: format strings, Map, Set, typed arrays, class instances,
//! cycles, `table`, `time`, `count`, `assert`, `group`, `trace`, `dir`.

mod common;
use common::{data_dir, run_with};
use wx_core::App;

fn run(script: &str) -> common::Run {
    run_with(
        App::builder("console")
            .data_dir(data_dir("console"))
            .build(),
        script,
    )
}

#[test]
fn format_strings_as_node_has_them() {
    let out = run(r#"
        console.log('%s is %d years and %i days, %f%%', 'Bob', 42.5, '7.9', '1.5')
        console.log('%o and %O', { a: [1, 2] }, new Map([['k', 1]]))
        console.log('%cstyled', 'color: red', 'extra', 3)
        console.log('%s %s', 'only one')
        console.log('%d', {})
    "#);
    assert_eq!(
        out.stdout,
        "Bob is 42.5 years and 7 days, 1.5%\n\
         { a: [ 1, 2 ] } and Map(1) { 'k' => 1 }\n\
         styled extra 3\n\
         only one %s\n\
         NaN\n"
    );
}

#[test]
fn values_print_readably() {
    let out = run(r#"
        class Point { constructor() { this.x = 1; this.y = 2 } }
        const a = { name: 'a' }; a.self = a
        console.log(new Map([['a', 1], ['b', { c: 2 }]]), new Set([1, 'x']))
        console.log(new Uint8Array([1, 2, 3]), new Float64Array([0.5]), new Point())
        console.log(a, [undefined, null], Object.create(null))
        console.log(class Foo {}, function bar() {}, () => 1, Symbol('s'), 10n, -0)
        console.log({ a: { b: { c: { d: 1 } } } })
        console.dir({ deep: { deeper: { deepest: { gone: 1 } } } })
        console.dir('text')
    "#);
    assert_eq!(
        out.stdout,
        "Map(2) { 'a' => 1, 'b' => { c: 2 } } Set(2) { 1, 'x' }\n\
         Uint8Array(3) [ 1, 2, 3 ] Float64Array(1) [ 0.5 ] Point { x: 1, y: 2 }\n\
         <ref *1> { name: 'a', self: [Circular *1] } [ undefined, null ] [Object: null prototype] {}\n\
         [class Foo] [Function: bar] [Function: (anonymous)] Symbol(s) 10n -0\n\
         { a: { b: { c: [Object] } } }\n\
         { deep: { deeper: { deepest: [Object] } } }\n\
         'text'\n"
    );
}

#[test]
fn table_group_count_time_assert_trace() {
    let out = run(r#"
        console.table([{ a: 1, b: 'x' }, { a: 2, c: true }])
        console.table({ first: 1, second: 'two' })
        console.group('Group')
        console.log('inside')
        console.count(); console.count(); console.count('x')
        console.countReset(); console.count()
        console.groupEnd()
        console.log('outside')
        console.assert(1 === 1, 'never printed')
        console.assert(1 === 2, 'math is %s', 'broken')
        console.assert(false)
        console.time('t'); console.timeEnd('t')
        console.timeEnd('missing')
        console.trace('here')
    "#);
    // The time is whatever it took: checked apart from the rest.
    let time = out
        .stdout
        .lines()
        .find(|l| l.starts_with("t: "))
        .unwrap_or("t: ?");
    assert_eq!(
        out.stdout.replace(time, "t: TIME"),
        "┌─────────┬───┬─────┬──────┐\n\
         │ (index) │ a │  b  │  c   │\n\
         ├─────────┼───┼─────┼──────┤\n\
         │    0    │ 1 │ 'x' │      │\n\
         │    1    │ 2 │     │ true │\n\
         └─────────┴───┴─────┴──────┘\n\
         ┌─────────┬────────┐\n\
         │ (index) │ Values │\n\
         ├─────────┼────────┤\n\
         │  first  │   1    │\n\
         │ second  │ 'two'  │\n\
         └─────────┴────────┘\n\
         Group\n  inside\n  default: 1\n  default: 2\n  x: 1\n  default: 1\n\
         outside\n\
         t: TIME\n"
    );
    assert!(
        time.ends_with("ms") && time[3..time.len() - 2].parse::<f64>().is_ok(),
        "{time}"
    );
    assert!(out.stderr.starts_with(
        "Assertion failed: math is broken\nAssertion failed\nWarning: No such label 'missing' for console.timeEnd()\nTrace: here\n    at "
    ), "{}", out.stderr);
}
