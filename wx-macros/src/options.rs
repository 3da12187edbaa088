//! The attribute's own arguments: `#[wx_async(name = "x", err_code, task = "T", ...)]`.

use crate::kind::Kind;
use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Ident, LitStr, Type};

/// One entry of `events(...)`: `on_progress_update(Progress, since = "1.4.0", off_since = "2.1.0")`.
pub struct EventOption {
    pub ident: Ident,
    /// The listener's argument type; `None` when it was left out (an error).
    pub payload: Option<Type>,
    pub since: Option<LitStr>,
    pub off_since: Option<LitStr>,
    /// `no_off`: the class has no `offXxx` for this event (`SocketTask`).
    pub no_off: Option<Ident>,
    /// `single_listener`: a new listener replaces the one there (`Worker.onMessage`).
    pub single_listener: Option<Ident>,
}

/// One entry of `properties(...)`: `current_time(f64, readonly, since = "1.2.0")`,
/// `src(String, check = check_src)`.
pub struct PropertyOption {
    pub ident: Ident,
    /// The value's type; `None` when it was left out (an error).
    pub ty: Option<Type>,
    pub readonly: Option<Ident>,
    pub since: Option<LitStr>,
    /// `check = path`: a `fn(&Value) -> Result<(), WxError>` run on every assignment.
    pub check: Option<syn::Path>,
}

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
    /// `events(on_headers_received(Payload, since = "2.1.0"), ...)`: the object's events.
    pub events: Vec<EventOption>,
    /// `properties(src(String), paused(bool, readonly), ...)`: the object's properties.
    pub properties: Vec<PropertyOption>,
    /// `singleton`: one object per app, returned again while it lives.
    pub singleton: Option<Ident>,
    /// `methods(send(SendOptions) = "sendSocketMessage", pause, ...)`: the object's
    /// methods, each with its options type if it takes an options object, and
    /// besides `abort`, each with the API name its callbacks' errMsg uses.
    pub methods: Vec<(Ident, Option<Type>, Option<LitStr>)>,
    /// `sync` or `sync(key, data)`: also register `<name>Sync`, whose positional
    /// arguments fill these option fields.
    pub sync: Option<(Ident, Vec<Ident>)>,
    /// `sync_result = data`: the Sync twin returns this field of the success data.
    pub sync_result: Option<Ident>,
    /// `no_abort`: the returned object has no `abort()` (`SocketTask` closes instead).
    pub no_abort: Option<Ident>,
    /// `abort_since = "1.4.0"`: the version `abort()` appeared in.
    pub abort_since: Option<LitStr>,
    /// `no_promise`: no Promise mode without callbacks (`getSystemInfoAsync`).
    pub no_promise: Option<Ident>,
    /// `off_since = "2.9.3"`: the version of the `offXxx` twin.
    pub off_since: Option<LitStr>,
    /// `off_summary = "..."`: the `offXxx` twin's one-line summary.
    pub off_summary: Option<LitStr>,
    /// `no_off`: WeChat has no `offXxx` twin (the legacy `wx.onSocketOpen` family).
    pub no_off: Option<Ident>,
    /// `single_listener`: registering replaces the one listener (legacy socket events).
    pub single_listener: Option<Ident>,
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
            let owners: Vec<&str> = [Kind::Async, Kind::Sync, Kind::Event]
                .into_iter()
                .filter(|k| k.options().contains(&key.as_str()))
                .map(Kind::macro_name)
                .collect();
            return Err(if !owners.is_empty() {
                meta.error(format_args!(
                    "`{key}` is an option of {} only",
                    owners.join(" and ")
                ))
            } else {
                meta.error(format_args!(
                    "unknown option `{key}`; {}",
                    expected_options(kind)
                ))
            });
        }
        let duplicate = || meta.error(format_args!("`{key}` is given twice"));
        match key.as_str() {
            "name" | "since" | "task" | "abort_since" | "off_since" | "off_summary" => {
                let slot = match key.as_str() {
                    "name" => &mut self.name,
                    "since" => &mut self.since,
                    "abort_since" => &mut self.abort_since,
                    "off_since" => &mut self.off_since,
                    "off_summary" => &mut self.off_summary,
                    _ => &mut self.task,
                };
                if slot.is_some() {
                    return Err(duplicate());
                }
                let example = match key.as_str() {
                    "task" => "\"RequestTask\"",
                    "since" | "abort_since" | "off_since" => "\"2.21.3\"",
                    "off_summary" => "\"Stops listening for compass readings.\"",
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
            "no_abort" | "no_promise" | "no_off" | "single_listener" | "singleton" => {
                let slot = match key.as_str() {
                    "no_abort" => &mut self.no_abort,
                    "no_promise" => &mut self.no_promise,
                    "no_off" => &mut self.no_off,
                    "singleton" => &mut self.singleton,
                    _ => &mut self.single_listener,
                };
                if slot.is_some() {
                    return Err(duplicate());
                }
                if !(meta.input.is_empty() || meta.input.peek(syn::Token![,])) {
                    return Err(meta.error(format_args!("`{key}` is a flag and takes no value")));
                }
                *slot = meta.path.get_ident().cloned();
            }
            "err_code" => {
                if self.err_code {
                    return Err(duplicate());
                }
                self.err_code = true;
            }
            "properties" => {
                if !self.properties.is_empty() {
                    return Err(duplicate());
                }
                meta.parse_nested_meta(|item| {
                    let Some(ident) = item.path.get_ident().cloned() else {
                        return Err(item.error("expected a property, such as `src(String)`"));
                    };
                    let mut property = PropertyOption {
                        ident,
                        ty: None,
                        readonly: None,
                        since: None,
                        check: None,
                    };
                    if item.input.peek(syn::token::Paren) {
                        parse_property(&item, &mut property)?;
                    }
                    self.properties.push(property);
                    Ok(())
                })?;
            }
            "events" => {
                if !self.events.is_empty() {
                    return Err(duplicate());
                }
                meta.parse_nested_meta(|item| {
                    let Some(ident) = item.path.get_ident().cloned() else {
                        return Err(
                            item.error("expected an event, such as `on_progress_update(Progress)`")
                        );
                    };
                    let mut event = EventOption {
                        ident,
                        payload: None,
                        since: None,
                        off_since: None,
                        no_off: None,
                        single_listener: None,
                    };
                    if item.input.peek(syn::token::Paren) {
                        parse_event(&item, &mut event)?;
                    } else if !(item.input.is_empty() || item.input.peek(syn::Token![,])) {
                        return Err(
                            item.error("expected an event, such as `on_progress_update(Progress)`")
                        );
                    }
                    self.events.push(event);
                    Ok(())
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
                    let options = match item.input.peek(syn::token::Paren) {
                        true => {
                            let content;
                            syn::parenthesized!(content in item.input);
                            Some(content.parse::<Type>()?)
                        }
                        false => None,
                    };
                    let api = match item.input.peek(syn::Token![=]) {
                        true => Some(item.value()?.parse::<LitStr>().map_err(|err| {
                            syn::Error::new(err.span(), "a method's errMsg name is a string: `send = \"sendSocketMessage\"`")
                        })?),
                        false => None,
                    };
                    self.methods.push((ident, options, api));
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

/// `(Type, readonly, since = "1.2.0", check = path)` after a property's name.
fn parse_property(item: &ParseNestedMeta<'_>, property: &mut PropertyOption) -> syn::Result<()> {
    let content;
    syn::parenthesized!(content in item.input);
    property.ty = Some(content.parse::<Type>().map_err(|err| {
        syn::Error::new(err.span(), "name the property's type first: `src(String)`")
    })?);
    while !content.is_empty() {
        content.parse::<syn::Token![,]>()?;
        if content.is_empty() {
            break;
        }
        let key: Ident = content.parse()?;
        let twice = || syn::Error::new(key.span(), format_args!("`{key}` is given twice"));
        match key.to_string().as_str() {
            "readonly" => {
                if property.readonly.is_some() {
                    return Err(twice());
                }
                property.readonly = Some(key);
            }
            "since" => {
                if property.since.is_some() {
                    return Err(twice());
                }
                content.parse::<syn::Token![=]>()?;
                property.since = Some(content.parse()?);
            }
            "check" => {
                if property.check.is_some() {
                    return Err(twice());
                }
                content.parse::<syn::Token![=]>()?;
                property.check = Some(content.parse().map_err(|err: syn::Error| {
                    syn::Error::new(err.span(), "`check` names a function: `check = check_src`")
                })?);
            }
            _ => {
                return Err(syn::Error::new(
                    key.span(),
                    format_args!(
                        "unknown property option `{key}`; expected `readonly`, `since`, `check`"
                    ),
                ))
            }
        }
    }
    Ok(())
}

/// `(Payload, since = "1.4.0", off_since = "2.1.0")` after an event's name.
fn parse_event(item: &ParseNestedMeta<'_>, event: &mut EventOption) -> syn::Result<()> {
    let content;
    syn::parenthesized!(content in item.input);
    event.payload = Some(content.parse::<Type>().map_err(|err| {
        syn::Error::new(
            err.span(),
            "name the listener's argument type first: `on_progress_update(Progress)`",
        )
    })?);
    while !content.is_empty() {
        content.parse::<syn::Token![,]>()?;
        if content.is_empty() {
            break;
        }
        let key: Ident = content.parse()?;
        if key == "no_off" || key == "single_listener" {
            let flag = match key == "no_off" {
                true => &mut event.no_off,
                false => &mut event.single_listener,
            };
            if flag.is_some() {
                return Err(syn::Error::new(
                    key.span(),
                    format_args!("`{key}` is given twice"),
                ));
            }
            *flag = Some(key);
            continue;
        }
        let slot = match key.to_string().as_str() {
            "since" => &mut event.since,
            "off_since" => &mut event.off_since,
            _ => {
                return Err(syn::Error::new(
                    key.span(),
                    format_args!(
                        "unknown event option `{key}`; expected `since`, `off_since`, `no_off`, `single_listener`"
                    ),
                ))
            }
        };
        if slot.is_some() {
            return Err(syn::Error::new(
                key.span(),
                format_args!("`{key}` is given twice"),
            ));
        }
        content.parse::<syn::Token![=]>()?;
        *slot = Some(content.parse::<LitStr>()?);
    }
    Ok(())
}

fn expected_options(kind: Kind) -> String {
    let names: Vec<String> = kind.options().iter().map(|o| format!("`{o}`")).collect();
    format!("expected {}", names.join(", "))
}
