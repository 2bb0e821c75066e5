//! The mutation operators: the edits, by span, that turn one reference answer into plausible
//! wrong ones. Modelled on cargo-mutants (binary operators, unary deletions, default values),
//! with the mistakes students make in this course added (swapped names, shapes and arguments,
//! methods from a table, off-by-one, a dropped term).

use crate::syntax::Number;
use quote::ToTokens;
use std::collections::BTreeMap;
use std::ops::Range;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Lit, UnOp};

/// One edit of an answer: the bytes it replaces, with what, and by which operator.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub(crate) range: Range<usize>,
    pub(crate) to: String,
    pub(crate) operator: &'static str,
}

/// Methods a student mixes up: each is swapped for the others of its group.
const METHOD_GROUPS: &[&[&str]] = &[
    &["sigmoid", "tanh", "relu"],
    &["mean", "sum"],
    &["matmul", "mul"],
    &["max", "min"],
    &["argmax", "argmin"],
    &["softmax", "log_softmax"],
    &["exp", "log"],
    &["square", "sqrt"],
];

/// Methods without arguments whose call is not worth dropping: leaving them out changes no
/// value, or leaves a type no exercise could take.
const KEPT_CALLS: &[&str] = &[
    "clone",
    "shallow_clone",
    "copy",
    "to_owned",
    "to_string",
    "into",
    "as_ref",
    "unwrap",
    "iter",
    "len",
    "root",
];

/// What an answer can name where it stands.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// Names in scope, for swaps.
    pub(crate) names: Vec<String>,
    /// Those known to hold a number, and which kind.
    pub(crate) numbers: BTreeMap<String, Number>,
}

/// Every edit of `answer`, an expression, where `scope` is what it can name. Only the default
/// value when `answer` is not an expression.
pub(crate) fn edits(answer: &str, scope: &Scope) -> Vec<Edit> {
    let mut out = vec![Edit {
        range: 0..answer.len(),
        to: "Default::default()".to_string(),
        operator: "the place replaced by a default value",
    }];
    if let Ok(expr) = syn::parse_str::<Expr>(answer) {
        let mut collect = Collect {
            src: answer,
            scope,
            out: &mut out,
        };
        collect.visit_expr(&expr);
    }
    out
}

struct Collect<'a> {
    src: &'a str,
    scope: &'a Scope,
    out: &'a mut Vec<Edit>,
}

/// The bytes of the answer that `node` spans.
fn range(node: &impl ToTokens) -> Option<Range<usize>> {
    let tokens = node.to_token_stream();
    let start = tokens.clone().into_iter().next()?.span().byte_range().start;
    let end = tokens.into_iter().last()?.span().byte_range().end;
    (start < end).then_some(start..end)
}

impl Collect<'_> {
    fn push(&mut self, range: Range<usize>, to: impl Into<String>, operator: &'static str) {
        self.out.push(Edit {
            range,
            to: to.into(),
            operator,
        });
    }

    fn text(&self, range: &Range<usize>) -> &str {
        &self.src[range.clone()]
    }

    /// Neighbouring items of a list (arguments, an array's elements) swapped.
    fn swaps<'e>(&mut self, items: impl Iterator<Item = &'e Expr>, operator: &'static str) {
        let ranges: Vec<Range<usize>> = items.filter_map(range).collect();
        for pair in ranges.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let to = format!(
                "{}{}{}",
                self.text(b),
                &self.src[a.end..b.start],
                self.text(a)
            );
            self.push(a.start..b.end, to, operator);
        }
    }

    fn number(&mut self, lit: &Lit, range: Range<usize>) {
        let (values, suffix): (Vec<String>, &str) = match lit {
            Lit::Int(int) => {
                let Ok(v) = int.base10_digits().parse::<i128>() else {
                    return;
                };
                let values = [0, 1, -v, v + 1, v - 1, v * 2, v / 2, v * 10];
                (values.iter().map(i128::to_string).collect(), int.suffix())
            }
            Lit::Float(float) => {
                let Ok(v) = float.base10_digits().parse::<f64>() else {
                    return;
                };
                let values = [
                    0.0,
                    1.0,
                    -v,
                    v + 1.0,
                    v - 1.0,
                    v * 2.0,
                    v / 2.0,
                    v * 10.0,
                    v / 10.0,
                ];
                (
                    values.iter().map(|v| float_text(*v)).collect(),
                    float.suffix(),
                )
            }
            _ => return,
        };
        let original = self.text(&range).to_string();
        // Under a unary `-` a negative value would read `--v`: the `-` deleted says that.
        let negated = self.src[..range.start].trim_end().ends_with('-');
        for value in values
            .into_iter()
            .filter(|v| !(negated && v.starts_with('-')))
        {
            let to = format!("{value}{suffix}");
            if to != original {
                self.push(range.clone(), to, "a number changed");
            }
        }
    }
}

/// A float as Rust source: always with a point.
fn float_text(v: f64) -> String {
    let text = format!("{v:?}");
    if text.contains(['.', 'e']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// Other binary operators a student might have meant.
fn other_operators(op: &BinOp) -> &'static [&'static str] {
    match op {
        BinOp::Add(_) => &["-", "*"],
        BinOp::Sub(_) => &["+", "/"],
        BinOp::Mul(_) => &["/", "+"],
        BinOp::Div(_) => &["*", "-"],
        BinOp::Rem(_) => &["/"],
        BinOp::Eq(_) => &["!="],
        BinOp::Ne(_) => &["=="],
        BinOp::Lt(_) => &["<=", ">"],
        BinOp::Le(_) => &["<", ">="],
        BinOp::Gt(_) => &[">=", "<"],
        BinOp::Ge(_) => &[">", "<="],
        BinOp::And(_) => &["||"],
        BinOp::Or(_) => &["&&"],
        BinOp::AddAssign(_) => &["-="],
        BinOp::SubAssign(_) => &["+="],
        BinOp::MulAssign(_) => &["/="],
        BinOp::DivAssign(_) => &["*="],
        _ => &[],
    }
}

/// Whether `a op b` means `b op a`: swapping its operands changes nothing.
fn commutes(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::Add(_) | BinOp::Mul(_) | BinOp::Eq(_) | BinOp::Ne(_) | BinOp::And(_) | BinOp::Or(_)
    ) || matches!(op, BinOp::BitAnd(_) | BinOp::BitOr(_) | BinOp::BitXor(_))
}

/// Whether two names are of a kind (`n_input` and `n_hidden`, `train_x` and `test_x`, `z0` and
/// `z1`, `x` and `y`), so that one may stand where the other should.
fn same_kind(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let stem = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let numbered = stem(a) != a && stem(b) != b && stem(a) == stem(b);
    let (a_parts, b_parts): (Vec<&str>, Vec<&str>) =
        (a.split('_').collect(), b.split('_').collect());
    let parts = a_parts.len() > 1
        && b_parts.len() > 1
        && (a_parts[0] == b_parts[0] || a_parts.last() == b_parts.last());
    let letters = a.len() == 1 && b.len() == 1;
    numbered || parts || letters
}

impl<'ast> Visit<'ast> for Collect<'_> {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        let Some(whole) = range(expr) else {
            return visit::visit_expr(self, expr);
        };
        match expr {
            Expr::Lit(lit) => self.number(&lit.lit, whole.clone()),
            Expr::Binary(binary) => {
                if let (Some(op), Some(left), Some(right)) = (
                    range(&binary.op),
                    range(&*binary.left),
                    range(&*binary.right),
                ) {
                    for to in other_operators(&binary.op) {
                        self.push(op.clone(), *to, "a binary operator swapped");
                    }
                    if !commutes(&binary.op) {
                        let to = format!(
                            "{}{}{}",
                            self.text(&right),
                            &self.src[left.end..right.start],
                            self.text(&left)
                        );
                        self.push(whole.clone(), to, "operands swapped");
                    }
                    let arithmetic = matches!(
                        binary.op,
                        BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::Div(_)
                    );
                    if arithmetic {
                        let (l, r) = (self.text(&left).to_string(), self.text(&right).to_string());
                        self.push(whole.clone(), l, "a term dropped");
                        self.push(whole.clone(), r, "a term dropped");
                    }
                }
            }
            Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_) | UnOp::Not(_)) => {
                if let Some(op) = range(&unary.op) {
                    self.push(op, "", "a unary operator deleted");
                }
            }
            Expr::MethodCall(call) => {
                let method = call.method.to_string();
                let name = range(&call.method).expect("an identifier has a span");
                for group in METHOD_GROUPS
                    .iter()
                    .filter(|g| g.contains(&method.as_str()))
                {
                    for other in group.iter().filter(|m| **m != method) {
                        self.push(name.clone(), *other, "a method swapped");
                    }
                }
                if call.args.is_empty() && !KEPT_CALLS.contains(&method.as_str()) {
                    if let Some(receiver) = range(&*call.receiver) {
                        let to = self.text(&receiver).to_string();
                        self.push(whole.clone(), to, "a call dropped");
                    }
                }
                if method == "narrow" {
                    for arg in call.args.iter().skip(1).filter_map(range) {
                        let text = self.text(&arg).to_string();
                        self.push(arg.clone(), format!("({text}) + 1"), "off by one");
                        self.push(arg.clone(), format!("({text}) - 1"), "off by one");
                    }
                }
                self.swaps(call.args.iter(), "arguments swapped");
            }
            Expr::Call(call) => self.swaps(call.args.iter(), "arguments swapped"),
            Expr::Array(array) => self.swaps(array.elems.iter(), "a shape's dimensions swapped"),
            Expr::Range(range_expr) => {
                if let Some(limits) = range(&range_expr.limits) {
                    let to = match range_expr.limits {
                        syn::RangeLimits::HalfOpen(_) => "..=",
                        syn::RangeLimits::Closed(_) => "..",
                    };
                    self.push(limits, to, "off by one");
                }
                for end in [&range_expr.start, &range_expr.end].into_iter().flatten() {
                    if let Some(end) = range(&**end) {
                        let text = self.text(&end).to_string();
                        self.push(end.clone(), format!("({text}) + 1"), "off by one");
                        self.push(end.clone(), format!("({text}) - 1"), "off by one");
                    }
                }
            }
            Expr::Path(path) if path.qself.is_none() => {
                if let Some(name) = path.path.get_ident().map(|i| i.to_string()) {
                    let others: Vec<String> = self
                        .scope
                        .names
                        .iter()
                        .filter(|n| same_kind(&name, n))
                        .cloned()
                        .collect();
                    for other in others {
                        self.push(whole.clone(), other, "a name swapped");
                    }
                    let changes: &[&str] = match self.scope.numbers.get(&name) {
                        Some(Number::Integer) => &[" + 1", " - 1"],
                        Some(Number::Float) => &[" * 10.0", " / 10.0"],
                        None => &[],
                    };
                    for change in changes {
                        self.push(whole.clone(), format!("{name}{change}"), "a number changed");
                    }
                }
            }
            _ => {}
        }
        visit::visit_expr(self, expr);
    }
}

#[cfg(test)]
mod tests;
