//! The attribute's own arguments: `#[wx_async(name = "x", err_code, task = "T", ...)]`.

use crate::model::Kind;
use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Ident, LitStr};

/// What the attribute says, before it is checked against the function.
#[derive(Default)]
pub struct Options {
    /// `name = "jsName"`.
    pub name: Option<LitStr>,
    /// `since = "2.21.3"`.
    pub since: Option<LitStr>,
    /// `err_code`: results carry `errCode`.
    pub err_code: bool,
    /// `task = "RequestTask"`: the call returns an object of this class.
    pub task: Option<LitStr>,
    /// `events(on_headers_received, ...)`: the object's events.
    pub events: Vec<Ident>,
    /// `methods(send = "sendSocketMessage", pause, ...)`: the object's methods
    /// besides `abort`, each with the API name its callbacks' errMsg uses.
    pub methods: Vec<(Ident, Option<LitStr>)>,
    /// `sync` or `sync(key, data)`: also register `<name>Sync`, whose positional
    /// arguments fill these option fields.
    pub sync: Option<(Ident, Vec<Ident>)>,
    /// `sync_result = data`: the Sync twin returns this field of the success data.
    pub sync_result: Option<Ident>,
    /// `no_abort`: the returned object has no `abort()` (`SocketTask` closes instead).
    pub no_abort: Option<Ident>,
}

impl Options {
    pub fn parse(kind: Kind, attr: TokenStream) -> syn::Result<Options> {
        let mut options = Options::default();
        let parser = syn::meta::parser(|meta| options.parse_one(kind, meta));
        parser.parse2(attr)?;
        Ok(options)
    }

    fn parse_one(&mut self, kind: Kind, meta: ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(key) = meta.path.get_ident().map(Ident::to_string) else {
            return Err(meta.error(expected_options(kind)));
        };
        if !kind.options().contains(&key.as_str()) {
            return Err(if Kind::Async.options().contains(&key.as_str()) {
                meta.error(format_args!("`{key}` is an option of #[wx_async] only"))
            } else {
                meta.error(format_args!(
                    "unknown option `{key}`; {}",
                    expected_options(kind)
                ))
            });
        }
        let duplicate = || meta.error(format_args!("`{key}` is given twice"));
        match key.as_str() {
            "name" | "since" | "task" => {
                let slot = match key.as_str() {
                    "name" => &mut self.name,
                    "since" => &mut self.since,
                    _ => &mut self.task,
                };
                if slot.is_some() {
                    return Err(duplicate());
                }
                let example = match key.as_str() {
                    "task" => "\"RequestTask\"",
                    "since" => "\"2.21.3\"",
                    _ => "\"getStorage\"",
                };
                let value = meta.value()?.parse::<LitStr>().map_err(|err| {
                    let message =
                        format!("`{key}` takes a string literal, such as `{key} = {example}`");
                    syn::Error::new(err.span(), message)
                })?;
                *slot = Some(value);
            }
            "sync" => {
                if self.sync.is_some() {
                    return Err(duplicate());
                }
                let mut fields = Vec::new();
                if !(meta.input.is_empty() || meta.input.peek(syn::Token![,])) {
                    meta.parse_nested_meta(|item| match item.path.get_ident() {
                        Some(ident) if item.input.is_empty() || item.input.peek(syn::Token![,]) => {
                            fields.push(ident.clone());
                            Ok(())
                        }
                        _ => Err(item.error("expected an options field name, such as `key`")),
                    })?;
                }
                self.sync = Some((
                    meta.path.get_ident().cloned().expect("checked above"),
                    fields,
                ));
            }
            "sync_result" => {
                if self.sync_result.is_some() {
                    return Err(duplicate());
                }
                self.sync_result = Some(meta.value()?.parse::<Ident>().map_err(|err| {
                    syn::Error::new(
                        err.span(),
                        "`sync_result` takes a field name, such as `sync_result = data`",
                    )
                })?);
            }
            "no_abort" => {
                if self.no_abort.is_some() {
                    return Err(duplicate());
                }
                self.no_abort = meta.path.get_ident().cloned();
            }
            "err_code" => {
                if self.err_code {
                    return Err(duplicate());
                }
                self.err_code = true;
            }
            "events" => {
                if !self.events.is_empty() {
                    return Err(duplicate());
                }
                meta.parse_nested_meta(|item| match item.path.get_ident() {
                    Some(ident) if item.input.is_empty() || item.input.peek(syn::Token![,]) => {
                        self.events.push(ident.clone());
                        Ok(())
                    }
                    _ => Err(item.error("expected an event name, such as `on_progress_update`")),
                })?;
            }
            _ => {
                if !self.methods.is_empty() {
                    return Err(duplicate());
                }
                meta.parse_nested_meta(|item| {
                    let Some(ident) = item.path.get_ident().cloned() else {
                        return Err(item.error("expected a method name, such as `send`"));
                    };
                    let api = match item.input.peek(syn::Token![=]) {
                        true => Some(item.value()?.parse::<LitStr>().map_err(|err| {
                            syn::Error::new(err.span(), "a method's errMsg name is a string: `send = \"sendSocketMessage\"`")
                        })?),
                        false => None,
                    };
                    self.methods.push((ident, api));
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

fn expected_options(kind: Kind) -> String {
    let names: Vec<String> = kind.options().iter().map(|o| format!("`{o}`")).collect();
    format!("expected {}", names.join(", "))
}
