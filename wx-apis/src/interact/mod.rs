//! The interact family: `showToast`, `hideToast`, `showLoading`,
//! `hideLoading`, `showModal`, `showActionSheet`. WeChat's defaults, checks,
//! texts and the one toast slot live here; a host's [`UiHost`] only shows
//! what it is given and answers questions, whenever its person does.

mod slot;
mod ui;

pub use ui::{
    ActionSheet, Answer, Headless, Modal, ModalAnswer, Pending, Reply, Toast, ToastIcon, ToastKind,
    Ui, UiHost,
};

use crate::system::{DeviceProfile, Platform};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use wx_core::{wx_async, App, JsonSchema, Loose, Value, WxError};

/// A toast's default time on screen.
pub const TOAST_DURATION: Duration = Duration::from_millis(1500);

/// What a loading lasts when no `duration` is given: the base library's 1e8 ms
/// (about 28 hours), i.e. until hidden.
const LOADING_DURATION_MS: f64 = 1e8;

fn ui(app: &App) -> Arc<dyn UiHost> {
    match app.service::<Ui>() {
        Some(ui) => ui.0.clone(),
        None => Arc::new(Headless),
    }
}

/// A time in ms as the base library passes it on: a number; NaN gives the
/// default, the rest is kept between 0 and 1e8.
fn millis(value: Option<f64>, default: f64) -> Duration {
    let ms = match value {
        Some(ms) if !ms.is_nan() => ms.clamp(0.0, LOADING_DURATION_MS),
        _ => default,
    };
    Duration::from_secs_f64(ms / 1000.0)
}

/// The schema of `icon`: WeChat's four names (any other string shows `success`).
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum IconName {
    Success,
    Error,
    Loading,
    None,
}

/// Options of `wx.showToast`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ShowToastOptions {
    /// The text. WeChat's typings require it; its base library shows `""` without it.
    #[serde(default)]
    pub title: String,
    /// Milliseconds on screen (1500).
    pub duration: Option<f64>,
    /// `success` (the default, and what any other name becomes), `error`, `loading`, `none`.
    #[schemars(with = "Option<IconName>")]
    pub icon: Option<String>,
    /// A custom icon image, a path in the package; shown instead of `icon`.
    pub image: Option<String>,
    /// Stop touches behind the toast (any value, by its truthiness: WeChat does not check it).
    #[serde(default)]
    #[schemars(with = "bool")]
    pub mask: Loose<bool>,
}

/// Shows a toast for `duration` ms, replacing any toast or loading.
#[wx_async]
async fn show_toast(app: &App, opts: ShowToastOptions) -> Result<(), WxError> {
    let icon = match opts.icon.as_deref() {
        Some("error") => ToastIcon::Error,
        Some("loading") => ToastIcon::Loading,
        Some("none") => ToastIcon::None,
        _ => ToastIcon::Success,
    };
    let toast = Toast {
        kind: ToastKind::Toast,
        title: opts.title,
        icon,
        image: opts.image.map(|image| beside_current_page(app, image)),
        duration: Some(millis(opts.duration, TOAST_DURATION.as_millis() as f64)),
        mask: opts.mask.value.is_truthy(),
    };
    slot::show(app, ui(app), toast);
    Ok(())
}

/// A relative image path as the base library reads it: from the current
/// page's folder (`../../images/ok.png`); `/` from the package root; a url as is.
fn beside_current_page(app: &App, image: String) -> String {
    let base = app
        .service::<crate::route::PageStack>()
        .and_then(|stack| stack.current().last().map(|page| page.route.clone()))
        .unwrap_or_default();
    match crate::route::url::resolve(&base, &image) {
        Ok(target) if !image.contains('?') => target.route,
        _ => image,
    }
}

/// Options of `wx.showLoading`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ShowLoadingOptions {
    /// The text. WeChat's typings require it; its base library shows `""` without it.
    #[serde(default)]
    pub title: String,
    /// Stop touches behind the loading.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub mask: Loose<bool>,
}

/// Shows a loading until `hideLoading`, replacing any toast or loading.
#[wx_async(since = "1.1.0")]
async fn show_loading(app: &App, opts: ShowLoadingOptions) -> Result<(), WxError> {
    let toast = Toast {
        kind: ToastKind::Loading,
        title: opts.title,
        icon: ToastIcon::Loading,
        image: None,
        duration: None,
        mask: opts.mask.value.is_truthy(),
    };
    slot::show(app, ui(app), toast);
    Ok(())
}

/// Options of `wx.hideToast` and `wx.hideLoading`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HideOptions {
    /// Leave a loading (for `hideToast`) or a toast (for `hideLoading`) shown
    /// after it alone (always so in the developer tools).
    #[serde(default)]
    #[schemars(with = "bool")]
    pub no_conflict: Loose<bool>,
}

/// Whether a mismatched hide is skipped: with `noConflict`, or always in the developer tools.
fn avoids_conflicts(app: &App, opts: &Option<HideOptions>) -> bool {
    let no_conflict = opts
        .as_ref()
        .is_some_and(|o| o.no_conflict.value.is_truthy());
    no_conflict || DeviceProfile::of(app).platform == Platform::Devtools
}

/// Hides the toast.
#[wx_async]
async fn hide_toast(app: &App, opts: Option<HideOptions>) -> Result<(), WxError> {
    let avoid = avoids_conflicts(app, &opts);
    slot::hide(app, ui(app), ToastKind::Toast, avoid);
    Ok(())
}

/// Hides the loading.
#[wx_async(since = "1.1.0")]
async fn hide_loading(app: &App, opts: Option<HideOptions>) -> Result<(), WxError> {
    let avoid = avoids_conflicts(app, &opts);
    slot::hide(app, ui(app), ToastKind::Loading, avoid);
    Ok(())
}

/// Options of `wx.showModal`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShowModalOptions {
    /// The title.
    pub title: Option<String>,
    /// The text.
    pub content: Option<String>,
    /// Whether there is a cancel button (`true`).
    #[serde(default)]
    #[schemars(with = "bool")]
    pub show_cancel: Loose<bool>,
    /// The cancel button's text, at most 4 Chinese characters (`取消`).
    pub cancel_text: Option<String>,
    /// The cancel button's colour (`#000000`).
    pub cancel_color: Option<String>,
    /// The confirm button's text, at most 4 Chinese characters (`确定`).
    pub confirm_text: Option<String>,
    /// The confirm button's colour (`#576B95`).
    pub confirm_color: Option<String>,
    /// Show a text field; its text comes back as `content`.
    pub editable: Option<bool>,
    /// The text field's placeholder.
    pub placeholder_text: Option<String>,
}

/// What `wx.showModal` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ShowModalResult {
    /// Confirm was pressed.
    pub confirm: bool,
    /// Cancel was pressed (or the modal dismissed).
    pub cancel: bool,
    /// The text typed, when `editable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// A button text's length as WeChat measures it: a character outside Latin-1 counts 2.
fn wechat_length(text: &str) -> usize {
    text.chars()
        .map(|c| if (c as u32) <= 0xff { 1 } else { 2 })
        .sum()
}

/// Asks a modal dialog; settles when it is answered.
#[wx_async]
async fn show_modal(app: &App, opts: ShowModalOptions) -> Result<ShowModalResult, WxError> {
    let confirm_text = opts.confirm_text.unwrap_or_else(|| "确定".into());
    let cancel_text = opts.cancel_text.unwrap_or_else(|| "取消".into());
    if wechat_length(&confirm_text) > 8 {
        return Err(WxError::new(
            "confirmText length should not larger than 4 Chinese characters",
        ));
    }
    if wechat_length(&cancel_text) > 8 {
        return Err(WxError::new(
            "cancelText length should not larger than 4 Chinese characters",
        ));
    }
    let editable = opts.editable.unwrap_or(false);
    let modal = Modal {
        title: opts.title.unwrap_or_default(),
        content: opts.content.unwrap_or_default(),
        show_cancel: match &opts.show_cancel.value {
            Value::Undefined => true,
            other => other.is_truthy(),
        },
        cancel_text,
        cancel_color: opts.cancel_color.unwrap_or_else(|| "#000000".into()),
        confirm_text,
        confirm_color: opts.confirm_color.unwrap_or_else(|| "#576B95".into()),
        editable,
        placeholder_text: opts.placeholder_text.unwrap_or_default(),
    };
    let (reply, answer) = Reply::channel();
    ui(app).show_modal(modal, reply);
    // A question dropped unanswered was dismissed: a cancel.
    let answer = answer.await.unwrap_or_else(ModalAnswer::cancel);
    Ok(ShowModalResult {
        confirm: answer.confirm,
        cancel: !answer.confirm,
        content: editable.then(|| answer.content.unwrap_or_default()),
    })
}

/// Options of `wx.showActionSheet`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("required" = ["itemList"]))]
pub struct ShowActionSheetOptions {
    /// The items, 1 to 6; the first a non-empty string.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub item_list: Value,
    /// A line above the items.
    pub alert_text: Option<String>,
    /// The items' colour (`#000000`).
    pub item_color: Option<String>,
}

/// What `wx.showActionSheet` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShowActionSheetResult {
    /// The item picked, from 0.
    pub tap_index: usize,
}

/// WeChat's checks of `itemList`: an array, at least one item, the first a
/// non-empty string; then at most six. The other items are shown as text.
fn item_list(value: &Value) -> Result<Vec<String>, WxError> {
    let items = match value {
        Value::Array(items) => items,
        other => {
            return Err(WxError::parameter(format!(
                "parameter.itemList should be Array instead of {};",
                other.js_type_name()
            )))
        }
    };
    match items.first() {
        None => {
            return Err(WxError::parameter(
                "parameter.itemList should have at least 1 item;",
            ))
        }
        Some(Value::String(first)) if first.is_empty() => {
            return Err(WxError::parameter(
                "parameter.itemList[0] should be not empty string",
            ))
        }
        Some(Value::String(_)) => {}
        Some(other) => {
            return Err(WxError::parameter(format!(
                "parameter.itemList[0] should be String instead of {};",
                other.js_type_name()
            )))
        }
    }
    if items.len() > 6 {
        // Not from the parameter checker: no errno.
        return Err(WxError::new(
            "parameter error: itemList should not be large than 6",
        ));
    }
    Ok(items.iter().map(as_text).collect())
}

/// An item as JS's `String(item)` shows it.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => wx_core::format_number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Undefined => "undefined".into(),
        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(","),
        _ => "[object Object]".into(),
    }
}

/// Asks an action sheet; settles with the item picked, or fails with `cancel`.
#[wx_async]
async fn show_action_sheet(
    app: &App,
    opts: ShowActionSheetOptions,
) -> Result<ShowActionSheetResult, WxError> {
    let items = item_list(&opts.item_list)?;
    let count = items.len();
    let sheet = ActionSheet {
        alert_text: opts.alert_text,
        items,
        item_color: opts.item_color.unwrap_or_else(|| "#000000".into()),
    };
    let (reply, answer) = Reply::channel();
    ui(app).show_action_sheet(sheet, reply);
    match answer.await {
        Some(Some(index)) if index < count => Ok(ShowActionSheetResult { tap_index: index }),
        // Cancelled, dismissed, or an answer that is no item.
        _ => Err(WxError::new("cancel")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_wide_characters_twice() {
        assert_eq!(wechat_length("确定"), 4);
        assert_eq!(wechat_length("abcdefgh"), 8);
        assert_eq!(wechat_length("一二三四五"), 10);
        assert_eq!(wechat_length("é"), 1);
    }
}
