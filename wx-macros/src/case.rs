//! Rust names to JS names.

/// `get_storage_sync` → `getStorageSync`; a leading `r#` or `_` is dropped.
pub fn camel(snake: &str) -> String {
    let snake = snake.trim_start_matches("r#").trim_start_matches('_');
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `name` is `on` followed by an upper-case letter (`onCompassChange`).
pub fn is_on_name(name: &str) -> bool {
    name.strip_prefix("on")
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case() {
        assert_eq!(camel("get_storage_sync"), "getStorageSync");
        assert_eq!(camel("login"), "login");
        assert_eq!(camel("on_compass_change"), "onCompassChange");
        assert_eq!(camel("r#type"), "type");
        assert_eq!(camel("get_2d_context"), "get2dContext");
    }

    #[test]
    fn on_names() {
        assert!(is_on_name("onCompassChange"));
        assert!(!is_on_name("once"));
        assert!(!is_on_name("on"));
    }
}
