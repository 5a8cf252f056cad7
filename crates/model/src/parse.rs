//! The parser of the expression grammar.
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := '-' unary | power
//! power   := atom ('^' unary)?            (right associative: 2^3^x = 2^(3^x))
//! atom    := number | VAR | 'pi' | 'e' | func '(' expr ')' | '(' expr ')'
//! func    := 'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'sqrt'
//! number  := digits ('.' digits?)? (('e' | 'E') ('+' | '-')? digits)?  |  '.' digits ...
//! ```
//!
//! Numbers are read exactly (`0.1` is `1/10`). `-x^2` means `-(x^2)`, as in mathematics.
//! Errors carry the byte span of the fault and print the expression with a caret under it.

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::expr::{BinOp, Constant, Expr, Func};

/// Longest expression accepted, in bytes (a guard against absurd input, not a real limit).
pub const MAX_EXPRESSION_LEN: usize = 10_000;
/// Deepest nesting accepted (parentheses, unary minus, powers), so that parsing cannot overflow
/// the stack.
pub const MAX_DEPTH: usize = 200;
/// Largest decimal exponent accepted in a number such as `1e-30`.
pub const MAX_EXPONENT: i64 = 1_000;

/// A fault in an expression, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What is wrong, in words.
    pub message: String,
    /// The expression as written.
    pub source_text: String,
    /// Byte offsets `[start, end)` of the fault within the expression.
    pub span: (usize, usize),
}

impl ParseError {
    /// The expression on one line and a caret line under the fault, for terminal output.
    pub fn snippet(&self) -> String {
        let (start, end) = self.span;
        let col = self.source_text[..start.min(self.source_text.len())]
            .chars()
            .count();
        let width = self
            .source_text
            .get(start..end)
            .map_or(1, |s| s.chars().count())
            .max(1);
        format!(
            "{}\n{}{}",
            self.source_text,
            " ".repeat(col),
            "^".repeat(width)
        )
    }

    /// The message followed by the snippet.
    pub fn render(&self) -> String {
        format!("{}\n{}", self.message, self.snippet())
    }
}

/// Parses a CDF expression in the variable `x`.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    parse_in(src, "x")
}

/// Parses an expression whose variable is called `var` (for example `r` in share formulas).
pub fn parse_in(src: &str, var: &str) -> Result<Expr, ParseError> {
    if src.len() > MAX_EXPRESSION_LEN {
        return Err(ParseError {
            message: format!(
                "expression is {} bytes long; the limit is {MAX_EXPRESSION_LEN}",
                src.len()
            ),
            source_text: src.chars().take(80).collect(),
            span: (0, 0),
        });
    }
    let tokens = lex(src)?;
    let mut parser = Parser {
        src,
        var,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    match parser.peek() {
        Tok::End => Ok(expr),
        Tok::RParen => Err(parser.error_here("unmatched `)`")),
        _ => Err(parser.error_here(
            "expected an operator (`+ - * / ^`) here; products must be written with `*`",
        )),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(BigRational),
    Ident(String),
    Op(BinOp),
    LParen,
    RParen,
    Comma,
    End,
}

struct Token {
    tok: Tok,
    span: (usize, usize),
}

fn lex(src: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = src.as_bytes();
    let err = |message: String, span| ParseError {
        message,
        source_text: src.to_string(),
        span,
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'+' => Tok::Op(BinOp::Add),
            b'-' => Tok::Op(BinOp::Sub),
            b'*' if bytes.get(i + 1) == Some(&b'*') => {
                i += 1;
                Tok::Op(BinOp::Pow)
            }
            b'*' => Tok::Op(BinOp::Mul),
            b'/' => Tok::Op(BinOp::Div),
            b'^' => Tok::Op(BinOp::Pow),
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b'0'..=b'9' | b'.' => {
                let (value, len) = lex_number(&src[i..]).map_err(|m| err(m, (start, start + 1)))?;
                i += len;
                tokens.push(Token {
                    tok: Tok::Num(value),
                    span: (start, i),
                });
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Ident(src[start..i].to_string()),
                    span: (start, i),
                });
                continue;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(err(
                    format!("unexpected character `{ch}`"),
                    (start, start + ch.len_utf8()),
                ));
            }
        };
        i += 1;
        tokens.push(Token {
            tok,
            span: (start, i),
        });
    }
    tokens.push(Token {
        tok: Tok::End,
        span: (src.len(), src.len()),
    });
    Ok(tokens)
}

/// Reads a decimal number at the start of `s` exactly; returns it and its length in bytes.
fn lex_number(s: &str) -> Result<(BigRational, usize), String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    while i < b.len() && b[i].is_ascii_digit() {
        digits.push(b[i] as char);
        i += 1;
    }
    let mut frac_len = 0usize;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            digits.push(b[i] as char);
            frac_len += 1;
            i += 1;
        }
    }
    if digits.is_empty() {
        return Err("a number needs at least one digit".into());
    }
    let mut exponent: i64 = 0;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        // An exponent only when digits follow; otherwise `e` is the constant (as in `2e`, an error
        // the parser reports as a missing operator).
        let mut j = i + 1;
        let negative = j < b.len() && b[j] == b'-';
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let magnitude: i64 = s[start..j]
                .parse()
                .ok()
                .filter(|m| *m <= MAX_EXPONENT)
                .ok_or_else(|| format!("exponent beyond ±{MAX_EXPONENT}"))?;
            exponent = if negative { -magnitude } else { magnitude };
            i = j;
        }
    }
    let mantissa: BigInt = digits.parse().map_err(|_| "malformed number".to_string())?;
    let scale = exponent - frac_len as i64;
    let ten = BigInt::from(10);
    let value = if scale >= 0 {
        BigRational::from_integer(mantissa * num_traits::pow(ten, scale as usize))
    } else {
        BigRational::new(mantissa, num_traits::pow(ten, (-scale) as usize))
    };
    Ok((value, i))
}

struct Parser<'a> {
    src: &'a str,
    var: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn span(&self) -> (usize, usize) {
        self.tokens[self.pos].span
    }

    fn bump(&mut self) -> &Token {
        let t = &self.tokens[self.pos];
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn error_at(&self, message: impl Into<String>, span: (usize, usize)) -> ParseError {
        ParseError {
            message: message.into(),
            source_text: self.src.to_string(),
            span,
        }
    }

    fn error_here(&self, message: impl Into<String>) -> ParseError {
        self.error_at(message, self.span())
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(
                self.error_here(format!("expression nested deeper than {MAX_DEPTH} levels"))
            );
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut lhs = self.term()?;
        while let Tok::Op(op @ (BinOp::Add | BinOp::Sub)) = *self.peek() {
            self.bump();
            let rhs = self.term()?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        while let Tok::Op(op @ (BinOp::Mul | BinOp::Div)) = *self.peek() {
            self.bump();
            let rhs = self.unary()?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if let Tok::Op(BinOp::Sub) = self.peek() {
            self.enter()?;
            self.bump();
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        if let Tok::Op(BinOp::Add) = self.peek() {
            return Err(self.error_here("unary `+` is not part of the grammar; remove it"));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.atom()?;
        if let Tok::Op(BinOp::Pow) = self.peek() {
            self.enter()?;
            self.bump();
            let exponent = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let span = self.span();
        match self.peek().clone() {
            Tok::Num(q) => {
                self.bump();
                Ok(Expr::Num(q))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                self.expect_close(span)?;
                Ok(inner)
            }
            Tok::Ident(name) => {
                self.bump();
                if name == self.var {
                    return Ok(Expr::Var);
                }
                if Func::SPECIAL.iter().any(|(n, _)| *n == name) {
                    return self.special(&name, span);
                }
                if let Some(f) = Func::from_name(&name) {
                    if *self.peek() != Tok::LParen {
                        return Err(self.error_here(format!(
                            "`{name}` is a function: write its argument in parentheses, as `{name}(x)`"
                        )));
                    }
                    let open = self.span();
                    self.bump();
                    let arg = self.expr()?;
                    self.expect_close(open)?;
                    return Ok(Expr::Call(f, Box::new(arg)));
                }
                match Constant::from_name(&name) {
                    Some(c) => Ok(Expr::Const(c)),
                    None => Err(self.error_at(
                        format!(
                            "unknown name `{name}`: the variable is `{}`, the functions are \
                             {}, the constants are {}",
                            self.var,
                            function_names(),
                            Constant::ALL.map(Constant::name).join(" and ")
                        ),
                        span,
                    )),
                }
            }
            Tok::End => {
                Err(self.error_here("the expression ends where a number, name or `(` was expected"))
            }
            Tok::RParen => Err(self.error_here("expected a number, name or `(` before `)`")),
            Tok::Comma => Err(self.error_here(
                "a `,` separates the arguments of betainc(p, q, x) and gammainc(s, x) only",
            )),
            Tok::Op(op) => Err(self.error_here(format!(
                "expected a number, name or `(` before `{}`",
                match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::Pow => "^",
                }
            ))),
        }
    }

    /// A special function's call `name(c1, ..., x)`: constant parameters, each an exact positive
    /// number, then the argument.
    fn special(&mut self, name: &str, span: (usize, usize)) -> Result<Expr, ParseError> {
        let count = Func::SPECIAL
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c);
        let usage = format!("`{}`", signature(name, count));
        if *self.peek() != Tok::LParen {
            return Err(self.error_here(format!(
                "`{name}` is a function: write its parameters and argument in parentheses, as \
                 {usage}"
            )));
        }
        let open = self.span();
        self.bump();
        // Every argument with its span, then the count, then the parameters' values.
        let mut arguments = Vec::new();
        loop {
            let start = self.span().0;
            let value = self.expr()?;
            arguments.push((value, (start, self.tokens[self.pos - 1].span.1)));
            if *self.peek() != Tok::Comma {
                break;
            }
            self.bump();
        }
        let close = self.span();
        self.expect_close(open)?;
        if arguments.len() != count + 1 {
            return Err(self.error_at(
                format!(
                    "{usage} takes {} arguments, not {}",
                    count + 1,
                    arguments.len()
                ),
                (open.0, close.1),
            ));
        }
        let arg = arguments.pop().map(|(a, _)| a).unwrap_or(Expr::Var);
        let mut parameters = Vec::new();
        for (value, at) in arguments {
            let exact = value.eval_rational(None).filter(|_| !value.has_var());
            match exact {
                Some(q) if q > BigRational::from_integer(0.into()) => parameters.push(q),
                Some(_) => {
                    return Err(
                        self.error_at(format!("the parameters of {usage} must be positive"), at)
                    );
                }
                None => {
                    return Err(self.error_at(
                        format!(
                            "the parameters of {usage} must be exact constant numbers (such as \
                             2.5 or 7/2), not expressions of the variable or of pi and e"
                        ),
                        at,
                    ));
                }
            }
        }
        let f = Func::with_parameters(name, parameters).map_err(|m| self.error_at(m, span))?;
        Ok(Expr::Call(f, Box::new(arg)))
    }

    fn expect_close(&mut self, open: (usize, usize)) -> Result<(), ParseError> {
        if *self.peek() == Tok::RParen {
            self.bump();
            Ok(())
        } else if *self.peek() == Tok::End {
            Err(self.error_at("this `(` is never closed", open))
        } else if *self.peek() == Tok::Comma {
            Err(self.error_here(
                "a `,` separates the arguments of the special functions only (betainc, betapdf, \
                 gammainc, gammapdf); the others take one argument",
            ))
        } else {
            Err(self.error_here("expected `)` or an operator here"))
        }
    }
}

/// How a special function with `count` parameters is called: `betainc(p, q, x)`, `gammainc(s, x)`.
fn signature(name: &str, count: usize) -> String {
    if count == 2 {
        format!("{name}(p, q, x)")
    } else {
        format!("{name}(s, x)")
    }
}

/// The functions of the grammar as listed in messages: `sin cos ... betainc(p, q, x) ...`.
fn function_names() -> String {
    let unary = Func::ALL.iter().map(Func::name);
    let special = Func::SPECIAL
        .iter()
        .map(|&(name, count)| signature(name, count));
    unary
        .map(str::to_string)
        .chain(special)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a plain number or a constant expression such as `8.4438`, `1/3`, `2*pi`: an expression
/// without the variable. Used for support ends, shares and parameters.
pub fn parse_constant(src: &str) -> Result<Expr, ParseError> {
    let e = parse_in(src, "")?;
    Ok(e)
}

/// An exact, non-negative interdependence coefficient `beta` written as a number or a constant
/// expression (`0.5`, `1/3`), as `--beta` and the Python package's `beta=` take it. The error is
/// the reason with the expression and a caret, without naming where the text came from.
pub fn parse_beta(text: &str) -> Result<BigRational, String> {
    let e = parse_constant(text).map_err(|e| format!("{}\n{}", e.message, e.snippet()))?;
    let q = e
        .eval_rational(None)
        .ok_or_else(|| "not an exact rational number (write 0.5 or 1/3)".to_string())?;
    if q < BigRational::from_integer(0.into()) {
        return Err("beta must be at least 0".into());
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Expr {
        Expr::ratio(n, d)
    }

    #[test]
    fn special_functions_take_constant_parameters() {
        let e = parse("betainc(2.5, 7/2, x^2)").unwrap();
        assert_eq!(e.to_string(), "betainc(2.5, 3.5, x^2)");
        assert_eq!(parse(&e.to_string()).unwrap(), e);
        let Expr::Call(f, _) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(
            f.parameters(),
            [q(5, 2), q(7, 2)].map(|e| match e {
                Expr::Num(v) => v,
                _ => unreachable!(),
            })
        );
        let g = parse("1 - gammainc(1/3, 2*x)").unwrap();
        assert_eq!(parse(&g.to_string()).unwrap(), g);
        assert_eq!(g.to_string(), "1 - gammainc(1/3, 2*x)");
        // The derivative is the density, and the density's derivative is written with it.
        assert_eq!(e.derivative().to_string(), "betapdf(2.5, 3.5, x^2)*(2*x)");
        let d2 = parse("betapdf(2.5, 3, x)")
            .unwrap()
            .derivative()
            .to_string();
        assert_eq!(d2, "betapdf(2.5, 3, x)*(1.5/x - 2/(1 - x))");
        assert_eq!(parse(&d2).unwrap().to_string(), d2);
    }

    #[test]
    fn special_function_errors_point_at_the_parameter() {
        let cases = [
            ("betainc(x, 2, x)", "must be exact constant numbers", (8, 9)),
            (
                "betainc(pi, 2, x)",
                "must be exact constant numbers",
                (8, 10),
            ),
            ("betainc(0, 2, x)", "must be positive", (8, 9)),
            ("betainc(2 - 3, 2, x)", "must be positive", (8, 13)),
            ("gammainc(2, x, 1)", "takes 2 arguments, not 3", (8, 17)),
            ("betainc(2, x)", "takes 3 arguments, not 2", (7, 13)),
            (
                "gammainc x",
                "write its parameters and argument in parentheses",
                (9, 10),
            ),
            ("sin(x, 2)", "a `,` separates the arguments", (5, 6)),
        ];
        for (src, message, span) in cases {
            let err = parse(src).unwrap_err();
            assert!(err.message.contains(message), "{src}: {}", err.message);
            assert_eq!(err.span, span, "{src}: {}", err.message);
        }
        let err = parse("foo(x)").unwrap_err();
        assert!(
            err.message
                .contains("erfc betainc(p, q, x) betapdf(p, q, x) gammainc(s, x)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn numbers_are_exact() {
        assert_eq!(parse("0.1").unwrap(), q(1, 10));
        assert_eq!(parse("8.4438").unwrap(), q(84438, 10000));
        assert_eq!(parse("1e-3").unwrap(), q(1, 1000));
        assert_eq!(parse("2.5E2").unwrap(), Expr::int(250));
        assert_eq!(parse(".5").unwrap(), q(1, 2));
        assert_eq!(parse("3.").unwrap(), Expr::int(3));
    }

    #[test]
    fn precedence_and_associativity() {
        let e = parse("-x^2").unwrap();
        assert_eq!(e.eval_f64(3.0), -9.0);
        assert_eq!(parse("2^3^2").unwrap().eval_f64(0.0), 512.0);
        assert_eq!(parse("8/4/2").unwrap().eval_f64(0.0), 1.0);
        assert_eq!(parse("1 - 2 - 3").unwrap().eval_f64(0.0), -4.0);
        assert_eq!(parse("2^-1").unwrap().eval_f64(0.0), 0.5);
        assert_eq!(parse("2*x**2").unwrap().eval_f64(3.0), 18.0);
        assert!((parse("e^1 - exp(1)").unwrap().eval_f64(0.0)).abs() < 1e-15);
        assert!((parse("cos(pi)").unwrap().eval_f64(0.0) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn errors_point_at_the_fault() {
        let e = parse("0.1*x + 0.1*(1 - cos(x)").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert_eq!(e.snippet(), "0.1*x + 0.1*(1 - cos(x)\n            ^");

        let e = parse("2x").unwrap_err();
        assert!(e.message.contains("expected an operator"), "{}", e.message);
        assert_eq!(e.span, (1, 2));

        let e = parse("x + y").unwrap_err();
        assert!(e.message.contains("unknown name `y`"));
        assert_eq!(e.snippet(), "x + y\n    ^");

        let e = parse("sin x").unwrap_err();
        assert!(e.message.contains("parentheses"));

        let e = parse("x $ 2").unwrap_err();
        assert_eq!(e.span, (2, 3));

        let e = parse("(x + 1))").unwrap_err();
        assert!(e.message.contains("unmatched"));

        let e = parse("x * ").unwrap_err();
        assert!(e.message.contains("ends"));

        let e = parse("1e99999").unwrap_err();
        assert!(e.message.contains("exponent"));

        assert!(
            parse(&"(".repeat(5000))
                .unwrap_err()
                .message
                .contains("nested")
        );
        assert!(
            parse(&"-".repeat(5000))
                .unwrap_err()
                .message
                .contains("nested")
        );
    }

    #[test]
    fn other_variable_names() {
        let e = parse_in("1 - r", "r").unwrap();
        assert_eq!(e.eval_f64(0.25), 0.75);
        assert!(parse_in("1 - x", "r").is_err());
        assert!(parse_constant("2*pi").is_ok());
        assert!(parse_constant("x").is_err());
    }
}
