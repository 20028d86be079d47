//! Payloads, binary media types and `contentHandling` conversions (spec §11.2, §3.3).

use base64::Engine as _;

/// A body as bytes plus whether API Gateway treats it as binary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payload {
    pub bytes: Vec<u8>,
    pub binary: bool,
}

impl Payload {
    pub fn text(s: impl Into<String>) -> Payload {
        Payload {
            bytes: s.into().into_bytes(),
            binary: false,
        }
    }
    /// The body as text: UTF-8 (lossy for stray bytes) for text payloads, base64 for binary ones,
    /// which is what a mapping template's `$input.body` sees (spec §11.2).
    pub fn as_template_text(&self) -> String {
        if self.binary {
            encode_base64(&self.bytes)
        } else {
            match std::str::from_utf8(&self.bytes) {
                Ok(s) => s.to_string(),
                Err(_) => String::from_utf8_lossy(&self.bytes).into_owned(),
            }
        }
    }
    /// `(text, isBase64Encoded)` for a JSON result: text when valid UTF-8 and not binary, else base64.
    pub fn to_wire(&self) -> (String, bool) {
        if !self.binary {
            if let Ok(s) = std::str::from_utf8(&self.bytes) {
                return (s.to_string(), false);
            }
        }
        (encode_base64(&self.bytes), true)
    }
}

pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .map_err(|e| e.to_string())
}

pub fn encode_base64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// The MIME type of a `Content-Type` / `Accept` value: parameters stripped, lowercased (spec §4.1).
pub fn mime(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The first media type of an `Accept` header (spec §11.2: only the first is considered).
pub fn first_accept(accept: &str) -> String {
    mime(accept.split(',').next().unwrap_or(""))
}

/// Does `mime_type` match an entry of `binaryMediaTypes`? Entries may end in `/*` (`image/*`) or be
/// `*/*`; a left wildcard (`*/png`) never matches; a wildcard in the *request* value (`image/*`, `*/*`)
/// matches only an identical entry (spec §3.3 recorded rules).
pub fn matches_binary(binary_media_types: &[String], mime_type: &str) -> bool {
    let m = mime_type.to_ascii_lowercase();
    if m.is_empty() {
        return false;
    }
    binary_media_types.iter().any(|entry| {
        let e = entry.trim().to_ascii_lowercase();
        // A left-wildcard entry matches nothing, not even an identical Accept (`*/test`) [AWS-REC: LocalStack
        // test_apigateway_lambda.py::test_aws_proxy_binary_response, spec §3.3].
        if e.starts_with("*/") && e != "*/*" {
            return false;
        }
        if e == "*/*" || e == m {
            return true;
        }
        match (e.split_once('/'), m.split_once('/')) {
            (Some((et, "*")), Some((mt, ms))) => et != "*" && et == mt && ms != "*",
            _ => false,
        }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handling {
    Passthrough,
    ConvertToText,
    ConvertToBinary,
}

impl From<Option<crate::scenario::ContentHandling>> for Handling {
    fn from(c: Option<crate::scenario::ContentHandling>) -> Self {
        match c {
            None => Handling::Passthrough,
            Some(crate::scenario::ContentHandling::ConvertToText) => Handling::ConvertToText,
            Some(crate::scenario::ContentHandling::ConvertToBinary) => Handling::ConvertToBinary,
        }
    }
}

/// Request conversion (spec §11.2 first table). `Err` = the text was not base64 (→ 500).
pub fn convert_request(
    p: &Payload,
    h: Handling,
) -> Result<(Payload, Option<&'static str>), String> {
    // A text payload (Content-Type not a binary media type) that is not valid UTF-8 reaches the integration
    // decoded as UTF-8, each malformed sequence replaced by U+FFFD (spec §11.2 [AWS-REC 2025-02: LocalStack
    // test_apigateway_s3 TestApiGatewayS3BinarySupport, "get-obj-no-binary-media-binary-raw": 67 gzip bytes
    // stored as 99]).
    let lossy;
    let p = if !p.binary && std::str::from_utf8(&p.bytes).is_err() {
        lossy = Payload::text(String::from_utf8_lossy(&p.bytes));
        if h != Handling::ConvertToBinary {
            return Ok((
                lossy,
                Some("text payload is not valid UTF-8: malformed bytes replaced by U+FFFD (spec §11.2 recorded)"),
            ));
        }
        &lossy
    } else {
        p
    };
    match (p.binary, h) {
        (true, Handling::ConvertToText) => Ok((
            Payload::text(encode_base64(&p.bytes)),
            Some("binary payload base64-encoded (CONVERT_TO_TEXT, spec §11.2)"),
        )),
        (false, Handling::ConvertToBinary) => {
            let text = String::from_utf8_lossy(&p.bytes);
            let bytes = decode_base64(&text)?;
            Ok((
                Payload {
                    bytes,
                    binary: true,
                },
                Some("text payload base64-decoded to binary (CONVERT_TO_BINARY, spec §11.2)"),
            ))
        }
        _ => Ok((p.clone(), None)),
    }
}

/// Response conversion (spec §11.2 second table): `accept_binary` = the request's first Accept type
/// matches binaryMediaTypes; `types_set` = binaryMediaTypes is not empty.
pub fn convert_response(
    p: &Payload,
    h: Handling,
    accept_binary: bool,
    types_set: bool,
) -> Result<(Payload, Option<&'static str>), String> {
    let decode = |p: &Payload| -> Result<Payload, String> {
        Ok(Payload {
            bytes: decode_base64(&String::from_utf8_lossy(&p.bytes))?,
            binary: true,
        })
    };
    let encode = |p: &Payload| Payload::text(encode_base64(&p.bytes));
    // A text payload that is not valid UTF-8 and is delivered as text reaches the client decoded as UTF-8,
    // each malformed sequence replaced by U+FFFD (spec §11.2 [AWS-REC 2025-02: LocalStack test_apigateway_s3
    // TestApiGatewayS3BinarySupport, "raw-no-media" and "raw-payload-text-accept-text": 67 gzip bytes read as 99]).
    let decodes = h == Handling::ConvertToBinary
        || (h == Handling::Passthrough && types_set && accept_binary);
    if !p.binary && !decodes && std::str::from_utf8(&p.bytes).is_err() {
        return Ok((
            Payload::text(String::from_utf8_lossy(&p.bytes)),
            Some("text payload is not valid UTF-8: malformed bytes replaced by U+FFFD (spec §11.2 recorded)"),
        ));
    }
    match (p.binary, h) {
        (_, Handling::ConvertToBinary) if !p.binary => {
            Ok((decode(p)?, Some("text payload base64-decoded (CONVERT_TO_BINARY, spec §11.2)")))
        }
        (true, Handling::ConvertToBinary) => Ok((p.clone(), None)),
        (true, Handling::ConvertToText) => Ok((encode(p), Some("binary payload base64-encoded (CONVERT_TO_TEXT, spec §11.2)"))),
        (false, Handling::ConvertToText) => Ok((p.clone(), None)),
        (false, Handling::Passthrough) if types_set && accept_binary => Ok((
            decode(p)?,
            Some("text payload base64-decoded: the first Accept type is a binary media type (spec §11.2)"),
        )),
        (true, Handling::Passthrough) if types_set && !accept_binary => Ok((
            encode(p),
            Some("binary payload base64-encoded: the first Accept type is not a binary media type (spec §11.2)"),
        )),
        _ => Ok((p.clone(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_rules_spec_3_3() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matches_binary(
            &t(&["application/*"]),
            "application/whatever"
        ));
        assert!(!matches_binary(&t(&["*/test"]), "application/test"));
        assert!(!matches_binary(&t(&["*/test"]), "*/test"));
        assert!(!matches_binary(&t(&["image/png"]), "*/*"));
        assert!(!matches_binary(&t(&["image/png"]), "image/*"));
        assert!(matches_binary(&t(&["*/*"]), "text/html"));
        assert_eq!(first_accept("image/webp,image/png"), "image/webp");
    }

    #[test]
    fn response_table_rows_spec_11_2() {
        let text = Payload::text("aGk=");
        let (p, _) = convert_response(&text, Handling::Passthrough, true, true).unwrap();
        assert_eq!(
            p,
            Payload {
                bytes: b"hi".to_vec(),
                binary: true
            }
        );
        let (p, _) = convert_response(&text, Handling::Passthrough, false, true).unwrap();
        assert_eq!(p, text);
        let bin = Payload {
            bytes: b"hi".to_vec(),
            binary: true,
        };
        let (p, _) = convert_response(&bin, Handling::Passthrough, false, true).unwrap();
        assert_eq!(p, Payload::text("aGk="));
        assert!(convert_response(
            &Payload::text("not base64!"),
            Handling::ConvertToBinary,
            false,
            false
        )
        .is_err());
    }
}
