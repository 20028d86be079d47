//! The injected environment: everything that would come from a clock, a random generator or the
//! network in real API Gateway. Defaults are fixed values taken from the spec's recorded examples
//! (§2.4, §10.4) so the same scenario gives the same result in tests, on the command line and in the page;
//! a scenario overrides any of them with its `"env"` object (docs/scenario.md).

use crate::scenario::EnvConfig;

#[derive(Clone, Debug, PartialEq)]
pub struct Env {
    /// Request arrival time, epoch milliseconds (2025-11-25T13:45:12.345Z by default, spec §2.4).
    pub request_time_epoch: i64,
    pub request_id: String,
    pub extended_request_id: String,
    /// Full `X-Amzn-Trace-Id` value (`Root=1-{8 hex}-{24 hex}`).
    pub trace_id: String,
    pub cf_id: String,
    /// The 32-hex-digit CloudFront host label of `Via` (spec §1.3).
    pub via_id: String,
    pub cf_pop: String,
    /// The CloudFront edge's address appended to `X-Forwarded-For` on EDGE endpoints.
    pub edge_ip: String,
    pub vpc_id: String,
    pub vpce_id: String,
    /// Lambda's own request id (response header `x-amzn-RequestId` of the Invoke call, error `requestId`).
    pub lambda_request_id: String,
    /// Integration latency reported in the log, ms.
    pub integration_latency: u64,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            request_time_epoch: 1_764_078_312_345,
            request_id: "4b8ae478-ac2d-4fff-96e9-870739d88db2".into(),
            extended_request_id: "UBuxiEZSIAMFQ1Q=".into(),
            trace_id: "Root=1-6925b2d8-3b9a2c4d5e6f708192a3b4c5".into(),
            cf_id: "kXo2nM7cK3b0dQ1mYp5QfWj8lWm0sZ3u9t7Qy0aB1cD2eF3gH4iJ5A==".into(),
            via_id: "4f1d6b0c0a2a4d7c0e4b7a1e2f3c4d5e".into(),
            cf_pop: "IAD89-C1".into(),
            edge_ip: "130.176.33.165".into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            vpce_id: "vpce-0123456789abcdef0".into(),
            lambda_request_id: "30d10735-7c5d-42a5-89d5-91097fc146f4".into(),
            integration_latency: 42,
        }
    }
}

impl Env {
    pub fn from_config(c: &EnvConfig) -> Env {
        let d = Env::default();
        Env {
            request_time_epoch: c.request_time_epoch.unwrap_or(d.request_time_epoch),
            request_id: c.request_id.clone().unwrap_or(d.request_id),
            extended_request_id: c
                .extended_request_id
                .clone()
                .unwrap_or(d.extended_request_id),
            trace_id: c.trace_id.clone().unwrap_or(d.trace_id),
            cf_id: c.cf_id.clone().unwrap_or(d.cf_id),
            via_id: c.via_id.clone().unwrap_or(d.via_id),
            cf_pop: c.cf_pop.clone().unwrap_or(d.cf_pop),
            edge_ip: c.edge_ip.clone().unwrap_or(d.edge_ip),
            vpc_id: c.vpc_id.clone().unwrap_or(d.vpc_id),
            vpce_id: c.vpce_id.clone().unwrap_or(d.vpce_id),
            lambda_request_id: c.lambda_request_id.clone().unwrap_or(d.lambda_request_id),
            integration_latency: c.integration_latency.unwrap_or(d.integration_latency),
        }
    }

    /// The root part of the trace id (`1-6925b2d8-...`), for the `X-Amzn-Trace-Id` Lambda echoes back.
    pub fn trace_root(&self) -> &str {
        self.trace_id
            .strip_prefix("Root=")
            .unwrap_or(&self.trace_id)
    }
}
