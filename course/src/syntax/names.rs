//! What a cell defines, binds, imports and invokes, read from syn's syntax tree. Macro bodies
//! are not parsed by syn; their tokens count as uses.

use super::numbers::{number_bound, Number};
use super::tokens::flat_stream;
use super::{offset, parse_cell, Flat, Tok};
use proc_macro2::TokenStream;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::ext::IdentExt;
use syn::visit::{self, Visit};
use syn::{Ident, Stmt, UseTree};

/// How a name is bound where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    /// A value: a pattern's name (`let`, `if let`, `match`, `for`, a closure's parameters).
    Value,
    /// An item or an import: `fn`, `struct`, `macro_rules!`, `use … as`, ….
    Item,
}

/// A name a cell binds.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub(crate) name: String,
    pub(crate) binding: Binding,
    /// Bound where the code after the cell sees it: by a statement at the top of the cell.
    pub(crate) top: bool,
    /// Byte offset in the cell.
    pub(crate) at: usize,
}

/// An import: the path of a `use` leaf (`std::env` in `use std::{env as e}`), and its new name.
#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub(crate) path: Vec<String>,
    pub(crate) renamed: bool,
    pub(crate) at: usize,
}

/// What a cell defines, binds, imports and invokes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Every name bound, in the cell's order. A function's parameters are not counted: they
    /// shadow nothing outside it.
    pub(crate) bindings: Vec<Bound>,
    pub(crate) imports: Vec<Import>,
    /// The names used on their own: a path's first segment, a macro body's names. Not a method
    /// or field, not a path's tail, not a macro.
    pub(crate) used: BTreeSet<String>,
    /// The macros invoked (`name!`, the last segment of the path), macro bodies included.
    pub(crate) macros: BTreeSet<String>,
    /// Where the cell declares a trait or begins an `impl` block.
    pub(crate) traits: Option<usize>,
    /// Where an attribute names a module file (`#[path]`, in a `cfg_attr` too).
    pub(crate) path_attribute: Option<usize>,
    /// Functions' parameters, with where each is named: not bindings the guard counts, but
    /// names the function's body can use.
    pub(crate) parameters: Vec<(String, usize)>,
    /// Numbers bound at the top of the cell (`let lr = 0.5;`, `let n: i64 = …`), by name.
    pub(crate) numbers: BTreeMap<String, Number>,
}

impl Names {
    /// The names of cell `src`, or where and why syn cannot read it.
    pub(crate) fn of(src: &str) -> Result<Names, (usize, String)> {
        let stmts = parse_cell(src)?;
        let mut collect = Collect::default();
        for stmt in &stmts {
            match stmt {
                Stmt::Local(local) => {
                    collect.names.numbers.extend(number_bound(local));
                    collect.top = true;
                    collect.visit_pat(&local.pat);
                    collect.top = false;
                    if let Some(init) = &local.init {
                        collect.visit_local_init(init);
                    }
                }
                Stmt::Item(item) => {
                    collect.top = true;
                    collect.visit_item(item);
                }
                other => {
                    collect.top = false;
                    collect.visit_stmt(other);
                }
            }
            collect.top = false;
        }
        Ok(collect.names)
    }

    /// The names of `src`, none when syn cannot read it.
    pub(crate) fn of_or_none(src: &str) -> Names {
        Names::of(src).unwrap_or_default()
    }

    /// Every name bound, at any depth.
    pub(crate) fn bound(&self) -> BTreeSet<String> {
        self.bindings.iter().map(|b| b.name.clone()).collect()
    }

    /// The names bound where later cells see them.
    pub(crate) fn top_level(&self) -> BTreeSet<String> {
        let top = self.bindings.iter().filter(|b| b.top);
        top.map(|b| b.name.clone()).collect()
    }

    /// The items defined or imported, at any depth (a module's items reach later cells through
    /// `use m::*`).
    pub(crate) fn items(&self) -> BTreeSet<String> {
        let items = self.bindings.iter().filter(|b| b.binding == Binding::Item);
        items.map(|b| b.name.clone()).collect()
    }
}

#[derive(Default)]
struct Collect {
    names: Names,
    /// Names bound now are bound at the top of the cell.
    top: bool,
}

impl Collect {
    fn bind(&mut self, ident: &Ident, binding: Binding) {
        self.names.bindings.push(Bound {
            name: ident.unraw().to_string(),
            binding,
            top: self.top,
            at: offset(ident.span()),
        });
    }

    /// An item's own name, bound at the top when the item is; what it holds is not.
    fn item(&mut self, ident: &Ident) {
        self.bind(ident, Binding::Item);
        self.top = false;
    }

    fn use_tree(&mut self, tree: &UseTree, prefix: &mut Vec<String>) {
        match tree {
            UseTree::Path(path) => {
                prefix.push(path.ident.unraw().to_string());
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            UseTree::Name(name) => {
                let mut path = prefix.clone();
                path.push(name.ident.unraw().to_string());
                self.import(path, false, &name.ident);
                if name.ident != "self" {
                    self.bind(&name.ident, Binding::Item);
                }
            }
            UseTree::Rename(rename) => {
                let mut path = prefix.clone();
                path.push(rename.ident.unraw().to_string());
                self.import(path, true, &rename.ident);
                self.bind(&rename.rename, Binding::Item);
            }
            UseTree::Glob(glob) => {
                let at = offset(glob.star_token.span);
                let path = prefix.clone();
                self.names.imports.push(Import {
                    path,
                    renamed: false,
                    at,
                });
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix);
                }
            }
        }
    }

    fn import(&mut self, path: Vec<String>, renamed: bool, at: &Ident) {
        let at = offset(at.span());
        self.names.imports.push(Import { path, renamed, at });
    }

    /// A macro body's tokens: its names are uses (a format string's `{name}` too), and
    /// `name!` in it is a macro.
    fn macro_body(&mut self, tokens: &TokenStream) {
        let tokens = flat_stream(tokens.clone());
        let punct = |k: Option<usize>, c: char| {
            k.and_then(|k| tokens.get(k))
                .is_some_and(|t: &Flat| t.is_punct(c))
        };
        for (k, t) in tokens.iter().enumerate() {
            match &t.tok {
                Tok::Ident(w) => {
                    let invoked = matches!(
                        tokens.get(k + 1).map(|t| &t.tok),
                        Some(Tok::Punct {
                            c: '!',
                            joint: false
                        })
                    );
                    let after_dot = punct(k.checked_sub(1), '.');
                    let after_path = punct(k.checked_sub(1), ':') && punct(k.checked_sub(2), ':');
                    if invoked {
                        self.names.macros.insert(w.clone());
                    } else if !after_dot && !after_path {
                        self.names.used.insert(w.clone());
                    }
                }
                Tok::Literal(text) if text.contains('"') => {
                    self.names.used.extend(format_arguments(text));
                }
                _ => {}
            }
        }
    }
}

/// The names a format string captures: `x` and `y` of `"{x} and {y:.3}"`.
fn format_arguments(literal: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let starts_like_a_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_');
        if starts_like_a_name && rest[end..].starts_with(['}', ':']) {
            out.push(name.to_string());
        }
    }
    out
}

impl<'ast> Visit<'ast> for Collect {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.bind(&pat.ident, Binding::Value);
        visit::visit_pat_ident(self, pat);
    }

    // A function's parameters shadow nothing outside it: only their types are read.
    fn visit_fn_arg(&mut self, arg: &'ast syn::FnArg) {
        if let syn::FnArg::Typed(typed) = arg {
            self.visit_type(&typed.ty);
            if let syn::Pat::Ident(p) = &*typed.pat {
                let at = offset(p.ident.span());
                self.names
                    .parameters
                    .push((p.ident.unraw().to_string(), at));
            }
        }
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let top = std::mem::replace(&mut self.top, false);
        visit::visit_block(self, block);
        self.top = top;
    }

    fn visit_item_fn(&mut self, i: &'ast syn::ItemFn) {
        self.item(&i.sig.ident);
        visit::visit_item_fn(self, i);
    }
    fn visit_item_const(&mut self, i: &'ast syn::ItemConst) {
        self.item(&i.ident);
        visit::visit_item_const(self, i);
    }
    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        self.item(&i.ident);
        visit::visit_item_static(self, i);
    }
    fn visit_item_struct(&mut self, i: &'ast syn::ItemStruct) {
        self.item(&i.ident);
        visit::visit_item_struct(self, i);
    }
    fn visit_item_enum(&mut self, i: &'ast syn::ItemEnum) {
        self.item(&i.ident);
        visit::visit_item_enum(self, i);
    }
    fn visit_item_union(&mut self, i: &'ast syn::ItemUnion) {
        self.item(&i.ident);
        visit::visit_item_union(self, i);
    }
    fn visit_item_type(&mut self, i: &'ast syn::ItemType) {
        self.item(&i.ident);
        visit::visit_item_type(self, i);
    }
    fn visit_item_mod(&mut self, i: &'ast syn::ItemMod) {
        self.item(&i.ident);
        visit::visit_item_mod(self, i);
    }
    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        self.names.traits.get_or_insert(offset(i.trait_token.span));
        self.item(&i.ident);
        visit::visit_item_trait(self, i);
    }
    fn visit_item_trait_alias(&mut self, i: &'ast syn::ItemTraitAlias) {
        self.names.traits.get_or_insert(offset(i.trait_token.span));
        self.item(&i.ident);
        visit::visit_item_trait_alias(self, i);
    }
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        self.names.traits.get_or_insert(offset(i.impl_token.span));
        self.top = false;
        visit::visit_item_impl(self, i);
    }
    fn visit_item_extern_crate(&mut self, i: &'ast syn::ItemExternCrate) {
        match &i.rename {
            Some((_, rename)) => self.item(rename),
            None => self.item(&i.ident),
        }
    }
    fn visit_item_use(&mut self, i: &'ast syn::ItemUse) {
        self.use_tree(&i.tree, &mut Vec::new());
        self.top = false;
    }
    fn visit_item_macro(&mut self, i: &'ast syn::ItemMacro) {
        if let Some(ident) = &i.ident {
            self.item(ident);
        }
        self.top = false;
        visit::visit_item_macro(self, i);
    }
    fn visit_impl_item_fn(&mut self, i: &'ast syn::ImplItemFn) {
        self.bind(&i.sig.ident, Binding::Item);
        visit::visit_impl_item_fn(self, i);
    }
    fn visit_impl_item_const(&mut self, i: &'ast syn::ImplItemConst) {
        self.bind(&i.ident, Binding::Item);
        visit::visit_impl_item_const(self, i);
    }
    fn visit_trait_item_fn(&mut self, i: &'ast syn::TraitItemFn) {
        self.bind(&i.sig.ident, Binding::Item);
        visit::visit_trait_item_fn(self, i);
    }
    fn visit_trait_item_const(&mut self, i: &'ast syn::TraitItemConst) {
        self.bind(&i.ident, Binding::Item);
        visit::visit_trait_item_const(self, i);
    }
    fn visit_foreign_item_fn(&mut self, i: &'ast syn::ForeignItemFn) {
        self.bind(&i.sig.ident, Binding::Item);
    }
    fn visit_foreign_item_static(&mut self, i: &'ast syn::ForeignItemStatic) {
        self.bind(&i.ident, Binding::Item);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first() {
                self.names.used.insert(first.ident.unraw().to_string());
            }
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(last) = mac.path.segments.last() {
            self.names.macros.insert(last.ident.unraw().to_string());
        }
        if mac.path.leading_colon.is_none() && mac.path.segments.len() > 1 {
            let first = &mac.path.segments[0].ident;
            self.names.used.insert(first.unraw().to_string());
        }
        self.macro_body(&mac.tokens);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        let path = attr.path();
        let names_a_file = path.is_ident("path")
            || path.is_ident("cfg_attr")
                && flat_stream(attr.meta.to_token_stream())
                    .iter()
                    .any(|t| t.ident() == Some("path"));
        if names_a_file {
            self.names
                .path_attribute
                .get_or_insert(offset(attr.pound_token.span));
        }
    }
}
