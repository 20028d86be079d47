//! `Double.toString` digits against Java 17 (pre-JDK-19 `FloatingDecimal`): pairs of
//! `hex bits -> Java's text` produced by `java Dbl` (see tests/java/README.md).

use vtl::Value;

#[test]
fn doubles_print_like_java_17() {
    let path = std::env::var("DOUBLES_FILE").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/doubles.txt").to_string()
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let mut bad = Vec::new();
    let mut n = 0;
    for line in text.lines() {
        let Some((hex, expected)) = line.split_once(' ') else {
            continue;
        };
        let bits = u64::from_str_radix(hex, 16).unwrap();
        let got = Value::Double(f64::from_bits(bits)).to_java_string();
        n += 1;
        if got != expected {
            bad.push(format!("{hex}: java {expected} vtl {got}"));
        }
    }
    assert!(n > 0);
    assert!(
        bad.is_empty(),
        "{} of {n} differ:\n{}",
        bad.len(),
        bad[..bad.len().min(30)].join("\n")
    );
}
