// A/B of vtl::java_regex between two checkouts, natively: typical mapping-template regex work on
// short strings (patterns compiled once, as methods.rs's RegexCache does), 20,000 rounds.
// Run: make a scratch crate whose Cargo.toml has `vtl = { path = "<checkout>/crates/vtl" }` and
// `[workspace]`, copy this file to its src/main.rs, `cargo run --release` once per checkout;
// the number in parentheses is a checksum of the outputs and must be equal.

use std::time::Instant;
use vtl::java_regex::JavaRegex;
fn main() {
    // Typical mapping-template regex work on short strings (compiled once, as RegexCache does).
    let pats = [("\\s+", " "), ("[^a-zA-Z0-9]", "_"), ("(\\w+)@(\\w+)\\.com", "$2:$1"), ("\"", "\\\\\""), (",", ";"), ("^\\s+|\\s+$", ""), ("(?i)error", "E")];
    let res: Vec<(JavaRegex, &str)> = pats.iter().map(|(p, r)| (JavaRegex::compile(p).unwrap(), *r)).collect();
    let sel = [JavaRegex::compile(".*four hundred.*").unwrap(), JavaRegex::compile("4\\d{2}").unwrap(), JavaRegex::compile(".+").unwrap(), JavaRegex::compile("(\\n|.)*Error.*").unwrap()];
    let inputs = ["  hello   world, this is  a test  ", "john.doe@example.com, jane@corp.com", "Error: Raising four hundred from within the Lambda function", "404", "a,b,c,d,e,f,g,h", "{\"k\": \"v\", \"n\": 1}"];
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..20000 {
        for s in &inputs {
            for (re, r) in &res { n += re.replace_all(s, r).unwrap().len(); }
            for re in &sel { n += re.is_match_whole(s) as usize; }
            n += res[4].0.split(s, 0).len();
        }
    }
    println!("{:?} ({n})", t0.elapsed());
}
