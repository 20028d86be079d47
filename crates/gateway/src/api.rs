//! The JSON-level API shared by the CLI, the JavaScript API and the playground.
//! Serialization lives here, at the edge; internal types stay free to change.

/// A problem with the input document, naming the field (`resources[0].resourceMethods.GET.methodIntegration.type`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// Runs one scenario (the `apigw run` format) and returns the result document
/// (`statusCode`, `headers`, `body`, `isBase64Encoded`, `integrationRequest`, `integrationResponse`, `log`, `trace`).
pub fn run_scenario_json(json: &str) -> Result<serde_json::Value, Vec<InputError>> {
    let _ = json;
    Err(vec![InputError { path: String::new(), message: "not available in this build".into() }])
}

/// Runs one request through several integration types (the playground's document) and returns
/// `{"AWS": <result>, "AWS_PROXY": <result>, ...}` for the types present.
pub fn run_comparison_json(json: &str) -> Result<serde_json::Value, Vec<InputError>> {
    let _ = json;
    Err(vec![InputError { path: String::new(), message: "not available in this build".into() }])
}

/// Checks a scenario without running it.
pub fn validate_scenario_json(json: &str) -> Vec<InputError> {
    let _ = json;
    vec![]
}
