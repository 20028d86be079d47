//! The scenario document (`apigw run`, docs/scenario.md): serde types with AWS's own field names,
//! `deny_unknown_fields` everywhere, and load-time checks (regexes, JSON and base64 bodies, templates,
//! references between items) whose errors name the field path.
//!
//! Loading is two steps: [`parse`] (serde, stops at the first structural error, reported with its path)
//! then [`Scenario::check`] (collects every semantic error at once).

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::api::InputError;

fn default_region() -> String {
    "us-east-1".into()
}
fn default_account() -> String {
    "123456789012".into()
}
fn default_source_ip() -> String {
    "203.0.113.10".into()
}

/// One key of a scenario object, read as its index in the struct's field list without
/// allocating. An unknown key is serde's "unknown field" error raised while the key is read,
/// where the derive's field visitor raised it (same message, same position). An index, not
/// the matched `&str`: the struct then dispatches with one jump table instead of comparing
/// the key a second time against every field name (docs/size.md, third round).
struct FieldKey(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldKey {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FieldKey {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|f| *f == key)
            .ok_or_else(|| E::unknown_field(key, self.0))
    }
}

/// `Deserialize` for a scenario struct, read from a JSON object.
///
/// Written out instead of `#[derive(Deserialize)]` for the size of the browser bundles: the
/// derive also generates `visit_seq` (serde's struct-from-array form, `{"stage": ["prod"]}`),
/// which serde_json keeps alive in every struct although no scenario document can mean it;
/// that was about 40% of each struct's code (docs/size.md). The rest is what the derive does
/// with `deny_unknown_fields` and `rename_all = "camelCase"`, through serde's own error
/// constructors, so messages and error positions (hence `json_path` field paths) are the
/// derive's: the first problem in document order (unknown or duplicate key as it is read,
/// a bad value where it is), then missing required fields in declaration order.
///
/// Field modes: `required` (missing -> "missing field"), `default` (`Default::default()`, also
/// a missing `Option` as serde does), `present` (an `Option<Value>` where an explicit `null`
/// is `Some(Null)`, not absent: a Lambda may return `null`), or the path of a function giving the default.
macro_rules! object_deserialize {
    ($ty:ident, $name:literal, [$($field:ident: $key:literal $mode:tt),* $(,)?]) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$($key),*];
                // The fields by index, in the order of FIELDS.
                #[allow(non_camel_case_types, clippy::enum_variant_names)]
                #[derive(Clone, Copy)]
                enum F { $($field),* }
                const ORDER: &[F] = &[$(F::$field),*];
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", $name))
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        $(let mut $field = None;)*
                        // A repeated key leaves the loop with its index, so the error is
                        // built in one place instead of once per field (code size).
                        let repeated: Option<usize> = loop {
                            let Some(i) = map.next_key_seed(FieldKey(FIELDS))? else {
                                break None;
                            };
                            match ORDER.get(i).copied() {
                                $(Some(F::$field) => {
                                    if $field.is_some() {
                                        break Some(i);
                                    }
                                    $field = Some(object_deserialize!(@value map $mode));
                                })*
                                // FieldKey only returns indexes of FIELDS, which ORDER mirrors.
                                #[allow(unreachable_patterns)]
                                _ => {}
                            }
                        };
                        if let Some(i) = repeated {
                            let key = FIELDS.get(i).copied().unwrap_or_default();
                            return Err(serde::de::Error::duplicate_field(key));
                        }
                        Ok($ty {
                            $($field: object_deserialize!(@missing $field $key $mode)),*
                        })
                    }
                }
                d.deserialize_struct($name, FIELDS, V)
            }
        }
    };
    (@value $map:ident present) => {
        Some($map.next_value::<Value>()?)
    };
    (@value $map:ident $other:tt) => {
        $map.next_value()?
    };
    (@missing $f:ident $key:literal required) => {
        match $f {
            Some(v) => v,
            None => return Err(serde::de::Error::missing_field($key)),
        }
    };
    (@missing $f:ident $key:literal default) => {
        $f.unwrap_or_default()
    };
    (@missing $f:ident $key:literal present) => {
        $f.unwrap_or_default()
    };
    (@missing $f:ident $key:literal $default:path) => {
        $f.unwrap_or_else($default)
    };
}

/// One variant name of a unit-only enum, read as its index in the variant list (the
/// counterpart of [`FieldKey`]; "unknown variant" is serde's message, raised where the derive
/// raised it).
struct VariantKey(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for VariantKey {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> serde::de::Visitor<'de> for VariantKey {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("variant identifier")
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|v| *v == key)
            .ok_or_else(|| E::unknown_variant(key, self.0))
    }
}

/// `Deserialize` for an enum of unit variants, as `#[derive(Deserialize)]` reads it from JSON
/// (`"NAME"`, or serde's `{"NAME": null}` form), through one shared [`VariantKey`] instead of
/// a field visitor per enum (docs/size.md, third round). Twin test:
/// `tests::unit_enums_match_the_derive`.
macro_rules! unit_enum_deserialize {
    ($ty:ident, $name:literal, [$($variant:ident: $key:literal),* $(,)?]) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const VARIANTS: &[&str] = &[$($key),*];
                const ORDER: &[$ty] = &[$($ty::$variant),*];
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("enum ", $name))
                    }
                    fn visit_enum<A: serde::de::EnumAccess<'de>>(
                        self,
                        data: A,
                    ) -> Result<$ty, A::Error> {
                        use serde::de::VariantAccess;
                        let (i, variant) = data.variant_seed(VariantKey(VARIANTS))?;
                        variant.unit_variant()?;
                        // VariantKey only returns indexes of VARIANTS, which ORDER mirrors.
                        ORDER.get(i).copied().ok_or_else(|| {
                            serde::de::Error::unknown_variant("", VARIANTS)
                        })
                    }
                }
                d.deserialize_enum($name, VARIANTS, V)
            }
        }
    };
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub description: Option<String>,
    pub rest_api: RestApi,
    pub region: String,
    pub account_id: String,
    pub stage: Stage,
    pub resources: Vec<Resource>,
    pub request_validators: Vec<RequestValidator>,
    pub models: Vec<Model>,
    pub gateway_responses: Vec<GatewayResponseDef>,
    pub request: Request,
    pub backend: Option<Backend>,
    pub env: EnvConfig,
}
object_deserialize!(Scenario, "Scenario", [
    description: "description" default,
    rest_api: "restApi" required,
    region: "region" default_region,
    account_id: "accountId" default_account,
    stage: "stage" required,
    resources: "resources" required,
    request_validators: "requestValidators" default,
    models: "models" default,
    gateway_responses: "gatewayResponses" default,
    request: "request" required,
    backend: "backend" default,
    env: "env" default,
]);

#[derive(Clone, Debug)]
pub struct RestApi {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub endpoint_configuration: Option<EndpointConfiguration>,
    pub binary_media_types: Vec<String>,
    // Accepted because `get-rest-api` prints them; they do not change request processing here.
    pub created_date: Option<Value>,
    pub api_key_source: Option<String>,
    pub disable_execute_api_endpoint: Option<bool>,
    pub root_resource_id: Option<String>,
    pub minimum_compression_size: Option<u64>,
    pub tags: Option<IndexMap<String, String>>,
    pub version: Option<String>,
    pub policy: Option<String>,
}
object_deserialize!(RestApi, "RestApi", [
    id: "id" required,
    name: "name" default,
    description: "description" default,
    endpoint_configuration: "endpointConfiguration" default,
    binary_media_types: "binaryMediaTypes" default,
    created_date: "createdDate" default,
    api_key_source: "apiKeySource" default,
    disable_execute_api_endpoint: "disableExecuteApiEndpoint" default,
    root_resource_id: "rootResourceId" default,
    minimum_compression_size: "minimumCompressionSize" default,
    tags: "tags" default,
    version: "version" default,
    policy: "policy" default,
]);

#[derive(Clone, Debug)]
pub struct EndpointConfiguration {
    pub types: Vec<String>,
    pub vpc_endpoint_ids: Vec<String>,
    pub ip_address_type: Option<String>,
}
object_deserialize!(EndpointConfiguration, "EndpointConfiguration", [
    types: "types" default,
    vpc_endpoint_ids: "vpcEndpointIds" default,
    ip_address_type: "ipAddressType" default,
]);

#[derive(Clone, Debug)]
pub struct Stage {
    pub stage_name: String,
    pub variables: IndexMap<String, String>,
    pub deployment_id: Option<String>,
    pub description: Option<String>,
    pub tracing_enabled: Option<bool>,
    pub created_date: Option<Value>,
    pub last_updated_date: Option<Value>,
    pub method_settings: Option<Value>,
    pub cache_cluster_enabled: Option<bool>,
    pub cache_cluster_status: Option<String>,
    pub tags: Option<IndexMap<String, String>>,
}
object_deserialize!(Stage, "Stage", [
    stage_name: "stageName" required,
    variables: "variables" default,
    deployment_id: "deploymentId" default,
    description: "description" default,
    tracing_enabled: "tracingEnabled" default,
    created_date: "createdDate" default,
    last_updated_date: "lastUpdatedDate" default,
    method_settings: "methodSettings" default,
    cache_cluster_enabled: "cacheClusterEnabled" default,
    cache_cluster_status: "cacheClusterStatus" default,
    tags: "tags" default,
]);

#[derive(Clone, Debug)]
pub struct Resource {
    pub id: Option<String>,
    pub parent_id: Option<String>,
    pub path_part: Option<String>,
    pub path: String,
    pub resource_methods: IndexMap<String, Method>,
}
object_deserialize!(Resource, "Resource", [
    id: "id" default,
    parent_id: "parentId" default,
    path_part: "pathPart" default,
    path: "path" required,
    resource_methods: "resourceMethods" default,
]);

#[derive(Clone, Debug, Default)]
pub struct Method {
    pub http_method: Option<String>,
    pub authorization_type: Option<String>,
    pub authorizer_id: Option<String>,
    pub authorization_scopes: Option<Vec<String>>,
    pub api_key_required: Option<bool>,
    pub request_validator_id: Option<String>,
    pub operation_name: Option<String>,
    pub request_parameters: IndexMap<String, bool>,
    pub request_models: IndexMap<String, String>,
    pub method_responses: IndexMap<String, MethodResponse>,
    pub method_integration: Option<Integration>,
}
object_deserialize!(Method, "Method", [
    http_method: "httpMethod" default,
    authorization_type: "authorizationType" default,
    authorizer_id: "authorizerId" default,
    authorization_scopes: "authorizationScopes" default,
    api_key_required: "apiKeyRequired" default,
    request_validator_id: "requestValidatorId" default,
    operation_name: "operationName" default,
    request_parameters: "requestParameters" default,
    request_models: "requestModels" default,
    method_responses: "methodResponses" default,
    method_integration: "methodIntegration" default,
]);

#[derive(Clone, Debug, Default)]
pub struct MethodResponse {
    pub status_code: Option<String>,
    pub response_parameters: IndexMap<String, bool>,
    pub response_models: IndexMap<String, String>,
}
object_deserialize!(MethodResponse, "MethodResponse", [
    status_code: "statusCode" default,
    response_parameters: "responseParameters" default,
    response_models: "responseModels" default,
]);

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum IntegrationType {
    #[serde(rename = "AWS")]
    Aws,
    #[serde(rename = "AWS_PROXY")]
    AwsProxy,
    #[serde(rename = "HTTP")]
    Http,
    #[serde(rename = "HTTP_PROXY")]
    HttpProxy,
    #[serde(rename = "MOCK")]
    Mock,
}

impl IntegrationType {
    pub const ALL: [IntegrationType; 5] = [
        Self::Aws,
        Self::AwsProxy,
        Self::Http,
        Self::HttpProxy,
        Self::Mock,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::AwsProxy => "AWS_PROXY",
            Self::Http => "HTTP",
            Self::HttpProxy => "HTTP_PROXY",
            Self::Mock => "MOCK",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}
unit_enum_deserialize!(IntegrationType, "IntegrationType", [
    Aws: "AWS", AwsProxy: "AWS_PROXY", Http: "HTTP", HttpProxy: "HTTP_PROXY", Mock: "MOCK",
]);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassthroughBehavior {
    WhenNoMatch,
    WhenNoTemplates,
    Never,
}
unit_enum_deserialize!(PassthroughBehavior, "PassthroughBehavior", [
    WhenNoMatch: "WHEN_NO_MATCH", WhenNoTemplates: "WHEN_NO_TEMPLATES", Never: "NEVER",
]);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentHandling {
    ConvertToText,
    ConvertToBinary,
}
unit_enum_deserialize!(ContentHandling, "ContentHandling", [
    ConvertToText: "CONVERT_TO_TEXT", ConvertToBinary: "CONVERT_TO_BINARY",
]);

#[derive(Clone, Debug, Default)]
pub struct Integration {
    pub kind: Option<IntegrationType>,
    pub http_method: Option<String>,
    pub uri: Option<String>,
    pub request_parameters: IndexMap<String, String>,
    pub request_templates: IndexMap<String, Option<String>>,
    pub passthrough_behavior: Option<PassthroughBehavior>,
    pub content_handling: Option<ContentHandling>,
    pub timeout_in_millis: Option<u64>,
    pub integration_responses: IndexMap<String, IntegrationResponse>,
    // Accepted because get-method prints them; not simulated (VPC links, credentials, caching, TLS).
    pub connection_type: Option<String>,
    pub connection_id: Option<String>,
    pub credentials: Option<String>,
    pub cache_namespace: Option<String>,
    pub cache_key_parameters: Option<Vec<String>>,
    pub tls_config: Option<Value>,
    pub integration_target: Option<String>,
}
object_deserialize!(Integration, "Integration", [
    kind: "type" default,
    http_method: "httpMethod" default,
    uri: "uri" default,
    request_parameters: "requestParameters" default,
    request_templates: "requestTemplates" default,
    passthrough_behavior: "passthroughBehavior" default,
    content_handling: "contentHandling" default,
    timeout_in_millis: "timeoutInMillis" default,
    integration_responses: "integrationResponses" default,
    connection_type: "connectionType" default,
    connection_id: "connectionId" default,
    credentials: "credentials" default,
    cache_namespace: "cacheNamespace" default,
    cache_key_parameters: "cacheKeyParameters" default,
    tls_config: "tlsConfig" default,
    integration_target: "integrationTarget" default,
]);

#[derive(Clone, Debug, Default)]
pub struct IntegrationResponse {
    pub status_code: Option<String>,
    pub selection_pattern: Option<String>,
    pub response_parameters: IndexMap<String, String>,
    pub response_templates: IndexMap<String, Option<String>>,
    pub content_handling: Option<ContentHandling>,
}
object_deserialize!(IntegrationResponse, "IntegrationResponse", [
    status_code: "statusCode" default,
    selection_pattern: "selectionPattern" default,
    response_parameters: "responseParameters" default,
    response_templates: "responseTemplates" default,
    content_handling: "contentHandling" default,
]);

#[derive(Clone, Debug)]
pub struct RequestValidator {
    pub id: String,
    pub name: Option<String>,
    pub validate_request_body: bool,
    pub validate_request_parameters: bool,
}
object_deserialize!(RequestValidator, "RequestValidator", [
    id: "id" required,
    name: "name" default,
    validate_request_body: "validateRequestBody" default,
    validate_request_parameters: "validateRequestParameters" default,
]);

#[derive(Clone, Debug)]
pub struct Model {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub content_type: Option<String>,
    /// `get-models` prints the schema as a JSON string; an object is accepted too.
    pub schema: Value,
}
object_deserialize!(Model, "Model", [
    id: "id" default,
    name: "name" required,
    description: "description" default,
    content_type: "contentType" default,
    schema: "schema" required,
]);

#[derive(Clone, Debug)]
pub struct GatewayResponseDef {
    pub response_type: String,
    pub status_code: Option<String>,
    pub response_parameters: IndexMap<String, String>,
    pub response_templates: IndexMap<String, String>,
    pub default_response: Option<bool>,
}
object_deserialize!(GatewayResponseDef, "GatewayResponseDef", [
    response_type: "responseType" required,
    status_code: "statusCode" default,
    response_parameters: "responseParameters" default,
    response_templates: "responseTemplates" default,
    default_response: "defaultResponse" default,
]);

/// A header value list; a single string is accepted for convenience.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// What `#[serde(untagged)]` on [`OneOrMany`] accepts, without serde's `Content` buffer (about
/// 5 KB of wasm code for this one enum, docs/size.md): a string, or an array of strings;
/// anything else is the derive's message, raised (as the derive raises it) after the whole value
/// was read, so the error position, hence the field path, is the same. The value is read through
/// `deserialize_any` at every depth, as `Content` reads it, so the parser's own errors (syntax,
/// number out of range, recursion limit) are the same too. Twin test:
/// `tests::one_or_many_matches_the_untagged_derive`.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(AnyValue::Other)? {
            AnyValue::Str(s) => Ok(OneOrMany::One(s)),
            AnyValue::Strings(Some(v)) => Ok(OneOrMany::Many(v)),
            _ => Err(serde::de::Error::custom(
                "data did not match any variant of untagged enum OneOrMany",
            )),
        }
    }
}

/// Any JSON value, kept only as far as [`OneOrMany`] needs it. The enum is also its own
/// visitor, so one type serves every depth.
enum AnyValue {
    Str(String),
    /// An array: its strings, or `None` when it held anything else.
    Strings(Option<Vec<String>>),
    Other,
}

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValue::Other)
    }
}

impl<'de> serde::de::Visitor<'de> for AnyValue {
    type Value = AnyValue;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_unit<E>(self) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_none<E>(self) -> Result<AnyValue, E> {
        Ok(AnyValue::Other)
    }
    fn visit_str<E>(self, s: &str) -> Result<AnyValue, E> {
        Ok(AnyValue::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<AnyValue, E> {
        Ok(AnyValue::Str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<AnyValue, A::Error> {
        // Every element is read even after a non-string one: the derive read the whole array
        // before it failed, and the error must come at the same position.
        let mut strings = Some(Vec::new());
        while let Some(item) = seq.next_element::<AnyValue>()? {
            match (item, strings.as_mut()) {
                (AnyValue::Str(s), Some(v)) => v.push(s),
                _ => strings = None,
            }
        }
        Ok(AnyValue::Strings(strings))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<AnyValue, A::Error> {
        while map.next_entry::<AnyValue, AnyValue>()?.is_some() {}
        Ok(AnyValue::Other)
    }
}

impl OneOrMany {
    pub fn values(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: IndexMap<String, OneOrMany>,
    pub body: Option<String>,
    pub is_base64_encoded: bool,
    pub source_ip: String,
    /// Simulate the console's Test tab (TestInvokeMethod, spec §2.5, §10): `path` has no stage, no endpoint
    /// headers are added, and the context carries AWS's test placeholders.
    pub test_invoke: bool,
}
object_deserialize!(Request, "Request", [
    method: "method" required,
    path: "path" required,
    query: "query" default,
    headers: "headers" default,
    body: "body" default,
    is_base64_encoded: "isBase64Encoded" default,
    source_ip: "sourceIp" default_source_ip,
    test_invoke: "testInvoke" default,
]);

#[derive(Clone, Debug)]
pub enum Backend {
    Lambda(LambdaBackend),
    Http(HttpBackend),
    Echo(EchoBackend),
}

/// What `#[derive(Deserialize)]` with `rename_all = "camelCase"` read (`{"lambda": {..}}`,
/// serde's externally tagged form), with the variant name read by the shared [`VariantKey`]
/// instead of a field visitor of its own (docs/size.md, third round). Twin test:
/// `tests::backend_matches_the_derive`.
impl<'de> Deserialize<'de> for Backend {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const VARIANTS: &[&str] = &["lambda", "http", "echo"];
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Backend;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("enum Backend")
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(
                self,
                data: A,
            ) -> Result<Backend, A::Error> {
                use serde::de::VariantAccess;
                match data.variant_seed(VariantKey(VARIANTS))? {
                    (0, v) => v.newtype_variant().map(Backend::Lambda),
                    (1, v) => v.newtype_variant().map(Backend::Http),
                    // VariantKey only returns indexes of VARIANTS: 2 is "echo".
                    (_, v) => v.newtype_variant().map(Backend::Echo),
                }
            }
        }
        d.deserialize_enum("Backend", VARIANTS, V)
    }
}

#[derive(Clone, Debug, Default)]
pub struct EchoBackend {}
object_deserialize!(EchoBackend, "EchoBackend", []);

#[derive(Clone, Debug, Default)]
pub struct LambdaBackend {
    pub returns: Option<Value>,
    pub throws: Option<LambdaError>,
    pub times_out: bool,
}
object_deserialize!(LambdaBackend, "LambdaBackend", [
    returns: "returns" present,
    throws: "throws" default,
    times_out: "timesOut" default,
]);

#[derive(Clone, Debug)]
pub struct LambdaError {
    pub error_message: String,
    pub error_type: Option<String>,
    /// Python 3.9+ runtimes put the invocation id between errorType and stackTrace (spec §4.2).
    pub request_id: Option<String>,
    pub stack_trace: Option<Vec<String>>,
}
object_deserialize!(LambdaError, "LambdaError", [
    error_message: "errorMessage" required,
    error_type: "errorType" default,
    request_id: "requestId" default,
    stack_trace: "stackTrace" default,
]);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpFailure {
    Connection,
    Timeout,
}
unit_enum_deserialize!(HttpFailure, "HttpFailure", [Connection: "connection", Timeout: "timeout"]);

#[derive(Clone, Debug, Default)]
pub struct HttpBackend {
    pub status: Option<u16>,
    pub headers: IndexMap<String, OneOrMany>,
    pub body: Option<String>,
    pub is_base64_encoded: bool,
    pub fails: Option<HttpFailure>,
}
object_deserialize!(HttpBackend, "HttpBackend", [
    status: "status" default,
    headers: "headers" default,
    body: "body" default,
    is_base64_encoded: "isBase64Encoded" default,
    fails: "fails" default,
]);

/// Overrides for the injected environment (see `env::Env` for the defaults).
#[derive(Clone, Debug, Default)]
pub struct EnvConfig {
    pub request_time_epoch: Option<i64>,
    pub request_id: Option<String>,
    pub extended_request_id: Option<String>,
    pub trace_id: Option<String>,
    pub cf_id: Option<String>,
    pub via_id: Option<String>,
    pub cf_pop: Option<String>,
    pub edge_ip: Option<String>,
    pub vpc_id: Option<String>,
    pub vpce_id: Option<String>,
    pub lambda_request_id: Option<String>,
    pub integration_latency: Option<u64>,
}
object_deserialize!(EnvConfig, "EnvConfig", [
    request_time_epoch: "requestTimeEpoch" default,
    request_id: "requestId" default,
    extended_request_id: "extendedRequestId" default,
    trace_id: "traceId" default,
    cf_id: "cfId" default,
    via_id: "viaId" default,
    cf_pop: "cfPop" default,
    edge_ip: "edgeIp" default,
    vpc_id: "vpcId" default,
    vpce_id: "vpceId" default,
    lambda_request_id: "lambdaRequestId" default,
    integration_latency: "integrationLatency" default,
]);

/// Deserializes `T`, reporting the field path of the first structural error.
pub fn from_str_with_path<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, InputError> {
    serde_json::from_str(json).map_err(|e| InputError {
        path: crate::json_path::error_path(json, &e),
        message: clean_serde_message(&e.to_string()),
    })
}

/// Deserializes `T` from an already-parsed value, prefixing error paths with `prefix`.
pub fn from_value_with_path<T: for<'de> Deserialize<'de>>(
    value: &Value,
    prefix: &str,
) -> Result<T, InputError> {
    // Through text, so the one `from_str` instantiation serves both entry points and the path
    // comes from the error position (crate::json_path); positions in this re-serialized text
    // mean nothing to the user, so they are dropped from the message.
    let json = value.to_string();
    serde_json::from_str(&json).map_err(|e| InputError {
        path: join_path(prefix, &crate::json_path::error_path(&json, &e)),
        message: clean_serde_message(&crate::json_path::message_without_position(&e)),
    })
}

pub fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// serde's messages end with ` at line L column C`; keep the location (useful in an editor) but
/// phrase the variant-tag message for people who do not know serde.
fn clean_serde_message(m: &str) -> String {
    m.replace("unknown variant", "unknown value")
        .replace("invalid type: map, expected unit", "expected {}")
}

/// Parses and checks a scenario document.
pub fn parse(json: &str) -> Result<Scenario, Vec<InputError>> {
    let scenario: Scenario = from_str_with_path(json).map_err(|e| vec![e])?;
    let errors = scenario.check();
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(errors)
    }
}

fn err(path: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError {
        path: path.into(),
        message: message.into(),
    }
}

const HTTP_METHODS: [&str; 8] = [
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

impl Scenario {
    /// Every semantic problem, each with its field path.
    pub fn check(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        if self.rest_api.id.is_empty() {
            out.push(err("restApi.id", "must not be empty"));
        }
        if let Some(ec) = &self.rest_api.endpoint_configuration {
            for (i, t) in ec.types.iter().enumerate() {
                if !matches!(t.as_str(), "EDGE" | "REGIONAL" | "PRIVATE") {
                    out.push(err(
                        format!("restApi.endpointConfiguration.types[{i}]"),
                        format!("unknown endpoint type `{t}`, expected EDGE, REGIONAL or PRIVATE"),
                    ));
                }
            }
            if ec.types.len() > 1 {
                out.push(err(
                    "restApi.endpointConfiguration.types",
                    "AWS accepts exactly one endpoint type",
                ));
            }
        }
        for (i, t) in self.rest_api.binary_media_types.iter().enumerate() {
            if !t.contains('/') {
                out.push(err(
                    format!("restApi.binaryMediaTypes[{i}]"),
                    format!("`{t}` is not a media type (type/subtype)"),
                ));
            }
        }
        let sn = &self.stage.stage_name;
        if sn.is_empty()
            || sn.len() > 128
            || !sn
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            // spec §1.1: alphanumerics, `-`, `_`, max 128 chars.
            out.push(err(
                "stage.stageName",
                "must be 1-128 characters: letters, digits, `-` or `_`",
            ));
        }
        check_stage_variables(&self.stage.variables, &mut out);
        for (i, r) in self.resources.iter().enumerate() {
            let rp = format!("resources[{i}]");
            check_resource_path(&r.path, &format!("{rp}.path"), &mut out);
            for (m, method) in &r.resource_methods {
                let mp = format!("{rp}.resourceMethods.{m}");
                if !HTTP_METHODS.contains(&m.as_str()) {
                    out.push(err(
                        &mp,
                        format!(
                            "unknown HTTP method `{m}`, expected one of {}",
                            HTTP_METHODS.join(", ")
                        ),
                    ));
                }
                self.check_method(method, &mp, &mut out);
                if method
                    .method_integration
                    .as_ref()
                    .is_some_and(|i| i.kind.is_none())
                {
                    out.push(err(
                        format!("{mp}.methodIntegration.type"),
                        "missing field `type`",
                    ));
                }
            }
        }
        for (i, v) in self.request_validators.iter().enumerate() {
            if self.request_validators[..i].iter().any(|o| o.id == v.id) {
                out.push(err(
                    format!("requestValidators[{i}].id"),
                    format!("duplicate validator id `{}`", v.id),
                ));
            }
        }
        for (i, m) in self.models.iter().enumerate() {
            if let Err(e) = model_schema(m) {
                out.push(err(format!("models[{i}].schema"), e));
            }
        }
        for (i, g) in self.gateway_responses.iter().enumerate() {
            if let Some(s) = &g.status_code {
                if !is_status(s) {
                    out.push(err(
                        format!("gatewayResponses[{i}].statusCode"),
                        format!("`{s}` is not a status code 100-599"),
                    ));
                }
            }
        }
        check_request(&self.request, &mut out);
        if let Some(b) = &self.backend {
            check_backend(b, "backend", &mut out);
        }
        out
    }

    pub(crate) fn check_method(&self, method: &Method, mp: &str, out: &mut Vec<InputError>) {
        if let Some(id) = &method.request_validator_id {
            if !self.request_validators.iter().any(|v| &v.id == id) {
                out.push(err(
                    format!("{mp}.requestValidatorId"),
                    format!("no request validator with id `{id}` in requestValidators"),
                ));
            }
        }
        for k in method.request_parameters.keys() {
            let ok = [
                "method.request.path.",
                "method.request.querystring.",
                "method.request.header.",
                "method.request.multivaluequerystring.",
                "method.request.multivalueheader.",
            ]
            .iter()
            .any(|p| k.strip_prefix(p).is_some_and(valid_param_name));
            if !ok {
                out.push(err(
                    format!("{mp}.requestParameters.{k}"),
                    "expected method.request.{path|querystring|header}.<name> (name: letters, digits, . _ $ -)",
                ));
            }
            // A `method.request.path.<p>` the resource path lacks is accepted (AWS's UpdateMethod took
            // `method.request.path.issuer` on `/test/{test}`) and, when required, reported missing at run time
            // [AWS-REC: LocalStack test_apigateway_common.py::test_api_gateway_request_validator, snapshots
            // "change-request-path-names" and "missing-all-required-request-params-post"; spec §9.2].
        }
        for (ct, name) in &method.request_models {
            if !self.models.iter().any(|m| &m.name == name) && name != "Empty" && name != "Error" {
                out.push(err(
                    format!("{mp}.requestModels.{ct}"),
                    format!("no model named `{name}` in models (built-in: Empty, Error)"),
                ));
            }
        }
        for (k, r) in &method.method_responses {
            if !is_status(k) {
                out.push(err(
                    format!("{mp}.methodResponses.{k}"),
                    format!("`{k}` is not a status code 100-599"),
                ));
            }
            if let Some(s) = &r.status_code {
                if s != k {
                    out.push(err(
                        format!("{mp}.methodResponses.{k}.statusCode"),
                        format!("`{s}` differs from its key `{k}`"),
                    ));
                }
            }
        }
        if let Some(int) = &method.method_integration {
            check_integration(int, &format!("{mp}.methodIntegration"), method, out);
        }
    }
}

fn valid_param_name(n: &str) -> bool {
    // spec §8.1: names must match ^[a-zA-Z0-9._$-]+$
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '$' | '-'))
}

pub fn is_status(s: &str) -> bool {
    s.len() == 3 && s.parse::<u16>().is_ok_and(|n| (100..=599).contains(&n))
}

fn check_resource_path(path: &str, field: &str, out: &mut Vec<InputError>) {
    if !path.starts_with('/') {
        out.push(err(field, "must start with `/`"));
        return;
    }
    if path == "/" {
        return;
    }
    let parts: Vec<&str> = path[1..].split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            out.push(err(field, "empty path part (`//` or a trailing `/`)"));
            return;
        }
        if part.starts_with('{') || part.ends_with('}') {
            let inner = part.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
            match inner {
                None => out.push(err(
                    field,
                    format!("path part `{part}` is not a `{{name}}` variable"),
                )),
                Some(n) => {
                    let (n, greedy) = match n.strip_suffix('+') {
                        Some(b) => (b, true),
                        None => (n, false),
                    };
                    if n.is_empty()
                        || !n
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
                    {
                        out.push(err(field, format!("invalid variable name in `{part}`")));
                    }
                    if greedy && i + 1 != parts.len() {
                        // spec §2.3: "Cannot create a child of a resource with a greedy path variable"
                        out.push(err(
                            field,
                            "a greedy `{name+}` variable must be the last path part",
                        ));
                    }
                }
            }
        }
    }
}

/// Why an AWS / AWS_PROXY uri is refused, in AWS's PutIntegration words where AWS refuses it too
/// [AWS-REC 2024-06: LocalStack test_apigateway_integrations.py::test_put_integration_validation:
/// `non-valid-arn`, an IAM role ARN, AWS_PROXY on `...:s3:path/b/k`]; an API Gateway service ARN
/// AWS accepts but this version does not simulate (S3, SQS, ... ) gets our own message.
fn aws_uri_message(kind: Option<IntegrationType>, uri: &str) -> String {
    const LAMBDA: &str = "expected arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations";
    let parts: Vec<&str> = uri.splitn(6, ':').collect();
    let (Some(&"arn"), Some(resource)) = (parts.first(), parts.get(5)) else {
        return format!(
            "Invalid ARN specified in the request (AWS's PutIntegration message; {LAMBDA})"
        );
    };
    // An apigateway service ARN: arn:aws:apigateway:{region}:{service}:{path|action}/...
    // [INFER: which other ARN shapes AWS reports this way is not recorded].
    if parts.get(2) != Some(&"apigateway")
        || !(resource.starts_with("path/") || resource.starts_with("action/"))
    {
        return format!(
            "AWS ARN for integration must contain path or action (AWS's PutIntegration message; {LAMBDA})"
        );
    }
    if kind == Some(IntegrationType::AwsProxy)
        && parts.get(4) != Some(&"lambda")
        && parts.get(4) != Some(&"firehose")
    {
        return format!("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations. (AWS's PutIntegration message; {LAMBDA})");
    }
    format!("only Lambda integrations are simulated for AWS types: {LAMBDA}")
}

/// The model's schema as JSON (AWS prints it as a string).
pub fn model_schema(m: &Model) -> Result<Value, String> {
    match &m.schema {
        Value::String(s) => {
            serde_json::from_str(s).map_err(|e| format!("invalid JSON in schema string: {e}"))
        }
        Value::Object(_) => Ok(m.schema.clone()),
        _ => Err("expected a JSON Schema (object, or a string containing one)".into()),
    }
}

fn check_integration(int: &Integration, ip: &str, method: &Method, out: &mut Vec<InputError>) {
    let kind = int.kind;
    let uri = int.uri.as_deref().unwrap_or("");
    // PutIntegration checks the integration method before the URI: an AWS integration with
    // uri http://example.com and no integrationHttpMethod gets only the HttpMethod message
    // [AWS-REC 2024-06: LocalStack test_apigateway_integrations.py::test_put_integration_validation].
    let mut method_missing = false;
    if let Some(m) = &int.http_method {
        if !HTTP_METHODS.contains(&m.as_str()) {
            out.push(err(
                format!("{ip}.httpMethod"),
                format!("unknown HTTP method `{m}`"),
            ));
        }
    } else if matches!(
        kind,
        Some(
            IntegrationType::Aws
                | IntegrationType::AwsProxy
                | IntegrationType::Http
                | IntegrationType::HttpProxy
        )
    ) {
        method_missing = true;
        out.push(err(
            format!("{ip}.httpMethod"),
            "Enumeration value for HttpMethod must be non-empty (AWS's PutIntegration message: the method used toward the backend is required)",
        ));
    }
    match kind {
        _ if method_missing => {}
        Some(IntegrationType::Aws) | Some(IntegrationType::AwsProxy) => {
            if uri.is_empty() {
                out.push(err(format!("{ip}.uri"), "missing: a Lambda invocation ARN arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations"));
            } else if crate::pipeline::lambda_function_arn(uri).is_none() {
                out.push(err(format!("{ip}.uri"), aws_uri_message(kind, uri)));
            }
        }
        Some(IntegrationType::Http) | Some(IntegrationType::HttpProxy)
            if !(uri.starts_with("http://") || uri.starts_with("https://")) =>
        {
            out.push(err(
                format!("{ip}.uri"),
                "Invalid HTTP endpoint specified for URI (AWS's PutIntegration message: expected an absolute http:// or https:// URL)",
            ));
        }
        _ => {}
    }
    if let Some(t) = int.timeout_in_millis {
        if !(50..=29000).contains(&t) {
            // spec §5.4: 50-29000 ms (larger values need a quota increase, REGIONAL/PRIVATE only).
            out.push(err(
                format!("{ip}.timeoutInMillis"),
                format!("{t} is outside 50-29000"),
            ));
        }
    }
    for (target, source) in &int.request_parameters {
        let tp = format!("{ip}.requestParameters.{target}");
        let ok_target = [
            "integration.request.path.",
            "integration.request.querystring.",
            "integration.request.header.",
        ]
        .iter()
        .any(|p| target.strip_prefix(p).is_some_and(valid_param_name));
        if !ok_target {
            out.push(err(
                &tp,
                "target must be integration.request.{path|querystring|header}.<name>",
            ));
        }
        if let Err(e) = crate::mapping::check_request_source(source, method) {
            out.push(err(&tp, e));
        }
    }
    for (ct, t) in &int.request_templates {
        if let Some(t) = t {
            check_template(t, &format!("{ip}.requestTemplates.{ct}"), out);
        }
    }
    for (key, r) in &int.integration_responses {
        let rp = format!("{ip}.integrationResponses.{key}");
        if !is_status(key) {
            out.push(err(&rp, format!("`{key}` is not a status code 100-599")));
        }
        if let Some(s) = &r.status_code {
            if s != key {
                out.push(err(
                    format!("{rp}.statusCode"),
                    format!("`{s}` differs from its key `{key}`"),
                ));
            }
        }
        if let Some(p) = &r.selection_pattern {
            if let Err(e) = crate::selection::compile(p) {
                out.push(err(
                    format!("{rp}.selectionPattern"),
                    format!("invalid regex: {e}"),
                ));
            }
        }
        for (target, source) in &r.response_parameters {
            let tp = format!("{rp}.responseParameters.{target}");
            match target.strip_prefix("method.response.header.") {
                Some(n) if valid_param_name(n) => {
                    // spec §8.2 [DOC]: the target must be declared in the method response's
                    // responseParameters; AWS rejects PutIntegrationResponse otherwise with "Invalid
                    // mapping expression parameter specified: method.response.header.<name>"
                    // [COMMUNITY: the usual CORS setup error]. A missing method response is a
                    // run-time 500 instead (spec §4.2), so only a present one is checked.
                    let status = r.status_code.as_deref().unwrap_or(key);
                    if let Some(m) = method.method_responses.get(status) {
                        if !m.response_parameters.contains_key(target) {
                            out.push(err(
                                &tp,
                                format!(
                                    "Invalid mapping expression parameter specified: {target} (declare it in methodResponses.{status}.responseParameters: \"{target}\": false)"
                                ),
                            ));
                        }
                    }
                }
                _ => out.push(err(&tp, "target must be method.response.header.<name>")),
            }
            if let Err(e) = crate::mapping::check_response_source(source) {
                out.push(err(&tp, e));
            }
        }
        for (ct, t) in &r.response_templates {
            if let Some(t) = t {
                check_template(t, &format!("{rp}.responseTemplates.{ct}"), out);
            }
        }
    }
}

/// Stage variables as CreateStage/CreateDeployment accept them (spec §7.5 [DOC]): at most 100, names of letters,
/// digits and `_` up to 64 characters, values of 1-512 characters matching `[A-Za-z0-9-._~:/?#&=,]+` (so no
/// spaces or quotes: a value that needs them cannot exist on AWS).
fn check_stage_variables(vars: &IndexMap<String, String>, out: &mut Vec<InputError>) {
    if vars.len() > 100 {
        out.push(err(
            "stage.variables",
            format!("{} variables; a stage has at most 100", vars.len()),
        ));
    }
    for (name, value) in vars {
        let p = format!("stage.variables.{name}");
        if name.is_empty()
            || name.len() > 64
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            out.push(err(
                &p,
                "variable names are 1-64 characters: letters, digits or `_`",
            ));
        }
        let bad = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-._~:/?#&=,".contains(*c)));
        if value.is_empty() || value.len() > 512 || bad.is_some() {
            let why = match bad {
                Some(c) => format!(" ({c:?} is not allowed)"),
                None => String::new(),
            };
            out.push(err(
                &p,
                format!("values must be 1-512 characters matching [A-Za-z0-9-._~:/?#&=,]+{why}"),
            ));
        }
    }
}

fn check_template(src: &str, path: &str, out: &mut Vec<InputError>) {
    let t = vtl::Template::parse(src);
    for d in t.diagnostics() {
        if d.severity == vtl::Severity::Error {
            out.push(err(
                path,
                format!(
                    "template error at {}:{}: {}",
                    d.span.line, d.span.column, d.message
                ),
            ));
        }
    }
}

fn check_request(r: &Request, out: &mut Vec<InputError>) {
    if !HTTP_METHODS[1..].contains(&r.method.as_str()) {
        out.push(err(
            "request.method",
            format!("unknown HTTP method `{}`", r.method),
        ));
    }
    if !r.path.starts_with('/') {
        out.push(err(
            "request.path",
            "must start with `/` (e.g. /dev/pets/1)",
        ));
    }
    if r.path.contains('?') || r.path.contains('#') {
        out.push(err(
            "request.path",
            "must not contain `?` or `#`: put the query string in request.query",
        ));
    }
    if r.is_base64_encoded {
        if let Some(b) = &r.body {
            if let Err(e) = crate::binary::decode_base64(b) {
                out.push(err(
                    "request.body",
                    format!("invalid base64 (isBase64Encoded is true): {e}"),
                ));
            }
        }
    }
    for (name, _) in &r.headers {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            out.push(err(
                format!("request.headers.{name}"),
                "not a valid header name",
            ));
        }
    }
}

pub(crate) fn check_backend(b: &Backend, bp: &str, out: &mut Vec<InputError>) {
    match b {
        Backend::Lambda(l) => {
            let n = l.returns.is_some() as u8 + l.throws.is_some() as u8 + l.times_out as u8;
            if n != 1 {
                out.push(err(
                    format!("{bp}.lambda"),
                    "set exactly one of `returns`, `throws`, `timesOut: true`",
                ));
            }
        }
        Backend::Http(h) => {
            if h.fails.is_some()
                && (h.status.is_some() || h.body.is_some() || !h.headers.is_empty())
            {
                out.push(err(
                    format!("{bp}.http.fails"),
                    "`fails` cannot be combined with status, headers or body",
                ));
            }
            if let Some(s) = h.status {
                if !(100..=599).contains(&s) {
                    out.push(err(
                        format!("{bp}.http.status"),
                        format!("{s} is not a status code 100-599"),
                    ));
                }
            }
            if h.is_base64_encoded {
                if let Some(body) = &h.body {
                    if let Err(e) = crate::binary::decode_base64(body) {
                        out.push(err(
                            format!("{bp}.http.body"),
                            format!("invalid base64 (isBase64Encoded is true): {e}"),
                        ));
                    }
                }
            }
        }
        Backend::Echo(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `object_deserialize!` must behave as `#[derive(Deserialize)]` with `deny_unknown_fields`
    // and `rename_all = "camelCase"` did: these two twins differ only in how `Deserialize` is
    // made, and every input below must give the same value or the same error text, position
    // included (the position is what `json_path` turns into the field path).
    fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Value::deserialize(d).map(Some)
    }

    #[allow(dead_code)] // the fields are compared through Debug
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Twin {
        stage_name: String,
        #[serde(default)]
        variables: IndexMap<String, String>,
        #[serde(default)]
        tracing_enabled: Option<bool>,
        #[serde(default = "default_region")]
        region: String,
        #[serde(default, deserialize_with = "present")]
        returns: Option<Value>,
        #[serde(default, rename = "type")]
        kind: Option<IntegrationType>,
        #[serde(default)]
        throws: Option<LambdaError>,
        cf_id: Option<String>,
    }

    #[allow(dead_code)] // the fields are compared through Debug
    #[derive(Debug)]
    struct Written {
        stage_name: String,
        variables: IndexMap<String, String>,
        tracing_enabled: Option<bool>,
        region: String,
        returns: Option<Value>,
        kind: Option<IntegrationType>,
        throws: Option<LambdaError>,
        cf_id: Option<String>,
    }
    object_deserialize!(Written, "Twin", [
        stage_name: "stageName" required,
        variables: "variables" default,
        tracing_enabled: "tracingEnabled" default,
        region: "region" default_region,
        returns: "returns" present,
        kind: "type" default,
        throws: "throws" default,
        cf_id: "cfId" default,
    ]);

    fn both(json: &str) -> (String, String) {
        let derived = serde_json::from_str::<Twin>(json).map(|v| format!("{v:?}"));
        let written = serde_json::from_str::<Written>(json).map(|v| format!("{v:?}"));
        let show = |r: Result<String, serde_json::Error>| match r {
            // The Debug texts differ only in the type name.
            Ok(v) => v.replacen("Twin", "", 1).replacen("Written", "", 1),
            Err(e) => format!("error: {e}"),
        };
        (show(derived), show(written))
    }

    #[test]
    fn written_deserialize_matches_the_derive() {
        let inputs = [
            r#"{"stageName": "prod"}"#,
            r#"{"stageName": "prod", "variables": {"a": "1"}, "tracingEnabled": null, "region": "eu-west-1",
                "returns": {"x": 1}, "type": "AWS_PROXY", "cfId": "c"}"#,
            r#"{"returns": null, "stageName": "p"}"#,
            r#"{"stage\u004eame": "escaped key"}"#,
            r#"{"stageName": "p", "stagename": 1}"#,
            r#"{"stageName": "p", "stageName": "q"}"#,
            r#"{"variables": {}}"#,
            r#"{}"#,
            r#"{"stageName": 3}"#,
            r#"{"stageName": "p", "variables": {"a": 1}}"#,
            r#"{"stageName": "p", "type": "SOAP"}"#,
            "{\"stageName\": \"p\",\n \"throws\": {\"errorType\": \"E\"}}",
            r#"{"stageName": "p", "throws": {"errorMessage": "m", "x": 1}}"#,
            r#"{"stageName": "p", "tracingEnabled": true, "tags": {}}"#,
            r#""prod""#,
            r#"null"#,
            r#"{"stageName": "p""#,
        ];
        for json in inputs {
            let (derived, written) = both(json);
            assert_eq!(written, derived, "input: {json}");
        }
    }

    /// The derive being replaced, under the same name (its error message names the enum).
    mod derived {
        #[allow(dead_code)] // the fields are compared through Debug
        #[derive(Debug, serde::Deserialize)]
        #[serde(untagged)]
        pub enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
    }

    /// The hand-written `OneOrMany` gives the derive's values, and its errors with the same
    /// text and position, also inside a map and before other entries (spec: scenario headers).
    #[test]
    fn one_or_many_matches_the_untagged_derive() {
        let values = [
            r#""a""#,
            r#""caf\u00e9 \"q\"""#,
            r#"[]"#,
            r#"["a", "b"]"#,
            r#"["a", 1]"#,
            r#"[1, "a"]"#,
            r#"["a", ["b"]]"#,
            r#"["a", {"k": "v"}]"#,
            r#"["a", [1e400]]"#,
            r#"[1e400]"#,
            r#"1"#,
            r#"-1"#,
            r#"1.5"#,
            r#"true"#,
            r#"null"#,
            r#"{}"#,
            r#"{"a": ["b"]}"#,
            r#"{"a": 1e400}"#,
            r#"["a",]"#,
            r#"["a" "b"]"#,
            r#""\x""#,
            r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
        ];
        let show = |r: Result<String, serde_json::Error>| match r {
            Ok(v) => v,
            Err(e) => format!("error: {e}"),
        };
        let mut errors = 0;
        for v in values {
            for json in [
                v.to_string(),
                format!(r#"{{"h": {v}}}"#),
                format!("{{\n  \"h\": {v} ,\n  \"i\": \"x\"\n}}"),
                format!(r#"{{"i": "x", "h": {v}}}  "#),
            ] {
                let derived = show(
                    serde_json::from_str::<IndexMap<String, derived::OneOrMany>>(&json)
                        .map(|m| format!("{m:?}"))
                        .or_else(|_| {
                            serde_json::from_str::<derived::OneOrMany>(&json)
                                .map(|v| format!("{v:?}"))
                        }),
                );
                let written = show(
                    serde_json::from_str::<IndexMap<String, OneOrMany>>(&json)
                        .map(|m| format!("{m:?}"))
                        .or_else(|_| {
                            serde_json::from_str::<OneOrMany>(&json).map(|v| format!("{v:?}"))
                        }),
                );
                errors += usize::from(written.starts_with("error"));
                assert_eq!(written, derived, "input: {json}");
            }
        }
        // The inputs exercise the error paths, not only the happy ones.
        assert!(errors > 30, "{errors}");
    }

    /// The derives replaced by `unit_enum_deserialize!`, under the same names.
    mod derived_enums {
        #[derive(Debug, serde::Deserialize)]
        pub enum IntegrationType {
            #[serde(rename = "AWS")]
            Aws,
            #[serde(rename = "AWS_PROXY")]
            AwsProxy,
            #[serde(rename = "HTTP")]
            Http,
            #[serde(rename = "HTTP_PROXY")]
            HttpProxy,
            #[serde(rename = "MOCK")]
            Mock,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum PassthroughBehavior {
            WhenNoMatch,
            WhenNoTemplates,
            Never,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum ContentHandling {
            ConvertToText,
            ConvertToBinary,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub enum HttpFailure {
            Connection,
            Timeout,
        }
    }

    fn same<
        W: serde::de::DeserializeOwned + std::fmt::Debug,
        T: serde::de::DeserializeOwned + std::fmt::Debug,
    >(
        json: &str,
    ) -> bool {
        let show = |r: Result<String, serde_json::Error>| match r {
            Ok(v) => v,
            Err(e) => format!("error: {e}"),
        };
        let written = show(serde_json::from_str::<W>(json).map(|v| format!("{v:?}")));
        let derived = show(serde_json::from_str::<T>(json).map(|v| format!("{v:?}")));
        assert_eq!(written, derived, "input: {json}");
        written.starts_with("error")
    }

    /// Values, errors and error positions of the four unit enums are the derive's, alone and
    /// as a struct field (spec: scenario `type`, `passthroughBehavior`, `contentHandling`,
    /// backend `fails`).
    #[test]
    fn unit_enums_match_the_derive() {
        let mut errors = 0;
        for v in [
            "AWS",
            "AWS_PROXY",
            "HTTP",
            "HTTP_PROXY",
            "MOCK",
            "WHEN_NO_MATCH",
            "WHEN_NO_TEMPLATES",
            "NEVER",
            "CONVERT_TO_TEXT",
            "CONVERT_TO_BINARY",
            "connection",
            "timeout",
            "aws",
            "SOAP",
            "",
        ] {
            for json in [
                format!("{v:?}"),
                format!("{{{v:?}: null}}"),
                format!("{{ {v:?} : null }}"),
                format!("{{{v:?}: 1}}"),
                format!("{{{v:?}: null, \"x\": null}}"),
                format!("{{{v:?}: []}}"),
                format!("[{v:?}]"),
                format!("{v:?} x"),
            ] {
                let n = usize::from(same::<IntegrationType, derived_enums::IntegrationType>(
                    &json,
                )) + usize::from(same::<
                    PassthroughBehavior,
                    derived_enums::PassthroughBehavior,
                >(&json))
                    + usize::from(same::<ContentHandling, derived_enums::ContentHandling>(
                        &json,
                    ))
                    + usize::from(same::<HttpFailure, derived_enums::HttpFailure>(&json));
                errors += n;
                // Inside an object, as scenario fields are read (Option, as `type` is).
                let field = format!("{{\"k\": {json}}}");
                errors += usize::from(same::<
                    IndexMap<String, Option<IntegrationType>>,
                    IndexMap<String, Option<derived_enums::IntegrationType>>,
                >(&field));
                errors += usize::from(same::<
                    IndexMap<String, HttpFailure>,
                    IndexMap<String, derived_enums::HttpFailure>,
                >(&field));
            }
        }
        for json in [
            "1",
            "null",
            "true",
            "{}",
            "[]",
            "{1: null}",
            "\"AWS",
            "{\"AWS\"",
            "{\"AWS\": null",
        ] {
            errors += usize::from(same::<IntegrationType, derived_enums::IntegrationType>(
                json,
            ));
            errors += usize::from(same::<HttpFailure, derived_enums::HttpFailure>(json));
        }
        assert!(errors > 300, "{errors}");
    }

    /// The derive replaced by the written `Backend` impl, under the same name.
    mod derived_backend {
        use super::super::{EchoBackend, HttpBackend, LambdaBackend};
        #[allow(dead_code)] // compared through Debug
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        pub enum Backend {
            Lambda(LambdaBackend),
            Http(HttpBackend),
            Echo(EchoBackend),
        }
    }

    #[test]
    fn backend_matches_the_derive() {
        let mut errors = 0;
        for json in [
            r#"{"lambda": {}}"#,
            r#"{"lambda": {"returns": null}}"#,
            r#"{"http": {"status": 201, "headers": {"a": "b"}}}"#,
            r#"{"echo": {}}"#,
            r#"{"echo": {"x": 1}}"#,
            r#"{"echo": null}"#,
            r#"{"lambda": 1}"#,
            r#"{"Lambda": {}}"#,
            r#"{"soap": {}}"#,
            r#"{"lambda": {}, "http": {}}"#,
            r#"{}"#,
            r#""lambda""#,
            r#""echo""#,
            r#"["lambda"]"#,
            r#"null"#,
            r#"1"#,
            r#"{"lambda": {"#,
            r#"{"http": {"fails": "timeout", "x": 2}}"#,
        ] {
            errors += usize::from(same::<Backend, derived_backend::Backend>(json));
            let field = format!("{{\"b\": {json}}}");
            errors += usize::from(same::<
                IndexMap<String, Option<Backend>>,
                IndexMap<String, Option<derived_backend::Backend>>,
            >(&field));
        }
        assert!(errors > 20, "{errors}");
    }

    #[test]
    fn struct_from_an_array_is_a_type_error_not_serde_seq_form() {
        // The one intended difference: the derive read `["prod"]` as a struct in field order.
        let e = serde_json::from_str::<Written>(r#"["prod"]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid type: sequence, expected struct Twin at line 1 column 1"
        );
        // The derive took an array as the fields in declaration order (trailing defaulted fields
        // may be left out, up to the first field without a default).
        let d = serde_json::from_str::<Twin>(r#"["prod"]"#).unwrap_err();
        assert_eq!(
            d.to_string(),
            "invalid length 7, expected struct Twin with 8 elements at line 1 column 8"
        );
        let v = serde_json::from_str::<Twin>(r#"["prod", {}, null, "r", null, null, null, "c"]"#);
        assert!(v.is_ok_and(|v| v.stage_name == "prod" && v.cf_id.as_deref() == Some("c")));
    }

    #[test]
    fn scenario_errors_name_the_path() {
        let e = parse(
            r#"{"restApi": {"id": "a"}, "stage": {"stageName": "p", "variables": {"v": 1}},
            "resources": [], "request": {"method": "GET", "path": "/"}}"#,
        )
        .unwrap_err();
        assert_eq!(e[0].path, "stage.variables.v");
        assert!(
            e[0].message
                .starts_with("invalid type: integer `1`, expected a string"),
            "{}",
            e[0].message
        );
    }
}
