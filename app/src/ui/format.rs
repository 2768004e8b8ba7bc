//! Times and distances as Swedish users read them: Europe/Stockholm, 24-hour clock.

use chrono::{DateTime, Datelike, Utc};

use crate::domain::clock::{self, in_stockholm};

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
pub fn stockholm_weekday_time(at: DateTime<Utc>, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
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
    if metres < 1000.0 {
        format!("{} m", metres.round())
    } else {
        format!("{:.1} km", metres / 1000.0).replace('.', ",")
    }
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
        use crate::i18n::Lang;
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
    }
}
