//! The shipped-size report: every wasm, JS and CSS file in dist/, raw and gzipped (level 9).

use std::path::Path;

/// gzip = 10-byte header + raw DEFLATE stream + 8-byte trailer (CRC32, length), so the gzipped
/// size is the DEFLATE size plus 18 bytes (no file name is stored, as with `gzip -9 -n`).
const GZIP_OVERHEAD: usize = 18;

pub fn gzip9_len(data: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(data, 9).len() + GZIP_OVERHEAD
}

pub fn report(dist: &Path) -> Result<(), String> {
    let mut rows: Vec<(String, &'static str, usize, usize)> = Vec::new();
    let entries = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e} (did the build run?)", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => "wasm",
            Some("js" | "mjs") => "js",
            Some("css") => "css",
            _ => continue,
        };
        let data =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        rows.push((name, kind, data.len(), gzip9_len(&data)));
    }
    if !rows.iter().any(|r| r.1 == "wasm") {
        return Err(format!(
            "no .wasm file in {}: the build did not produce the app",
            dist.display()
        ));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.3));
    println!(
        "Shipped size of the playground ({}; gzip level 9):",
        dist.display()
    );
    println!("  {:<44} {:>12} {:>12}", "file", "bytes", "gzipped");
    for (name, _, raw, gz) in &rows {
        println!("  {name:<44} {:>12} {:>12}", group(*raw), group(*gz));
    }
    for kind in ["wasm", "js", "css"] {
        let (raw, gz) = rows
            .iter()
            .filter(|r| r.1 == kind)
            .fold((0, 0), |(r, g), row| (r + row.2, g + row.3));
        println!(
            "  {:<44} {:>12} {:>12}",
            format!("{kind} total"),
            group(raw),
            group(gz)
        );
    }
    let (raw, gz) = rows
        .iter()
        .fold((0, 0), |(r, g), row| (r + row.2, g + row.3));
    println!(
        "  {:<44} {:>12} {:>12}",
        "TOTAL (wasm + js + css)",
        group(raw),
        group(gz)
    );
    println!("gzipped total: {gz} bytes ({:.1} KiB)", gz as f64 / 1024.0);
    Ok(())
}

/// 1234567 -> "1,234,567".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_inserts_thousands_separators() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
    }

    #[test]
    fn gzip_size_is_deflate_plus_header_and_trailer() {
        // Highly repetitive input compresses to far less than its size; empty input still has
        // the 18-byte gzip frame plus a minimal DEFLATE block.
        assert!(gzip9_len(&[b'a'; 10_000]) < 100);
        let empty = gzip9_len(b"");
        assert!(
            (GZIP_OVERHEAD..GZIP_OVERHEAD + 5).contains(&empty),
            "{empty}"
        );
    }
}
