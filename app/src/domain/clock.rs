//! Time, as the app keeps it: instants are `chrono::DateTime<Utc>` (stored as unix
//! milliseconds), calendar days are `chrono::NaiveDate`, and Stockholm time comes from the
//! IANA time-zone database (`chrono-tz`, `Europe/Stockholm`) rather than a rule written by
//! hand: what every page, export and period boundary uses to turn an instant into a
//! Swedish date or hour and back. One time library for the whole app (`chrono`); only
//! the session layer's own API speaks another (`infra::session_store`).
//!
//! Only `Europe/Stockholm` is compiled in (`CHRONO_TZ_TIMEZONE_FILTER` in
//! `.cargo/config.toml`), so the browser's WASM carries one zone, not the world's.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use chrono_tz::Tz;

/// `at` as Stockholm wall-clock time.
pub fn in_stockholm(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&Stockholm)
}

/// The Stockholm calendar day of the instant `at`.
pub fn stockholm_date(at: DateTime<Utc>) -> NaiveDate {
    in_stockholm(at).date_naive()
}

/// The instant a Stockholm wall-clock time stands for. In the autumn hour that happens
/// twice it is the first (summer time); a time in the spring hour that is skipped does not
/// exist, and is read as the same time an hour later, as a clock that was not yet put
/// forward would show it.
pub fn from_stockholm(local: NaiveDateTime) -> DateTime<Utc> {
    let resolved = match Stockholm.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at),
        LocalResult::None => Stockholm
            .from_local_datetime(&(local + TimeDelta::hours(1)))
            .earliest(),
    };
    // Outside chrono's range: the winter offset.
    resolved.map_or_else(
        || (local - TimeDelta::hours(1)).and_utc(),
        |at| at.with_timezone(&Utc),
    )
}

/// Today's date in Stockholm: due dates, register dates and periods are local dates.
pub fn today() -> NaiveDate {
    stockholm_date(Utc::now())
}

/// Reads an `<input type="datetime-local">` value ("2026-11-25T18:30") as Stockholm time.
pub fn parse_local_minute(value: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(value.get(..16)?, "%Y-%m-%dT%H:%M")
        .ok()
        .map(from_stockholm)
}

/// A day written as the app writes days everywhere: "2026-11-25".
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// Midnight at the start of `day` in Stockholm.
pub fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
    from_stockholm(day.and_time(NaiveTime::MIN))
}

/// Midnight at the start of `day` in Stockholm, as unix milliseconds: where a day, a week
/// or a month of reports begins.
pub fn local_midnight_ms(day: NaiveDate) -> i64 {
    local_midnight(day).timestamp_millis()
}

/// An instant as every `*_at` column keeps it: milliseconds since the Unix epoch.
pub fn unix_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The instant of a `*_at` column's value; `None` outside the representable range.
pub fn from_unix_ms(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// An instant as JSON and exports write it: RFC 3339 in UTC, the fraction of a second
/// with as many digits as it needs ("…24.5Z", "…24Z"). The form is fixed: a report's
/// content hash, which tells a resend from a conflict, is taken over it.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    let whole = at.format("%Y-%m-%dT%H:%M:%S");
    // A leap second (`:60`) keeps its extra second in the nanoseconds, and `%S` already
    // writes it as 60: the fraction is what is left beyond it.
    match at.timestamp_subsec_nanos() % 1_000_000_000 {
        0 => format!("{whole}Z"),
        nanos => format!("{whole}.{}Z", format!("{nanos:09}").trim_end_matches('0')),
    }
}

/// Reads RFC 3339 with any offset, as an instant.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// `#[serde(with = "…")]` for an instant: [`rfc3339`] written, any RFC 3339 read.
pub mod rfc3339_serde {
    use chrono::{DateTime, Utc};
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::rfc3339(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        super::parse_rfc3339(&text).ok_or_else(|| de::Error::custom("expected an RFC 3339 time"))
    }
}

/// [`rfc3339_serde`] for an instant that may be missing.
pub mod rfc3339_option {
    use chrono::{DateTime, Utc};
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serializer.serialize_some(&super::rfc3339(*at)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)? {
            Some(text) => super::parse_rfc3339(&text)
                .map(Some)
                .ok_or_else(|| de::Error::custom("expected an RFC 3339 time")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Offset, Timelike};

    #[test]
    fn a_leap_second_is_written_as_it_was_read() {
        for text in [
            "2026-11-26T10:00:60Z",
            "2026-11-26T10:00:60.25Z",
            "2026-11-26T10:00:59.5Z",
        ] {
            let at = parse_rfc3339(text).unwrap();
            assert_eq!(rfc3339(at), text);
            assert_eq!(parse_rfc3339(&rfc3339(at)), Some(at));
        }
    }

    fn utc(text: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
    }

    fn day(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    fn naive(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn local(at: DateTime<Utc>) -> String {
        let at = in_stockholm(at);
        format!(
            "{} {:02}:{:02} {}",
            at.date_naive(),
            at.hour(),
            at.minute(),
            at.offset().fix().local_minus_utc() / 3600
        )
    }

    #[test]
    fn spring_forward_on_the_last_sunday_of_march() {
        // 2026-03-29: 02:00 winter time becomes 03:00 summer time (01:00 UTC).
        assert_eq!(local(utc("2026-03-29 00:59")), "2026-03-29 01:59 1");
        assert_eq!(local(utc("2026-03-29 01:00")), "2026-03-29 03:00 2");
        // 02:30 that night does not exist: read as 03:30 summer time.
        assert_eq!(from_stockholm(naive("2026-03-29 02:30")), utc("2026-03-29 01:30"));
        // That day has 23 hours.
        assert_eq!(
            local_midnight_ms(day("2026-03-30")) - local_midnight_ms(day("2026-03-29")),
            23 * 3_600_000
        );
    }

    #[test]
    fn fall_back_on_the_last_sunday_of_october() {
        // 2026-10-25: 03:00 summer time becomes 02:00 winter time (01:00 UTC).
        assert_eq!(local(utc("2026-10-25 00:59")), "2026-10-25 02:59 2");
        assert_eq!(local(utc("2026-10-25 01:00")), "2026-10-25 02:00 1");
        // 02:30 happens twice: the first, in summer time.
        assert_eq!(from_stockholm(naive("2026-10-25 02:30")), utc("2026-10-25 00:30"));
        // That day has 25 hours.
        assert_eq!(
            local_midnight_ms(day("2026-10-26")) - local_midnight_ms(day("2026-10-25")),
            25 * 3_600_000
        );
    }

    #[test]
    fn a_local_evening_time_is_read_in_stockholm() {
        let at = parse_local_minute("2026-11-25T18:30").unwrap();
        assert_eq!(local(at), "2026-11-25 18:30 1");
        assert_eq!(at.hour(), 17);
        assert_eq!(parse_local_minute("igår"), None);
    }

    #[test]
    fn dates_and_midnights_are_stockholm_ones() {
        // 23:30 UTC on New Year's Eve is already the new year in Stockholm.
        assert_eq!(stockholm_date(utc("2026-12-31 23:30")), day("2027-01-01"));
        assert_eq!(local_midnight(day("2027-01-01")), utc("2026-12-31 23:00"));
        assert_eq!(local_midnight(day("2026-07-01")), utc("2026-06-30 22:00"));
    }

    #[test]
    fn instants_are_written_and_read_back_to_the_millisecond() {
        let at = from_unix_ms(1_796_614_289_454).unwrap();
        assert_eq!(rfc3339(at), "2026-12-07T03:31:29.454Z");
        assert_eq!(
            rfc3339(from_unix_ms(1_796_614_289_450).unwrap()),
            "2026-12-07T03:31:29.45Z"
        );
        assert_eq!(
            rfc3339(from_unix_ms(1_796_614_289_000).unwrap()),
            "2026-12-07T03:31:29Z"
        );
        assert_eq!(
            parse_rfc3339("2026-12-07T04:31:29.45+01:00").map(unix_ms),
            Some(1_796_614_289_450)
        );
        assert_eq!(unix_ms(at), 1_796_614_289_454);
        assert_eq!(from_unix_ms(i64::MAX), None);
        assert_eq!(parse_day("2026-02-30"), None);
    }
}
