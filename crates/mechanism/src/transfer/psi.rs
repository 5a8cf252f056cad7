//! `psi_0(x) = ∫_a^x p dG(p)`, the integral of (L4) for `G = F^(n-1)`, tabulated once per market
//! and precision for the transfers of [`super::Lemma1`].

use efftrade_numeric::engine::Engine;
use rug::ops::Pow;
use rug::{Assign, Float};

use super::MechanismError;

/// `psi_0(x) = ∫_a^x p dG(p)` for `G = F^(n-1)`: tabulated on panels of `[a, b]` as the
/// Chebyshev series interpolating it at Chebyshev points (Trefethen, "Approximation Theory and
/// Approximation Practice", ch. 3), evaluated by Clenshaw's recurrence. Each panel is checked
/// against the engine's adaptive quadrature at points between the nodes and halved while it fails
/// (a steep `F^(n-1)` near `b`); a panel that still fails (a singular density, say) is integrated
/// adaptively from its own start at every call.
#[derive(Clone, Debug)]
pub struct Psi {
    a: Float,
    b: Float,
    panels: Vec<Panel>,
    power: u32,
    engine: Engine,
    /// The last few arguments and values (nested quadrature asks for the same outer node many
    /// times).
    recent: Vec<(Float, Float)>,
}

/// Entries of the `psi` cache.
const RECENT: usize = 6;

#[derive(Clone, Debug)]
struct Panel {
    lo: Float,
    hi: Float,
    /// `∫_a^lo G`.
    base: Float,
    /// Chebyshev coefficients of `psi_0` on `[lo, hi]`; `None` when the panel is integrated
    /// adaptively.
    coefficients: Option<Vec<Float>>,
}

impl Panel {
    /// Clenshaw's recurrence for `Σ c_k T_k(t)`, `t` the position of `x` mapped to `[-1, 1]`.
    fn eval(&self, coefficients: &[Float], x: &Float) -> Float {
        let prec = x.prec();
        let mut t = Float::with_val(prec, x - &self.lo) * 2u32;
        t /= Float::with_val(prec, &self.hi - &self.lo);
        t -= 1u32;
        let two_t = Float::with_val(prec, &t * 2u32);
        let mut b1 = Float::new(prec);
        let mut b2 = Float::new(prec);
        let mut next = Float::new(prec);
        for c in coefficients[1..].iter().rev() {
            next.assign(&two_t * &b1);
            next -= &b2;
            next += c;
            std::mem::swap(&mut b2, &mut b1);
            std::mem::swap(&mut b1, &mut next);
        }
        let mut value = Float::with_val(prec, &t * &b1);
        value -= &b2;
        value += &coefficients[0];
        value
    }
}

/// Chebyshev coefficients of the polynomial through `values` at the points
/// `-cos(pi m / M)`, `m = 0..=M` (increasing): `c_k = (2/M) Σ''_m f(s_m) cos(pi k m / M)` on the
/// points `s_m = cos(pi m / M)`, the first and last terms (and coefficients) halved.
fn chebyshev_coefficients(values: &[Float], cosines: &[Float]) -> Vec<Float> {
    let prec = values[0].prec();
    let big_m = values.len() - 1;
    (0..=big_m)
        .map(|k| {
            let mut sum = Float::new(prec);
            for m in 0..=big_m {
                // f(s_m) is the value at -cos(pi (M - m) / M) = s_m.
                let mut term =
                    Float::with_val(prec, &values[big_m - m] * &cosines[(k * m) % (2 * big_m)]);
                if m == 0 || m == big_m {
                    term /= 2u32;
                }
                sum += term;
            }
            sum *= 2u32;
            sum /= big_m as u32;
            if k == 0 || k == big_m {
                sum /= 2u32;
            }
            sum
        })
        .collect()
}

/// Panels of the `psi` table.
const PANELS: usize = 24;
/// Chebyshev points per panel.
const CHEB: usize = 24;

impl Psi {
    /// Tabulates `psi_0` for `n` agents at the engine's precision.
    pub fn new(engine: &Engine, n: u32) -> Result<Psi, MechanismError> {
        let mut engine = engine.clone();
        let prec = engine.prec();
        let (a, b) = (engine.a.clone(), engine.b.clone());
        let power = n - 1;
        let width = Float::with_val(prec, &b - &a) / PANELS as u32;
        let pi = Float::with_val(prec, rug::float::Constant::Pi);
        let big_m = (CHEB - 1) as u32;
        // cos(pi j / M) for j = 0..2M.
        let cosines: Vec<Float> = (0..2 * big_m)
            .map(|j| (Float::with_val(prec, &pi * j) / big_m).cos())
            .collect();
        let tolerance = Float::with_val(prec, Float::i_exp(1, -(prec as i32) + 24))
            * Float::with_val(prec, Float::with_val(prec, b.clone().abs()) + 1u32);
        let mut builder = Builder {
            engine: &mut engine,
            power,
            cosines: &cosines,
            tolerance: &tolerance,
            panels: Vec::with_capacity(PANELS),
        };
        let mut base = Float::new(prec); // ∫_a^lo G
        for k in 0..PANELS {
            let lo = Float::with_val(prec, &a + Float::with_val(prec, &width * k as u32));
            let hi = if k + 1 == PANELS {
                b.clone()
            } else {
                Float::with_val(prec, &a + Float::with_val(prec, &width * (k + 1) as u32))
            };
            base = builder.panel(lo, hi, base, 0)?;
        }
        let panels = builder.panels;
        Ok(Psi {
            a,
            b,
            panels,
            power,
            engine,
            recent: Vec::new(),
        })
    }

    /// `psi_0(x) = ∫_a^x p dG(p)` for `x` in `[a, b]` (clamped).
    pub fn eval(&mut self, x: &Float) -> Result<Float, MechanismError> {
        let prec = self.engine.prec();
        let x = if *x < self.a {
            self.a.clone()
        } else if *x > self.b {
            self.b.clone()
        } else {
            x.clone()
        };
        if let Some((_, v)) = self.recent.iter().find(|(y, _)| *y == x) {
            return Ok(v.clone());
        }
        let k = self
            .panels
            .partition_point(|p| p.hi < x)
            .min(self.panels.len() - 1);
        let panel = &self.panels[k];
        let value = match &panel.coefficients {
            Some(c) => panel.eval(c, &x),
            None => {
                let (lo, base) = (panel.lo.clone(), panel.base.clone());
                let rest = integral_of_g(&mut self.engine, self.power, &lo, &x)?;
                let integral = Float::with_val(prec, base + rest);
                psi0_from(&mut self.engine, self.power, &x, &integral)
            }
        };
        if self.recent.len() == RECENT {
            self.recent.remove(0);
        }
        self.recent.push((x, value.clone()));
        Ok(value)
    }
}

/// Deepest halving of a panel whose Chebyshev series fails its check (`F^(n-1)` for many agents
/// rises steeply near `b`).
const MAX_SPLITS: u32 = 8;

/// Builds the panels of [`Psi`] from left to right.
struct Builder<'a> {
    engine: &'a mut Engine,
    power: u32,
    cosines: &'a [Float],
    tolerance: &'a Float,
    panels: Vec<Panel>,
}

impl Builder<'_> {
    /// Tabulates `[lo, hi]` (halving it while the series fails its check, down to
    /// [`MAX_SPLITS`] halvings, then integrating adaptively at each call) given `∫_a^lo G`;
    /// returns `∫_a^hi G`.
    fn panel(
        &mut self,
        lo: Float,
        hi: Float,
        base: Float,
        depth: u32,
    ) -> Result<Float, MechanismError> {
        let prec = lo.prec();
        let power = self.power;
        let half = Float::with_val(prec, &hi - &lo) / 2u32;
        let mid = Float::with_val(prec, &hi + &lo) / 2u32;
        let big_m = CHEB - 1;
        // Chebyshev points x_m = mid - half cos(pi m / M), increasing.
        // (The ends exactly, whatever the rounding of mid -+ half.)
        let xs: Vec<Float> = (0..CHEB)
            .map(|m| match m {
                0 => lo.clone(),
                m if m == big_m => hi.clone(),
                m => Float::with_val(prec, &mid - Float::with_val(prec, &half * &self.cosines[m])),
            })
            .collect();
        let mut values = Vec::with_capacity(CHEB);
        let mut running = base.clone();
        let mut previous = lo.clone();
        for x in &xs {
            running += integral_of_g(self.engine, power, &previous, x)?;
            previous = x.clone();
            values.push(psi0_from(self.engine, power, x, &running));
        }
        let end = running;
        let mut panel = Panel {
            lo: lo.clone(),
            hi: hi.clone(),
            base: base.clone(),
            coefficients: Some(chebyshev_coefficients(&values, self.cosines)),
        };
        // Check the series between nodes against adaptive quadrature.
        for t in [1u32, 3, 5, 7] {
            let x = Float::with_val(prec, &lo + Float::with_val(prec, &half * t) / 4u32);
            let exact_base =
                Float::with_val(prec, &base + integral_of_g(self.engine, power, &lo, &x)?);
            let exact = psi0_from(self.engine, power, &x, &exact_base);
            let approx = panel.eval(panel.coefficients.as_deref().expect("set"), &x);
            if Float::with_val(prec, &exact - &approx).abs() > *self.tolerance {
                if depth < MAX_SPLITS {
                    let middle = self.panel(lo, mid.clone(), base, depth + 1)?;
                    return self.panel(mid, hi, middle, depth + 1);
                }
                panel.coefficients = None;
                break;
            }
        }
        self.panels.push(panel);
        Ok(end)
    }
}

/// `∫_lo^hi F^power` by the engine's adaptive quadrature.
fn integral_of_g(
    engine: &mut Engine,
    power: u32,
    lo: &Float,
    hi: &Float,
) -> Result<Float, MechanismError> {
    let prec = engine.prec();
    Ok(engine
        .integrate(
            |cdf, _, x| Float::with_val(prec, cdf.eval(x).pow(power)),
            lo,
            hi,
        )?
        .value)
}

/// `x G(x) - ∫_a^x G` from `∫_a^x G`.
fn psi0_from(engine: &mut Engine, power: u32, x: &Float, integral: &Float) -> Float {
    let prec = engine.prec();
    let g = Float::with_val(prec, engine.cdf(x).pow(power));
    Float::with_val(prec, Float::with_val(prec, x * g) - integral)
}

#[cfg(test)]
mod tests {
    use super::*;
    use efftrade_model::Spec;

    fn engine(cdf: &str, support: &str, prec: u32) -> Engine {
        let src = format!(
            "description: t\ndistribution: {{cdf: \"{cdf}\", support: {support}}}\nmarket: {{n: 2, shares: symmetric}}\n"
        );
        Engine::new(Spec::from_yaml(&src, None).unwrap().distribution(), prec).unwrap()
    }

    #[test]
    fn psi_of_the_uniform_is_its_closed_form() {
        // ∫_0^x p d(p^(n-1)) = (n-1)/n x^n.
        let prec = 128;
        let e = engine("x", "[0, 1]", prec);
        for n in [2u32, 3, 5] {
            let mut psi = Psi::new(&e, n).unwrap();
            for k in 0..=40u32 {
                let x = Float::with_val(prec, k) / 40u32;
                let exact = Float::with_val(prec, x.clone().pow(n)) * (n - 1) / n;
                let got = psi.eval(&x).unwrap();
                assert!(
                    Float::with_val(prec, got - &exact).abs()
                        < Float::with_val(prec, Float::i_exp(1, -118)),
                    "n = {n}, x = {}",
                    x.to_f64()
                );
            }
        }
    }

    #[test]
    fn psi_matches_adaptive_quadrature_on_the_sine_and_on_a_singular_density() {
        let prec = 128;
        for (cdf, support) in [
            ("0.1*x + 0.1*(1 - cos(x))", "[0, solve]"),
            ("sqrt(x)", "[0, 1]"),
        ] {
            let mut e = engine(cdf, support, prec);
            // Three agents, and sixty (F^59 rises steeply near b: panels are halved there).
            for n in [3u32, 60] {
                let mut psi = Psi::new(&e, n).unwrap();
                let (a, b) = (e.a.clone(), e.b.clone());
                for k in [0u32, 1, 7, 50, 333, 990, 999, 1000] {
                    let x =
                        Float::with_val(prec, &a + Float::with_val(prec, &b - &a) * k / 1000u32);
                    // x G(x) - ∫_a^x F^(n-1), the integral adaptively from a.
                    let integral = integral_of_g(&mut e, n - 1, &a, &x).unwrap();
                    let exact = psi0_from(&mut e, n - 1, &x, &integral);
                    let got = psi.eval(&x).unwrap();
                    assert!(
                        Float::with_val(prec, got - &exact).abs()
                            < Float::with_val(prec, Float::i_exp(1, -100)),
                        "{cdf}, n = {n}, at {}",
                        x.to_f64()
                    );
                }
            }
        }
    }
}
