//! Code generation: the user's function as written, then one `const _` block
//! holding its wrapper and its registry entry.

use crate::kind::Kind;
use crate::model::{Api, Param};
use crate::options::Options;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::ItemFn;

/// The whole expansion of one attribute; errors come out as `compile_error!`s
/// next to the untouched function.
pub fn api(kind: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(err) => {
            let message = format!("{} goes on a function: {err}", kind.macro_name());
            let err = syn::Error::new(err.span(), message).to_compile_error();
            return quote! { #item #err };
        }
    };
    let model = Options::parse(kind, attr).and_then(|options| Api::from_fn(kind, options, &func));
    match model {
        Ok(api) => {
            let registration = registration(&api);
            quote! { #func #registration }
        }
        Err(err) => {
            let err = err.to_compile_error();
            quote! { #func #err }
        }
    }
}

fn registration(api: &Api) -> TokenStream {
    let wrapper = match api.kind {
        Kind::Sync => sync_wrapper(api),
        Kind::Async => async_wrapper(api),
        Kind::Event => event_wrapper(api),
    };
    let schemas = input_schemas(api);
    let class = class_def(api);
    let def = api_def(api);
    let twin = sync_twin(api);
    quote! {
        const _: () = {
            #schemas
            #wrapper
            #class
            const __WX_API: ::wx_core::ApiDef = #def;
            ::wx_core::__private::inventory::submit!(__WX_API);
            #twin
        };
    }
}

/// The options' and each positional parameter's schema, named once: the
/// wrapper explains a failed decode with it and the registry entry documents it,
/// so a type without `JsonSchema` is one error, not one per use.
fn input_schemas(api: &Api) -> TokenStream {
    let mut index = 0usize;
    let consts = api.params.iter().filter_map(|param| match param {
        Param::Options { ty } => {
            let schema = schema_fn("input", ty);
            Some(quote!(const __WX_OPTIONS: ::wx_core::schema::SchemaFn = #schema;))
        }
        Param::Positional { ty, .. } => {
            let name = format_ident!("__WX_PARAM{}", index);
            index += 1;
            let schema = schema_fn("input", ty);
            Some(quote!(const #name: ::wx_core::schema::SchemaFn = #schema;))
        }
        _ => None,
    });
    quote!(#(#consts)*)
}

/// The Task the host hands a task API; its absence is a host bug, reported as one.
fn unwrap_task() -> TokenStream {
    quote! {
        let ::core::option::Option::Some(__wx_task) = __wx_task else {
            return ::core::result::Result::Err(::wx_core::WxError::internal("the host gave no task object"));
        };
    }
}

fn takes_app(api: &Api) -> bool {
    api.params.iter().any(|p| matches!(p, Param::App { .. }))
}

/// The user function's arguments, in order, as the wrapper names them
/// (`__wx_app` an `App`, or with `app_ref` the `&App` the wrapper was given).
fn call_args(api: &Api, app_ref: bool) -> Vec<TokenStream> {
    let mut positional = 0usize;
    let app = match app_ref {
        true => quote!(__wx_app),
        false => quote!(&__wx_app),
    };
    api.params
        .iter()
        .map(|param| match param {
            Param::App { by_ref: true } => app.clone(),
            Param::App { by_ref: false } => quote!(::core::clone::Clone::clone(#app)),
            Param::Task => quote!(__wx_task),
            Param::Form => quote!(__wx_form),
            Param::Sink { .. } => quote!(__wx_sink),
            Param::Options { .. } => quote!(__wx_options),
            Param::Positional { .. } => {
                let arg = format_ident!("__wx_arg{}", positional);
                positional += 1;
                quote!(#arg)
            }
        })
        .collect()
}

/// `::wx_core::encode(result)`, spanned on the return type so a missing
/// `Serialize` or `Into<WxError>` is reported there.
fn encode(api: &Api, call: TokenStream) -> TokenStream {
    encode_with(api, call, "encode", TokenStream::new())
}

/// `::wx_core::encode_into(result, __wx_out)`: a sync API's result written to the host's output.
fn encode_into(api: &Api, call: TokenStream) -> TokenStream {
    encode_with(api, call, "encode_into", quote!(, __wx_out))
}

fn encode_with(api: &Api, call: TokenStream, encoder: &str, more: TokenStream) -> TokenStream {
    let (data, span) = (&api.output.data, api.output.span);
    // Every token of the call on the return type: an unmet bound is reported there alone.
    let encoder = syn::Ident::new(encoder, span);
    let more = more.into_iter().map(|mut token| {
        token.set_span(span);
        token
    });
    let more: TokenStream = more.collect();
    if api.output.fallible {
        let encode = quote_spanned!(span=> ::wx_core::#encoder(__wx_result #more));
        quote! {
            let __wx_result = #call;
            #encode
        }
    } else {
        quote_spanned!(span=> ::wx_core::#encoder(::core::result::Result::<#data, ::wx_core::WxError>::Ok(#call) #more))
    }
}

fn sync_wrapper(api: &Api) -> TokenStream {
    let ident = &api.ident;
    let mut index = 0usize;
    let decodes: Vec<_> = api
        .params
        .iter()
        .filter_map(|param| match param {
            Param::Positional { name, ty } => {
                let arg = format_ident!("__wx_arg{}", index);
                let schema = format_ident!("__WX_PARAM{}", index);
                let decode =
                    quote_spanned!(ty.span()=> __wx_args.decode::<#ty>(#index, #name, #schema));
                index += 1;
                Some((arg, ty, decode))
            }
            _ => None,
        })
        .collect();
    // One argument: `?`. Several: decode them all, then report every bad one at once.
    let decodes = match decodes.as_slice() {
        [] => TokenStream::new(),
        [(arg, ty, decode)] => quote! { let #arg: #ty = #decode?; },
        many => {
            let args: Vec<_> = many.iter().map(|(arg, _, _)| arg).collect();
            let each = many.iter().map(|(arg, ty, decode)| quote! { let #arg: ::core::result::Result<#ty, ::wx_core::WxError> = #decode; });
            quote! {
                #(#each)*
                let (#(#args),*) = match (#(#args),*) {
                    (#(::core::result::Result::Ok(#args)),*) => (#(#args),*),
                    (#(#args),*) => return ::core::result::Result::Err(::wx_core::Args::errors([#(#args.err()),*])),
                };
            }
        }
    };
    let args = call_args(api, false);
    let body = encode_into(api, quote!(#ident(#(#args),*)));
    let app = if takes_app(api) {
        quote!(__wx_app)
    } else {
        quote!(_)
    };
    let args_pat = if index > 0 {
        quote!(mut __wx_args)
    } else {
        quote!(_)
    };
    let (task_pat, task) = match api.class.is_some() {
        true => (quote!(__wx_task), Some(unwrap_task())),
        false => (quote!(_), None),
    };
    quote! {
        fn __wx_call(
            #app: &::wx_core::App,
            #args_pat: ::wx_core::Args<'_>,
            #task_pat: ::core::option::Option<::wx_core::Task>,
            __wx_out: &mut dyn ::wx_core::Sink,
        ) -> ::core::result::Result<(), ::wx_core::WxError> {
            #task
            #decodes
            #body
        }
    }
}

fn async_wrapper(api: &Api) -> TokenStream {
    let ident = &api.ident;
    let options = api.params.iter().find_map(|param| match param {
        Param::Options { ty } => {
            let decode = quote_spanned!(ty.span()=> ::wx_core::Args::options::<#ty>(&mut __wx_args, __WX_OPTIONS)?);
            Some(quote! { let __wx_options: #ty = #decode; })
        }
        _ => None,
    });
    let takes_task = api.params.iter().any(|p| matches!(p, Param::Task));
    let task = api.class.is_some().then(unwrap_task);
    // The object lives as long as the future: one that does not use its Task still holds it.
    let keep_task = (task.is_some() && !takes_task).then(|| quote!(let _task = __wx_task;));
    let args = call_args(api, false);
    let body = encode(api, quote!(#ident(#(#args),*).await));
    let (app_pat, app) = match takes_app(api) {
        true => (
            quote!(__wx_app),
            Some(quote!(let __wx_app = ::core::clone::Clone::clone(__wx_app);)),
        ),
        false => (quote!(_), None),
    };
    let args_pat = if options.is_some() {
        quote!(mut __wx_args)
    } else {
        quote!(_)
    };
    let task_pat = if task.is_some() {
        quote!(__wx_task)
    } else {
        quote!(_)
    };
    let form_pat = match api.params.iter().any(|p| matches!(p, Param::Form)) {
        true => quote!(__wx_form),
        false => quote!(_),
    };
    quote! {
        fn __wx_call(
            #app_pat: &::wx_core::App,
            #args_pat: ::wx_core::Args<'_>,
            #task_pat: ::core::option::Option<::wx_core::Task>,
            #form_pat: ::wx_core::CallForm,
        ) -> ::core::result::Result<
            ::wx_core::BoxFuture<::core::result::Result<::wx_core::Encoded, ::wx_core::WxError>>,
            ::wx_core::WxError,
        > {
            #options
            #task
            #app
            ::core::result::Result::Ok(::std::boxed::Box::pin(async move {
                #keep_task
                #body
            }))
        }
    }
}

fn event_wrapper(api: &Api) -> TokenStream {
    let ident = &api.ident;
    let payload = api.result_type();
    let sink = quote_spanned!(payload.span()=> ::wx_core::EventSink::<#payload>::new(__wx_emitter));
    let args = call_args(api, false);
    let (app_pat, app) = match takes_app(api) {
        true => (
            quote!(__wx_app),
            Some(quote!(let __wx_app = ::core::clone::Clone::clone(__wx_app);)),
        ),
        false => (quote!(_), None),
    };
    quote! {
        fn __wx_call(
            #app_pat: &::wx_core::App,
            __wx_emitter: ::wx_core::Emitter,
        ) -> ::wx_core::BoxFuture<()> {
            #app
            let __wx_sink = #sink;
            ::std::boxed::Box::pin(async move { #ident(#(#args),*).await })
        }
    }
}

/// The `xxxSync` twin: positional arguments become the options object, and
/// the function's own future (not the async wrapper's boxed one) runs to
/// completion here; its result is written to the host's output, one field of
/// it when the twin returns a field (`sync_result`).
fn sync_twin(api: &Api) -> TokenStream {
    let Some(twin) = &api.sync_twin else {
        return TokenStream::new();
    };
    let fields = twin.fields.iter().map(|(_, js)| js);
    let options_ty = api.params.iter().find_map(|p| match p {
        Param::Options { ty } => Some(ty),
        _ => None,
    });
    let params = twin.fields.iter().filter_map(|(ident, js)| {
        let ty = options_ty?;
        let schema = quote_spanned!(ident.span()=> || ::wx_core::schema::input_field::<#ty>(#js));
        Some(quote!(::wx_core::ParamDef { name: #js, schema: #schema }))
    });
    let data = &api.output.data;
    let result = match &twin.result {
        Some((ident, js)) => {
            quote_spanned!(ident.span()=> || ::wx_core::schema::output_field::<#data>(#js))
        }
        None => quote!(::wx_core::schema::output::<#data>),
    };
    let (name, summary, since) = (&twin.name, &api.summary, &api.since);
    let rust_name = api.ident.to_string();
    let line = quote_spanned!(api.ident.span()=> ::core::line!());
    let fields_exist = twin_fields_exist(api, options_ty);
    let (args_pat, options) = match options_ty {
        Some(ty) => {
            let decode = quote_spanned!(ty.span()=> ::wx_core::Args::options::<#ty>(&mut __wx_args, __WX_OPTIONS)?);
            let options = quote! {
                let mut __wx_positional = ::wx_core::Positional::new(&mut __wx_args, &[#(#fields),*]);
                let mut __wx_args = ::wx_core::Args::lent(&mut __wx_positional);
                let __wx_options: #ty = #decode;
            };
            (quote!(mut __wx_args), Some(options))
        }
        None => (quote!(_), None),
    };
    let form = api
        .params
        .iter()
        .any(|p| matches!(p, Param::Form))
        .then(|| quote!(let __wx_form = ::wx_core::CallForm::Sync;));
    let ident = &api.ident;
    let args = call_args(api, true);
    let run = quote!(::wx_core::run_blocking(__wx_app, #ident(#(#args),*))?);
    let body = match &twin.result {
        Some((_, js)) => encode_with(
            api,
            quote!(__wx_output),
            "encode_field_into",
            quote!(, __wx_out, #js),
        ),
        None => encode_with(api, quote!(__wx_output), "encode_into", quote!(, __wx_out)),
    };
    quote! {
        fn __wx_call_sync(
            __wx_app: &::wx_core::App,
            #args_pat: ::wx_core::Args<'_>,
            _: ::core::option::Option<::wx_core::Task>,
            __wx_out: &mut dyn ::wx_core::Sink,
        ) -> ::core::result::Result<(), ::wx_core::WxError> {
            #options
            #form
            let __wx_output = #run;
            #body
        }
        const __WX_SYNC_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
            name: #name,
            kind: ::wx_core::ApiKind::Sync,
            summary: #summary,
            since: #since,
            rust_path: ::core::concat!(::core::module_path!(), "::", #rust_name),
            file: ::core::file!(),
            line: #line,
            err_code: false,
            class: ::core::option::Option::None,
            handler: ::wx_core::Handler::Sync(__wx_call_sync),
            options: ::core::option::Option::None,
            params: &[#(#params),*],
            result: ::core::option::Option::Some(#result),
            promise: false,
            off: ::core::option::Option::None,
            listeners: ::wx_core::Listeners::Many,
        };
        ::wx_core::__private::inventory::submit!(__WX_SYNC_API);
        #fields_exist
    }
}

/// Never called: it only compiles if every field `sync(...)` and `sync_result`
/// name is a field of the options and result types, so a misspelt name is a
/// compile error on that name instead of a twin that silently passes nothing.
fn twin_fields_exist(api: &Api, options_ty: Option<&syn::Type>) -> TokenStream {
    let Some(twin) = &api.sync_twin else {
        return TokenStream::new();
    };
    let options = options_ty.map(|ty| {
        let reads = twin
            .fields
            .iter()
            .map(|(ident, _)| quote_spanned!(ident.span()=> let _ = &__wx_options.#ident;));
        quote!(fn __wx_options_fields(__wx_options: &#ty) { #(#reads)* })
    });
    let result = twin.result.as_ref().map(|(ident, _)| {
        let data = &api.output.data;
        let read = quote_spanned!(ident.span()=> let _ = &__wx_data.#ident;);
        quote!(fn __wx_result_field(__wx_data: &#data) { #read })
    });
    quote! {
        #[allow(dead_code)]
        const _: () = {
            #options
            #result
        };
    }
}

fn class_def(api: &Api) -> TokenStream {
    let Some(class) = &api.class else {
        return TokenStream::new();
    };
    let (name, abort, abort_since) = (&class.name, class.abort, &class.abort_since);
    let methods = class.methods.iter().map(|(method, api, options)| {
        let options = option(options.as_ref().map(|ty| schema_fn("input", ty)));
        quote!(::wx_core::MethodDef { name: #method, api: #api, options: #options })
    });
    let events = class.events.iter().map(|event| {
        let (name, since) = (&event.name, &event.since);
        let off_since = option(event.off_since.as_ref().map(|v| quote!(#v)));
        let payload = schema_fn("output", &event.payload);
        let listeners = match event.single_listener {
            true => quote!(::wx_core::Listeners::Single),
            false => quote!(::wx_core::Listeners::Many),
        };
        quote! {
            ::wx_core::EventDef {
                name: #name,
                since: #since,
                off_since: #off_since,
                payload: #payload,
                listeners: #listeners,
            }
        }
    });
    let properties = class.properties.iter().map(|p| {
        let (name, since, readonly, ty) = (&p.name, &p.since, p.readonly, &p.ty);
        let schema = schema_fn("output", ty);
        let check = option(p.check.as_ref().map(|path| quote!(#path)));
        quote! {
            ::wx_core::PropertyDef {
                name: #name,
                since: #since,
                readonly: #readonly,
                schema: #schema,
                assign: |value| ::wx_core::__private::assign_property::<#ty>(value, #name, #check),
            }
        }
    });
    let singleton = class.singleton;
    quote! {
        static __WX_CLASS: ::wx_core::ClassDef = ::wx_core::ClassDef {
            name: #name,
            methods: &[#(#methods),*],
            events: &[#(#events),*],
            abort: #abort,
            abort_since: #abort_since,
            properties: &[#(#properties),*],
            singleton: #singleton,
        };
    }
}

fn api_def(api: &Api) -> TokenStream {
    let (name, summary, since, err_code) = (&api.js_name, &api.summary, &api.since, api.err_code);
    let rust_name = api.ident.to_string();
    let line = quote_spanned!(api.ident.span()=> ::core::line!());
    let (kind, handler) = match api.kind {
        Kind::Sync => (quote!(Sync), quote!(Sync(__wx_call))),
        Kind::Async => (quote!(Async), quote!(Async(__wx_call))),
        Kind::Event => (
            quote!(On),
            quote!(Event(::core::option::Option::Some(__wx_call))),
        ),
    };
    let class = match api.class {
        Some(_) => quote!(::core::option::Option::Some(&__WX_CLASS)),
        None => quote!(::core::option::Option::None),
    };
    let options = api.params.iter().find_map(|p| match p {
        Param::Options { .. } => Some(quote!(__WX_OPTIONS)),
        _ => None,
    });
    let options = option(options);
    let mut index = 0usize;
    let params = api.params.iter().filter_map(|p| match p {
        Param::Positional { name, .. } => {
            let schema = format_ident!("__WX_PARAM{}", index);
            index += 1;
            Some(quote!(::wx_core::ParamDef { name: #name, schema: #schema }))
        }
        _ => None,
    });
    let result = option(Some(schema_fn("output", api.result_type())));
    let promise = api.promise;
    let off = option(api.off.as_ref().map(|off| {
        let (since, summary) = (&off.since, &off.summary);
        quote!(::wx_core::OffDef { since: #since, summary: #summary })
    }));
    let listeners = match api.single_listener {
        true => quote!(Single),
        false => quote!(Many),
    };
    quote! {
        ::wx_core::ApiDef {
            name: #name,
            kind: ::wx_core::ApiKind::#kind,
            summary: #summary,
            since: #since,
            rust_path: ::core::concat!(::core::module_path!(), "::", #rust_name),
            file: ::core::file!(),
            line: #line,
            err_code: #err_code,
            class: #class,
            handler: ::wx_core::Handler::#handler,
            options: #options,
            params: &[#(#params),*],
            result: #result,
            promise: #promise,
            off: #off,
            listeners: ::wx_core::Listeners::#listeners,
        }
    }
}

/// `::wx_core::schema::input::<T>`, spanned on `T` so a missing `JsonSchema` points there.
fn schema_fn(which: &str, ty: &syn::Type) -> TokenStream {
    let which = syn::Ident::new(which, Span::call_site());
    quote_spanned!(ty.span()=> ::wx_core::schema::#which::<#ty>)
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
