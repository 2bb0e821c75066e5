//! Which names hold numbers, where a cell says so: the mutants move such a name's value by
//! one or scale it.

use syn::ext::IdentExt;

/// What kind of number a name holds, where the cell says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Number {
    Integer,
    Float,
}

/// The kind of number `let pat = init` binds, when its type or its value says.
pub(crate) fn number_bound(local: &syn::Local) -> Option<(String, Number)> {
    let kind_of_type = |ty: &syn::Type| {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let name = path.path.get_ident()?.to_string();
        match name.as_str() {
            "f64" | "f32" => Some(Number::Float),
            "i64" | "i32" | "u64" | "u32" | "usize" | "isize" | "u8" | "i8" => {
                Some(Number::Integer)
            }
            _ => None,
        }
    };
    let (ident, typed) = match &local.pat {
        syn::Pat::Ident(p) => (&p.ident, None),
        syn::Pat::Type(t) => match &*t.pat {
            syn::Pat::Ident(p) => (&p.ident, kind_of_type(&t.ty)),
            _ => return None,
        },
        _ => return None,
    };
    let mut value = local.init.as_ref().map(|init| &*init.expr);
    if let Some(syn::Expr::Unary(unary)) = value {
        value = Some(&*unary.expr);
    }
    let literal = match value {
        Some(syn::Expr::Lit(lit)) => match &lit.lit {
            syn::Lit::Float(_) => Some(Number::Float),
            syn::Lit::Int(_) => Some(Number::Integer),
            _ => None,
        },
        _ => None,
    };
    Some((ident.unraw().to_string(), typed.or(literal)?))
}
