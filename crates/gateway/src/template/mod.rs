//! API Gateway's mapping-template environment on top of the `vtl` engine:
//! `$input`, `$util`, `$context`, `$stageVariables`, and AWS's deviations from stock Velocity
//! (spec §7).
//!
//! Contract used by the pipeline (keep stable):
//! - [`TemplateInput`]: what one rendering sees.
//! - [`render`]: renders a parsed template, returning the output and the overrides it set.
//! - [`TemplateCase`] / [`render_case`]: the `apigw render` JSON format; [`compile`] +
//!   [`render_case_with`] to parse once and render many inputs.
//!
//! Files: `input.rs` (`$input`), `util.rs` (`$util`), `context.rs` (`$context`, defaults,
//! overrides), `json.rs` (payload parser and value printing), `jsonpath.rs` (Jayway subset),
//! `case.rs` (the case format).

mod case;
mod context;
mod input;
pub mod json;
pub mod jsonpath;
pub mod util;

use std::fmt;
use std::rc::Rc;

use indexmap::IndexMap;
use vtl::{Map, Value};

pub use case::{parse_case, CaseError, CaseInput, TemplateCase};
pub use context::{default_context, merge as merge_context};
pub use input::INVALID_PAYLOAD_PREFIX;

/// Request parameters as `$input.params()` sees them (single values: last wins).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    pub path: IndexMap<String, String>,
    pub querystring: IndexMap<String, String>,
    pub header: IndexMap<String, String>,
}

/// Everything one template rendering can see.
#[derive(Clone, Debug, Default)]
pub struct TemplateInput {
    /// The payload as text (binary payloads already base64-encoded by the pipeline).
    pub body: String,
    pub params: Params,
    pub stage_variables: IndexMap<String, String>,
    /// The full `$context` tree as JSON (objects nest: `identity.sourceIp`). Keys missing
    /// here are null in the template. `requestOverride` / `responseOverride` objects, if
    /// present, pre-fill the writable override maps (a response template can read what the
    /// request template set, spec §6).
    pub context: serde_json::Value,
}

/// The `$context.requestOverride` / `$context.responseOverride` values a template set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub header: IndexMap<String, String>,
    pub path: IndexMap<String, String>,
    pub querystring: IndexMap<String, String>,
    pub status: Option<String>,
}

impl Overrides {
    /// True when the template set none of these.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && self.path.is_empty()
            && self.querystring.is_empty()
            && self.status.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct Rendered {
    pub output: String,
    pub request_override: Overrides,
    pub response_override: Overrides,
}

/// What [`render_prepared`] and [`render_case_using`] return: the output and, only when the
/// template set any, `(request_override, response_override)`. Small to move, with nothing
/// to build or drop for the many renderings that set no override.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderedText {
    pub output: String,
    pub overrides: Option<Box<(Overrides, Overrides)>>,
}

impl From<RenderedText> for Rendered {
    fn from(r: RenderedText) -> Rendered {
        let (request_override, response_override) = r.overrides.map(|o| *o).unwrap_or_default();
        Rendered {
            output: r.output,
            request_override,
            response_override,
        }
    }
}

/// A template that failed to parse or render.
#[derive(Clone, Debug, Default)]
pub struct TemplateError {
    /// Syntax errors (the template was not rendered).
    pub diagnostics: Vec<vtl::Diagnostic>,
    /// Why rendering stopped (method error, limit reached...).
    pub render_error: Option<vtl::RenderError>,
    /// Set when `$input.path`/`$input.json` met a payload that starts like JSON but does
    /// not parse. API Gateway then answers **400** with body
    /// `{"message": "<this text>"}`; the text is [`INVALID_PAYLOAD_PREFIX`] followed by
    /// json-smart's message, e.g. `Could not process payloadnet.minidev.json.parser.ParseException:
    /// Unexpected End Of File position 1: null` for `{a` (spec §7.2 [AWS-REC old]).
    pub invalid_payload: Option<String>,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.invalid_payload {
            return write!(f, "invalid payload (API Gateway answers 400): {p}");
        }
        let mut first = true;
        for d in &self.diagnostics {
            if !first {
                f.write_str("\n")?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        if let Some(e) = &self.render_error {
            if !first {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateError {}

/// API Gateway's limits (spec §7.6): `#foreach` 1000 iterations, template 300 KB, and the
/// 10 MB payload quota as the output cap.
pub fn limits() -> vtl::Limits {
    vtl::Limits {
        max_foreach_iterations: 1000,
        max_template_bytes: 300 * 1024,
        max_output_bytes: 10 * 1024 * 1024,
        ..vtl::Limits::default()
    }
}

/// Parses a template once for many renderings.
pub fn compile(source: &str) -> vtl::Template {
    vtl::Template::parse(source)
}

/// Renders `template` against `input` with API Gateway's variables.
pub fn render(template: &vtl::Template, input: &TemplateInput) -> Result<Rendered, TemplateError> {
    render_parts(
        template,
        own_input(
            input::body_text(&input.body),
            Rc::new(input.params.clone()),
            None,
        ),
        Some(stage_variables_value(&input.stage_variables)),
        Some(context::build(&input.context)),
        None,
    )
    .map(Rendered::from)
    .map_err(|e| *e)
}

/// `$input` and `$util` of a rendering that shares nothing with other renderings.
fn own_input(
    body: Rc<str>,
    params: Rc<Params>,
    parsed_before: Option<Rc<std::cell::OnceCell<Result<Value, String>>>>,
) -> (Rc<input::Input>, Value) {
    let input = input::Input::with_parsed(body, params, parsed_before, input::Sharing::default());
    (Rc::new(input), Value::Object(Rc::new(util::Util)))
}

/// `$stageVariables`: a map of strings.
fn stage_variables_value(stage_variables: &IndexMap<String, String>) -> Value {
    let mut sv = Map::with_capacity_and_hasher(stage_variables.len(), Default::default());
    for (k, v) in stage_variables {
        sv.insert(k.clone(), Value::str(v));
    }
    Value::map(sv)
}

fn render_parts(
    template: &vtl::Template,
    (input, util): (Rc<input::Input>, Value),
    stage_variables: Option<Value>,
    context: Option<context::Built>,
    spare: Option<&Spare>,
) -> Result<RenderedText, Box<TemplateError>> {
    if template.has_errors() {
        return Err(Box::new(TemplateError {
            diagnostics: template.diagnostics().to_vec(),
            ..TemplateError::default()
        }));
    }
    // Which of the optional globals this rendering has: the key of a recycled context.
    let kind = u8::from(context.is_some()) | u8::from(stage_variables.is_some()) << 1;
    // The previous rendering's context when it had the same globals (its tables and names
    // allocated already, the globals first and in this order), else a new one with room for
    // them and a few of the template's own.
    let recycled = spare
        .and_then(|s| s.borrow_mut().take())
        .filter(|(k, _)| *k == kind)
        .map(|(_, cx)| cx);
    let reuse = recycled.is_some();
    let mut cx = recycled.unwrap_or_else(|| vtl::Context::with_capacity(8));
    // Undefined and null references render as empty text on API Gateway (spec §7.1).
    cx.set_null_renders_empty(true);
    // Everything below is converted from JSON or strings: no cycles unless the template
    // ties one, which vtl then collects.
    cx.set_values_acyclic(true);
    // The globals' names in their order, the first `globals` of them.
    let mut names = [""; 4];
    let mut globals = 0;
    for (name, value) in [
        ("input", Some(Value::Object(input.clone()))),
        ("util", Some(util)),
        ("context", context.as_ref().map(|c| c.value.clone())),
        ("stageVariables", stage_variables),
    ] {
        if let Some(value) = value {
            let missing = if reuse {
                cx.put_at(globals, value).err()
            } else {
                Some(value)
            };
            if let Some(value) = missing {
                cx.put(name, value);
            }
            if let Some(slot) = names.get_mut(globals) {
                *slot = name;
            }
            globals += 1;
        }
    }
    let removals = cx.removals();

    let rendered = template.render(&mut cx, &limits());
    // Reused only while the globals are still the first names. Only a removal can move them
    // (a `#foreach` variable is removed when its loop ends), so the names are compared only
    // after one.
    let in_place = || {
        cx.removals() == removals
            || cx
                .iter()
                .map(|(k, _)| k)
                .take(globals)
                .eq(names.iter().take(globals).copied())
    };
    if let (Some(spare), true) = (spare, in_place()) {
        cx.recycle(globals);
        *spare.borrow_mut() = Some((kind, cx));
    }
    let output = rendered.map_err(|e| {
        Box::new(TemplateError {
            invalid_payload: input.invalid_payload.borrow().clone(),
            render_error: Some(e),
            ..TemplateError::default()
        })
    })?;
    // Overrides are set through `$context` only.
    let overrides = context
        .map(|c| (c.collect("requestOverride"), c.collect("responseOverride")))
        .filter(|(request, response)| !request.is_empty() || !response.is_empty())
        .map(Box::new);
    Ok(RenderedText { output, overrides })
}

/// The `$context` tree of a case: [`default_context`] with the case's values laid over it.
pub fn case_context(input: &CaseInput) -> serde_json::Value {
    let mut tree = context::with_default(|d| d.clone());
    if input.context.is_object() {
        context::merge(&mut tree, &input.context);
    }
    tree
}

/// Renders a case (`apigw render`).
pub fn render_case(case: &TemplateCase) -> Result<Rendered, TemplateError> {
    render_case_using(
        &compile(&case.template),
        Uses::of(&case.template),
        &case.input,
    )
    .map(Rendered::from)
    .map_err(|e| *e)
}

/// Renders an already-compiled template with a case's input.
pub fn render_case_with(
    template: &vtl::Template,
    input: &CaseInput,
) -> Result<Rendered, TemplateError> {
    render_case_using(template, Uses::ALL, input)
        .map(Rendered::from)
        .map_err(|e| *e)
}

/// Which of the costly request variables a template can read: a conservative test of its
/// source text. Building `$context` (~40 entries plus the case's) was about a third of a small
/// render's instructions, so a template that never names it should not pay for it. A name can
/// only reach the engine through the source (Velocity has no escapes inside identifiers), except
/// with `#evaluate`, which can assemble any reference at render time: then everything is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    pub context: bool,
    pub stage_variables: bool,
}

impl Uses {
    /// Builds every variable.
    pub const ALL: Uses = Uses {
        context: true,
        stage_variables: true,
    };

    /// The variables `source` (the text `template` was parsed from) can read.
    pub fn of(source: &str) -> Uses {
        let any = source.contains("evaluate");
        Uses {
            context: any || source.contains("context"),
            stage_variables: any || source.contains("stageVariables"),
        }
    }
}

/// A case's input with what every rendering of it would convert again kept converted: for
/// pages that render one input many times (a compiled template in the JS API). Renders exactly
/// like [`render_case_using`] with the same input.
pub struct PreparedInput {
    input: CaseInput,
    /// The payload as templates see it, shared instead of copied per rendering.
    body: Rc<str>,
    /// The payload parsed by the first rendering that reads it as JSON.
    document: Rc<std::cell::OnceCell<Result<Value, String>>>,
    /// `$context` (default laid under the case's values), converted on first use.
    context: std::cell::OnceCell<context::Prepared>,
    /// What renderings of templates that change nothing share ([`vtl::Template::changes_nothing`]):
    /// `$context` with its override maps, `$stageVariables`, the `$input.params()` map.
    shared_context: std::cell::OnceCell<context::Built>,
    shared_stage_variables: std::cell::OnceCell<Value>,
    shared_params: Rc<std::cell::OnceCell<Value>>,
    memo: Rc<input::Memo>,
    /// `$util` over `memo` (it has no state of its own to copy).
    shared_util: std::cell::OnceCell<Value>,
    /// `$input` of those renderings.
    shared_input: std::cell::OnceCell<Rc<input::Input>>,
    /// The last rendering's variables, emptied ([`vtl::Context::recycle`]) for the next.
    spare: Spare,
}

/// A context emptied for reuse, with the kind of globals it holds: bit 0 `$context`, bit 1
/// `$stageVariables` (`$input` and `$util` always), so a rendering with the same globals can
/// take it without comparing names.
type Spare = std::cell::RefCell<Option<(u8, vtl::Context)>>;

impl PreparedInput {
    pub fn new(input: CaseInput) -> PreparedInput {
        PreparedInput {
            body: input::body_text(&input.body),
            document: Rc::default(),
            input,
            context: std::cell::OnceCell::new(),
            shared_context: std::cell::OnceCell::new(),
            shared_stage_variables: std::cell::OnceCell::new(),
            shared_params: Rc::default(),
            memo: Rc::default(),
            shared_util: std::cell::OnceCell::new(),
            shared_input: std::cell::OnceCell::new(),
            spare: std::cell::RefCell::new(None),
        }
    }

    pub fn input(&self) -> &CaseInput {
        &self.input
    }
}

/// [`render_case_using`] for a [`PreparedInput`].
pub fn render_prepared(
    template: &vtl::Template,
    uses: Uses,
    prepared: &PreparedInput,
) -> Result<RenderedText, Box<TemplateError>> {
    let input = &prepared.input;
    // A template that cannot change what it reads shares the converted values; any other
    // gets copies of its own, so its changes never reach the next rendering.
    let share = template.changes_nothing();
    let context = uses.context.then(|| {
        let converted = prepared.context.get_or_init(|| {
            context::with_default(|d| context::prepare_layered(d, Some(&input.context)))
        });
        if share {
            prepared
                .shared_context
                .get_or_init(|| converted.build())
                .clone()
        } else {
            converted.build()
        }
    });
    let stage_variables = uses.stage_variables.then(|| {
        if share {
            prepared
                .shared_stage_variables
                .get_or_init(|| stage_variables_value(&input.stage_variables))
                .clone()
        } else {
            stage_variables_value(&input.stage_variables)
        }
    });
    let globals = if share {
        // One `$input` for all these renderings: it holds nothing a rendering changes but its
        // payload caches, which start over (the shared parse is reused, not redone).
        let shared = prepared.shared_input.get_or_init(|| {
            let sharing = input::Sharing {
                params: Some(prepared.shared_params.clone()),
                document: true,
                memo: Some(prepared.memo.clone()),
            };
            Rc::new(input::Input::with_parsed(
                prepared.body.clone(),
                input.params.clone(),
                Some(prepared.document.clone()),
                sharing,
            ))
        });
        shared.start_rendering();
        let util = prepared
            .shared_util
            .get_or_init(|| Value::Object(Rc::new(util::SharingUtil(prepared.memo.clone()))));
        (shared.clone(), util.clone())
    } else {
        own_input(
            prepared.body.clone(),
            input.params.clone(),
            Some(prepared.document.clone()),
        )
    };
    render_parts(
        template,
        globals,
        stage_variables,
        context,
        Some(&prepared.spare),
    )
}

/// Renders a compiled template with a case's input, building only the variables in `uses`
/// (from [`Uses::of`] on the template's source); the overrides of a template that cannot
/// name `$context` are empty, as they would be if it were built.
pub fn render_case_using(
    template: &vtl::Template,
    uses: Uses,
    input: &CaseInput,
) -> Result<RenderedText, Box<TemplateError>> {
    // The default context laid under the case's values, converted in one pass.
    let context = uses
        .context
        .then(|| context::with_default(|d| context::build_layered(d, Some(&input.context))));
    render_parts(
        template,
        own_input(input::body_text(&input.body), input.params.clone(), None),
        uses.stage_variables
            .then(|| stage_variables_value(&input.stage_variables)),
        context,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CaseInput {
        let mut input = CaseInput::default();
        input.stage_variables.insert("env".into(), "prod".into());
        input.context = serde_json::json!({"stage": "prod"});
        input
    }

    fn render_both(source: &str) -> (String, String) {
        let t = compile(source);
        let all = render_case_with(&t, &input()).expect("renders");
        let lazy =
            Rendered::from(render_case_using(&t, Uses::of(source), &input()).expect("renders"));
        assert_eq!(all.request_override, lazy.request_override, "{source}");
        assert_eq!(all.response_override, lazy.response_override, "{source}");
        (all.output, lazy.output)
    }

    #[test]
    fn skipping_unnamed_variables_renders_the_same() {
        for source in [
            "$context.stage/$stageVariables.env",
            "${context.stage}$!{stageVariables.env}",
            "#set($context.responseOverride.status = 201)ok",
            "#set($x = \"$con\")#set($y = \"${x}text.stage\")#evaluate($y)",
            "$input.params('id')|$util.escapeJavaScript('a')|$context|$stageVariables",
            "plain",
        ] {
            let (all, lazy) = render_both(source);
            assert_eq!(all, lazy, "{source}");
        }
    }

    #[test]
    fn a_prepared_input_renders_like_the_case_and_keeps_no_changes() {
        let mut case_input = input();
        case_input.body = r#"{"n": 1, "l": [1]}"#.into();
        case_input.context = serde_json::json!({
            "stage": "prod",
            "identity": {"sourceIp": "198.51.100.7"},
            "authorizer": {"claims": {"sub": "u1"}},
            "requestOverride": {"header": {"X-Given": "g"}},
            "custom": {"list": [1]}
        });
        let prepared = PreparedInput::new(case_input.clone());
        for source in [
            "$context.identity.sourceIp|$context.authorizer.claims.sub|$context.requestOverride.header",
            // Changes a map it read and sets overrides: the next rendering must not see either.
            "$context.identity.put('sourceIp', 'changed')$context.identity.sourceIp#set($context.requestOverride.header.X = 'v')#set($context.responseOverride.status = 201)$context.stage",
            "$context",
            "$context.custom.list.add(2)$context.custom.list",
            // The payload: parsed once for the prepared input, a copy of its own each time.
            "#set($d = $input.path('$'))$d.put('n', 2)$d.n|$input.json('$.n')|$input.path('$.l').add(9)$input.json('$')",
            "$input.body|$input.json('$')",
            // A global the template sets is gone by the next rendering (the variables are
            // recycled), with or without $context/$stageVariables among the globals.
            "[$!x]#set($x = 'leaked')#set($input = 'replaced')$input",
            "[$!x][$!context.stage]#set($x = 'leaked')#set($context = 'replaced')$context",
            "[$!y]#set($m = {})#set($m.self = $m)#set($y = $m)$stageVariables.env",
            "#foreach($input in [1, 2])$input#end|$input.json('$.n')",
        ] {
            let t = compile(source);
            let once = render_case_using(&t, Uses::of(source), &case_input).expect("renders");
            for _ in 0..2 {
                let again = render_prepared(&t, Uses::of(source), &prepared).expect("renders");
                assert_eq!(again, once, "{source}");
            }
        }
    }

    #[test]
    fn changes_nothing_sees_every_way_a_template_can_change_a_container() {
        for source in [
            "$m.put('k', 1)",
            "$l.add(1)",
            "$l.set(0, 1)",
            "$m.remove('k')",
            "$m.clear()",
            "$m.putAll($n)",
            "$e.setValue(1)",
            "#set($m.k = 1)",
            "#set($m['k'] = 1)",
            "#set($l[0] = 1)",
            "#set($context.responseOverride.status = 201)",
            "#define($m.k)x#end",
            "#evaluate('$m.put(1, 2)')",
            "#macro(m $x)$x.add(1)#end",
            "#if($a)#foreach($i in $l)${i.foo()}#end#end",
            "#set($s = \"$l.add(1)\")",
            "$input.path('$').x.add(1)",
        ] {
            assert!(!compile(source).changes_nothing(), "{source}");
        }
        for source in [
            "plain",
            "#set($x = $input.path('$'))#foreach($i in $x.items)$i.a $x.size()#end",
            "$input.params().header.get('A')$util.urlEncode($s.toLowerCase())$context.identity.sourceIp",
            "#set($m = {})#set($l = [1, $m])#macro(m $x)$x.size()#end#m($l)",
            "$l.subList(0, 1) $m.keySet() $m.entrySet() $s.replaceAll('a', 'b')",
        ] {
            assert!(compile(source).changes_nothing(), "{source}");
        }
    }

    #[test]
    fn a_prepared_input_shared_by_templates_that_change_nothing_stays_intact() {
        // Renderings of one prepared input alternate between templates that share its values
        // and templates that change their own copies: each renders as a fresh input would.
        let mut case_input = input();
        case_input.body = r#"{"n": 1, "l": [1, {"k": "v"}]}"#.into();
        Rc::make_mut(&mut case_input.params)
            .querystring
            .insert("q".into(), "1".into());
        case_input.context = serde_json::json!({"identity": {"sourceIp": "198.51.100.7"},
            "requestOverride": {"header": {"X-Given": "g"}}});
        let prepared = PreparedInput::new(case_input.clone());
        let sources = [
            "$input.json('$')|$input.path('$.l')|$input.params()|$context.identity|$stageVariables|$context.requestOverride|$util.parseJson($input.body).l|$input.json('$.l')",
            "$util.parseJson($input.body).l.add(3)$util.parseJson($input.body)$input.path('$.l').add(2)$input.path('$.l').get(1).put('k', 'w')$input.params().querystring.put('q', 2)$context.identity.put('sourceIp', 'x')$stageVariables.put('env', 'dev')#set($context.requestOverride.header.X = 'v')$input.json('$')$input.params()$context.identity$stageVariables",
        ];
        for round in 0..3 {
            for source in sources {
                let t = compile(source);
                assert_eq!(t.changes_nothing(), source == sources[0]);
                let fresh = render_case_using(&t, Uses::of(source), &case_input).expect("renders");
                let again = render_prepared(&t, Uses::of(source), &prepared).expect("renders");
                assert_eq!(again, fresh, "round {round}: {source}");
            }
        }
    }

    #[test]
    fn a_shared_input_carries_no_invalid_payload_into_the_next_rendering() {
        // Renderings of templates that change nothing share one `$input`; the payload error
        // one of them met must not be reported by the next, which never read the payload.
        let mut case_input = input();
        case_input.body = "{a".into();
        let prepared = PreparedInput::new(case_input);
        let reads = compile("$input.json('$')");
        let fails = compile("$input.params('id').substring(99)");
        assert!(reads.changes_nothing() && fails.changes_nothing());
        let first = render_prepared(&reads, Uses::ALL, &prepared).expect_err("400");
        assert!(first.invalid_payload.is_some());
        let second = render_prepared(&fails, Uses::ALL, &prepared).expect_err("render error");
        assert_eq!(second.invalid_payload, None);
        assert!(second.render_error.is_some());
        let third = render_prepared(&reads, Uses::ALL, &prepared).expect_err("400");
        assert_eq!(third.invalid_payload, first.invalid_payload);
    }

    #[test]
    fn a_prepared_input_with_an_invalid_payload_fails_every_render_alike() {
        let mut case_input = input();
        case_input.body = "{a".into();
        let prepared = PreparedInput::new(case_input.clone());
        let source = "$input.json('$')";
        let t = compile(source);
        let once = render_case_using(&t, Uses::of(source), &case_input).expect_err("400");
        assert!(once.invalid_payload.is_some());
        for _ in 0..2 {
            let again = render_prepared(&t, Uses::of(source), &prepared).expect_err("400");
            assert_eq!(again.invalid_payload, once.invalid_payload);
            assert_eq!(again.to_string(), once.to_string());
        }
    }

    #[test]
    fn uses_of_is_conservative() {
        let none = Uses {
            context: false,
            stage_variables: false,
        };
        assert_eq!(Uses::of("$input.body"), none);
        assert_eq!(
            Uses::of("$context.stage"),
            Uses {
                context: true,
                ..none
            }
        );
        assert_eq!(
            Uses::of("$stageVariables.env"),
            Uses {
                stage_variables: true,
                ..none
            }
        );
        assert_eq!(Uses::of("#set($x = 1)$x"), none);
        // #evaluate can assemble any name at render time.
        assert_eq!(Uses::of("#evaluate($s)"), Uses::ALL);
    }

    #[test]
    fn an_unnamed_context_is_not_built_but_overrides_stay_empty() {
        let t = compile("x");
        let r = render_case_using(&t, Uses::of("x"), &input()).expect("renders");
        assert_eq!(r.output, "x");
        assert_eq!(r.overrides, None);
    }
}
