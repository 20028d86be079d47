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
