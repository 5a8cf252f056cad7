//! `F`, `f` and the support as balls, the critical types, and the integrals of powers of `F`.
//!
//! **Method.** The fast engine ([`efftrade_numeric::engine::Engine`]) supplies starting points
//! (the upper end `b` when solved, the critical types, where the boundary layer of `F^k` starts);
//! nothing rests on them. Each root is then enclosed by interval Newton ([`crate::root`]), and
//! each integral by Arb's rigorous integrator ([`efftrade_arb::integrate`]) on the holomorphic
//! extension of `F` ([`crate::ball`]).
//!
//! **The integrals** `∫_lo^b F^k dp` (Lemma 2's `I_k` for `lo = a`, the `J` of (T1) for
//! `lo = v*`). For `k >= 2`, below the point `c` where `F(c)^k = e^-L`, with
//! `L = (prec + 16 + log2 k) ln 2`, the integrand is not integrated but bounded: `F` is
//! non-decreasing (validation proved it), so `0 <= ∫_lo^c F^k <= (c - lo) F(c)^k`, with `F(c)`
//! evaluated on a ball at the exact point `c`. The rest is integrated on `[c, b]`, split at the
//! breakpoints of a piecewise `F`, with `F^k` as an integer power for moderate `k` (entire
//! where `F` is) and as `exp(k log F)` beyond (`F` is near 1 there, far from the logarithm's
//! cut). An end that is a ball (a critical type, a solved `b`) is replaced by its exact midpoint
//! and the difference bounded by the radius times `sup |F|^k` on the ball.

use efftrade_arb::{Acb, Arb, IntegrationOptions, Prec, integrate};
use efftrade_model::{BigRational, Distribution, UpperEnd};
use efftrade_numeric::engine::Engine;
use rug::{Float, Integer};

use crate::RigorousError;
use crate::ball::{BallProgram, rational_ball};
use crate::root::{Root, RootProof, enclose_root};

/// Powers up to this exponent are integer powers; larger ones `exp(k log F)`.
const INTEGER_POWER_LIMIT: u32 = 1 << 20;

/// The distribution compiled for balls at one working precision.
pub struct BallEngine {
    prec: Prec,
    guide: Engine,
    cdf: BallProgram,
    density: BallProgram,
    /// The lower end of the support.
    pub a: Arb,
    /// The upper end of the support, exact or enclosed.
    pub b: Root,
    /// The breakpoints of a piecewise `F` strictly inside the support.
    breaks: Vec<BigRational>,
}

impl BallEngine {
    /// Compiles `dist` at `prec` bits, enclosing `b` when it is the root of `F(b) = 1`.
    pub fn new(dist: &Distribution, prec: Prec) -> Result<BallEngine, RigorousError> {
        let guide_prec = u32::try_from(prec).map_err(|_| RigorousError::precision(prec))?;
        let guide = Engine::new(dist, guide_prec)?;
        let cdf_expr = dist.cdf();
        let mut cdf = BallProgram::new(&cdf_expr, prec);
        let mut density = BallProgram::new(&cdf_expr.derivative(), prec);
        let zero = Arb::zero();
        let a = BallProgram::new(dist.lower(), prec).eval_real(&zero);
        let b = match dist.upper() {
            UpperEnd::Given(b) => Root {
                ball: BallProgram::new(b, prec).eval_real(&zero),
                proof: RootProof::Exact,
            },
            UpperEnd::Solve => {
                let width = (dist.b().hi - dist.b().lo).max(dist.b().hi.abs() * 1e-15);
                let lo = Float::with_val(64, dist.b().lo - width);
                let hi = Float::with_val(64, dist.b().hi + width);
                let one = Arb::from_i64(1);
                enclose_root(
                    |x| cdf.eval_real(x).sub(&one, prec),
                    |x| density.eval_real(x),
                    &guide.b,
                    &lo,
                    &hi,
                    prec,
                )
                .ok_or_else(|| RigorousError::Root {
                    what: "the upper end b with F(b) = 1".into(),
                })?
            }
        };
        if !a.is_finite() || !b.ball.is_finite() {
            return Err(RigorousError::Undefined {
                what: "an end of the support".into(),
            });
        }
        let (a_hi, b_lo) = (a.bounds().map(|x| x.1), b.ball.bounds().map(|x| x.0));
        let breaks = dist
            .breakpoints()
            .into_iter()
            .filter(|t| {
                let t = efftrade_numeric::program::to_rug(t);
                a_hi.as_ref().is_some_and(|a| *a < t) && b_lo.as_ref().is_some_and(|b| *b > t)
            })
            .collect();
        Ok(BallEngine {
            prec,
            guide,
            cdf,
            density,
            a,
            b,
            breaks,
        })
    }

    /// The working precision in bits.
    pub fn prec(&self) -> Prec {
        self.prec
    }

    /// `expr` (a function of the type, such as a derivative of `F`) on the ball of the upper
    /// end `b`; for a piecewise `F`, on the piece just below `b` (so a derivative is the left
    /// derivative at `b`).
    pub fn at_upper_end(&self, expr: &efftrade_model::Expr) -> Arb {
        let prec = self.prec;
        let mut program = BallProgram::new(expr, prec);
        if let Some(last) = self.breaks.last() {
            program.set_piece_at(midpoint_rational(&rational_ball(last, prec), &self.b.ball));
        }
        program.eval_real(&self.b.ball)
    }

    /// `F` on a real ball.
    pub fn cdf(&mut self, x: &Arb) -> Arb {
        self.cdf.eval_real(x)
    }

    /// The critical type `v* = F^-1(r^(1/(N-1)))` of a share `r` in a market of `N` agents
    /// (Theorem 1): `a` for `r = 0`, `b` for `r = 1`, else the root of
    /// `F(v) - 1 + tail` with `tail = -expm1(log r / (N - 1))` enclosed by [`enclose_root`].
    pub fn critical_type(&mut self, share: &BigRational, n: u128) -> Result<Root, RigorousError> {
        let prec = self.prec;
        if share == &BigRational::from_integer(0.into()) {
            return Ok(Root {
                ball: self.a.clone(),
                proof: RootProof::Exact,
            });
        }
        if share == &BigRational::from_integer(1.into()) {
            return Ok(self.b.clone());
        }
        let guess = efftrade_numeric::quantities::critical_type(&mut self.guide, share, n)?;
        let r = rational_ball(share, prec);
        let tail = r
            .log(prec)
            .div_integer(&Integer::from(n - 1), prec)
            .expm1(prec)
            .neg();
        let one = Arb::from_i64(1);
        let (cdf, density) = (&mut self.cdf, &mut self.density);
        let (lo, hi) = (bound(&self.a, false), bound(&self.b.ball, true));
        enclose_root(
            |x| cdf.eval_real(x).sub(&one, prec).add(&tail, prec),
            |x| density.eval_real(x),
            &guess,
            &lo,
            &hi,
            prec,
        )
        .ok_or_else(|| RigorousError::Root {
            what: format!("the critical type of the share {share}"),
        })
    }

    /// `∫_lo^b F^k dp` for `k >= 1` and `lo` in the support (see the module documentation).
    pub fn power_integral(&mut self, k: &Integer, lo: &Arb) -> Result<Arb, RigorousError> {
        let prec = self.prec;
        let lo_mid = lo.mid();
        let b_mid = self.b.ball.mid();
        // The ends' radii: |∫ over the gap| <= radius * sup |F|^k on the end's ball.
        let mut edge = Arb::zero();
        for end in [lo, &self.b.ball.clone()] {
            if !end.is_exact() {
                let sup = self.power_bound(end, k);
                let rad =
                    Arb::from_float(&end.rad_float().unwrap_or_else(|| Float::with_val(2, 1)));
                edge = edge.add(&rad.mul(&sup, prec), prec);
            }
        }
        let lo_f = lo_mid
            .mid_float()
            .ok_or_else(|| RigorousError::undefined("a lower limit"))?;
        let (start, dropped) = self.layer(k, &lo_f)?;
        let value = self.integrate_power(k, &start, &b_mid)?;
        Ok(value.add(&dropped, prec).add_error(&edge))
    }

    /// The start `c >= lo` of the layer of `F^k` and a ball `[0, (c - lo) F(c)^k]` holding the
    /// integral below it (zero when `c = lo`).
    fn layer(&mut self, k: &Integer, lo: &Float) -> Result<(Arb, Arb), RigorousError> {
        let prec = self.prec;
        let none = (Arb::from_float(lo), Arb::zero());
        if *k <= 1u32 {
            return Ok(none);
        }
        let log2k = f64::from(k.significant_bits());
        let l = (prec as f64 + 16.0 + log2k) * std::f64::consts::LN_2;
        let gp = self.guide.prec();
        let ratio = Float::with_val(gp, Float::with_val(gp, l) / k);
        let u = Float::with_val(gp, -&ratio).exp();
        if self.guide.cdf(lo) >= u {
            return Ok(none);
        }
        let half = Float::with_val(gp, Float::i_exp(1, -((gp / 2) as i32)));
        let c = if u < half {
            self.guide.inverse_lower(&u)?
        } else {
            let tail = Float::with_val(gp, -Float::with_val(gp, -&ratio).exp_m1());
            self.guide.inverse(&tail)?
        };
        if c <= *lo {
            return Ok(none);
        }
        let c_ball = Arb::from_float(&c);
        let width = c_ball.sub(&Arb::from_float(lo), prec);
        let sup = self.power_bound(&c_ball, k);
        // [0, width * sup]: midpoint and radius both half of it.
        let half_top = width
            .mul(&sup, prec)
            .mul(&Arb::from_ratio(&1.into(), &2.into(), prec), prec);
        Ok((c_ball, half_top.add_error(&half_top)))
    }

    /// An upper bound of `|F|^k` on the real ball `x`, as an exact ball.
    fn power_bound(&mut self, x: &Arb, k: &Integer) -> Arb {
        let prec = self.prec;
        let f = self.cdf.eval_real(x);
        match f.bounds() {
            Some((lo, hi)) => {
                let top = Float::with_val(lo.prec().max(hi.prec()), lo.abs()).max(&hi.abs());
                let top = Arb::from_float(&top);
                let kk = Arb::from_float(&Float::with_val(k.significant_bits().max(2), k));
                let p = top.pow(&kk, prec);
                match p.bounds() {
                    Some((_, up)) => Arb::from_float(&up),
                    None => indeterminate(),
                }
            }
            None => indeterminate(),
        }
    }

    /// `∫_start^end F^k` by Arb's integrator, split at the breakpoints.
    fn integrate_power(
        &mut self,
        k: &Integer,
        start: &Arb,
        end: &Arb,
    ) -> Result<Arb, RigorousError> {
        let prec = self.prec;
        let mut cuts = vec![start.clone()];
        for t in &self.breaks {
            let tb = rational_ball(t, prec);
            if start.lt(&tb) && tb.lt(end) {
                cuts.push(tb.mid());
            }
        }
        cuts.push(end.clone());
        let magnitude = end.sub(start, prec);
        let mut total = Arb::zero();
        for w in cuts.windows(2) {
            let piece_at = if self.breaks.is_empty() {
                None
            } else {
                midpoint_rational(&w[0], &w[1])
            };
            self.cdf.set_piece_at(piece_at);
            let cdf = &mut self.cdf;
            let small = k.to_i64().filter(|&k| k <= i64::from(INTEGER_POWER_LIMIT));
            let kk = Acb::from_real(&Arb::from_float(&Float::with_val(
                k.significant_bits().max(2),
                k,
            )));
            let integrand = |out: &mut Acb, z: &Acb, analytic: bool, prec: Prec| {
                let v = cdf.eval(z, analytic);
                out.set(&v);
                match small {
                    Some(1) => {}
                    Some(k) => out.pow_si(k, prec),
                    None => {
                        out.log(analytic, prec);
                        out.mul_assign(&kk, prec);
                        out.exp(prec);
                    }
                }
            };
            let tol = tolerance_log2(&magnitude, prec);
            let integral = integrate(
                integrand,
                &w[0],
                &w[1],
                prec,
                tol,
                IntegrationOptions::default(),
                prec,
            );
            self.cdf.set_piece_at(None);
            if !integral.value.is_finite() {
                return Err(RigorousError::undefined("an integral of a power of F"));
            }
            total = total.add(&integral.value.real(), prec);
        }
        Ok(total)
    }
}

/// `log2` of the absolute tolerance: `2^-prec` relative to the interval's length.
fn tolerance_log2(length: &Arb, prec: Prec) -> i64 {
    let exp = length
        .mid_float()
        .and_then(|x| x.get_exp())
        .map(i64::from)
        .unwrap_or(0);
    exp - prec - 8
}

/// A rational strictly between two exact balls (their midpoints' average).
fn midpoint_rational(lo: &Arb, hi: &Arb) -> Option<BigRational> {
    let (a, b) = (lo.mid_float()?, hi.mid_float()?);
    let m = Float::with_val(a.prec().max(b.prec()) + 1, &a + &b) / 2u32;
    float_rational(&m)
}

/// A finite float as the exact rational it is.
pub(crate) fn float_rational(x: &Float) -> Option<BigRational> {
    let q = x.to_rational()?;
    let parse = |s: String| s.parse::<num_bigint::BigInt>().ok();
    Some(BigRational::new(
        parse(q.numer().to_string())?,
        parse(q.denom().to_string())?,
    ))
}

/// The lower (`upper = false`) or upper end of a ball, exactly.
fn bound(x: &Arb, upper: bool) -> Float {
    x.bounds()
        .map(|(lo, hi)| if upper { hi } else { lo })
        .unwrap_or_else(|| Float::with_val(2, 0))
}

fn indeterminate() -> Arb {
    let mut x = Arb::zero();
    x.set_indeterminate();
    x
}
