//! Amazon API Gateway (REST, v1) simulation. Pure: no IO, no clock or randomness except
//! through an injected environment.

pub mod api;
pub mod template;
pub mod querystring;
pub mod routing;
pub mod proxy;
pub mod header_rules;
pub mod endpoint;
pub mod javafmt;
pub mod gateway_response;
// The request pipeline (pipeline helper).
pub mod binary;
pub mod env;
mod gwresp;
pub mod integration;
pub mod log;
pub mod mapping;
pub mod pipeline;
pub mod scenario;
pub mod selection;
mod shim;
pub mod trace;
mod validation;
