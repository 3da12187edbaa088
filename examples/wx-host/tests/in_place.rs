//! An options struct read field by field where QuickJS holds it (no `Value` in
//! between) must decode exactly what converting the whole object would: own
//! enumerable properties only, getters run once, `toJSON` honoured, strings
//! with lone surrogates repaired, the same errors.

use serde::{Deserialize, Serialize};
use wx_core::{wx_async, wx_sync, App, JsonSchema};

mod common;

use common::*;

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Plain,
    Fancy,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct FieldOptions {
    name: String,
    max_count: Option<u32>,
    kind: Kind,
    #[serde(default)]
    flag: bool,
    #[serde(alias = "colour")]
    color: Option<String>,
}

/// Returns what it decoded, so JS sees the struct Rust got.
#[wx_sync]
fn test_fields_sync(options: FieldOptions) -> FieldOptions {
    options
}

/// The async form: succeeds with what it decoded.
#[wx_async]
async fn test_fields(options: FieldOptions) -> FieldOptions {
    options
}

fn run(source: &str) -> Run {
    run_with(
        App::builder("wx-in-place")
            .data_dir(data_dir("in-place"))
            .build(),
        source,
    )
}

/// Each line of the script's `show(...)` calls: the decoded struct as JSON, or the error thrown.
const SHOW: &str = r#"
    function show(options) {
        try { console.log(JSON.stringify(wx.testFieldsSync(options))) }
        catch (e) { console.log(e.message) }
    }
"#;

#[test]
fn plain_objects_decode_with_absent_undefined_and_aliased_fields() {
    let r = run(&format!(
        "{SHOW}
        show({{ name: 'a', kind: 'plain' }});
        show({{ name: 'b', maxCount: 3, kind: 'fancy', flag: true, color: 'red', extra: {{ deep: [1] }} }});
        show({{ name: 'c', maxCount: undefined, kind: 'plain', colour: 'blue' }});
        show({{ name: 'd', maxCount: null, kind: 'plain', flag: undefined }});
        "
    ));
    assert_eq!(
        r.stdout,
        "{\"name\":\"a\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n\
         {\"name\":\"b\",\"maxCount\":3,\"kind\":\"fancy\",\"flag\":true,\"color\":\"red\"}\n\
         {\"name\":\"c\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":\"blue\"}\n\
         {\"name\":\"d\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn only_own_enumerable_properties_count_and_getters_run_once() {
    let r = run(&format!(
        "{SHOW}
        // Inherited: not the object's own, so absent (as JSON.stringify would send it).
        show(Object.create({{ name: 'inherited', kind: 'plain' }}));
        // Not enumerable: absent too.
        const hidden = {{ kind: 'plain' }};
        Object.defineProperty(hidden, 'name', {{ value: 'hidden', enumerable: false }});
        show(hidden);
        // A getter runs exactly once.
        let reads = 0;
        show({{ get name() {{ reads++; return 'got' }}, kind: 'fancy' }});
        console.log('reads', reads);
        // A property the struct does not declare is never read: the object was
        // read in place, not converted whole.
        show({{ name: 'n', kind: 'plain', get undeclared() {{ reads++; return 1 }} }});
        console.log('reads', reads);
        // A class instance's own fields count; its prototype's methods do not.
        class Opts {{ constructor() {{ this.name = 'instance'; this.kind = 'plain' }} method() {{}} }}
        show(new Opts());
        "
    ));
    assert_eq!(
        r.stdout,
        "testFieldsSync:fail parameter error: parameter.options.name should be String instead of Undefined;parameter.options.kind should be String instead of Undefined;\n\
         testFieldsSync:fail parameter error: parameter.options.name should be String instead of Undefined;\n\
         {\"name\":\"got\",\"maxCount\":null,\"kind\":\"fancy\",\"flag\":false,\"color\":null}\n\
         reads 1\n\
         {\"name\":\"n\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n\
         reads 1\n\
         {\"name\":\"instance\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn to_json_proxies_and_repaired_strings_read_as_the_converter_reads_them() {
    let r = run(&format!(
        "{SHOW}
        // An own or inherited toJSON is what crosses, as WeChat's bridge sends it.
        show({{ name: 'ignored', toJSON() {{ return {{ name: 'json', kind: 'fancy' }} }} }});
        class Wrapped {{ toJSON() {{ return {{ name: 'proto-json', kind: 'plain' }} }} }}
        show(new Wrapped());
        // A Proxy goes through its traps.
        show(new Proxy({{}}, {{
            ownKeys: () => ['name', 'kind'],
            getOwnPropertyDescriptor: () => ({{ enumerable: true, configurable: true }}),
            get: (_, key) => key === 'name' ? 'proxied' : 'plain',
        }}));
        // A lone surrogate becomes U+FFFD, as the converter writes it.
        show({{ name: 'x\\uD800y', kind: 'plain' }});
        "
    ));
    assert_eq!(
        r.stdout,
        "{\"name\":\"json\",\"maxCount\":null,\"kind\":\"fancy\",\"flag\":false,\"color\":null}\n\
         {\"name\":\"proto-json\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n\
         {\"name\":\"proxied\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n\
         {\"name\":\"x\u{FFFD}y\",\"maxCount\":null,\"kind\":\"plain\",\"flag\":false,\"color\":null}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn wrong_types_fail_with_the_schemas_words() {
    let r = run(&format!(
        "{SHOW}
        show({{ name: 1, kind: 'plain' }});
        show({{ name: 'n', kind: 'odd' }});
        show({{ name: 'n', kind: 'plain', maxCount: -1 }});
        show({{ name: 'n', kind: 'plain', flag: 'yes' }});
        show({{ name: ['n'], kind: {{}} }});
        show('name');
        show([]);
        show();
        // An array is not read by position, even when its items fit the fields in order.
        show(['n', 1, 'plain', false, null]);
        "
    ));
    assert_parameter_errors(&r.stdout, &r.stderr);
}

/// Checks each line is the parameter error naming its field, in WeChat's words.
fn assert_parameter_errors(stdout: &str, stderr: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 9, "{stdout}\n{stderr}");
    for (line, field) in lines.iter().zip([
        "parameter.options.name should be String instead of Number;",
        "parameter.options.kind",
        "parameter.options.maxCount",
        "parameter.options.flag should be Boolean instead of String;",
        "parameter.options.name should be String instead of Array;",
        "parameter.options should be Object instead of String;",
        "parameter.options should be Object instead of Array;",
        "parameter.options should be Object instead of Undefined;",
        "parameter.options should be Object instead of Array;",
    ]) {
        assert!(
            line.starts_with("testFieldsSync:fail parameter error: ") && line.contains(field),
            "{line:?} should name {field:?}"
        );
    }
}

/// An async call's options: the callbacks and the declared fields are read in
/// place; an accessor or an object among the callbacks converts the whole
/// object instead, which must come to the same call.
#[test]
fn async_options_and_callbacks_are_read_in_place_as_the_converter_reads_them() {
    let r = run(r#"
        const name = r => r.name + ' ' + r.kind;
        let reads = 0;
        // An undeclared getter never runs: the object is read in place.
        wx.testFields({ name: 'a', kind: 'plain',
                        get undeclared() { reads++; return 1 }, success: r => console.log('1', name(r)) });
        console.log('reads', reads);
        // A callback behind a getter: the whole object is converted (the undeclared getter runs too).
        wx.testFields({ name: 'b', kind: 'fancy', get success() { reads++; return r => console.log('2', name(r)) },
                        get undeclared() { reads++; return 1 } });
        console.log('reads', reads);
        // Truthy non-functions turn Promise mode off and are never called;
        // falsy ones leave it on.
        console.log('3', wx.testFields({ name: 'c', kind: 'plain', success: 'yes', complete: 1 }));
        wx.testFields({ name: 'd', kind: 'plain', success: '', fail: 0, complete: null })
            .then(r => console.log('4', name(r)));
        // Inherited callbacks are not the object's own: Promise mode.
        wx.testFields(Object.assign(Object.create({ success() { console.log('never') } }), { name: 'e', kind: 'plain' }))
            .then(r => console.log('5', name(r)));
        // A class instance and a Proxy are options objects too.
        class Opts { constructor() { this.name = 'f'; this.kind = 'plain'; this.complete = r => console.log('6', r.errMsg) } }
        wx.testFields(new Opts());
        wx.testFields(new Proxy({ name: 'g', kind: 'fancy' }, {})).then(r => console.log('7', name(r)));
        // Not an object: the call fails, through its Promise. An array is not
        // read by position even when its items would fit the fields.
        for (const bad of ['s', 1, null, true, () => 1, [1], ['h', 'plain'], new Date(0)])
            wx.testFields(bad).catch(e => console.log('8', e.errMsg));
        // A wrong field fails through the callbacks read in place.
        wx.testFields({ name: 1, kind: 'plain', fail: e => console.log('9', e.errMsg) });
        // No options at all: the declared fields are missing.
        wx.testFields().catch(e => console.log('10', e.errMsg));
    "#);
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "1 a plain",
            "10 testFields:fail parameter error: parameter.name should be String instead of Undefined;parameter.kind should be String instead of Undefined;",
            "2 b fancy",
            "3 undefined",
            "4 d plain",
            "5 e plain",
            "6 testFields:ok",
            "7 g fancy",
            "8 testFields:fail parameter error: parameter should be Object instead of Array;",
            "8 testFields:fail parameter error: parameter should be Object instead of Array;",
            "8 testFields:fail parameter error: parameter should be Object instead of Boolean;",
            "8 testFields:fail parameter error: parameter should be Object instead of Date;",
            "8 testFields:fail parameter error: parameter should be Object instead of Function;",
            "8 testFields:fail parameter error: parameter should be Object instead of Null;",
            "8 testFields:fail parameter error: parameter should be Object instead of Number;",
            "8 testFields:fail parameter error: parameter should be Object instead of String;",
            "9 testFields:fail parameter error: parameter.name should be String instead of Number;",
            "reads 0",
            "reads 2",
        ],
        "{}",
        r.stderr
    );
    assert_eq!(
        r.retained, 0,
        "every callback released once its call settled"
    );
}
