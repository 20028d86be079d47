//! `#set($m.name = $m)` makes a map that contains itself (an `Rc` cycle); dropping the
//! context must free it, and must not touch containers anything else still holds.
use std::rc::{Rc, Weak};
use vtl::{Context, Limits, Template, Value};

fn weak_of(v: &Value) -> Weak<std::cell::RefCell<vtl::Map>> {
    match v {
        Value::Map(m) => Rc::downgrade(m),
        other => panic!("not a map: {other:?}"),
    }
}

#[test]
fn a_map_containing_itself_is_freed_with_the_context() {
    let mut ctx = Context::new();
    let t = Template::parse("#set($m = {})#set($m.name = $m)#set($l = [$m])$l.add($l)");
    t.render(&mut ctx, &Limits::default()).unwrap();
    let weak = weak_of(ctx.get("m").unwrap());
    drop(ctx);
    assert!(weak.upgrade().is_none(), "the self-containing map leaked");
}

#[test]
fn containers_held_outside_the_context_are_untouched() {
    let mut ctx = Context::new();
    let t = Template::parse(
        "#set($m = {'a': 1})#set($m.self = $m)#set($inner = {'b': 2})#set($m.inner = $inner)",
    );
    t.render(&mut ctx, &Limits::default()).unwrap();
    // The embedder keeps the cyclic map: it (and what it reaches) must survive intact.
    let kept = ctx.get("m").unwrap().clone();
    let clone = ctx.clone();
    drop(ctx);
    assert_eq!(kept.to_java_string(), "{a=1, self=(this Map), inner={b=2}}");
    assert_eq!(clone.get("inner").unwrap().to_java_string(), "{b=2}");
}
