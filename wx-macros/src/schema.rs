//! `#[derive(JsonSchema)]` as wx-core exports it: schemars' own derive, applied
//! to a hidden twin of the item that names schemars through wx-core, and an
//! impl for the item that forwards to the twin's.
//!
//! Why a twin: schemars' derive writes `schemars::...` paths unless the item
//! carries `#[schemars(crate = "...")]`, and a derive cannot add an attribute to
//! the item it is on. Without the twin, a crate of APIs needs `schemars` in
//! scope, and forgetting it gets a dozen errors ending in "cargo add schemars"
//! (a second copy). The twin is the item with what schemars reads (doc
//! comments, `serde`, `schemars`, `validate`, `garde` attributes) and nothing
//! else, plus the crate path and the item's own name; so the schema, its name
//! and its id are the ones schemars would give the item itself.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{parse_quote, Attribute, Data, DeriveInput, Fields, Meta, Token, Visibility};

/// The attributes schemars reads; the twin keeps these and drops the rest.
const READ_BY_SCHEMARS: [&str; 5] = ["doc", "serde", "schemars", "validate", "garde"];

/// The derive's entry: the twin and the forwarding impl, or the parse error.
pub fn derive(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input) {
        Ok(item) => expand(&item),
        Err(error) => error.into_compile_error(),
    }
}

fn expand(item: &DeriveInput) -> TokenStream {
    let ident = &item.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let twin = twin(item);
    let twin_ident = &twin.ident;

    // Every type parameter must have a schema, as schemars' own derive asks;
    // the twin's impl then holds whatever subset it needs.
    let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
    for param in item.generics.type_params() {
        let param = &param.ident;
        where_clause
            .predicates
            .push(parse_quote!(#param: ::wx_core::schemars::JsonSchema));
    }
    let twin_ty = quote!(#twin_ident #ty_generics);

    quote! {
        const _: () = {
            #[derive(::wx_core::schemars::JsonSchema)]
            #[allow(dead_code)]
            #twin

            #[automatically_derived]
            impl #impl_generics ::wx_core::schemars::JsonSchema for #ident #ty_generics #where_clause {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    (::wx_core::__private::twin::<#twin_ty>().name)()
                }
                fn schema_id() -> ::std::borrow::Cow<'static, str> {
                    (::wx_core::__private::twin::<#twin_ty>().id)()
                }
                fn json_schema(
                    generator: &mut ::wx_core::schemars::SchemaGenerator,
                ) -> ::wx_core::schemars::Schema {
                    (::wx_core::__private::twin::<#twin_ty>().schema)(generator)
                }
                fn inline_schema() -> bool {
                    (::wx_core::__private::twin::<#twin_ty>().inline)()
                }
            }
        };
    }
}

/// The item as schemars should see it, renamed `__WxSchemaOf<Name>`.
fn twin(item: &DeriveInput) -> DeriveInput {
    let mut twin = item.clone();
    twin.ident = format_ident!("__WxSchemaOf{}", item.ident);
    twin.vis = Visibility::Inherited;
    twin.attrs = container_attrs(item);
    match &mut twin.data {
        Data::Struct(data) => keep_read_attrs_of_fields(&mut data.fields),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                variant.attrs.retain(is_read_by_schemars);
                keep_read_attrs_of_fields(&mut variant.fields);
            }
        }
        Data::Union(data) => {
            for field in &mut data.fields.named {
                field.attrs.retain(is_read_by_schemars);
            }
        }
    }
    twin
}

/// The container's attributes for the twin: those schemars reads, with a bare
/// `default` pointed at the item's `Default` (the twin has none), then the
/// crate path and the item's name unless the item gave its own.
fn container_attrs(item: &DeriveInput) -> Vec<Attribute> {
    let ident = &item.ident;
    let (_, ty_generics, _) = item.generics.split_for_impl();
    let item_default =
        quote!(<#ident #ty_generics as ::core::default::Default>::default).to_string();
    let mut has_crate = false;
    let mut has_rename = false;
    let mut attrs = Vec::new();
    for attr in item.attrs.iter().filter(|a| is_read_by_schemars(a)) {
        let tool = if attr.path().is_ident("serde") {
            "serde"
        } else if attr.path().is_ident("schemars") {
            "schemars"
        } else {
            attrs.push(attr.clone());
            continue;
        };
        // Anything not shaped as `tool(meta, ...)` is kept as written, for
        // schemars to judge (its error then points at the user's tokens).
        let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            attrs.push(attr.clone());
            continue;
        };
        let metas: Punctuated<Meta, Token![,]> = metas
            .into_iter()
            .map(|meta| {
                has_crate |= meta.path().is_ident("crate");
                has_rename |= names_the_schema(&meta);
                match meta {
                    Meta::Path(path) if path.is_ident("default") => {
                        parse_quote!(default = #item_default)
                    }
                    other => other,
                }
            })
            .collect();
        let tool = format_ident!("{}", tool);
        let mut rewritten: Attribute = parse_quote!(#[#tool(#metas)]);
        rewritten.pound_token.span = attr.pound_token.span;
        attrs.push(rewritten);
    }
    if !has_crate {
        attrs.push(parse_quote!(#[schemars(crate = "::wx_core::schemars")]));
    }
    if !has_rename {
        let name = ident.to_string();
        attrs.push(parse_quote!(#[schemars(rename = #name)]));
    }
    attrs
}

/// Whether `meta` renames what schemars names the schema after: the
/// deserialize name (`rename = ".."` or `rename(deserialize = "..")`; a
/// serialize-only rename leaves it the item's).
fn names_the_schema(meta: &Meta) -> bool {
    match meta {
        Meta::NameValue(nv) => nv.path.is_ident("rename"),
        Meta::List(list) if list.path.is_ident("rename") => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .is_ok_and(|inner| inner.iter().any(|m| m.path().is_ident("deserialize"))),
        _ => false,
    }
}

fn keep_read_attrs_of_fields(fields: &mut Fields) {
    for field in fields.iter_mut() {
        field.attrs.retain(is_read_by_schemars);
    }
}

fn is_read_by_schemars(attr: &Attribute) -> bool {
    READ_BY_SCHEMARS
        .iter()
        .any(|name| attr.path().is_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twin_of(item: TokenStream) -> String {
        let item: DeriveInput = syn::parse2(item).unwrap();
        let twin = twin(&item);
        quote!(#twin).to_string()
    }

    #[test]
    fn the_twin_keeps_what_schemars_reads_and_names_itself_as_the_item() {
        let twin = twin_of(quote! {
            /// Options.
            #[derive(Debug)]
            #[serde(default, rename_all = "camelCase")]
            #[repr(C)]
            pub struct Opts {
                /// Who.
                #[serde(rename = "who")]
                #[allow(unused)]
                pub name: String,
            }
        });
        assert!(twin.contains("struct __WxSchemaOfOpts"), "{twin}");
        assert!(!twin.contains("pub struct"), "{twin}");
        assert!(!twin.contains("derive") && !twin.contains("repr") && !twin.contains("allow"));
        assert!(twin.contains(r#"doc = r" Options.""#), "{twin}");
        assert!(twin.contains(r#"doc = r" Who.""#), "{twin}");
        assert!(twin.contains(r#"serde (rename = "who")"#), "{twin}");
        assert!(
            twin.contains(
                r#"serde (default = "< Opts as :: core :: default :: Default > :: default" , rename_all = "camelCase")"#
            ),
            "{twin}"
        );
        assert!(twin.contains(r#"schemars (crate = "::wx_core::schemars")"#));
        assert!(twin.contains(r#"schemars (rename = "Opts")"#));
    }

    #[test]
    fn a_name_or_crate_the_item_gives_is_kept() {
        let twin = twin_of(quote! {
            #[serde(rename = "Other")]
            #[schemars(crate = "my::schemars")]
            enum E { #[serde(rename = "a")] #[doc(hidden)] A }
        });
        assert!(!twin.contains("wx_core"), "{twin}");
        assert!(!twin.contains(r#"rename = "E""#), "{twin}");
        assert!(twin.contains(r#"serde (rename = "a")"#), "{twin}");
        assert!(twin.contains("doc (hidden)"), "{twin}");
    }

    #[test]
    fn a_serialize_only_rename_still_names_the_schema_after_the_item() {
        let twin = twin_of(quote! {
            #[serde(rename(serialize = "Out"))]
            struct S { a: u8 }
        });
        assert!(twin.contains(r#"schemars (rename = "S")"#), "{twin}");
        let twin = twin_of(quote! {
            #[serde(rename(deserialize = "In", serialize = "Out"))]
            struct S { a: u8 }
        });
        assert!(!twin.contains(r#"rename = "S""#), "{twin}");
    }

    #[test]
    fn a_generic_default_names_the_item_with_its_parameters() {
        let twin = twin_of(quote! {
            #[serde(default)]
            struct G<T> { t: T }
        });
        assert!(
            twin.contains(r#"default = "< G < T > as :: core :: default :: Default > :: default""#),
            "{twin}"
        );
    }
}
