//! Java-flavored formatting used by API Gateway's execution log and variables (spec §10.2, §2.2, §5.1).
//!
//! API (pure; times are epoch milliseconds, UTC, no date crate):
//! - [`java_map`]`(pairs)`: `{a=b, c=d}` (`{}` when empty), in the given order — Java `Map.toString()` (§10.2).
//! - [`java_date`]`(ms)`: Java `Date.toString()` in UTC, `Tue Nov 25 13:45:12 UTC 2025` (log timestamps, §10.2).
//! - [`clf_time`]`(ms)`: `25/Nov/2025:13:45:12 +0000` (`requestContext.requestTime`, `$context.requestTime`, §2.2).
//! - [`http_date`]`(ms)`: `Tue, 25 Nov 2025 13:45:12 GMT` (the `Date` header, §1.4).
//! - [`amz_date`]`(ms)`: `20251125T134512Z` (`X-Amz-Date` of Lambda/AWS endpoint requests, §10.4).
//! - [`truncate_log`]`(s)`: cuts after [`LOG_TRUNCATE_CHARS`] characters and appends ` [TRUNCATED]` (§10.2).
//! - [`mask_authorization`]`(v)`: every character `*` except the last 6 (`****…338c72` in §10.5 is that shape
//!   with the stars shortened by the doc); values of 6 characters or fewer are fully masked \[INFER\].
//! - [`log_headers`]`(headers)`: [`java_map`] with `Authorization` values masked (case-insensitive name).
//!
//! Truncation counts characters, not bytes, so it never splits a UTF-8 sequence. The exact AWS cut-off is
//! "around 1000 characters" (§10.2); 1000 is used.

use std::fmt::Write as _;

/// Characters kept before ` [TRUNCATED]` (§10.2).
pub const LOG_TRUNCATE_CHARS: usize = 1000;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1–12
    pub month: u32,
    /// 1–31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Thursday … index into a Thu-first table; use [`Civil::weekday_name`].
    weekday: usize,
}

impl Civil {
    /// From epoch milliseconds (negative values are before 1970).
    pub fn from_epoch_ms(ms: i64) -> Civil {
        let secs = ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days (public-domain algorithm), valid for the whole i64 day range we use.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
            weekday: days.rem_euclid(7) as usize,
        }
    }

    pub fn weekday_name(&self) -> &'static str {
        DAYS[self.weekday % 7]
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize + 11) % 12]
    }
}

/// `Tue Nov 25 13:45:12 UTC 2025` (Java `EEE MMM dd HH:mm:ss zzz yyyy`).
pub fn java_date(ms: i64) -> String {
    let c = Civil::from_epoch_ms(ms);
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} UTC {}",
        c.weekday_name(),
        c.month_name(),
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// `25/Nov/2025:13:45:12 +0000`.
pub fn clf_time(ms: i64) -> String {
    let c = Civil::from_epoch_ms(ms);
    format!(
        "{:02}/{}/{}:{:02}:{:02}:{:02} +0000",
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// `Tue, 25 Nov 2025 13:45:12 GMT` (RFC 7231 IMF-fixdate).
pub fn http_date(ms: i64) -> String {
    let c = Civil::from_epoch_ms(ms);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        c.weekday_name(),
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// `20251125T134512Z`.
pub fn amz_date(ms: i64) -> String {
    let c = Civil::from_epoch_ms(ms);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Java `Map.toString()`: `{k1=v1, k2=v2}`.
pub fn java_map<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}={}", k.as_ref(), v.as_ref());
    }
    out.push('}');
    out
}

/// Cuts `s` after [`LOG_TRUNCATE_CHARS`] characters, appending ` [TRUNCATED]` (§10.2).
pub fn truncate_log(s: &str) -> String {
    match s.char_indices().nth(LOG_TRUNCATE_CHARS) {
        Some((cut, _)) => format!("{} [TRUNCATED]", &s[..cut]),
        None => s.to_string(),
    }
}

/// All `*` except the last 6 characters (§10.2, §10.5).
pub fn mask_authorization(value: &str) -> String {
    let n = value.chars().count();
    if n <= 6 {
        return "*".repeat(n);
    }
    let tail: String = value.chars().skip(n - 6).collect();
    format!("{}{}", "*".repeat(n - 6), tail)
}

/// A header map for the log: Java map syntax with `Authorization` masked.
pub fn log_headers<K: AsRef<str>, V: AsRef<str>>(headers: &[(K, V)]) -> String {
    let masked: Vec<(&str, String)> = headers
        .iter()
        .map(|(k, v)| {
            let k = k.as_ref();
            let v = if k.eq_ignore_ascii_case("authorization") {
                mask_authorization(v.as_ref())
            } else {
                v.as_ref().to_string()
            };
            (k, v)
        })
        .collect();
    java_map(&masked)
}

/// `java.lang.String.hashCode` (over UTF-16 code units).
pub fn java_string_hash(s: &str) -> u32 {
    s.encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)))
}

/// The iteration order of a `java.util.HashSet<String>` filled with `items` in order (duplicates dropped):
/// buckets by `(h ^ h >>> 16) & (capacity - 1)`, capacity 16 doubling past a 0.75 load factor, insertion order
/// within a bucket (which Java 8's resize split preserves). Bins are never treeified here (that needs 8 colliding
/// names), so very large collision sets could differ.
pub fn java_hash_set_order(items: &[String]) -> Vec<String> {
    // The same map type as `java_hash_map_order_in`'s index (the value is unused): one hash table
    // instantiation in the wasm bundles instead of two (docs/size.md, fourth round).
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let unique: Vec<&String> = items
        .iter()
        .filter(|it| seen.insert(it.as_str(), 0).is_none())
        .collect();
    hash_order_indices(&unique, 16)
        .into_iter()
        .filter_map(|i| unique.get(i).map(|s| (*s).clone()))
        .collect()
}

/// The iteration order of a `java.util.HashMap<String, String>` built by `put`ting `pairs` in order: each name
/// keeps the position of its first `put` and the value of its last (as [`java_hash_set_order`]).
pub fn java_hash_map_order(pairs: &[(String, String)]) -> Vec<(String, String)> {
    java_hash_map_order_in(pairs, 16)
}

/// [`java_hash_map_order`] for a map whose table has at least `min_buckets` buckets (a power of two).
pub fn java_hash_map_order_in(
    pairs: &[(String, String)],
    min_buckets: usize,
) -> Vec<(String, String)> {
    // Linear in the number of pairs: a request may carry many headers.
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut unique: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        match index.get(k.as_str()).and_then(|&i| unique.get_mut(i)) {
            Some(slot) => slot.1 = v.clone(),
            None => {
                index.insert(k.as_str(), unique.len());
                unique.push((k.clone(), v.clone()));
            }
        }
    }
    let keys: Vec<&String> = unique.iter().map(|(k, _)| k).collect();
    hash_order_indices(&keys, min_buckets)
        .into_iter()
        .filter_map(|i| unique.get(i).cloned())
        .collect()
}

/// Indices of `unique` (distinct keys, in insertion order) in Java `HashMap` iteration order.
fn hash_order_indices(unique: &[&String], min_buckets: usize) -> Vec<usize> {
    let mut capacity: usize = min_buckets.max(1).next_power_of_two();
    while unique.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let bucket = |s: &str| {
        let h = java_string_hash(s);
        ((h ^ (h >> 16)) as usize) & (capacity - 1)
    };
    // Bucket by bucket, each in insertion order: a counting sort, linear like the rest, and
    // without another copy of std's sort in the wasm bundles (docs/size.md).
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); capacity];
    for (i, s) in unique.iter().enumerate() {
        if let Some(b) = buckets.get_mut(bucket(s)) {
            b.push(i);
        }
    }
    buckets.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_764_078_312_345; // spec §2.4 requestTimeEpoch

    #[test]
    fn formats_of_the_spec_2_4_example_time_spec_2_2() {
        assert_eq!(clf_time(T), "25/Nov/2025:13:45:12 +0000");
        assert_eq!(java_date(T), "Tue Nov 25 13:45:12 UTC 2025");
        assert_eq!(http_date(T), "Tue, 25 Nov 2025 13:45:12 GMT");
        assert_eq!(amz_date(T), "20251125T134512Z");
    }

    #[test]
    fn formats_of_the_console_samples_spec_10_4() {
        // 1685409765146 is the requestTimeEpoch of the §10.4 capture: "30/May/2023:01:22:45 +0000".
        assert_eq!(clf_time(1_685_409_765_146), "30/May/2023:01:22:45 +0000");
        assert_eq!(java_date(1_685_409_765_146), "Tue May 30 01:22:45 UTC 2023");
        assert_eq!(amz_date(1_685_409_765_146), "20230530T012245Z");
    }

    #[test]
    fn epoch_edges_and_leap_days() {
        assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(clf_time(951_782_400_000), "29/Feb/2000:00:00:00 +0000");
        assert_eq!(java_date(4_107_542_400_000), "Mon Mar 01 00:00:00 UTC 2100");
    }

    #[test]
    fn java_map_syntax_spec_10_2() {
        assert_eq!(java_map::<&str, &str>(&[]), "{}");
        assert_eq!(
            java_map(&[("foo", "bar"), ("tag", "b")]),
            "{foo=bar, tag=b}"
        );
    }

    #[test]
    fn truncation_after_1000_chars_spec_10_2() {
        let s = "é".repeat(1001);
        let t = truncate_log(&s);
        assert!(t.ends_with("é [TRUNCATED]"));
        assert_eq!(t.chars().count(), 1000 + " [TRUNCATED]".len());
        assert_eq!(truncate_log(&"a".repeat(1000)), "a".repeat(1000));
    }

    #[test]
    fn authorization_masked_except_last_6_spec_10_5() {
        assert_eq!(
            mask_authorization("AWS4-HMAC-SHA256 Credential=x 338c72"),
            format!("{}338c72", "*".repeat(30))
        );
        assert_eq!(mask_authorization("abc"), "***");
        assert_eq!(
            log_headers(&[("authorization", "Bearer t0k3n99"), ("day", "Wednesday")]),
            "{authorization=********0k3n99, day=Wednesday}"
        );
    }

    #[test]
    fn hash_set_order_matches_recorded_validation_messages_spec_9_2() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // LocalStack AWS-recorded snapshot and a test asserting a real API's message.
        assert_eq!(
            java_hash_set_order(&v(&["x-header-param", "issuer", "qs1"])),
            v(&["x-header-param", "issuer", "qs1"])
        );
        assert_eq!(
            java_hash_set_order(&v(&["age", "employmentStatus", "grossIncome"])),
            v(&["grossIncome", "employmentStatus", "age"])
        );
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_hash_set_order(&v(&["id", "id"])), v(&["id"]));
    }

    #[test]
    fn hash_map_order_matches_recorded_method_request_headers_spec_10_2() {
        // A 2019 CloudWatch execution log of an EDGE call: 15 headers in Java HashMap order.
        let recorded = "Accept, CloudFront-Viewer-Country, CloudFront-Forwarded-Proto, CloudFront-Is-Tablet-Viewer, CloudFront-Is-Mobile-Viewer, User-Agent, X-Forwarded-Proto, CloudFront-Is-SmartTV-Viewer, Host, X-Forwarded-Port, X-Amzn-Trace-Id, Via, X-Amz-Cf-Id, X-Forwarded-For, CloudFront-Is-Desktop-Viewer";
        let mut received: Vec<(String, String)> = recorded
            .split(", ")
            .map(|k| (k.to_string(), "v".to_string()))
            .collect();
        received.sort();
        let got: Vec<String> = java_hash_map_order(&received)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(got.join(", "), recorded);
        let dup = vec![
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
        ];
        assert_eq!(
            java_hash_map_order(&dup),
            vec![("a".to_string(), "2".to_string())]
        );
    }
}
