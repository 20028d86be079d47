//! Runs `java/RegexBatch.java` (java.util.regex, Java 17) on a batch of cases in one JVM.

use crate::{Compile, Observed, RegexCase};
use std::path::PathBuf;
use std::time::Duration;
use velocity_diff::jvm;

pub const INSTALL_HINT: &str = "install Java 17 with `apt-get install -y default-jdk-headless` \
     (java and javac), or set SKIP_REGEX_DIFF=1 to skip the differential test";

const SOURCE: &str = include_str!("../java/RegexBatch.java");

/// A compiled `RegexBatch` ready to run.
pub struct Java {
    classes: PathBuf,
    /// Wall-clock bound for one batch (each case also has a 2 s deadline inside the JVM).
    pub timeout: Duration,
}

impl Java {
    /// Finds java and javac and compiles the batch program when its source changed.
    pub fn setup() -> Result<Java, String> {
        let classes = jvm::compile("regex-diff-java", "RegexBatch", SOURCE, None, INSTALL_HINT)?;
        Ok(Java {
            classes,
            timeout: Duration::from_secs(600),
        })
    }

    /// What java.util.regex does with every case, in order.
    pub fn run_batch(&self, cases: &[RegexCase]) -> Result<Vec<Observed>, String> {
        let mut input = Vec::new();
        for case in cases {
            input.push(b'C');
            for s in [&case.pattern, &case.input, &case.replacement] {
                input.extend_from_slice(s.len().to_string().as_bytes());
                input.push(b':');
                input.extend_from_slice(s.as_bytes());
            }
        }
        let classes = self.classes.to_string_lossy();
        // Deep patterns recurse in java.util.regex: a big stack keeps StackOverflowError for
        // truly pathological cases.
        let out = jvm::run(
            &[
                "-Xss16m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                &classes,
                "RegexBatch",
            ],
            input,
            self.timeout,
            "Java batch",
            INSTALL_HINT,
        )?;
        let mut p = Parser { b: &out, i: 0 };
        let mut results = Vec::with_capacity(cases.len());
        while p.i < out.len() {
            results.push(
                p.record()
                    .map_err(|e| format!("Java output, record {}: {e}", results.len()))?,
            );
        }
        if results.len() != cases.len() {
            return Err(format!(
                "Java returned {} results for {} cases",
                results.len(),
                cases.len()
            ));
        }
        Ok(results)
    }
}

/// One value of the record format (see the header of `RegexBatch.java`).
enum Tok {
    Int(i64),
    Str(String),
    /// A string with a lone surrogate (Java split a pair): no UTF-8 form.
    Lone,
    Null,
    Exc(String),
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn tok(&mut self) -> Result<Tok, String> {
        let tag = self.peek().ok_or("truncated")?;
        self.i += 1;
        match tag {
            b'i' => {
                let end = self.find(b';')?;
                let n = std::str::from_utf8(&self.b[self.i..end])
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .ok_or("bad integer")?;
                self.i = end + 1;
                Ok(Tok::Int(n))
            }
            b's' | b'x' => {
                let s = self.bytes()?;
                Ok(if tag == b's' {
                    Tok::Str(s)
                } else {
                    Tok::Exc(s)
                })
            }
            b'u' => Ok(Tok::Lone),
            b'n' => Ok(Tok::Null),
            other => Err(format!(
                "unexpected tag {:?} at {}",
                other as char,
                self.i - 1
            )),
        }
    }

    fn find(&self, byte: u8) -> Result<usize, String> {
        self.b[self.i..]
            .iter()
            .position(|&c| c == byte)
            .map(|p| self.i + p)
            .ok_or_else(|| "truncated".to_string())
    }

    fn bytes(&mut self) -> Result<String, String> {
        let colon = self.find(b':')?;
        let len: usize = std::str::from_utf8(&self.b[self.i..colon])
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or("bad length")?;
        let start = colon + 1;
        let body = self.b.get(start..start + len).ok_or("truncated string")?;
        self.i = start + len;
        Ok(String::from_utf8_lossy(body).into_owned())
    }

    fn int(&mut self) -> Result<i64, String> {
        match self.tok()? {
            Tok::Int(n) => Ok(n),
            _ => Err("expected an integer".into()),
        }
    }

    /// A string-or-exception result as section text.
    fn text_result(&mut self) -> Result<String, String> {
        Ok(match self.tok()? {
            Tok::Str(s) => crate::quote(&s),
            Tok::Lone => crate::SPLITS_SURROGATE.into(),
            Tok::Exc(e) => crate::exception_text(&e),
            _ => return Err("expected a string result".into()),
        })
    }

    fn record(&mut self) -> Result<Observed, String> {
        let tag = self.peek().ok_or("truncated")?;
        self.i += 1;
        if tag == b'E' {
            let message = match self.tok()? {
                Tok::Str(s) => s,
                _ => return Err("expected a message".into()),
            };
            let index = self.int()?;
            return Ok(Observed::failed(Compile::Error { message, index }));
        }
        if tag != b'O' {
            return Err(format!("unexpected record tag {:?}", tag as char));
        }
        let gc = usize::try_from(self.int()?).map_err(|_| "negative group count")?;
        let mut obs = Observed::failed(Compile::Ok(gc));
        let matches = match self.peek() {
            Some(b't') => {
                self.i += 1;
                "true".to_string()
            }
            Some(b'f') => {
                self.i += 1;
                "false".to_string()
            }
            _ => match self.tok()? {
                Tok::Exc(e) => crate::exception_text(&e),
                _ => return Err("expected matches".into()),
            },
        };
        obs.sections.push(("matches", matches));
        let count = self.int()?;
        let mut finds = Vec::new();
        let mut groups = Vec::new();
        for _ in 0..count {
            let (s, e) = (self.int()?, self.int()?);
            finds.push(crate::span_text(s, e));
            let mut line = Vec::new();
            for _ in 0..gc {
                if self.peek() == Some(b'n') {
                    self.i += 1;
                    line.push("null".to_string());
                } else {
                    let (s, e) = (self.int()?, self.int()?);
                    line.push(crate::span_text(s, e));
                }
            }
            groups.push(format!("{} {}", crate::span_text(s, e), line.join(" ")));
        }
        if self.peek() == Some(b'-') {
            self.i += 1;
        } else {
            match self.tok()? {
                Tok::Exc(e) => finds.push(crate::exception_text(&e)),
                _ => return Err("expected the end of finds".into()),
            }
        }
        obs.sections.push(("find", crate::lines_text(&finds)));
        obs.java_group_spans = Some(groups.join("\n"));
        obs.sections.push(("replaceAll", self.text_result()?));
        obs.sections.push(("replaceFirst", self.text_result()?));
        let g = self.text_result()?;
        if gc > 0 {
            obs.sections.push(("groups", g));
        }
        for name in crate::SPLIT_SECTIONS {
            let text = match self.tok()? {
                Tok::Int(n) => {
                    let mut parts = Vec::new();
                    for _ in 0..n {
                        parts.push(match self.tok()? {
                            Tok::Str(s) => crate::quote(&s),
                            Tok::Lone => crate::SPLITS_SURROGATE.into(),
                            _ => return Err("expected a split part".into()),
                        });
                    }
                    format!("[{}]", parts.join(", "))
                }
                Tok::Exc(e) => crate::exception_text(&e),
                _ => return Err("expected a split result".into()),
            };
            obs.sections.push((name, text));
        }
        Ok(obs)
    }
}
