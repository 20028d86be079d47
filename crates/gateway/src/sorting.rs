//! Sorting by a text key through one shared instantiation of the standard library's sort.
//!
//! Every `sort_by_key` / `sort_unstable` call on a new element type links another copy of the
//! standard library's sort (drift sort + quicksort + small-sort networks, about 5 KB of wasm
//! each). The gateway's sorts are all by text (header names, cookie names, schema keywords and
//! property names) over short lists, so they share the one copy instantiated here: the keys and
//! their positions are sorted, then the items are moved into that order. docs/size.md has the
//! measured saving.

/// Sorts `items` by `key`, stably (equal keys keep their order), comparing keys as `str` does
/// (by UTF-8 bytes, which is by code point).
pub(crate) fn sort_by_str_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> &str) {
    let order = {
        let mut keyed: Vec<(&str, usize)> =
            items.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
        sort_keyed(&mut keyed);
        keyed.into_iter().map(|(_, i)| i).collect::<Vec<usize>>()
    };
    apply_order(items, &order);
}

/// Sorts owned keys with their positions, e.g. lowercased names (`sort_by_cached_key`), and
/// returns the positions in sorted order.
pub(crate) fn order_of_owned_keys(keys: &[String]) -> Vec<usize> {
    let mut keyed: Vec<(&str, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    sort_keyed(&mut keyed);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The one instantiation: stable, by key only.
fn sort_keyed(keyed: &mut [(&str, usize)]) {
    keyed.sort_by(|a, b| a.0.cmp(b.0));
}

/// Moves `items` into `order` (a permutation of `0..items.len()`, as built above).
fn apply_order<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_by_key_keeps_equal_keys_in_order() {
        let mut v = vec!["b=2", "a=1", "b=1", "a=0", "c"];
        sort_by_str_key(&mut v, |s| s.split('=').next().unwrap_or(""));
        assert_eq!(v, ["a=1", "a=0", "b=2", "b=1", "c"]);
    }

    #[test]
    fn keys_compare_by_code_point() {
        // Uppercase before lowercase, and a prefix before its extensions, as `str::cmp`.
        let mut v = vec!["b", "B", "ab", "a", "é", "z"];
        sort_by_str_key(&mut v, |s| s);
        assert_eq!(v, ["B", "a", "ab", "b", "z", "é"]);
    }

    #[test]
    fn owned_keys_give_the_sorted_positions() {
        let keys = vec!["x-b".to_string(), "X-A".to_lowercase(), "x-b".to_string()];
        assert_eq!(order_of_owned_keys(&keys), [1, 0, 2]);
    }

    #[test]
    fn empty_and_single_lists() {
        let mut e: Vec<&str> = Vec::new();
        sort_by_str_key(&mut e, |s| s);
        assert!(e.is_empty());
        let mut one = vec![String::from("only")];
        sort_by_str_key(&mut one, |s| s.as_str());
        assert_eq!(one, ["only"]);
    }
}
