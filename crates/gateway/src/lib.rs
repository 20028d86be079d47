//! Amazon API Gateway (REST, v1) simulation. Pure: no IO, no clock or randomness except
//! through an injected environment.

pub mod api;
pub mod endpoint;
pub mod gateway_response;
pub mod header_rules;
pub mod javafmt;
pub mod proxy;
pub mod querystring;
pub mod routing;
pub mod template;
// The request pipeline (pipeline helper).
pub mod binary;
pub mod env;
mod gwresp;
pub mod integration;
mod jobj;
mod json_path;
mod json_write;
pub mod jsonschema;
pub mod log;
pub mod mapping;
pub mod pipeline;
pub mod scenario;
pub mod selection;
mod shim;
mod sorting;
pub mod trace;
mod validation;
