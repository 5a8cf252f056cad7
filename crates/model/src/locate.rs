//! Where each value of a YAML document is, and its text exactly as written.
//!
//! The YAML layer (`spec::yaml`) gives the typed structure of a spec; this index, built from the events of a
//! second (span-aware) YAML parser, gives for every value its line and column, so that an error
//! found after deserialisation (shares that do not sum to one, say) can point at the offending
//! text, and the scalar exactly as typed, so that `0.3` is read as `3/10` and
//! `500000000000000000000000000000` as that integer, not as the nearest double.

use std::collections::HashMap;

use yaml_rust2::Event;
use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in a source text, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// One located value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// Where the value starts.
    pub position: Position,
    /// The scalar's text as written (`None` for a sequence or mapping).
    pub text: Option<String>,
    /// Whether the scalar was quoted (a quoted `"0.5"` is a string, not a number).
    pub quoted: bool,
}

/// Values of a YAML document by path, such as `market.shares[1]` or `distribution.support[0]`.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    values: HashMap<String, Located>,
}

impl SourceMap {
    /// Indexes `source`. A document the span-aware parser cannot read gives an empty map (the
    /// caller reports the syntax error found by the YAML layer).
    pub fn new(source: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(source);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            values: builder.values,
        }
    }

    /// The value at `path`.
    pub fn get(&self, path: &str) -> Option<&Located> {
        self.values.get(path)
    }

    /// The position of the value at `path`, or of its nearest located ancestor.
    pub fn position(&self, path: &str) -> Option<Position> {
        let mut p = path;
        loop {
            if let Some(v) = self.values.get(p) {
                return Some(v.position);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, index: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    values: HashMap<String, Located>,
}

impl Builder {
    /// The path of the node that starts now, or `None` when it is a mapping key.
    fn next_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Mapping { path, key }) => match key.take() {
                Some(k) if path.is_empty() => Some(k),
                Some(k) => Some(format!("{path}.{k}")),
                None => None,
            },
        }
    }

    fn record(&mut self, path: String, mark: Marker, text: Option<String>, quoted: bool) {
        let position = Position {
            line: mark.line().max(1),
            column: mark.col() + 1,
        };
        self.values.insert(
            path,
            Located {
                position,
                text,
                quoted,
            },
        );
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, ..) => match self.next_path() {
                Some(path) => {
                    let quoted = !matches!(style, TScalarStyle::Plain);
                    self.record(path, mark, Some(text), quoted);
                }
                None => {
                    if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut() {
                        *key = Some(text);
                    }
                }
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                // A complex mapping key is not part of the spec format; index it under "?".
                let path = self.next_path().unwrap_or_else(|| "?".to_string());
                self.record(path.clone(), mark, None, false);
                self.stack.push(match ev {
                    Event::SequenceStart(..) => Frame::Sequence { path, index: 0 },
                    _ => Frame::Mapping { path, key: None },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                if let Some(path) = self.next_path() {
                    self.record(path, mark, None, false);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_positions_and_exact_text() {
        let src = "description: x\nmarket:\n  n: 3\n  shares: [0.5, 0.3, \"0.2\"]\n  replicate: {m: [500000000000000000000000000000]}\n";
        let map = SourceMap::new(src);
        let n = map.get("market.n").unwrap();
        assert_eq!(n.position, Position { line: 3, column: 6 });
        assert_eq!(n.text.as_deref(), Some("3"));
        let s1 = map.get("market.shares[1]").unwrap();
        assert_eq!(s1.text.as_deref(), Some("0.3"));
        assert_eq!(
            s1.position,
            Position {
                line: 4,
                column: 17
            }
        );
        assert!(map.get("market.shares[2]").unwrap().quoted);
        let m = map.get("market.replicate.m[0]").unwrap();
        assert_eq!(m.text.as_deref(), Some("500000000000000000000000000000"));
        assert_eq!(
            map.position("market.shares[7]"),
            Some(Position {
                line: 4,
                column: 11
            })
        );
    }
}
