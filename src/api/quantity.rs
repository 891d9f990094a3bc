//! Resource quantities (`20Gi`, `500m`). (Placeholder until the full parser lands.)

pub fn parse_bytes(s: &str) -> Option<u128> {
    let units = [("Ki", 1u128 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40), ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000)];
    for (suffix, mult) in units {
        if let Some(n) = s.strip_suffix(suffix) {
            return n.parse::<u128>().ok().map(|n| n * mult);
        }
    }
    s.parse().ok()
}
