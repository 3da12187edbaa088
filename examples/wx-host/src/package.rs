//! A mini-program package on disk: its `app.json` (read and checked, every
//! error naming the file and the field), and its files, sandboxed: module
//! paths are package paths (`pages/list/list.js`), resolved the way WeChat's
//! `require` resolves them, and nothing outside the package folder is read.

use std::path::{Path, PathBuf};
use wx_apis::route::Pages;

/// A module bigger than this is refused (a real mini-program package is 20 MB in all).
pub const MAX_MODULE_BYTES: u64 = 16 << 20;

/// Why a package could not be opened.
#[derive(Debug)]
pub struct PackageError(pub String);

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PackageError {}

/// An opened mini-program package.
#[derive(Debug, Clone)]
pub struct Package {
    root: PathBuf,
    config: serde_json::Value,
    pages: Pages,
}

impl Package {
    /// Opens the package in `dir`: reads `app.json`, checks `pages`,
    /// `entryPagePath` and `tabBar.list`, and that every page has its `.js` file.
    pub fn open(dir: &Path) -> Result<Package, PackageError> {
        let root = dir
            .canonicalize()
            .map_err(|e| PackageError(format!("cannot open {}: {e}", dir.display())))?;
        let app_json = root.join("app.json");
        let shown = dir.join("app.json");
        let text = std::fs::read_to_string(&app_json)
            .map_err(|e| PackageError(format!("{}: {e}", shown.display())))?;
        let config: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| PackageError(format!("{}: not valid JSON: {e}", shown.display())))?;
        let fail = |message: String| PackageError(format!("{}: {message}", shown.display()));
        let object = config
            .as_object()
            .ok_or_else(|| fail("must be a JSON object".into()))?;
        let pages = match object.get("pages") {
            None => return Err(fail("\"pages\" is missing".into())),
            Some(serde_json::Value::Array(pages)) => pages
                .iter()
                .enumerate()
                .map(|(i, page)| match page.as_str() {
                    Some(route) if valid_route(route) => Ok(route.to_owned()),
                    _ => Err(fail(format!(
                        "pages[{i}] must be a page path such as \"pages/index/index\", not {page}"
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => return Err(fail(format!("\"pages\" must be an array, not {other}"))),
        };
        let mut pages = pages;
        // Subpackages' pages are pages too, under their root.
        let subpackages = object
            .get("subpackages")
            .or_else(|| object.get("subPackages"));
        if let Some(list) = subpackages {
            let list = list
                .as_array()
                .ok_or_else(|| fail("\"subpackages\" must be an array".into()))?;
            for (i, sub) in list.iter().enumerate() {
                let root = sub
                    .get("root")
                    .and_then(|r| r.as_str())
                    .map(|r| r.trim_matches('/'))
                    .filter(|r| valid_route(r))
                    .ok_or_else(|| fail(format!("subpackages[{i}].root must be a folder path")))?;
                let routes = sub
                    .get("pages")
                    .and_then(|p| p.as_array())
                    .ok_or_else(|| fail(format!("subpackages[{i}].pages must be an array")))?;
                for (j, page) in routes.iter().enumerate() {
                    match page.as_str() {
                        Some(route) if valid_route(route) => pages.push(format!("{root}/{route}")),
                        _ => {
                            return Err(fail(format!(
                                "subpackages[{i}].pages[{j}] must be a page path, not {page}"
                            )))
                        }
                    }
                }
            }
        }
        let tabs = match object.get("tabBar") {
            None => Vec::new(),
            Some(tab_bar) => {
                let list = tab_bar
                    .get("list")
                    .and_then(|l| l.as_array())
                    .ok_or_else(|| fail("tabBar.list must be an array".into()))?;
                if !(2..=5).contains(&list.len()) {
                    return Err(fail(format!(
                        "tabBar.list must have 2 to 5 items, it has {}",
                        list.len()
                    )));
                }
                list.iter()
                    .enumerate()
                    .map(|(i, item)| {
                        item.get("pagePath")
                            .and_then(|p| p.as_str())
                            .map(str::to_owned)
                            .ok_or_else(|| fail(format!("tabBar.list[{i}].pagePath is missing")))
                    })
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        let entry = match object.get("entryPagePath") {
            None => None,
            Some(serde_json::Value::String(entry)) => Some(entry.clone()),
            Some(other) => {
                return Err(fail(format!("entryPagePath must be a string, not {other}")))
            }
        };
        let pages = Pages::new(pages, tabs, entry).map_err(fail)?;
        let package = Package {
            root,
            config,
            pages,
        };
        for route in package.pages.routes() {
            if package.file(&format!("{route}.js")).is_none() {
                if package.file(&format!("{route}.ts")).is_some() {
                    return Err(PackageError(format!(
                        "page \"{route}\" is written in TypeScript ({}): wx-host runs JavaScript, compile it first (tsc, or WeChat DevTools)",
                        dir.join(format!("{route}.ts")).display()
                    )));
                }
                return Err(PackageError(format!(
                    "page \"{route}\" is listed in {} but {} does not exist",
                    shown.display(),
                    dir.join(format!("{route}.js")).display()
                )));
            }
        }
        if package.file("app.js").is_none() {
            return Err(PackageError(format!(
                "{} does not exist",
                dir.join("app.js").display()
            )));
        }
        Ok(package)
    }

    /// The package folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `app.json` as written (the framework's `__wxConfig`).
    pub fn config(&self) -> &serde_json::Value {
        &self.config
    }

    /// The pages, tabs and entry page.
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// The workers folder `app.json` names (`"workers": "workers"`, or
    /// `{ "path": "workers" }`), where `wx.createWorker` scripts live.
    pub fn workers(&self) -> Option<&str> {
        let workers = self.config.get("workers")?;
        workers
            .as_str()
            .or_else(|| workers.get("path").and_then(|p| p.as_str()))
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
    }

    /// The file at package path `path` (`utils/util.js`), if it is a regular file
    /// inside the package (no `..` out of it, no symbolic link).
    fn file(&self, path: &str) -> Option<PathBuf> {
        let full = self.root.join(path);
        let meta = std::fs::symlink_metadata(&full).ok()?;
        if !meta.is_file() {
            return None;
        }
        // A link anywhere on the way could lead out of the package.
        let canonical = full.canonicalize().ok()?;
        (canonical.starts_with(&self.root) && canonical == full).then_some(full)
    }

    /// What `require(request)` in the module at package path `from` loads, as
    /// WeChat resolves it: `/x` from the package root, `./x`, `../x` and bare
    /// `x` from the requiring file's folder (a bare name then also from
    /// `miniprogram_npm/`), trying `x`, `x.js`, `x.json`, `x/index.js`.
    pub fn resolve(&self, from: &str, request: &str) -> Option<String> {
        if request.is_empty() || request.contains('\0') {
            return None;
        }
        let folder = from.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut bases = Vec::new();
        match request.strip_prefix('/') {
            Some(absolute) => bases.push(normalize("", absolute)?),
            None => {
                if let Some(relative) = normalize(folder, request) {
                    bases.push(relative);
                }
                if !request.starts_with('.') {
                    bases.push(normalize("miniprogram_npm", request)?);
                }
            }
        }
        bases.into_iter().find_map(|base| {
            [
                base.clone(),
                format!("{base}.js"),
                format!("{base}.json"),
                format!("{base}/index.js"),
            ]
            .into_iter()
            .find(|candidate| self.file(candidate).is_some())
        })
    }

    /// The text of the module at package path `path`.
    pub fn source(&self, path: &str) -> Result<String, String> {
        let file = self
            .file(path)
            .ok_or_else(|| format!("{path}: no such file in the package"))?;
        let size = std::fs::metadata(&file)
            .map_err(|e| format!("{path}: {e}"))?
            .len();
        if size > MAX_MODULE_BYTES {
            return Err(format!(
                "{path}: {size} bytes, more than a module may have ({MAX_MODULE_BYTES})"
            ));
        }
        let bytes = std::fs::read(&file).map_err(|e| format!("{path}: {e}"))?;
        let text = String::from_utf8_lossy(&bytes);
        // A byte-order mark is not JavaScript.
        Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
    }
}

/// Whether a source is an ES module: a line that starts with an `import` or
/// `export` statement (not `import(`, a dynamic import a script may use).
pub fn is_es_module(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim_start();
        let after = |keyword: &str| {
            line.strip_prefix(keyword)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| c.is_whitespace() || matches!(c, '{' | '*' | '\'' | '"'))
        };
        after("import") || after("export")
    })
}

/// A page route: package-relative, `/`-separated, no `.` or `..` segments.
fn valid_route(route: &str) -> bool {
    !route.is_empty()
        && !route.starts_with('/')
        && !route.ends_with(".js")
        && route
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'))
}

/// `folder` joined with `path`, `.` and `..` applied; `None` above the package root.
fn normalize(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_inside_the_package_only() {
        assert_eq!(
            normalize("pages/a", "../../utils/x").as_deref(),
            Some("utils/x")
        );
        assert_eq!(normalize("pages/a", "./b").as_deref(), Some("pages/a/b"));
        assert_eq!(normalize("pages", "../../etc/passwd"), None);
    }

    #[test]
    fn detects_es_modules() {
        assert!(is_es_module("import { a } from './a'\n"));
        assert!(is_es_module("const x = 1\nexport default x\n"));
        assert!(!is_es_module(
            "const m = import('./a')\nmodule.exports = 1\n"
        ));
        assert!(!is_es_module("exports.important = 1\n"));
    }
}
