//! JSON lines: one record per line, serialised with `serde_json`.
//!
//! [`line()`] writes a record's fields in the order serde gives them (a struct's declaration
//! order). [`sorted_line`] goes through [`serde_json::Value`] first, whose objects keep their
//! keys sorted, so a struct serialised with it gives exactly the bytes of a `json!` object with
//! the same keys and values (`json!` builds the same `Value`): a caller can replace ad-hoc
//! `json!` maps by a typed record without changing a byte of output.
//!
//! ```
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Point {
//!     n: String,
//!     beta_star: Option<String>,
//!     digits: u32,
//! }
//!
//! let p = Point { n: "2".into(), beta_star: None, digits: 30 };
//! assert_eq!(efftrade_render::jsonl::line(&p)?, r#"{"n":"2","beta_star":null,"digits":30}"#);
//! let sorted = efftrade_render::jsonl::sorted_line(&p)?;
//! assert_eq!(sorted, r#"{"beta_star":null,"digits":30,"n":"2"}"#);
//! let ad_hoc = serde_json::json!({"n": "2", "beta_star": null, "digits": 30});
//! assert_eq!(sorted, ad_hoc.to_string());
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::Serialize;

/// `record` as one line of JSON (no line end), its keys in serde's order.
pub fn line<T: Serialize + ?Sized>(record: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(record)
}

/// `record` as one line of JSON (no line end), every object's keys sorted, byte-identical to
/// the `json!` object with the same keys and values.
pub fn sorted_line<T: Serialize + ?Sized>(record: &T) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_value(record)?.to_string())
}

/// `records` as JSON lines (keys in serde's order), each line ended by `\n`.
pub fn lines<'a, T, I>(records: I) -> Result<String, serde_json::Error>
where
    T: Serialize + 'a,
    I: IntoIterator<Item = &'a T>,
{
    joined(records, line)
}

/// `records` as JSON lines with sorted keys ([`sorted_line`]), each line ended by `\n`.
pub fn sorted_lines<'a, T, I>(records: I) -> Result<String, serde_json::Error>
where
    T: Serialize + 'a,
    I: IntoIterator<Item = &'a T>,
{
    joined(records, sorted_line)
}

/// Each record written by `one`, followed by `\n`.
fn joined<'a, T: 'a>(
    records: impl IntoIterator<Item = &'a T>,
    one: fn(&T) -> Result<String, serde_json::Error>,
) -> Result<String, serde_json::Error> {
    let mut s = String::new();
    for r in records {
        s.push_str(&one(r)?);
        s.push('\n');
    }
    Ok(s)
}
