//! Route urls as WeChat's base library reads them: resolution against the
//! current page, the query re-encoded value by value, and what `onLoad` gets.
//! Pure functions; the page stack decides what a resolved url means.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use wx_core::WxError;

/// What `encodeURIComponent` leaves alone: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A url resolved against the page it was called from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The page route, package-relative, without `.html` (`pages/detail/detail`).
    pub route: String,
    /// The query as `onLoad` receives it: each value exactly as written after
    /// its `=` (WeChat encodes it for the trip and decodes it once on arrival),
    /// `"undefined"` for a key with no `=`, the last of a repeated key.
    pub query: Vec<(String, String)>,
    /// The query as WeChat's error messages show it: values `encodeURIComponent`-ed.
    pub encoded_query: String,
}

impl Target {
    /// `route` or `route?query` as WeChat names a page it did not find.
    pub fn display(&self) -> String {
        match self.encoded_query.is_empty() {
            true => self.route.clone(),
            false => format!("{}?{}", self.route, self.encoded_query),
        }
    }
}

/// Resolves `url` as `wx.navigateTo` and its siblings do, from the page at
/// `base` (a route, `""` before the first page):
/// a leading `/` is package-root; `./x` and `x` are beside the base page;
/// each leading `../` goes one folder up. A `scheme://` url is refused with
/// WeChat's `APP-SERVICE-SDK:Unknown URL protocol` error.
pub fn resolve(base: &str, url: &str) -> Result<Target, WxError> {
    if let Some(scheme) = scheme(url) {
        return Err(WxError::new(format!(
            "APP-SERVICE-SDK:Unknown URL protocol \"{scheme}://\""
        )));
    }
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let route = match path.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => relative(base, path),
    };
    let query = parse_query(query);
    let encoded_query = query
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, URI_COMPONENT)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(Target {
        route,
        query,
        encoded_query,
    })
}

/// `scheme` of a `scheme://...` url, if it is one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn relative(base: &str, path: &str) -> String {
    let mut rest = path.strip_prefix("./").unwrap_or(path);
    let mut up = 0;
    while let Some(next) = rest.strip_prefix("../") {
        rest = next;
        up += 1;
    }
    // The base's file, then one folder per `../`.
    let mut folders: Vec<&str> = base.split('/').collect();
    folders.pop();
    for _ in 0..up {
        folders.pop();
    }
    folders.retain(|s| !s.is_empty());
    match folders.is_empty() {
        true => rest.to_owned(),
        // `""` from `pages/index/index` is `pages/index/`, which no page is.
        false => format!("{}/{rest}", folders.join("/")),
    }
}

/// `a=1&b=2` into pairs the way the base library splits it: on `&`, then on
/// `=` keeping only the first two pieces (`x=1=2` is `x: "1"`), a key without
/// `=` is `"undefined"`, a repeated key keeps its first place and last value.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Where each key is, so a url with many pairs costs linear time.
    let mut places: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let mut pieces = pair.split('=');
        let key = pieces.next().unwrap_or_default();
        let value = pieces.next().unwrap_or("undefined");
        match places.get(key) {
            Some(&at) => pairs[at].1 = value.to_owned(),
            None => {
                places.insert(key, pairs.len());
                pairs.push((key.to_owned(), value.to_owned()));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(base: &str, url: &str) -> String {
        resolve(base, url).unwrap().display()
    }

    #[test]
    fn resolves_as_the_base_library_does() {
        let base = "pages/index/index";
        assert_eq!(route(base, "../logs/logs?a=1"), "pages/logs/logs?a=1");
        assert_eq!(route(base, "detail"), "pages/index/detail");
        assert_eq!(route(base, "./detail"), "pages/index/detail");
        assert_eq!(route(base, "/pages/a/b"), "pages/a/b");
        assert_eq!(route(base, "pages/a/b"), "pages/index/pages/a/b");
        assert_eq!(route(base, ""), "pages/index/");
        assert_eq!(route(base, "/pages/a.html"), "pages/a.html");
        assert_eq!(route("pages/a/b/c", "../../d/e"), "pages/d/e");
        assert_eq!(route("", "pages/a/b"), "pages/a/b");
    }

    #[test]
    fn queries_keep_what_was_written() {
        let t = resolve("", "/p?x=1=2&flag&k=a&k=b&s=a b&e=%E4").unwrap();
        let q: Vec<_> = t.query.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        assert_eq!(q, ["x:1", "flag:undefined", "k:b", "s:a b", "e:%E4"]);
        assert_eq!(t.encoded_query, "x=1&flag=undefined&k=b&s=a%20b&e=%25E4");
    }

    #[test]
    fn a_long_query_costs_linear_time() {
        let query: String = (0..200_000).map(|i| format!("k{i}=v&")).collect();
        let pairs = parse_query(&query);
        assert_eq!(pairs.len(), 200_000);
    }

    #[test]
    fn schemes_are_refused() {
        let err = resolve("", "https://example.com/x").unwrap_err();
        assert_eq!(
            err.reason(),
            "APP-SERVICE-SDK:Unknown URL protocol \"https://\""
        );
    }
}
