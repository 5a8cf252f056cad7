//! Seconds per call of the special functions' MPFR kernels against MPFR's own functions, one
//! thread, best of five batches (each batch long enough to time): efftrade's tabled `erf`/`erfc`
//! ([`efftrade_numeric::erf`]) and series `betainc`/`gammainc`
//! ([`efftrade_numeric::special`]), each through a compiled [`Program`] as the engine calls it,
//! against MPFR's `erfc` and `gamma_inc` (the latter regularized by `Γ(s)`; MPFR has no
//! incomplete beta). Run by `sh benches/run.sh`:
//!
//! `cargo bench --workspace --bench special`
//!
//! prints `function argument bits implementation seconds` per line; `benches/special_flint.py`
//! prints the same for Arb (python-flint) and mpmath.

use std::time::Instant;

use efftrade_model::parse;
use efftrade_numeric::program::Program;
use rug::Float;

/// `(function, expression in x, argument, s for MPFR's gamma_inc)`.
const CASES: &[(&str, &str, f64, Option<f64>)] = &[
    ("erfc", "erfc(x)", 0.3, None),
    ("erfc", "erfc(x)", 1.2, None),
    ("erfc", "erfc(x)", 4.0, None),
    ("betainc", "betainc(2.5, 3.5, x)", 0.1, None),
    ("betainc", "betainc(2.5, 3.5, x)", 0.5, None),
    ("betainc", "betainc(2.5, 3.5, x)", 0.9, None),
    ("gammainc", "gammainc(2.5, x)", 0.5, Some(2.5)),
    ("gammainc", "gammainc(2.5, x)", 5.0, Some(2.5)),
    ("gammainc", "gammainc(2.5, x)", 50.0, Some(2.5)),
];

/// Best seconds per call of `f` over five batches of at least 20 ms.
fn per_call(mut f: impl FnMut()) -> f64 {
    let mut calls = 1usize;
    loop {
        let t = Instant::now();
        for _ in 0..calls {
            f();
        }
        if t.elapsed().as_secs_f64() >= 0.02 {
            break;
        }
        calls *= 2;
    }
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                f();
            }
            t.elapsed().as_secs_f64() / calls as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    for bits in [128u32, 512] {
        for &(name, src, arg, s) in CASES {
            let expr = parse(src).expect("a valid expression");
            let mut program = Program::new(&expr, bits);
            // The argument with every bit set, as quadrature nodes have.
            let x = Float::with_val(bits, arg) + Float::with_val(bits, 3).sqrt() * 1e-3;
            let _ = program.eval(&x);
            let ours = per_call(|| {
                std::hint::black_box(program.eval(std::hint::black_box(&x)));
            });
            println!("{name} {arg} {bits} efftrade {ours:.3e}");
            let mpfr = match (name, s) {
                ("erfc", _) => Some(per_call(|| {
                    std::hint::black_box(Float::with_val(bits, x.erfc_ref()));
                })),
                ("gammainc", Some(s)) => {
                    let s = Float::with_val(bits, s);
                    Some(per_call(|| {
                        // P(s, x) = 1 - Γ(s, x)/Γ(s).
                        let upper = Float::with_val(bits, s.gamma_inc_ref(&x));
                        let gamma = Float::with_val(bits, s.gamma_ref());
                        std::hint::black_box(1u32 - upper / gamma);
                    }))
                }
                _ => None,
            };
            if let Some(t) = mpfr {
                println!("{name} {arg} {bits} mpfr {t:.3e}");
            }
        }
    }
}
