//! Duplicate customers: the keys two records of one person share (normalised e-mail, phone,
//! an external id from another source, a similar name) and the scored candidate pairs.
//!
//! Normalisation rules (what the API documents):
//! - e-mail: trimmed, lower case; at `gmail.com` / `googlemail.com` the dots and any
//!   `+tag` of the local part are dropped and the domain is read as `gmail.com` (Google
//!   delivers all of them to one mailbox); other domains keep their local part as is.
//! - phone: digits only; a leading `+` or international `00` prefix is dropped, so
//!   `+44 20 7946 0958` and `0044 20 7946 0958` meet; numbers written without a country
//!   code keep their digits (we do not guess a country), so they meet only their own kind.
//! - external id: `source:key` ids (`shopify:123`, `pos:123`) from different sources with
//!   the same key; an external id is otherwise unique in a workspace.
//! - name: lower case, letters and digits only, words joined by one space; compared with
//!   Jaro-Winkler only within a block (the same first three letters of the normalised name,
//!   or the same company e-mail domain), never across the whole workspace.

use std::collections::{BTreeMap, BTreeSet};

/// A name pair at least this similar (Jaro-Winkler) is a candidate on its own.
pub const NAME_THRESHOLD: f64 = 0.92;
/// Blocks larger than this are skipped for name comparison (a common prefix says little and
/// would cost the square of its size): e-mail, phone and external-id matches still count.
pub const MAX_BLOCK: usize = 2_000;

/// Mail providers whose domain says nothing about who the customer is.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
    "mail.ru",
];

/// What one account offers for matching (its own fields and its contacts').
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub external_id: Option<String>,
}

/// Why two accounts look like one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// `email`, `phone`, `external_id` or `name`.
    pub kind: &'static str,
    /// The shared normalised value (for `name`: the two names and their similarity).
    pub value: String,
}

/// Two accounts that may be one customer: `first` is the one created first (ids are
/// UUIDv7), the suggested survivor.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub first: String,
    pub second: String,
    /// In `[0, 1]`: one minus the product of each reason's doubt.
    pub score: f64,
    pub reasons: Vec<Reason>,
}

pub fn normalise_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    if domain == "gmail.com" || domain == "googlemail.com" {
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        if local.is_empty() {
            return None;
        }
        return Some(format!("{local}@gmail.com"));
    }
    Some(email)
}

pub fn normalise_phone(phone: &str) -> Option<String> {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let digits = if trimmed.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else {
        digits
    };
    (digits.len() >= 7).then_some(digits)
}

pub fn normalise_name(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `(source, key)` of a `source:key` external id.
fn external_key(external_id: &str) -> Option<(&str, &str)> {
    let (source, key) = external_id.split_once(':')?;
    (!source.is_empty() && !key.is_empty()).then_some((source, key))
}

/// How much each kind of shared key is worth on its own.
fn weight(kind: &str, similarity: f64) -> f64 {
    match kind {
        "email" => 0.95,
        "external_id" => 0.9,
        "phone" => 0.85,
        // A similar name alone is weaker evidence than any shared contact point.
        _ => 0.8 * similarity,
    }
}

/// The candidate pairs among `candidates`, best first (score, then ids).
pub fn find_pairs(candidates: &[Candidate]) -> Vec<Pair> {
    // Blocking: each key maps to the accounts that carry it; pairs only within a key.
    let mut exact: BTreeMap<(&'static str, String), BTreeSet<usize>> = BTreeMap::new();
    let mut name_blocks: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let names: Vec<String> = candidates.iter().map(|c| normalise_name(&c.name)).collect();
    for (i, c) in candidates.iter().enumerate() {
        for e in c.emails.iter().filter_map(|e| normalise_email(e)) {
            if let Some((_, domain)) = e.rsplit_once('@') {
                if !FREE_MAIL.contains(&domain) {
                    name_blocks
                        .entry(format!("@{domain}"))
                        .or_default()
                        .insert(i);
                }
            }
            exact.entry(("email", e)).or_default().insert(i);
        }
        for p in c.phones.iter().filter_map(|p| normalise_phone(p)) {
            exact.entry(("phone", p)).or_default().insert(i);
        }
        if let Some((_, key)) = c.external_id.as_deref().and_then(external_key) {
            exact
                .entry(("external_id", key.to_owned()))
                .or_default()
                .insert(i);
        }
        let prefix: String = names[i].chars().take(3).collect();
        if prefix.chars().count() == 3 {
            name_blocks.entry(prefix).or_default().insert(i);
        }
    }
    let mut found: BTreeMap<(usize, usize), Vec<Reason>> = BTreeMap::new();
    for ((kind, value), members) in &exact {
        let members: Vec<usize> = members.iter().copied().collect();
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if *kind == "external_id" && same_source(&candidates[a], &candidates[b]) {
                    continue;
                }
                found.entry((a, b)).or_default().push(Reason {
                    kind,
                    value: value.clone(),
                });
            }
        }
    }
    let mut compared: BTreeSet<(usize, usize)> = BTreeSet::new();
    for members in name_blocks.values() {
        if members.len() > MAX_BLOCK {
            continue;
        }
        let members: Vec<usize> = members.iter().copied().collect();
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if !compared.insert((a, b)) || names[a].is_empty() || names[b].is_empty() {
                    continue;
                }
                let similarity = strsim::jaro_winkler(&names[a], &names[b]);
                if similarity >= NAME_THRESHOLD {
                    found.entry((a, b)).or_default().push(Reason {
                        kind: "name",
                        value: format!("{} ~ {} ({similarity:.2})", names[a], names[b]),
                    });
                }
            }
        }
    }
    let mut pairs: Vec<Pair> = found
        .into_iter()
        .map(|((a, b), reasons)| {
            let doubt: f64 = reasons
                .iter()
                .map(|r| 1.0 - weight(r.kind, similarity_of(r)))
                .product();
            let (first, second) = if candidates[a].id <= candidates[b].id {
                (a, b)
            } else {
                (b, a)
            };
            Pair {
                first: candidates[first].id.clone(),
                second: candidates[second].id.clone(),
                score: round3((1.0 - doubt).clamp(0.0, 1.0)),
                reasons,
            }
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.first.cmp(&y.first))
            .then_with(|| x.second.cmp(&y.second))
    });
    pairs
}

fn same_source(a: &Candidate, b: &Candidate) -> bool {
    source(a) == source(b)
}

fn source(c: &Candidate) -> Option<&str> {
    c.external_id.as_deref().and_then(external_key).map(|k| k.0)
}

/// The similarity a `name` reason carries (its value ends with `(0.97)`).
fn similarity_of(reason: &Reason) -> f64 {
    reason
        .value
        .rsplit_once('(')
        .and_then(|(_, s)| s.trim_end_matches(')').parse().ok())
        .unwrap_or(1.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, name: &str, emails: &[&str], phones: &[&str], ext: Option<&str>) -> Candidate {
        Candidate {
            id: id.into(),
            name: name.into(),
            emails: emails.iter().map(|s| (*s).into()).collect(),
            phones: phones.iter().map(|s| (*s).into()).collect(),
            external_id: ext.map(Into::into),
        }
    }

    #[test]
    fn normalises_keys() {
        assert_eq!(
            normalise_email(" Ada.Love+shop@GoogleMail.com ").as_deref(),
            Some("adalove@gmail.com")
        );
        assert_eq!(
            normalise_email("a.b+c@example.com").as_deref(),
            Some("a.b+c@example.com")
        );
        assert_eq!(
            normalise_phone("+44 20 7946-0958"),
            normalise_phone("0044 (20) 7946 0958")
        );
        assert_eq!(normalise_phone("123"), None);
        assert_eq!(normalise_name("  Ada   LOVELACE, Jr."), "ada lovelace jr");
    }

    #[test]
    fn finds_pairs_by_each_key_with_reasons() {
        let all = vec![
            c("1", "Ada Lovelace", &["ada@gmail.com"], &[], None),
            c("2", "A. King", &["a.da+x@gmail.com"], &[], None),
            c("3", "Bob", &[], &["+33 6 12 34 56 78"], Some("shop:9")),
            c("4", "Robert", &[], &["0033612345678"], Some("pos:9")),
            c("5", "Charles Babbage", &[], &[], None),
            c("6", "Charles Babage", &[], &[], None),
            c("7", "Zed", &[], &[], Some("pos:1")),
            c("8", "Zoe", &[], &[], Some("pos:1x")),
        ];
        let pairs = find_pairs(&all);
        let kinds = |a: &str, b: &str| -> Vec<&str> {
            pairs
                .iter()
                .find(|p| p.first == a && p.second == b)
                .map(|p| p.reasons.iter().map(|r| r.kind).collect())
                .unwrap_or_default()
        };
        assert_eq!(kinds("1", "2"), ["email"]);
        assert_eq!(kinds("3", "4"), ["external_id", "phone"]);
        assert_eq!(kinds("5", "6"), ["name"]);
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        assert!(pairs.iter().all(|p| (0.0..=1.0).contains(&p.score)));
        assert!(pairs[0].score >= pairs[1].score && pairs[1].score >= pairs[2].score);
    }

    #[test]
    fn same_source_external_ids_are_not_a_match() {
        let all = vec![
            c("1", "X", &[], &[], Some("shop:1")),
            c("2", "Y", &[], &[], Some("shop:1")),
        ];
        assert!(find_pairs(&all).is_empty());
    }
}
