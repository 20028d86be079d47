//! `apigw run SCENARIO.json|-`: runs a request through an API definition and prints the JSON result
//! (or, with `--log`, the console-style execution log).

const HELP: &str = r#"apigw run: run a request through an API Gateway REST API definition

USAGE:
    apigw run SCENARIO.json         print the result as JSON
    apigw run -                     read the scenario from standard input
    apigw run --log SCENARIO.json   print the execution log (console Test tab format) instead
    apigw run --compare DOC.json    run a comparison document (one request, several integration types)

RESULT (JSON):
    {"statusCode": 200, "headers": {"Content-Type": ["application/json"], ...}, "body": "...",
     "isBase64Encoded": false,
     "integrationRequest": {"lambda": {"payload": ..., "invocationType": "RequestResponse"}}
                         | {"http": {"method", "url", "headers", "body"}} | null,
     "integrationResponse": {"key", "statusCode", "selectionPattern", "matched"} | null,
     "log": ["Execution log for request ...", ...], "trace": {...}}

SCENARIO (JSON, AWS's own field names; see docs/scenario.md and schema/scenario.schema.json):
    {"restApi": {"id": "a1b2c3d4e5", "endpointConfiguration": {"types": ["EDGE"]}, "binaryMediaTypes": []},
     "region": "us-east-1", "accountId": "123456789012",
     "stage": {"stageName": "dev", "variables": {}},
     "resources": [{"path": "/pets/{id}", "resourceMethods": {"GET": <aws apigateway get-method output>}}],
     "requestValidators": [], "models": [], "gatewayResponses": [],
     "request": {"method": "GET", "path": "/dev/pets/1", "query": "a=1", "headers": {"Accept": ["application/json"]},
                 "body": "", "isBase64Encoded": false, "sourceIp": "203.0.113.10"},
     "backend": {"lambda": {"returns": ...}} | {"lambda": {"throws": {"errorMessage": "..."}}} | {"lambda": {"timesOut": true}}
              | {"http": {"status": 200, "headers": {}, "body": ""}} | {"http": {"fails": "connection"|"timeout"}} | {"echo": {}},
     "env": {"requestTimeEpoch": 1764078312345, "requestId": "...", ...}}

Examples: examples/scenarios/*.json. Input errors go to standard error as `field.path: message`; exit 1."#;

/// Prints a line; a closed pipe (`apigw run x.json | head`) is not an error worth a panic.
fn out(text: &str) {
    use std::io::Write as _;
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "{text}");
}

pub fn main(args: &[String]) -> i32 {
    let mut file: Option<&str> = None;
    let mut log = false;
    let mut compare = false;
    for a in args {
        match a.as_str() {
            "--help" | "-h" => {
                out(HELP);
                return 0;
            }
            "--log" => log = true,
            "--compare" => compare = true,
            "-" => file = Some("-"),
            s if s.starts_with('-') => {
                eprintln!("apigw run: unknown option `{s}` (try `apigw run --help`)");
                return 2;
            }
            s => {
                if file.is_some() {
                    eprintln!(
                        "apigw run: expected one scenario file, got more (try `apigw run --help`)"
                    );
                    return 2;
                }
                file = Some(s);
            }
        }
    }
    let Some(path) = file else {
        eprintln!("apigw run: missing SCENARIO.json (or `-` for standard input)\n\n{HELP}");
        return 2;
    };
    let text = match crate::read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("apigw run: {e}");
            return 1;
        }
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let result = if compare {
        gateway::api::run_comparison_json(&text)
    } else {
        gateway::api::run_scenario_json(&text)
    };
    match result {
        Err(errors) => {
            for e in errors {
                eprintln!("{name}: {e}");
            }
            1
        }
        Ok(v) => {
            if log {
                let print_log = |v: &serde_json::Value| {
                    for line in v["log"].as_array().into_iter().flatten() {
                        out(line.as_str().unwrap_or(""));
                    }
                };
                if compare {
                    for (k, r) in v.as_object().into_iter().flatten() {
                        out(&format!("== {k}"));
                        print_log(r);
                    }
                } else {
                    print_log(&v);
                }
            } else {
                out(&serde_json::to_string_pretty(&v).unwrap_or_default());
            }
            0
        }
    }
}
