//! Times, numbers and distances as Swedish users read them: Europe/Stockholm, 24-hour
//! clock, a decimal comma, digits grouped by a space and nouns in the right number. The
//! English forms follow English habits (decimal point, comma between thousands).

use chrono::{DateTime, Datelike, Utc};

use crate::domain::clock::{self, in_stockholm};
use crate::i18n::Lang;

/// "2026-11-25 14:05" in Stockholm time (`domain::clock`).
pub fn stockholm_time(at: DateTime<Utc>) -> String {
    in_stockholm(at).format("%Y-%m-%d %H:%M").to_string()
}

/// [`stockholm_time`] of a stored time (unix milliseconds); empty if out of range.
pub fn stockholm_time_ms(ms: i64) -> String {
    clock::from_unix_ms(ms).map(stockholm_time).unwrap_or_default()
}

/// "torsdag 26 november 2026 kl. 18:30" / "Thursday 26 November 2026, 18:30", in
/// Stockholm time: for invitations.
pub fn stockholm_weekday_time(at: DateTime<Utc>, lang: Lang) -> String {
    let local = in_stockholm(at);
    match lang {
        Lang::Sv => {
            const DAYS: [&str; 7] = [
                "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
            ];
            const MONTHS: [&str; 12] = [
                "januari",
                "februari",
                "mars",
                "april",
                "maj",
                "juni",
                "juli",
                "augusti",
                "september",
                "oktober",
                "november",
                "december",
            ];
            format!(
                "{} {} {} {} kl. {}",
                DAYS[local.weekday().num_days_from_monday() as usize],
                local.day(),
                MONTHS[local.month0() as usize],
                local.year(),
                local.format("%H:%M")
            )
        }
        Lang::En => local.format("%A %-d %B %Y, %H:%M").to_string(),
    }
}

/// `key=value&…` for the pairs that have a value, each value percent-encoded: the query
/// of a link that repeats a page's filters.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<String>)>) -> String {
    pairs
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| format!("{key}={}", url_encode(&value))))
        .collect::<Vec<_>>()
        .join("&")
}

fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// "1 h 05 min" / "12 min".
pub fn duration(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match minutes / 60 {
        0 => format!("{minutes} min"),
        hours => format!("{hours} h {:02} min", minutes % 60),
    }
}

/// "3,4 km" or "850 m", with a decimal comma.
pub fn distance(metres: f64) -> String {
    distance_in(metres, Lang::Sv)
}

/// [`distance`] in the reader's language: "3,4 km" in Swedish, "3.4 km" in English.
pub fn distance_in(metres: f64, lang: Lang) -> String {
    if metres < 1000.0 {
        format!("{} m", integer(metres.round() as i64, lang))
    } else {
        format!("{} km", decimal(metres / 1000.0, 1, lang))
    }
}

/// A whole number with its digits grouped in threes: "12 345" (a no-break space) in
/// Swedish, "12,345" in English.
pub fn integer(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// A number with `decimals` decimals: "0,3" in Swedish, "0.3" in English, the whole part
/// grouped as in [`integer`]. A value that rounds to nought has no minus sign.
pub fn decimal(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.decimals$}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let nought = text.chars().all(|c| c == '0' || c == '.');
    let mut out = String::new();
    if value < 0.0 && !nought {
        out.push('-');
    }
    out.push_str(&integer(whole.parse().unwrap_or(0), lang));
    if !fraction.is_empty() {
        out.push(match lang {
            Lang::Sv => ',',
            Lang::En => '.',
        });
        out.push_str(fraction);
    }
    out
}

/// A position people can read and type into a map: "59,51234 N, 17,61234 Ö" in Swedish
/// (decimal commas, so the pair is told apart by the compass letters), "59.51234 N,
/// 17.61234 E" in English. Five decimals are about a metre.
pub fn position(lat: f64, lng: f64, lang: Lang) -> String {
    let north = if lat < 0.0 { "S" } else { "N" };
    let east = if lng < 0.0 {
        lang.pick("V", "W")
    } else {
        lang.pick("Ö", "E")
    };
    format!(
        "{} {north}, {} {east}",
        decimal(lat.abs(), 5, lang),
        decimal(lng.abs(), 5, lang)
    )
}

/// "1 kontaktperson", "3 kontaktpersoner": a count with its noun in the right number,
/// given as [one, many] in Swedish and in English.
pub fn count(n: u64, sv: [&str; 2], en: [&str; 2], lang: Lang) -> String {
    let [one, many] = match lang {
        Lang::Sv => sv,
        Lang::En => en,
    };
    let n_text = integer(i64::try_from(n).unwrap_or(i64::MAX), lang);
    format!("{n_text} {}", if n == 1 { one } else { many })
}

/// A probability (0–1) as a percentage people read: "under 0,01 %", "0,35 %", "4,2 %",
/// "37 %" in Swedish; "less than 0.01%", "0.35%", "4.2%", "37%" in English. For a p-value,
/// said in words as how likely chance alone gives as much.
pub fn percent(probability: f64, lang: Lang) -> String {
    let percent = (probability * 100.0).clamp(0.0, 100.0);
    let sign = lang.pick(" %", "%");
    if percent < 0.01 {
        return format!(
            "{}{}{sign}",
            lang.pick("under ", "less than "),
            decimal(0.01, 2, lang)
        );
    }
    let decimals = if percent < 1.0 {
        2
    } else if percent < 10.0 {
        1
    } else {
        0
    };
    format!("{}{sign}", decimal(percent, decimals, lang))
}

/// "2026-11-25": the date in Stockholm, as a date input wants it.
pub fn stockholm_date(at: DateTime<Utc>) -> String {
    clock::stockholm_date(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stockholm_time_follows_summer_time() {
        assert_eq!(
            stockholm_time(
                chrono::NaiveDate::from_ymd_opt(2026, 1, 15)
                    .unwrap()
                    .and_hms_opt(12, 0, 0)
                    .unwrap()
                    .and_utc()
            ),
            "2026-01-15 13:00"
        );
        assert_eq!(
            stockholm_time(
                chrono::NaiveDate::from_ymd_opt(2026, 7, 15)
                    .unwrap()
                    .and_hms_opt(12, 0, 0)
                    .unwrap()
                    .and_utc()
            ),
            "2026-07-15 14:00"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            stockholm_time(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
                    .unwrap()
                    .and_hms_opt(0, 59, 0)
                    .unwrap()
                    .and_utc()
            ),
            "2026-03-29 01:59"
        );
        assert_eq!(
            stockholm_time(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
                    .unwrap()
                    .and_hms_opt(1, 0, 0)
                    .unwrap()
                    .and_utc()
            ),
            "2026-03-29 03:00"
        );
        assert_eq!(
            stockholm_time(
                chrono::NaiveDate::from_ymd_opt(2026, 10, 25)
                    .unwrap()
                    .and_hms_opt(1, 0, 0)
                    .unwrap()
                    .and_utc()
            ),
            "2026-10-25 02:00"
        );
    }

    #[test]
    fn invitations_name_the_weekday_in_stockholm() {
        // 17:30 UTC on 26 November 2026 is 18:30 on a Thursday in Stockholm.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .unwrap()
            .and_hms_opt(17, 30, 0)
            .unwrap()
            .and_utc();
        assert_eq!(
            stockholm_weekday_time(at, Lang::Sv),
            "torsdag 26 november 2026 kl. 18:30"
        );
        assert_eq!(
            stockholm_weekday_time(at, Lang::En),
            "Thursday 26 November 2026, 18:30"
        );
    }

    #[test]
    fn durations_and_distances_read_naturally() {
        assert_eq!(duration(65 * 60), "1 h 05 min");
        assert_eq!(duration(720), "12 min");
        assert_eq!(distance(850.4), "850 m");
        assert_eq!(distance(3420.0), "3,4 km");
        assert_eq!(distance_in(3420.0, Lang::En), "3.4 km");
    }

    #[test]
    fn swedish_numbers_have_a_decimal_comma_and_spaced_thousands() {
        assert_eq!(decimal(0.3, 1, Lang::Sv), "0,3");
        assert_eq!(decimal(0.3, 1, Lang::En), "0.3");
        assert_eq!(decimal(12.06, 1, Lang::Sv), "12,1");
        assert_eq!(decimal(-1.25, 2, Lang::Sv), "-1,25");
        assert_eq!(decimal(-0.04, 1, Lang::Sv), "0,0");
        assert_eq!(decimal(2.4, 0, Lang::Sv), "2");
        assert_eq!(decimal(12345.67, 1, Lang::Sv), "12\u{a0}345,7");
        assert_eq!(decimal(12345.67, 1, Lang::En), "12,345.7");
        assert_eq!(integer(999, Lang::Sv), "999");
        assert_eq!(integer(1000, Lang::Sv), "1\u{a0}000");
        assert_eq!(integer(-1234567, Lang::En), "-1,234,567");
    }

    #[test]
    fn counts_take_the_singular_for_one() {
        let persons = |n, lang| {
            count(
                n,
                ["kontaktperson", "kontaktpersoner"],
                ["contact person", "contact persons"],
                lang,
            )
        };
        assert_eq!(persons(1, Lang::Sv), "1 kontaktperson");
        assert_eq!(persons(0, Lang::Sv), "0 kontaktpersoner");
        assert_eq!(persons(3, Lang::Sv), "3 kontaktpersoner");
        assert_eq!(persons(1, Lang::En), "1 contact person");
        assert_eq!(persons(2, Lang::En), "2 contact persons");
    }

    #[test]
    fn probabilities_read_as_percentages() {
        assert_eq!(percent(0.00001, Lang::Sv), "under 0,01 %");
        assert_eq!(percent(0.0, Lang::En), "less than 0.01%");
        assert_eq!(percent(0.0035, Lang::Sv), "0,35 %");
        assert_eq!(percent(0.042, Lang::Sv), "4,2 %");
        assert_eq!(percent(0.37, Lang::Sv), "37 %");
        assert_eq!(percent(0.042, Lang::En), "4.2%");
    }

    #[test]
    fn positions_read_with_decimal_commas_and_compass_letters() {
        assert_eq!(
            position(59.512_346, 17.612_346, Lang::Sv),
            "59,51235 N, 17,61235 Ö"
        );
        assert_eq!(position(59.5, 17.6, Lang::En), "59.50000 N, 17.60000 E");
        assert_eq!(position(-33.9, -70.6, Lang::Sv), "33,90000 S, 70,60000 V");
    }
}
