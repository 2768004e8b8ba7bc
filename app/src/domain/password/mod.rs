//! Password rules that need no dictionary library: a common word, month, season or place
//! with only digits and signs around it is refused, however long ("Sommar2026!!",
//! "Kungsängen2025", "Hösten2026!"). The server checks the rest with zxcvbn
//! (`ssr::accounts::check_new_password`).

use std::collections::HashSet;
use std::sync::LazyLock;

/// The shipped word list (`words.txt`).
static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("words.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Whether `password` is one listed word (or one word repeated) with nothing but digits,
/// signs and spaces around it: what people make of a word when a rule asks for digits and
/// signs, and what a guesser tries first.
pub fn is_word_with_digits(password: &str) -> bool {
    let letters: String = password
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    // "Sommar2026", "sommar sommar 2026", "SommarSommar!": one word, perhaps repeated.
    let letters: Vec<char> = letters.chars().collect();
    (1..=letters.len())
        .filter(|len| letters.len().is_multiple_of(*len))
        .any(|len| {
            let word = &letters[..len];
            WORDS.contains(word.iter().collect::<String>().as_str())
                && letters.chunks(len).all(|chunk| chunk == word)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_places_and_months_with_digits_are_refused() {
        for password in [
            "Sommar2026!!",
            "Kungsängen2025",
            "Hösten2026!",
            "2026-januari-2026",
            "lösenord123456",
            "  Tibble   1999 !!",
            "SommarSommar2026",
        ] {
            assert!(is_word_with_digits(password), "{password}");
        }
    }

    #[test]
    fn passphrases_and_unlisted_words_pass_this_rule() {
        for password in [
            "korrekt häst batteri häftklammer",
            "Sommar i Kungsängen 2026",
            "blåbärsmajonnäs-1987",
            "123456789012",
            "",
        ] {
            assert!(!is_word_with_digits(password), "{password}");
        }
    }

    #[test]
    fn the_list_has_no_capitals_or_blanks() {
        for word in WORDS.iter() {
            assert_eq!(word.to_lowercase(), *word);
            assert!(!word.contains(char::is_whitespace), "{word}");
        }
    }
}
