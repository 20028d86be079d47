//! Limits and robustness: every runaway template ends with an error (never a hang, a panic or
//! a stack overflow), and garbage input never panics.

use vtl::{Context, Limits, Template};

fn render(src: &str) -> Result<String, vtl::RenderError> {
    Template::parse(src).render(&mut Context::new(), &Limits::default())
}

#[test]
fn foreach_is_capped_at_1000_iterations() {
    // spec §7.6: API Gateway allows 1000 iterations; like Velocity's maxloops the loop stops.
    let out = render("#foreach($i in [1..100000000])x#end").unwrap();
    assert_eq!(out.len(), 1000);
    let limits = Limits {
        max_foreach_iterations: 3,
        ..Limits::default()
    };
    let out = Template::parse("#foreach($i in [1..10])$i#end")
        .render(&mut Context::new(), &limits)
        .unwrap();
    assert_eq!(out, "123");
}

#[test]
fn huge_range_literal_is_an_error() {
    let e = render("#set($r = [1..100000000])$r.size()").unwrap_err();
    assert!(e.message.contains("too large"), "{e}");
}

#[test]
fn recursive_macro_hits_velocity_depth() {
    let e = render("#macro(r)x#r()#end#r()").unwrap_err();
    assert!(
        e.message
            .starts_with("Max calling depth of 20 was exceeded in macro 'r'"),
        "{e}"
    );
    assert!(e.span.is_some());
}

#[test]
fn doubling_output_is_bounded() {
    let src = "#set($s = \"xxxxxxxxxx\")#foreach($i in [1..60])#set($s = \"$s$s\")#end$s";
    let e = render(src).unwrap_err();
    assert!(e.message.contains("exceeded"), "{e}");
}

#[test]
fn nested_loops_are_bounded_by_steps() {
    let src =
        "#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end";
    let limits = Limits {
        max_output_bytes: usize::MAX,
        max_steps: 200_000,
        ..Limits::default()
    };
    let e = Template::parse(src)
        .render(&mut Context::new(), &limits)
        .unwrap_err();
    assert!(e.message.contains("steps"), "{e}");
}

#[test]
fn evaluate_recursion_is_bounded() {
    let src = "#set($s = '#evaluate($s)')#evaluate($s)";
    let e = render(src).unwrap_err();
    assert!(e.message.contains("nesting"), "{e}");
}

#[test]
fn define_recursion_is_bounded() {
    let e = render("#define($d)$d#end$d").unwrap_err();
    assert!(e.message.contains("nesting"), "{e}");
}

#[test]
fn deep_nesting_is_a_diagnostic_not_an_overflow() {
    for src in [
        "#set($x = ".to_string() + &"(".repeat(10_000),
        "#if(true)".repeat(10_000),
        "#foreach($i in [1])".repeat(10_000),
        "$a.b(".repeat(10_000),
        "#set($x = ".to_string() + &"[".repeat(10_000),
        "#set($x = ".to_string() + &"{".repeat(10_000),
        "#set($x = ".to_string() + &"!".repeat(10_000) + "true)",
        "#set($x = \"".repeat(2_000),
        "#macro(m $a)#m($a)#end".to_string() + &"#m(".repeat(5_000),
    ] {
        let t = Template::parse(&src);
        assert!(t.has_errors(), "{}", &src[..30]);
        let _ = t.render(&mut Context::new(), &Limits::default());
    }
}

#[test]
fn deep_text_is_just_text() {
    let src = "[".repeat(10_000) + &"(".repeat(10_000);
    assert_eq!(render(&src).unwrap(), src);
}

#[test]
fn template_size_limit() {
    let big = "x".repeat(300 * 1024 + 1);
    let t = Template::parse(&big);
    assert!(t.has_errors());
    assert!(t.render(&mut Context::new(), &Limits::default()).is_err());
}

#[test]
fn garbage_never_panics() {
    // A deterministic generator over the characters that matter to the grammar.
    let alphabet: Vec<char> =
        "$#!{}[]()\\\"'.,:;=<>+-*/%&|a1 \n\t\r*@_[]..ifendelsesetforeachmacro\u{e9}\u{1F600}"
            .chars()
            .collect();
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    for _ in 0..3000 {
        let len = (seed % 60) as usize;
        let mut s = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        for prefix in [
            "",
            "#set($x = ",
            "#if(",
            "$a.b(",
            "#foreach($i in ",
            "#macro(m $a)",
        ] {
            let src = format!("{prefix}{s}");
            let t = Template::parse(&src);
            for d in t.diagnostics() {
                assert!(d.span.line >= 1 && d.span.column >= 1, "{src:?}: {d}");
            }
            let mut ctx = Context::new();
            ctx.insert("a", vtl::Value::str("A"));
            let _ = t.render(&mut ctx, &Limits::default());
        }
    }
}

#[test]
fn globals_set_by_the_template_are_visible() {
    let mut ctx = Context::new();
    let mut m = vtl::Map::default();
    m.insert(
        "requestOverride".into(),
        vtl::Value::map(vtl::Map::default()),
    );
    ctx.insert("context", vtl::Value::map(m));
    let t = Template::parse("#set($x = 1)#set($context.requestOverride.header = {})#set($context.requestOverride.header.X = \"v\")");
    t.render(&mut ctx, &Limits::default()).unwrap();
    assert_eq!(ctx.get("x").map(|v| v.to_java_string()), Some("1".into()));
    assert_eq!(
        ctx.get("context").map(|v| v.to_java_string()),
        Some("{requestOverride={header={X=v}}}".into())
    );
}

#[test]
fn null_renders_empty_option() {
    // spec §7.1: API Gateway renders null/undefined references as nothing.
    let mut ctx = Context::new();
    ctx.set_null_renders_empty(true);
    let t = Template::parse("{\"body\": $missing, \"x\": \"$a.b\"}#if($missing == \"\")eq#end");
    assert_eq!(
        t.render(&mut ctx, &Limits::default()).unwrap(),
        "{\"body\": , \"x\": \"\"}eq"
    );
}

#[test]
fn foreach_over_host_object_uses_iterator() {
    struct Arr;
    impl vtl::HostObject for Arr {
        fn type_name(&self) -> &str {
            "test.Arr"
        }
        fn call_method(
            &self,
            name: &str,
            _args: &[vtl::Value],
        ) -> Option<Result<vtl::Value, String>> {
            (name == "iterator").then(|| {
                Ok(vtl::Value::list(vec![
                    vtl::Value::Int(1),
                    vtl::Value::Int(2),
                ]))
            })
        }
        fn to_java_string(&self) -> String {
            "[1,2]".into()
        }
    }
    let mut ctx = Context::new();
    ctx.insert("a", vtl::Value::Object(std::rc::Rc::new(Arr)));
    let out = Template::parse("#foreach($x in $a)$x;#end $a")
        .render(&mut ctx, &Limits::default())
        .unwrap();
    assert_eq!(out, "1;2; [1,2]");
}

#[test]
fn list_doubling_through_add_all_is_bounded() {
    // Found by the fuzzing helper: 64 doublings abort the process without a bound.
    let e = render("#set($l = [1])#foreach($i in [1..64])#set($x = $l.addAll($l))#end$l.size()")
        .unwrap_err();
    assert!(
        e.message.contains("exceed") || e.message.contains("steps"),
        "{e}"
    );
}

#[test]
fn string_growth_through_replace_all_is_bounded() {
    let limits = Limits {
        max_steps: 50_000,
        ..Limits::default()
    };
    let t = Template::parse(
        "#set($s = 'ab')#foreach($i in [1..40])#set($s = $s.replaceAll('a', 'aa'))#end$s.length()",
    );
    let start = std::time::Instant::now();
    let e = t.render(&mut Context::new(), &limits).unwrap_err();
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    assert!(
        e.message.contains("exceed") || e.message.contains("steps"),
        "{e}"
    );
}

#[test]
fn concatenation_doubling_is_bounded() {
    let e = render("#set($s = 'ab')#foreach($i in [1..64])#set($s = $s + $s)#end$s.length()")
        .unwrap_err();
    assert!(e.message.contains("exceed"), "{e}");
}
