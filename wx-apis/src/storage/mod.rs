//! The storage family: `setStorage`, `getStorage`, `removeStorage`,
//! `clearStorage`, `getStorageInfo` and their Sync twins, one definition each,
//! on an embedded SQLite database per app (see [`store`]). The async forms settle
//! in call order, like every other call made in the same turn.

mod cipher;
mod codec;
pub mod store;

use serde::{Deserialize, Serialize};
use store::Store;
use wx_core::{wx_async, App, CallForm, JsonSchema, Loose, Value, WxError};

/// The key a read or removal names. WeChat's Sync forms treat a key that is not
/// a string as naming nothing (`getStorageSync(1)` gives `undefined`,
/// `removeStorageSync()` does nothing); the async forms report a parameter error.
fn key_of(key: Loose<String>, form: CallForm) -> Result<Option<String>, WxError> {
    match (key.value, form) {
        (Value::String(key), _) => Ok(Some(key)),
        (_, CallForm::Sync) => Ok(None),
        (other, CallForm::Async) => Err(WxError::parameter(format!(
            "parameter.key should be String instead of {};",
            other.js_type_name()
        ))),
    }
}

/// Options of `wx.setStorage`. WeChat declares `data` required, yet stores `""`
/// when it is left out (`setStorageSync(key)`): ours follows the behaviour.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SetStorageOptions {
    /// The key.
    pub key: String,
    /// What to store: anything JSON can hold, and `Date`s.
    #[serde(default)]
    pub data: Value,
    /// Store it AES-encrypted (limits: 0.7 MB per key, 7.1 MB in all).
    #[serde(default)]
    pub encrypt: bool,
}

/// Stores `data` under `key`, replacing what was there.
#[wx_async(sync(key, data))]
async fn set_storage(app: &App, opts: SetStorageOptions) -> Result<(), WxError> {
    let text = codec::encode(&opts.data)?;
    Store::of(app).run(|db| db.set(&opts.key, text, opts.encrypt))
}

/// Options of `wx.getStorage`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetStorageOptions {
    /// The key.
    pub key: Loose<String>,
    /// The data was stored with `encrypt: true`.
    #[serde(default)]
    pub encrypt: bool,
}

/// What `wx.getStorage` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetStorageResult {
    /// The stored value, with its JS type.
    pub data: Value,
}

/// Reads the value under `key` (`getStorageSync` gives `""` for a missing key).
#[wx_async(sync(key), sync_result = data)]
async fn get_storage(
    app: &App,
    form: CallForm,
    opts: GetStorageOptions,
) -> Result<GetStorageResult, WxError> {
    let Some(key) = key_of(opts.key, form)? else {
        return Ok(GetStorageResult {
            data: Value::Undefined,
        });
    };
    let stored = Store::of(app).run(|db| db.get(&key, opts.encrypt))?;
    match (stored, form) {
        (Some(text), _) => Ok(GetStorageResult {
            data: codec::decode(&text)?,
        }),
        (None, CallForm::Sync) => Ok(GetStorageResult {
            data: Value::from(""),
        }),
        (None, CallForm::Async) => Err(WxError::new("data not found")),
    }
}

/// Options of `wx.removeStorage`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(extend("required" = ["key"]))]
pub struct RemoveStorageOptions {
    /// The key.
    #[serde(default)]
    pub key: Loose<String>,
}

/// Removes `key` (a key that is not there is fine).
#[wx_async(sync(key))]
async fn remove_storage(
    app: &App,
    form: CallForm,
    opts: RemoveStorageOptions,
) -> Result<(), WxError> {
    match key_of(opts.key, form)? {
        Some(key) => Store::of(app).run(|db| db.remove(&key)),
        None => Ok(()),
    }
}

/// Removes every key of this mini-program.
#[wx_async(sync)]
async fn clear_storage(app: &App) -> Result<(), WxError> {
    Store::of(app).run(|db| db.clear())
}

/// What `wx.getStorageInfo` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    /// Every key, in the order first stored.
    pub keys: Vec<String>,
    /// Space in use, in KB.
    pub current_size: u64,
    /// Space allowed, in KB.
    pub limit_size: u64,
}

/// Lists the keys and the space used and allowed, in KB.
#[wx_async(sync)]
async fn get_storage_info(app: &App) -> Result<StorageInfo, WxError> {
    let (keys, bytes) = Store::of(app).run(|db| db.info())?;
    Ok(StorageInfo {
        keys,
        current_size: bytes.div_ceil(1024),
        limit_size: store::LIMIT_KB,
    })
}
