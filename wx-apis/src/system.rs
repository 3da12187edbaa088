//! The system family: `getSystemInfo` (and its Sync and Async forms), the split
//! APIs that replace it since base library 2.20.1 (`getDeviceInfo`,
//! `getWindowInfo`, `getAppBaseInfo`, `getSystemSetting`,
//! `getAppAuthorizeSetting`), and `canIUse`. Every value comes from one
//! [`DeviceProfile`], so all forms agree.

use serde::{Deserialize, Serialize};
use wx_core::{wx_async, wx_sync, App, JsonSchema, Loose, Registry, Value, WxError};

/// `platform`: what the mini-program runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Platform {
    Ios,
    Android,
    Ohos,
    OhosPc,
    Windows,
    Mac,
    Devtools,
}

/// `deviceOrientation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// `theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Theme {
    Dark,
    Light,
}

/// One permission as `getAppAuthorizeSetting` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub enum Authorization {
    #[serde(rename = "authorized")]
    Authorized,
    #[serde(rename = "denied")]
    Denied,
    #[serde(rename = "not determined")]
    NotDetermined,
}

impl Authorization {
    fn granted(self) -> bool {
        self == Authorization::Authorized
    }
}

/// `safeArea`, in screen coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub struct SafeArea {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub width: f64,
    pub height: f64,
}

/// The app's permissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct Authorizations {
    pub album: Authorization,
    pub bluetooth: Authorization,
    pub camera: Authorization,
    pub location: Authorization,
    pub microphone: Authorization,
    pub notification: Authorization,
    pub notification_alert: Authorization,
    pub notification_badge: Authorization,
    pub notification_sound: Authorization,
    pub phone_calendar: Authorization,
}

impl Default for Authorizations {
    fn default() -> Self {
        let not_asked = Authorization::NotDetermined;
        Authorizations {
            album: not_asked,
            bluetooth: not_asked,
            camera: not_asked,
            location: not_asked,
            microphone: not_asked,
            notification: Authorization::Authorized,
            notification_alert: Authorization::Authorized,
            notification_badge: Authorization::Authorized,
            notification_sound: Authorization::Authorized,
            phone_calendar: not_asked,
        }
    }
}

/// The simulated device: a host installs one with `App::builder(..).service(profile)`
/// (the CLI loads `--device FILE`, JSON with any of these fields in camelCase).
/// The default is a desktop simulator whose `language` and `system` come from the
/// machine running it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DeviceProfile {
    pub brand: String,
    pub model: String,
    pub system: String,
    pub platform: Platform,
    pub abi: String,
    pub cpu_type: String,
    /// In MB, as WeChat reports it (a string).
    pub memory_size: String,
    pub benchmark_level: i32,
    pub pixel_ratio: f64,
    pub screen_width: f64,
    pub screen_height: f64,
    pub status_bar_height: f64,
    pub window_width: f64,
    pub window_height: f64,
    pub safe_area: SafeArea,
    pub language: String,
    pub theme: Theme,
    /// The WeChat version.
    pub version: String,
    /// The base library version.
    #[serde(rename = "SDKVersion")]
    pub sdk_version: String,
    pub font_size_setting: f64,
    pub font_size_scale_factor: f64,
    pub device_orientation: Orientation,
    pub bluetooth_enabled: bool,
    pub location_enabled: bool,
    pub wifi_enabled: bool,
    pub location_reduced_accuracy: bool,
    pub enable_debug: bool,
    pub authorizations: Authorizations,
    /// The compass: `{ "headings": [0, 90, 180], "accuracy": "high" }` makes the
    /// readings go through `headings` in turn (a script for tests).
    pub compass: CompassProfile,
}

/// What the simulated compass reads (`DeviceProfile::compass`).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CompassProfile {
    /// Headings in degrees (0 to under 360), read in turn and then again;
    /// empty: the compass turns 15° per reading from 0.
    pub headings: Vec<f64>,
    /// The accuracy reported (`"high"`).
    pub accuracy: Option<String>,
}

impl Default for DeviceProfile {
    /// A desktop simulator with a 414×896 @2x phone screen (status bar 48, home
    /// indicator 34), on base library 3.17.0.
    fn default() -> Self {
        DeviceProfile {
            brand: "devtools".into(),
            model: "iPhone 11".into(),
            system: machine_system(),
            platform: Platform::Devtools,
            abi: std::env::consts::ARCH.into(),
            cpu_type: std::env::consts::ARCH.into(),
            memory_size: "8192".into(),
            benchmark_level: 30,
            pixel_ratio: 2.0,
            screen_width: 414.0,
            screen_height: 896.0,
            status_bar_height: 48.0,
            window_width: 414.0,
            window_height: 896.0,
            safe_area: SafeArea {
                left: 0.0,
                right: 414.0,
                top: 48.0,
                bottom: 862.0,
                width: 414.0,
                height: 814.0,
            },
            language: machine_language(),
            theme: Theme::Light,
            version: "8.0.50".into(),
            sdk_version: "3.17.0".into(),
            font_size_setting: 16.0,
            font_size_scale_factor: 1.0,
            device_orientation: Orientation::Portrait,
            bluetooth_enabled: true,
            location_enabled: true,
            wifi_enabled: true,
            location_reduced_accuracy: false,
            enable_debug: false,
            authorizations: Authorizations::default(),
            compass: CompassProfile::default(),
        }
    }
}

impl DeviceProfile {
    /// Loads a profile from JSON: fields given override the default ones.
    pub fn from_json(text: &str) -> Result<DeviceProfile, String> {
        let profile: DeviceProfile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        profile.check()?;
        Ok(profile)
    }

    /// Whether the sizes are consistent: the window within the screen, the safe
    /// area within the window, and the safe area's width and height its edges' distances.
    pub fn check(&self) -> Result<(), String> {
        let area = &self.safe_area;
        let problems = [
            (
                self.window_width > self.screen_width || self.window_height > self.screen_height,
                "the window is larger than the screen",
            ),
            (
                area.left < 0.0
                    || area.top < 0.0
                    || area.right > self.window_width
                    || area.bottom > self.window_height,
                "the safe area is outside the window",
            ),
            (
                area.right - area.left != area.width || area.bottom - area.top != area.height,
                "the safe area's width or height does not match its edges",
            ),
            (self.pixel_ratio <= 0.0, "pixelRatio must be positive"),
            (
                self.compass
                    .headings
                    .iter()
                    .any(|h| !(h.is_finite() && (0.0..360.0).contains(h))),
                "compass.headings must be degrees from 0 to under 360",
            ),
        ];
        match problems.iter().find(|(bad, _)| *bad) {
            Some((_, why)) => Err(format!("invalid device profile: {why}")),
            None => Ok(()),
        }
    }

    pub(crate) fn of(app: &App) -> std::sync::Arc<DeviceProfile> {
        app.service::<DeviceProfile>()
            .unwrap_or_else(|| app.state(DeviceProfile::default))
    }
}

/// `system` of the machine running the simulator: `"Linux 6.1.0"`, `"macOS"`, ...
fn machine_system() -> String {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok();
    match (std::env::consts::OS, release) {
        ("linux", Some(release)) => format!("Linux {}", release.trim()),
        ("macos", _) => "macOS".into(),
        ("windows", _) => "Windows".into(),
        (os, _) => os.into(),
    }
}

/// `language` from the machine's locale (`en_US.UTF-8` → `en_US`), else WeChat's `zh_CN`.
fn machine_language() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| {
            value
                .split(['.', '@'])
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .find(|lang| !lang.is_empty() && lang != "C" && lang != "POSIX")
        .unwrap_or_else(|| "zh_CN".into())
}

/// `host` of the system info: which app is running.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HostInfo {
    /// The mini-program's app id.
    pub app_id: String,
}

/// Everything `getSystemInfo` reports (33 fields).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct SystemInfo {
    #[serde(rename = "SDKVersion")]
    pub sdk_version: String,
    pub album_authorized: bool,
    pub benchmark_level: i32,
    pub bluetooth_enabled: bool,
    pub brand: String,
    pub camera_authorized: bool,
    pub device_orientation: Orientation,
    pub enable_debug: bool,
    pub font_size_setting: f64,
    pub host: HostInfo,
    pub language: String,
    pub location_authorized: bool,
    pub location_enabled: bool,
    pub location_reduced_accuracy: bool,
    pub microphone_authorized: bool,
    pub model: String,
    pub notification_alert_authorized: bool,
    pub notification_authorized: bool,
    pub notification_badge_authorized: bool,
    pub notification_sound_authorized: bool,
    pub phone_calendar_authorized: bool,
    pub pixel_ratio: f64,
    pub platform: Platform,
    pub safe_area: SafeArea,
    pub screen_height: f64,
    pub screen_width: f64,
    pub status_bar_height: f64,
    pub system: String,
    pub version: String,
    pub wifi_enabled: bool,
    pub window_height: f64,
    pub window_width: f64,
    pub theme: Theme,
}

fn system_info(app: &App) -> SystemInfo {
    let p = DeviceProfile::of(app);
    let auth = &p.authorizations;
    SystemInfo {
        sdk_version: p.sdk_version.clone(),
        album_authorized: auth.album.granted(),
        benchmark_level: p.benchmark_level,
        bluetooth_enabled: p.bluetooth_enabled,
        brand: p.brand.clone(),
        camera_authorized: auth.camera.granted(),
        device_orientation: p.device_orientation,
        enable_debug: p.enable_debug,
        font_size_setting: p.font_size_setting,
        host: HostInfo {
            app_id: app.app_id().to_owned(),
        },
        language: p.language.clone(),
        location_authorized: auth.location.granted(),
        location_enabled: p.location_enabled,
        location_reduced_accuracy: p.location_reduced_accuracy,
        microphone_authorized: auth.microphone.granted(),
        model: p.model.clone(),
        notification_alert_authorized: auth.notification_alert.granted(),
        notification_authorized: auth.notification.granted(),
        notification_badge_authorized: auth.notification_badge.granted(),
        notification_sound_authorized: auth.notification_sound.granted(),
        phone_calendar_authorized: auth.phone_calendar.granted(),
        pixel_ratio: p.pixel_ratio,
        platform: p.platform,
        safe_area: p.safe_area,
        screen_height: p.screen_height,
        screen_width: p.screen_width,
        status_bar_height: p.status_bar_height,
        system: p.system.clone(),
        version: p.version.clone(),
        wifi_enabled: p.wifi_enabled,
        window_height: p.window_height,
        window_width: p.window_width,
        theme: p.theme,
    }
}

/// Gets the device, window and app information (deprecated since 2.20.1 for the split APIs).
#[wx_async(sync)]
async fn get_system_info(app: &App) -> SystemInfo {
    system_info(app)
}

/// Gets the same information as `getSystemInfo`, asynchronously.
#[wx_async(since = "2.14.1", no_promise)]
async fn get_system_info_async(app: &App) -> SystemInfo {
    system_info(app)
}

/// What `getDeviceInfo` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct DeviceInfo {
    pub abi: String,
    pub benchmark_level: i32,
    pub brand: String,
    pub cpu_type: String,
    pub device_abi: String,
    pub memory_size: String,
    pub model: String,
    pub platform: Platform,
    pub system: String,
}

/// Gets the device's basic information.
#[wx_sync(since = "2.20.1")]
fn get_device_info(app: &App) -> DeviceInfo {
    let p = DeviceProfile::of(app);
    DeviceInfo {
        abi: p.abi.clone(),
        benchmark_level: p.benchmark_level,
        brand: p.brand.clone(),
        cpu_type: p.cpu_type.clone(),
        device_abi: p.abi.clone(),
        memory_size: p.memory_size.clone(),
        model: p.model.clone(),
        platform: p.platform,
        system: p.system.clone(),
    }
}

/// What `getWindowInfo` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct WindowInfo {
    pub pixel_ratio: f64,
    pub safe_area: SafeArea,
    pub screen_height: f64,
    pub screen_top: f64,
    pub screen_width: f64,
    pub status_bar_height: f64,
    pub window_height: f64,
    pub window_width: f64,
}

/// Gets the window's sizes.
#[wx_sync(since = "2.20.1")]
fn get_window_info(app: &App) -> WindowInfo {
    let p = DeviceProfile::of(app);
    WindowInfo {
        pixel_ratio: p.pixel_ratio,
        safe_area: p.safe_area,
        screen_height: p.screen_height,
        screen_top: 0.0,
        screen_width: p.screen_width,
        status_bar_height: p.status_bar_height,
        window_height: p.window_height,
        window_width: p.window_width,
    }
}

/// What `getAppBaseInfo` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AppBaseInfo {
    #[serde(rename = "PCKernelVersion")]
    pub pc_kernel_version: String,
    #[serde(rename = "SDKVersion")]
    pub sdk_version: String,
    pub enable_debug: bool,
    pub font_size_scale_factor: f64,
    pub font_size_setting: f64,
    pub host: HostInfo,
    pub language: String,
    pub version: String,
    pub theme: Theme,
}

/// Gets the WeChat app's basic information.
#[wx_sync(since = "2.20.1")]
fn get_app_base_info(app: &App) -> AppBaseInfo {
    let p = DeviceProfile::of(app);
    AppBaseInfo {
        pc_kernel_version: String::new(),
        sdk_version: p.sdk_version.clone(),
        enable_debug: p.enable_debug,
        font_size_scale_factor: p.font_size_scale_factor,
        font_size_setting: p.font_size_setting,
        host: HostInfo {
            app_id: app.app_id().to_owned(),
        },
        language: p.language.clone(),
        version: p.version.clone(),
        theme: p.theme,
    }
}

/// What `getSystemSetting` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct SystemSetting {
    pub bluetooth_enabled: bool,
    pub device_orientation: Orientation,
    pub location_enabled: bool,
    pub wifi_enabled: bool,
}

/// Gets the device's system settings.
#[wx_sync(since = "2.20.1")]
fn get_system_setting(app: &App) -> SystemSetting {
    let p = DeviceProfile::of(app);
    SystemSetting {
        bluetooth_enabled: p.bluetooth_enabled,
        device_orientation: p.device_orientation,
        location_enabled: p.location_enabled,
        wifi_enabled: p.wifi_enabled,
    }
}

/// What `getAppAuthorizeSetting` returns.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AppAuthorizeSetting {
    pub album_authorized: Authorization,
    pub bluetooth_authorized: Authorization,
    pub camera_authorized: Authorization,
    pub location_authorized: Authorization,
    pub location_reduced_accuracy: bool,
    pub microphone_authorized: Authorization,
    pub notification_alert_authorized: Authorization,
    pub notification_authorized: Authorization,
    pub notification_badge_authorized: Authorization,
    pub notification_sound_authorized: Authorization,
    pub phone_calendar_authorized: Authorization,
}

/// Gets what WeChat is allowed to do for the app.
#[wx_sync(since = "2.20.1")]
fn get_app_authorize_setting(app: &App) -> AppAuthorizeSetting {
    let p = DeviceProfile::of(app);
    let a = &p.authorizations;
    AppAuthorizeSetting {
        album_authorized: a.album,
        bluetooth_authorized: a.bluetooth,
        camera_authorized: a.camera,
        location_authorized: a.location,
        location_reduced_accuracy: p.location_reduced_accuracy,
        microphone_authorized: a.microphone,
        notification_alert_authorized: a.notification_alert,
        notification_authorized: a.notification,
        notification_badge_authorized: a.notification_badge,
        notification_sound_authorized: a.notification_sound,
        phone_calendar_authorized: a.phone_calendar,
    }
}

/// Whether an API, one of its options, results or enum values, or a class method exists here.
///
/// `wx.canIUse("getStorageSync")`, `wx.canIUse("request.object.method.GET")`,
/// `wx.canIUse("RequestTask.abort")`. Answered from the registry's metadata;
/// anything unknown is `false`, as is `wx.canIUse()`; a schema that is not a
/// string throws, as WeChat's does.
#[wx_sync(name = "canIUse", since = "1.1.1")]
fn can_i_use(_app: &App, schema: Loose<String>) -> Result<bool, WxError> {
    let schema = match schema.value {
        Value::Undefined => return Ok(false),
        Value::String(schema) => schema,
        _ => {
            return Err(WxError::verbatim(
                "APP-SERVICE-SDK:canIUse: schema should be a string",
            ))
        }
    };
    let registry = Registry::global().map_err(WxError::internal)?;
    Ok(registry.can_i_use(&schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_profile_is_consistent() {
        DeviceProfile::default().check().unwrap();
    }

    #[test]
    fn a_profile_file_overrides_fields_and_is_checked() {
        let p = DeviceProfile::from_json(r#"{"platform": "android", "language": "en"}"#).unwrap();
        assert_eq!(
            (p.platform, p.language.as_str(), p.screen_width),
            (Platform::Android, "en", 414.0)
        );
        let err = DeviceProfile::from_json(r#"{"windowWidth": 500}"#).unwrap_err();
        assert_eq!(
            err,
            "invalid device profile: the window is larger than the screen"
        );
        assert!(DeviceProfile::from_json(r#"{"colour": "red"}"#)
            .unwrap_err()
            .contains("unknown field"));
    }
}
