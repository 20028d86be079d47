//! Strings built by methods are capped at the output cap (`Limits::max_output_bytes`): a string
//! longer than the render may emit can never be printed, so growth loops stop as soon as they
//! pass it, cheaply, instead of after megabytes of regex work.
use vtl::{Context, Limits, Template};

fn small_output() -> Limits {
    Limits {
        max_output_bytes: 64 * 1024,
        ..Limits::default()
    }
}

#[test]
fn replace_all_growth_stops_at_the_output_cap() {
    let t = Template::parse(
        "#set($s = 'ab')#foreach($i in [1..40])#set($s = $s.replaceAll('a', 'aa'))#end$s.length()",
    );
    let start = std::time::Instant::now();
    let e = t.render(&mut Context::new(), &small_output()).unwrap_err();
    // Without the cap this ran to the 16 MiB method cap: ~5 s in a debug build.
    assert!(
        start.elapsed().as_millis() < 2500,
        "took {:?}",
        start.elapsed()
    );
    assert!(e.message.contains("exceed 65536 bytes"), "{e}");
}

#[test]
fn replace_growth_stops_at_the_output_cap() {
    let t = Template::parse(
        "#set($s = 'ab')#foreach($i in [1..40])#set($s = $s.replace('a', 'aa'))#end$s.length()",
    );
    let e = t.render(&mut Context::new(), &small_output()).unwrap_err();
    assert!(e.message.contains("exceed 65536 bytes"), "{e}");
}

#[test]
fn strings_within_the_output_cap_are_untouched() {
    let t = Template::parse(
        "#set($s = 'ab')#foreach($i in [1..15])#set($s = $s.replaceAll('a', 'aa'))#end$s.length()",
    );
    let out = t.render(&mut Context::new(), &small_output()).unwrap();
    assert_eq!(out, (32768 + 1).to_string());
}
