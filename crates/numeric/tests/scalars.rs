//! The scalar types of the expression core against one another on random expressions: double
//! precision against MPFR at 53 bits (bit for bit where both round correctly), interval
//! enclosures around the MPFR value and the double one, the compiled code against the walk of
//! the tree, and the Taylor series' first two coefficients against the value and the derivative
//! of [`Expr::derivative`].

use efftrade_model::expr::{Code, Scalar};
use efftrade_model::interval::{Interval, IntervalExpr};
use efftrade_model::{BigInt, BigRational, BinOp, Constant, Expr, Func};
use efftrade_numeric::program::{Mpfr, Program};
use efftrade_numeric::taylor::series;
use proptest::prelude::*;
use rug::Float;

fn number() -> impl Strategy<Value = Expr> {
    (
        -6i64..=6,
        prop::sample::select(vec![1i64, 2, 3, 4, 5, 8, 10]),
    )
        .prop_map(|(p, q)| Expr::Num(BigRational::new(BigInt::from(p), BigInt::from(q))))
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        3 => Just(Expr::Var),
        3 => number(),
        1 => prop::sample::select(Constant::ALL.to_vec()).prop_map(Expr::Const),
    ]
}

/// Sums, differences, products and quotients of the variable and rationals.
fn rational_function() -> impl Strategy<Value = Expr> {
    prop_oneof![Just(Expr::Var), number()].prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
            (
                prop::sample::select(vec![BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div]),
                inner.clone(),
                inner
            )
                .prop_map(|(op, a, b)| Expr::Bin(op, Box::new(a), Box::new(b))),
        ]
    })
}

/// Every function of the grammar: the elementary ones, and the special functions with a few
/// parameters (integer, half-integer, below one).
fn functions() -> Vec<Func> {
    let q = |n: i64, d: i64| BigRational::new(n.into(), d.into());
    let mut all = Func::ALL.to_vec();
    for (name, parameters) in [
        ("betainc", vec![q(5, 2), q(7, 2)]),
        ("betainc", vec![q(1, 2), q(1, 2)]),
        ("betapdf", vec![q(5, 2), q(3, 1)]),
        ("gammainc", vec![q(5, 2)]),
        ("gammainc", vec![q(1, 3)]),
        ("gammapdf", vec![q(3, 1)]),
    ] {
        all.push(Func::with_parameters(name, parameters).expect("positive parameters"));
    }
    all
}

/// Every operation and function of the grammar.
fn expression() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| Expr::Neg(Box::new(a))),
            (prop::sample::select(functions()), inner.clone())
                .prop_map(|(f, a)| Expr::Call(f, Box::new(a))),
            (
                prop::sample::select(vec![BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| Expr::Bin(op, Box::new(a), Box::new(b))),
            (inner.clone(), -3i64..=4).prop_map(|(a, k)| a.pow(Expr::int(k))),
            (inner.clone(), inner).prop_map(|(a, b)| Expr::Bin(
                BinOp::Pow,
                Box::new(a),
                Box::new(b)
            )),
        ]
    })
}

fn point() -> impl Strategy<Value = f64> {
    (-300i32..=300).prop_map(|k| f64::from(k) / 100.0 + 1.0 / 1024.0)
}

fn mpfr(e: &Expr, x: f64, prec: u32) -> Float {
    let mut p = Program::new(e, prec);
    p.eval(&Float::with_val(prec, x)).clone()
}

/// Whether `a` and `b` agree to `2^-bits` relative to `1 + |a|`.
fn close(a: &Float, b: &Float, bits: i32) -> bool {
    let scale = Float::with_val(a.prec(), a.abs_ref()) + 1u32;
    let diff = Float::with_val(a.prec(), a - b).abs();
    diff <= scale * Float::with_val(a.prec(), Float::i_exp(1, -bits))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// `+ - * /` round correctly in IEEE doubles and in MPFR: at 53 bits they agree bit for bit
    /// (in the range where doubles are normal).
    #[test]
    fn doubles_equal_mpfr_at_53_bits_on_rational_functions(e in rational_function(), x in point()) {
        let double = e.eval_f64(x);
        let m = mpfr(&e, x, 53);
        if double.is_finite() && double.abs() > 1e-300 && double.abs() < 1e300 {
            prop_assert_eq!(double, m.to_f64(), "{} at {}", e, x);
        }
    }

    /// The interval at a point encloses the value at 256 bits and the double one; where the
    /// interval reports no fault, MPFR has a finite value there.
    #[test]
    fn intervals_enclose_mpfr_and_doubles(e in expression(), x in point()) {
        let Ok(enc) = IntervalExpr::compile(&e).eval(Interval::point(x)) else {
            return Ok(());
        };
        let m = mpfr(&e, x, 256);
        prop_assert!(!m.is_nan(), "{} at {}: {:?} but MPFR gives NaN", e, x, enc);
        prop_assert!(
            Float::with_val(256, enc.lo) <= m && m <= Float::with_val(256, enc.hi),
            "{} at {}: {} outside [{}, {}]", e, x, m, enc.lo, enc.hi
        );
        let double = e.eval_f64(x);
        prop_assert!(enc.contains(double), "{} at {}: double {} outside {:?}", e, x, double, enc);
    }

    /// The compiled code (constants folded, constant operands in place) computes what the walk
    /// of the tree computes, bit for bit, in doubles and in intervals.
    #[test]
    fn compiled_code_equals_the_walk(e in expression(), x in point()) {
        let code: Code<f64> = Code::new(&e, &mut ());
        let mut stack = vec![0.0; code.depth()];
        let compiled = *code.run(&mut stack, &x, &mut ()).unwrap();
        let walked = e.eval_f64(x);
        prop_assert!(
            compiled.to_bits() == walked.to_bits() || (compiled.is_nan() && walked.is_nan()),
            "{} at {}: {} vs {}", e, x, compiled, walked
        );
        let compiled = IntervalExpr::compile(&e).eval(Interval::point(x)).ok();
        let walked = e.eval(&Interval::point(x), &mut ()).ok();
        prop_assert_eq!(compiled, walked, "{} at {}", e, x);
    }

    /// Coefficient 0 of the Taylor series is the value, coefficient 1 the derivative given by
    /// `Expr::derivative`, both evaluated in MPFR.
    #[test]
    fn taylor_coefficients_are_value_and_derivative(e in expression(), x in point()) {
        let prec = 256;
        let x0 = Float::with_val(prec, x);
        let Ok(s) = series(&e, &x0, &Float::with_val(prec, 1), 2) else {
            return Ok(());
        };
        let value = mpfr(&e, x, prec);
        let slope = mpfr(&e.derivative(), x, prec);
        if !s[0].is_finite() || !value.is_finite() || value.clone().abs() > 1e30 {
            return Ok(());
        }
        prop_assert!(close(&value, &s[0], 150), "{} at {}: value {} vs {}", e, x, value, s[0]);
        if s[1].is_finite() && slope.is_finite() && slope.clone().abs() < 1e30 {
            prop_assert!(close(&slope, &s[1], 150), "{} at {}: slope {} vs {}", e, x, slope, s[1]);
        }
    }
}

#[test]
fn mpfr_constants_and_kernels_are_those_of_the_grammar() {
    let cx = Mpfr::new(100);
    let pi: Float = Scalar::constant(Constant::Pi, &cx).unwrap();
    assert_eq!(pi, Float::with_val(100, rug::float::Constant::Pi));
    let mut third: Float = Scalar::rational(&BigRational::new(1.into(), 3.into()), &cx);
    third.binary(BinOp::Mul, &Float::with_val(100, 3)).unwrap();
    assert_eq!(third, 1);
    let mut v = Float::with_val(100, 2);
    v.call(&Func::Log, &mut Mpfr::new(100)).unwrap();
    assert_eq!(v, Float::with_val(100, rug::float::Constant::Log2));
}
