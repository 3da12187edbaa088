//! The base family: what the host itself answers.

use wx_core::{wx_sync, App, Registry, WxError};

/// Whether an API, one of its options, results or enum values, or a class method exists here.
///
/// `wx.canIUse("getStorageSync")`, `wx.canIUse("request.object.method.GET")`,
/// `wx.canIUse("RequestTask.abort")`. Answered from the registry's metadata;
/// anything unknown is `false`.
#[wx_sync(name = "canIUse", since = "1.1.1")]
fn can_i_use(_app: &App, schema: String) -> Result<bool, WxError> {
    let registry = Registry::global().map_err(WxError::internal)?;
    Ok(registry.can_i_use(&schema))
}
