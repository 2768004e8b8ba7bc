//! Swedish first, English second: the language of a request and the way UI text picks it.
//!
//! The choice lives in a `lang` cookie so the server renders the same language the
//! browser hydrates with; Swedish is the default.

use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    /// The text for this language, given the Swedish and the English wording.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Sv
        }
    }

    /// Reads the language from a `Cookie:` header value (or `document.cookie`).
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_unless_the_cookie_asks_for_english() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Sv);
        assert_eq!(Lang::from_cookie_header("id=abc; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=de"), Lang::Sv);
    }
}
