//! One definition, two APIs: `getThing({ key })` and `getThingSync(key)`.

use serde::{Deserialize, Serialize};
use wx_core::{wx_async, App, CallForm, Host, JsonSchema, Returned, Value, WxError};

#[derive(Deserialize, JsonSchema)]
struct GetOptions {
    key: String,
}

#[derive(Serialize, JsonSchema)]
struct GetResult {
    data: String,
}

/// Reads a thing.
#[wx_async(sync(key), sync_result = data)]
async fn get_thing(form: CallForm, opts: GetOptions) -> Result<GetResult, WxError> {
    Ok(GetResult { data: format!("{}:{:?}", opts.key, form) })
}

/// Counts things.
#[wx_async(sync)]
async fn count_things(_app: &App) -> GetResult {
    GetResult { data: "3".into() }
}

fn main() {
    let host = Host::new(App::builder("twins").build()).unwrap();
    assert_eq!(host.call("getThingSync", vec!["k".into()]).unwrap(), Returned::Value("k:Sync".into()));
    let Returned::Value(Value::Object(all)) = host.call("countThingsSync", vec![]).unwrap() else { panic!() };
    assert_eq!(all.get("data"), Some(&Value::from("3")));
    assert!(host.registry().can_i_use("getThingSync.object.key"));
    // The twin of countThings returns the whole result; getThingSync returns `data` itself.
    assert!(host.registry().can_i_use("countThingsSync.return.data"));
    assert!(!host.registry().can_i_use("getThingSync.return.data"));
}
