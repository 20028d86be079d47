//! `vtl::jchar` against the real `java.lang.Character` / `String` (Java 17): every code point's
//! `toLowerCase`, `toUpperCase`, `isLowerCase`, `isUpperCase`, `isAlphabetic`, and a seeded corpus
//! of strings (`String.toLowerCase`/`toUpperCase`, final sigma included, `equalsIgnoreCase`,
//! `compareToIgnoreCase`). Needs java and javac, unless SKIP_REGEX_DIFF=1.

use regex_diff::rng::Rng;
use std::collections::HashMap;
use std::time::Duration;
use velocity_diff::jvm;
use vtl::jchar;

const SOURCE: &str = include_str!("../java/CaseBatch.java");

/// Characters the string corpus is drawn from: Greek capitals and small letters around sigmas,
/// the separators Java's word rules treat differently, one-to-many mappings, title-case
/// digraphs, kana/CJK/Hangul, marks, digits, supplementary letters.
const ALPHABET: &[char] = &[
    'Σ', 'Σ', 'Σ', 'Α', 'Β', 'σ', 'ς', 'α', 'a', 'B', 'z', '1', '٠', '²', ' ', '.', '-', '\'', '"',
    '_', ',', ':', '!', '‐', '–', '\u{2027}', '\u{301}', '\u{345}', '\u{200D}', '\u{AD}', 'ß', 'İ',
    'ı', 'ǅ', 'ǆ', 'Ǆ', 'ŉ', 'ﬁ', 'ΐ', 'µ', 'ÿ', 'あ', 'ア', '中', '가', 'א', 'Ⓐ', 'Ⅰ', 'ⅰ', 'ª',
    '𐐀', '𐐨', '😀', 'K', 'k', '\u{212A}', 'Ω', 'ω', '\u{2126}',
];

fn hex(s: &str) -> String {
    s.chars()
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn jchar_matches_java_17() {
    if std::env::var("SKIP_REGEX_DIFF").is_ok_and(|v| v == "1") {
        eprintln!("SKIP_REGEX_DIFF=1: jchar differential test skipped");
        return;
    }
    let hint = regex_diff::java::INSTALL_HINT;
    let classes = jvm::compile("regex-diff-case", "CaseBatch", SOURCE, None, hint)
        .unwrap_or_else(|e| panic!("{e}"));

    let mut rng = Rng::for_case(17, 0);
    let strings: Vec<String> = (0..6000)
        .map(|_| {
            let len = 1 + rng.below(6);
            (0..len).map(|_| *rng.pick(ALPHABET)).collect()
        })
        .collect();
    let input: String = strings.iter().map(|s| hex(s) + "\n").collect();
    let classes = classes.to_string_lossy();
    let out = jvm::run(
        &["-cp", &classes, "CaseBatch"],
        input.into_bytes(),
        Duration::from_secs(300),
        "Java case batch",
        hint,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = String::from_utf8(out).expect("UTF-8 from Java");

    let mut chars: HashMap<u32, (u32, u32, String)> = HashMap::new();
    let mut string_lines = Vec::new();
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix("C ") {
            let f: Vec<&str> = rest.split(' ').collect();
            let n = |s: &str| u32::from_str_radix(s, 16).expect("hex");
            chars.insert(n(f[0]), (n(f[1]), n(f[2]), f[3].to_string()));
        } else if let Some(rest) = line.strip_prefix("S ") {
            string_lines.push(rest.to_string());
        }
    }
    assert!(
        chars.len() > 100_000,
        "Java listed {} code points",
        chars.len()
    );

    let mut failures = Vec::new();
    for cp in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let (lo, up, flags) =
            chars
                .get(&(cp as u32))
                .cloned()
                .unwrap_or((cp as u32, cp as u32, "000".to_string()));
        let flag = |b: bool| if b { '1' } else { '0' };
        let ours = (
            jchar::to_lower(cp) as u32,
            jchar::to_upper(cp) as u32,
            [
                flag(jchar::is_lower(cp)),
                flag(jchar::is_upper(cp)),
                flag(jchar::is_alphabetic(cp)),
            ]
            .iter()
            .collect::<String>(),
        );
        if ours != (lo, up, flags.clone()) {
            failures.push(format!(
                "U+{:04X}: Java lower/upper/flags {lo:x} {up:x} {flags}, ours {:x} {:x} {}",
                cp as u32, ours.0, ours.1, ours.2
            ));
        }
    }

    assert_eq!(
        string_lines.len(),
        strings.len(),
        "one Java line per string"
    );
    let mut prev = String::new();
    let mut approximated = 0;
    for (s, java) in strings.iter().zip(&string_lines) {
        let ours = format!(
            "{} | {} | {} {}",
            hex(&jchar::string_to_lower(s)),
            hex(&jchar::string_to_upper(s)),
            jchar::equals_ignore_case(s, &prev),
            jchar::compare_ignore_case(s, &prev)
        );
        if &ours != java {
            // Documented in vtl::jchar: Java's word rules for the final sigma are approximated
            // (supplementary characters, some format-character contexts); only which sigma a
            // capital sigma becomes may differ, in few strings (bounded below).
            let only_sigma = ours.replace("3c2", "3c3") == java.replace("3c2", "3c3");
            if s.contains('Σ') && only_sigma {
                approximated += 1;
                prev = s.clone();
                continue;
            }
            failures.push(format!(
                "{s:?} (after {prev:?}):\n  java: {java}\n  ours: {ours}"
            ));
        }
        prev = s.clone();
    }
    eprintln!(
        "final sigma approximated (see vtl::jchar): {approximated} of {} strings",
        strings.len()
    );
    assert!(
        approximated <= 40,
        "{approximated} strings with an approximated final sigma (was 24)"
    );
    assert!(
        failures.is_empty(),
        "{} differences from Java 17, first 20:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
