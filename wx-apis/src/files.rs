//! The mini-program's file sandbox: `wxfile://tmp/...` for temporary files
//! (download results) and `wxfile://usr/...` (`wx.env.USER_DATA_PATH`) for the
//! user data folder, both under the app's data dir. Nothing outside is reachable.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use wx_core::{App, WxError};

/// `wx.env.USER_DATA_PATH`.
pub const USER_DATA_PATH: &str = "wxfile://usr";
const TEMP_PREFIX: &str = "wxfile://tmp";

/// The folder of the mini-program package, for APIs that read files of the
/// package itself (a background audio `src` such as `/audio/a.mp3`): a host
/// running a package installs it.
#[derive(Debug, Clone)]
pub struct PackageRoot(pub PathBuf);

/// One app's sandbox.
pub struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    /// The sandbox of `app`.
    pub fn of(app: &App) -> Sandbox {
        Sandbox {
            root: app.data_dir().to_owned(),
        }
    }

    /// The real path behind a `wxfile://` path, refusing anything outside the sandbox.
    pub fn resolve(&self, wx_path: &str) -> Result<PathBuf, WxError> {
        let outside = || {
            WxError::new(format!(
                "permission denied, {} is outside the mini-program's sandbox",
                wx_core::brief(wx_path, 256)
            ))
        };
        let (folder, rest) = if let Some(rest) = wx_path.strip_prefix(TEMP_PREFIX) {
            ("tmp", rest)
        } else if let Some(rest) = wx_path.strip_prefix(USER_DATA_PATH) {
            ("usr", rest)
        } else {
            return Err(outside());
        };
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let relative = Path::new(rest);
        if rest.is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(outside());
        }
        // Never through a symlink: one inside the sandbox could point anywhere.
        let mut path = self.root.join(folder);
        for step in std::iter::once(None).chain(relative.components().map(Some)) {
            if let Some(step) = step {
                path.push(step);
            }
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => return Err(outside()),
                Ok(_) => {}
                Err(_) => break, // what does not exist yet cannot be a link
            }
        }
        Ok(self.root.join(folder).join(relative))
    }

    /// A fresh temporary file: its `wxfile://tmp/...` path and its real path.
    pub fn new_temp_file(&self, extension: &str) -> std::io::Result<(String, PathBuf)> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = self.root.join("tmp");
        std::fs::create_dir_all(&dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let name = format!(
            "{stamp:x}{:04x}{extension}",
            COUNTER.fetch_add(1, Ordering::Relaxed) % 0x10000
        );
        Ok((format!("{TEMP_PREFIX}/{name}"), dir.join(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let sandbox = Sandbox {
            root: PathBuf::from("/data/app"),
        };
        assert_eq!(
            sandbox.resolve("wxfile://usr/a/b.txt").unwrap(),
            PathBuf::from("/data/app/usr/a/b.txt")
        );
        assert_eq!(
            sandbox.resolve("wxfile://tmp/x.png").unwrap(),
            PathBuf::from("/data/app/tmp/x.png")
        );
        for bad in [
            "/etc/passwd",
            "wxfile://usr/../../etc/passwd",
            "wxfile://usr",
            "wxfile://other/x",
            "wxfile://usr//abs",
        ] {
            assert!(sandbox.resolve(bad).is_err(), "{bad}");
        }
    }
}
