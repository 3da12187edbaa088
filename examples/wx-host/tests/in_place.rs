//! An options struct read field by field where QuickJS holds it (no `Value` in
//! between) must decode exactly what converting the whole object would: own
//! enumerable properties only, getters run once, `toJSON` honoured, strings
//! with lone surrogates repaired, the same errors.

use serde::{Deserialize, Serialize};
use wx_core::{wx_sync, App, JsonSchema};

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
        "
    ));
    assert_parameter_errors(&r.stdout, &r.stderr);
}

/// Checks each line is the parameter error naming its field, in WeChat's words.
fn assert_parameter_errors(stdout: &str, stderr: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}\n{stderr}");
    for (line, field) in lines.iter().zip([
        "parameter.options.name should be String instead of Number;",
        "parameter.options.kind",
        "parameter.options.maxCount",
        "parameter.options.flag should be Boolean instead of String;",
        "parameter.options.name should be String instead of Array;",
        "parameter.options should be Object instead of String;",
        "parameter.options should be Object instead of Array;",
        "parameter.options should be Object instead of Undefined;",
    ]) {
        assert!(
            line.starts_with("testFieldsSync:fail parameter error: ") && line.contains(field),
            "{line:?} should name {field:?}"
        );
    }
}
