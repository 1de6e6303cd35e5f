//! The customer record's vocabulary and field rules: kinds, lifecycle stages, phones,
//! addresses, custom attributes, interaction types and channels.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares a closed set of snake_case names with `as_str`, `ALL` and `parse`.
macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// `a, b or c`, for error messages.
            pub fn choices() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                names.join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(
    /// A customer is a person or an organization (which has contacts).
    AccountKind { Person => "person", Organization => "organization" }
);

names!(
    /// Where the customer stands in the relationship.
    LifecycleStage { Lead => "lead", Prospect => "prospect", Customer => "customer", Churned => "churned" }
);

names!(
    /// Channels a customer may consent to be marketed on.
    ConsentChannel { Email => "email", Sms => "sms", Push => "push" }
);

names!(
    /// What happened on the timeline.
    InteractionType {
        Note => "note", Call => "call", Email => "email", Meeting => "meeting",
        Task => "task", Ticket => "ticket", Feedback => "feedback",
    }
);

names!(
    /// Where it happened.
    Channel {
        Web => "web", App => "app", Store => "store", Phone => "phone",
        Email => "email", Social => "social", Chat => "chat",
    }
);

names!(
    Direction { Inbound => "inbound", Outbound => "outbound" }
);

/// A phone number, normalised: separators removed, `+` kept for international numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a phone number: use digits (7 to 15), optionally with a leading + and spaces, dots, dashes or parentheses")]
pub struct InvalidPhone;

impl Phone {
    /// `+44 20 7946-0958` -> `+442079460958`. Numbers without `+` keep their digits as given
    /// (we do not guess a country).
    pub fn parse(input: &str) -> Result<Self, InvalidPhone> {
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(InvalidPhone),
            }
        }
        if !(7..=15).contains(&digits.len()) {
            return Err(InvalidPhone);
        }
        Ok(Self(if plus { format!("+{digits}") } else { digits }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Largest serialised size of an account's custom attributes.
pub const MAX_ATTRIBUTES_BYTES: usize = 16 * 1024;
/// Deepest nesting of custom attributes (an object in an object in …).
pub const MAX_ATTRIBUTES_DEPTH: usize = 5;

/// Custom attributes must be a JSON object, at most 16 KiB serialised and 5 levels deep.
pub fn check_attributes(value: &serde_json::Value) -> Result<(), String> {
    if !value.is_object() {
        return Err("must be a JSON object".into());
    }
    if depth(value) > MAX_ATTRIBUTES_DEPTH {
        return Err(format!("nests deeper than {MAX_ATTRIBUTES_DEPTH} levels"));
    }
    let size = serde_json::to_vec(value)
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if size > MAX_ATTRIBUTES_BYTES {
        return Err(format!(
            "is {size} bytes; at most {MAX_ATTRIBUTES_BYTES} are kept"
        ));
    }
    Ok(())
}

fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// A country as ISO 3166-1 alpha-2 (`FR`, `US`), upper-cased.
pub fn parse_country(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

/// A tag: 1 to 64 characters, trimmed, compared case-insensitively (stored lower case).
pub fn parse_tag(tag: &str) -> Option<String> {
    let tag = tag.trim();
    (!tag.is_empty() && tag.chars().count() <= 64 && !tag.contains(char::is_control))
        .then(|| tag.to_lowercase())
}

/// The words an account is found by: the name and each of its words, e-mails and their
/// local parts, phone digits. Lower case; prefixes of these match a search.
pub fn search_terms(name: &str, emails: &[String], phones: &[String]) -> Vec<String> {
    let mut terms = Vec::new();
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    terms.push(words.join(" "));
    terms.extend(words);
    for email in emails {
        terms.push(email.to_lowercase());
        if let Some((local, _)) = email.split_once('@') {
            terms.push(local.to_lowercase());
        }
    }
    for phone in phones {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        terms.push(digits);
    }
    terms.retain(|t| !t.is_empty());
    terms.sort();
    terms.dedup();
    terms
}

/// A search query as it is matched against terms: trimmed, lower case; digits only when it
/// looks like a phone number.
pub fn normalise_query(q: &str) -> String {
    let q = q.trim().to_lowercase();
    let phone_like = !q.is_empty()
        && q.chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    if phone_like {
        q.chars().filter(char::is_ascii_digit).collect()
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn phones_normalise() {
        assert_eq!(
            Phone::parse("+44 20 7946-0958").unwrap().as_str(),
            "+442079460958"
        );
        assert_eq!(
            Phone::parse("(555) 123.4567").unwrap().as_str(),
            "5551234567"
        );
        for bad in ["12", "+1 abc 5555555", "1234567890123456", ""] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn attributes_are_bounded_objects() {
        assert!(check_attributes(&json!({"plan": "gold", "seats": 3})).is_ok());
        assert!(check_attributes(&json!([1, 2])).is_err());
        assert!(check_attributes(&json!({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}})).is_err());
        assert!(check_attributes(&json!({"big": "x".repeat(MAX_ATTRIBUTES_BYTES)})).is_err());
    }

    #[test]
    fn names_parse_and_list() {
        assert_eq!(
            LifecycleStage::parse("customer"),
            Some(LifecycleStage::Customer)
        );
        assert_eq!(LifecycleStage::parse("Customer"), None);
        assert_eq!(AccountKind::choices(), "person, organization");
    }

    #[test]
    fn search_terms_cover_words_emails_and_phones() {
        let terms = search_terms(
            "Ada  Lovelace",
            &["ada@example.com".into()],
            &["+44 20 7946".into()],
        );
        for t in [
            "ada",
            "lovelace",
            "ada lovelace",
            "ada@example.com",
            "44207946",
        ] {
            assert!(terms.iter().any(|x| x == t), "{t} in {terms:?}");
        }
        assert_eq!(normalise_query(" +44 (20) "), "4420");
        assert_eq!(normalise_query("Ada"), "ada");
    }
}
