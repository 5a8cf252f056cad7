//! LaTeX escaping of plain text for `pdflatex` with its default encodings.

/// `text` escaped for LaTeX text mode under `pdflatex` with its default encodings.
///
/// The ten special characters become commands (`\_`, `\%`, `\textbackslash{}`, ...), `<`, `>`
/// and `|` become `\textless{}`, `\textgreater{}` and `\textbar{}` (the default OT1 font has
/// no such glyphs), line breaks and tabs become spaces, Greek letters and common mathematical
/// signs become `\ensuremath{...}`, accented Latin letters become accent commands, and any other
/// non-ASCII character is written as `[U+XXXX]`, so the result always compiles.
pub fn escape_latex(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\textbackslash{}"),
            '{' => s.push_str("\\{"),
            '}' => s.push_str("\\}"),
            '$' => s.push_str("\\$"),
            '&' => s.push_str("\\&"),
            '#' => s.push_str("\\#"),
            '%' => s.push_str("\\%"),
            '_' => s.push_str("\\_"),
            '^' => s.push_str("\\textasciicircum{}"),
            '~' => s.push_str("\\textasciitilde{}"),
            '<' => s.push_str("\\textless{}"),
            '>' => s.push_str("\\textgreater{}"),
            '|' => s.push_str("\\textbar{}"),
            '\n' | '\r' | '\t' => s.push(' '),
            c if c.is_ascii_control() => {}
            c if c.is_ascii() => s.push(c),
            c => s.push_str(&non_ascii(c)),
        }
    }
    s
}

/// Text with inline math, such as a caption or a header (`Theorem 3: $\beta^*$ against $N$`),
/// as LaTeX: the spans between unescaped `$` signs are LaTeX math, kept as written with their
/// dollars; everything else is plain text, escaped by [`escape_latex`]. `\$` outside math is a
/// literal dollar sign. An unmatched `$` is escaped as text, so the result always compiles.
/// This and [`escape_latex`] are the only places text becomes LaTeX.
pub fn escape_latex_with_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut plain = String::new();
    let mut rest = text;
    loop {
        // The next `$` that is not written `\$`.
        let mut from = 0;
        let open = loop {
            match rest[from..].find('$') {
                Some(i) if rest[..from + i].ends_with('\\') => {
                    plain.push_str(&rest[from..from + i - 1]);
                    plain.push('$');
                    from += i + 1;
                }
                Some(i) => break Some(from + i),
                None => break None,
            }
        };
        let Some(open) = open else {
            plain.push_str(&rest[from..]);
            break;
        };
        plain.push_str(&rest[from..open]);
        let after = &rest[open + 1..];
        match after.find('$') {
            Some(close) if close > 0 => {
                out.push_str(&escape_latex(&plain));
                plain.clear();
                out.push('$');
                out.push_str(&after[..close]);
                out.push('$');
                rest = &after[close + 1..];
            }
            _ => {
                plain.push('$');
                rest = after;
            }
        }
    }
    out.push_str(&escape_latex(&plain));
    out
}

/// Text with inline math (as [`escape_latex_with_math`] reads it) for plain-text formats: the
/// `$` signs that delimit math dropped, `\$` written as `$`, everything else kept
/// (`$1 - (1 - x)^3$` becomes `1 - (1 - x)^3`).
pub fn without_math_delimiters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'$') => {
                out.push('$');
                chars.next();
            }
            '$' => {}
            c => out.push(c),
        }
    }
    out
}

/// LaTeX for a non-ASCII character.
fn non_ascii(c: char) -> String {
    if let Some(name) = greek(c) {
        return format!("\\ensuremath{{\\{name}}}");
    }
    let math = match c {
        '∞' => Some("\\infty"),
        '≤' => Some("\\leq"),
        '≥' => Some("\\geq"),
        '±' => Some("\\pm"),
        '×' => Some("\\times"),
        '−' => Some("-"),
        '≈' => Some("\\approx"),
        '≠' => Some("\\neq"),
        '∈' => Some("\\in"),
        '·' => Some("\\cdot"),
        '→' => Some("\\to"),
        '∑' => Some("\\sum"),
        '∫' => Some("\\int"),
        '√' => Some("\\surd"),
        '∂' => Some("\\partial"),
        '′' => Some("\\prime"),
        '∗' => Some("\\ast"),
        '°' => Some("^\\circ"),
        '¹' => Some("^1"),
        '²' => Some("^2"),
        '³' => Some("^3"),
        _ => None,
    };
    if let Some(m) = math {
        return format!("\\ensuremath{{{m}}}");
    }
    let text = match c {
        '\u{a0}' => Some("~"),
        '–' => Some("\\textendash{}"),
        '—' => Some("\\textemdash{}"),
        '…' => Some("\\dots{}"),
        '‘' => Some("`"),
        '’' => Some("'"),
        '“' => Some("``"),
        '”' => Some("''"),
        'ß' => Some("\\ss{}"),
        'æ' => Some("\\ae{}"),
        'Æ' => Some("\\AE{}"),
        'œ' => Some("\\oe{}"),
        'Œ' => Some("\\OE{}"),
        'ø' => Some("\\o{}"),
        'Ø' => Some("\\O{}"),
        'å' => Some("\\aa{}"),
        'Å' => Some("\\AA{}"),
        _ => None,
    };
    if let Some(t) = text {
        return t.to_string();
    }
    if let Some((accent, base)) = accented(c) {
        return format!("\\{accent}{{{base}}}");
    }
    format!("[U+{:04X}]", c as u32)
}

/// An accented Latin letter as its accent command (`` ` ``, `'`, `^`, `"`, `~` or `c` for
/// the cedilla) and its base letter (`\i`, the dotless i, for an accented i).
fn accented(c: char) -> Option<(&'static str, &'static str)> {
    let accent = match c {
        'à' | 'è' | 'ì' | 'ò' | 'ù' | 'À' | 'È' | 'Ì' | 'Ò' | 'Ù' => "`",
        'á' | 'é' | 'í' | 'ó' | 'ú' | 'ý' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' | 'Ý' => "'",
        'â' | 'ê' | 'î' | 'ô' | 'û' | 'Â' | 'Ê' | 'Î' | 'Ô' | 'Û' => "^",
        'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'ÿ' | 'Ä' | 'Ë' | 'Ï' | 'Ö' | 'Ü' => "\"",
        'ã' | 'ñ' | 'õ' | 'Ã' | 'Ñ' | 'Õ' => "~",
        'ç' | 'Ç' => "c",
        _ => return None,
    };
    let base = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' => "a",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "\\i",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ñ' => "n",
        'ç' => "c",
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => "A",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "O",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'Ý' => "Y",
        'Ñ' => "N",
        _ => "C",
    };
    Some((accent, base))
}

/// The LaTeX name of a Greek letter.
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' => "varepsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'π' => "pi",
        'ρ' => "rho",
        'σ' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' => "varphi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'Γ' => "Gamma",
        'Δ' => "Delta",
        'Θ' => "Theta",
        'Λ' => "Lambda",
        'Ξ' => "Xi",
        'Π' => "Pi",
        'Σ' => "Sigma",
        'Υ' => "Upsilon",
        'Φ' => "Phi",
        'Ψ' => "Psi",
        'Ω' => "Omega",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_spans_are_kept_and_text_around_them_escaped() {
        assert_eq!(
            escape_latex_with_math("F = $1 - (1 - x)^3$, 50% of $\\beta^*$"),
            "F = $1 - (1 - x)^3$, 50\\% of $\\beta^*$"
        );
        assert_eq!(
            escape_latex_with_math("costs \\$5 and x^2"),
            "costs \\$5 and x\\textasciicircum{}2"
        );
        assert_eq!(escape_latex_with_math("one $ alone"), "one \\$ alone");
        assert_eq!(escape_latex_with_math("$$"), "\\$\\$");
        assert_eq!(escape_latex_with_math("$N$"), "$N$");
        assert_eq!(
            without_math_delimiters("F = $1 - x^3$, \\$5"),
            "F = 1 - x^3, $5"
        );
    }

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape_latex("\\ { } $ & # % _ ^ ~ < > |"),
            "\\textbackslash{} \\{ \\} \\$ \\& \\# \\% \\_ \\textasciicircum{} \
             \\textasciitilde{} \\textless{} \\textgreater{} \\textbar{}"
        );
        assert_eq!(escape_latex("a\tb\r\nc\u{7}"), "a b  c");
        assert_eq!(
            escape_latex("plain ASCII: 1+1=2 (ok) [x] 'q' \"d\" *"),
            "plain ASCII: 1+1=2 (ok) [x] 'q' \"d\" *"
        );
    }

    #[test]
    fn accented_letters_become_accent_commands() {
        assert_eq!(escape_latex("é"), "\\'{e}");
        assert_eq!(escape_latex("ï"), "\\\"{\\i}");
        assert_eq!(escape_latex("Ç"), "\\c{C}");
        assert_eq!(
            escape_latex("β ≤ ∞"),
            "\\ensuremath{\\beta} \\ensuremath{\\leq} \\ensuremath{\\infty}"
        );
        assert_eq!(
            escape_latex("– — … ß"),
            "\\textendash{} \\textemdash{} \\dots{} \\ss{}"
        );
        assert_eq!(escape_latex("\u{1F600}"), "[U+1F600]");
    }
}
