//! Stockholm time, from the IANA time-zone database (`chrono-tz`, `Europe/Stockholm`)
//! rather than a rule written by hand: what every page, export and period boundary uses
//! to turn an instant into a Swedish date or hour and back.
//!
//! The app's values stay `time` types (its serialisation and SQL binding use them); the
//! time zone is only consulted here. Only `Europe/Stockholm` is compiled in
//! (`CHRONO_TZ_TIMEZONE_FILTER` in `.cargo/config.toml`), so the browser's WASM carries
//! one zone, not the world's.

use chrono::{LocalResult, Offset, TimeZone};
use chrono_tz::Europe::Stockholm;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Stockholm's offset from UTC at the instant `at`: +1 in winter, +2 in summer.
pub fn stockholm_offset(at: OffsetDateTime) -> UtcOffset {
    let seconds = chrono::DateTime::from_timestamp(at.unix_timestamp(), 0)
        .map(|utc| {
            Stockholm
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc()
        })
        .unwrap_or(3_600);
    UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC)
}

/// `at` as Stockholm wall-clock time.
pub fn in_stockholm(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(stockholm_offset(at))
}

/// The Stockholm calendar day of the instant `at`.
pub fn stockholm_date(at: OffsetDateTime) -> Date {
    in_stockholm(at).date()
}

/// The instant a Stockholm wall-clock time stands for. In the autumn hour that happens
/// twice it is the first (summer time); a time in the spring hour that is skipped does not
/// exist, and is read as the same time an hour later, as a clock that was not yet put
/// forward would show it.
pub fn from_stockholm(local: PrimitiveDateTime) -> OffsetDateTime {
    let naive = chrono::NaiveDate::from_ymd_opt(
        local.year(),
        u32::from(u8::from(local.month())),
        u32::from(local.day()),
    )
    .and_then(|day| {
        day.and_hms_opt(
            u32::from(local.hour()),
            u32::from(local.minute()),
            u32::from(local.second()),
        )
    });
    let resolved = naive.and_then(|naive| match Stockholm.from_local_datetime(&naive) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.timestamp()),
        LocalResult::None => Stockholm
            .from_local_datetime(&(naive + chrono::TimeDelta::hours(1)))
            .earliest()
            .map(|at| at.timestamp()),
    });
    resolved
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
        .map(|at| in_stockholm(at + time::Duration::nanoseconds(i64::from(local.nanosecond()))))
        // Outside chrono's range (years beyond ±262 000): the winter offset.
        .unwrap_or_else(|| local.assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC)))
}

/// Today's date in Stockholm: due dates, register dates and periods are local dates.
pub fn today() -> Date {
    stockholm_date(OffsetDateTime::now_utc())
}

/// Reads an `<input type="datetime-local">` value ("2026-11-25T18:30") as Stockholm time.
pub fn parse_local_minute(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = PrimitiveDateTime::parse(value.get(..16)?, &format).ok()?;
    Some(from_stockholm(local))
}

/// Midnight at the start of `day` in Stockholm, as unix milliseconds: where a day, a week
/// or a month of reports begins.
pub fn local_midnight_ms(day: Date) -> i64 {
    (from_stockholm(day.midnight()).unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn local(at: OffsetDateTime) -> String {
        let at = in_stockholm(at);
        format!(
            "{} {:02}:{:02} {}",
            at.date(),
            at.hour(),
            at.minute(),
            at.offset().whole_hours()
        )
    }

    #[test]
    fn spring_forward_on_the_last_sunday_of_march() {
        // 2026-03-29: 02:00 winter time becomes 03:00 summer time (01:00 UTC).
        assert_eq!(local(datetime!(2026-03-29 00:59 UTC)), "2026-03-29 01:59 1");
        assert_eq!(local(datetime!(2026-03-29 01:00 UTC)), "2026-03-29 03:00 2");
        // 02:30 that night does not exist: read as 03:30 summer time.
        let skipped = from_stockholm(datetime!(2026-03-29 02:30));
        assert_eq!(skipped.to_offset(UtcOffset::UTC), datetime!(2026-03-29 01:30 UTC));
        // That day has 23 hours.
        assert_eq!(
            local_midnight_ms(date!(2026 - 03 - 30)) - local_midnight_ms(date!(2026 - 03 - 29)),
            23 * 3_600_000
        );
    }

    #[test]
    fn fall_back_on_the_last_sunday_of_october() {
        // 2026-10-25: 03:00 summer time becomes 02:00 winter time (01:00 UTC).
        assert_eq!(local(datetime!(2026-10-25 00:59 UTC)), "2026-10-25 02:59 2");
        assert_eq!(local(datetime!(2026-10-25 01:00 UTC)), "2026-10-25 02:00 1");
        // 02:30 happens twice: the first, in summer time.
        let twice = from_stockholm(datetime!(2026-10-25 02:30));
        assert_eq!(twice.to_offset(UtcOffset::UTC), datetime!(2026-10-25 00:30 UTC));
        // That day has 25 hours.
        assert_eq!(
            local_midnight_ms(date!(2026 - 10 - 26)) - local_midnight_ms(date!(2026 - 10 - 25)),
            25 * 3_600_000
        );
    }

    #[test]
    fn a_local_evening_time_is_read_in_stockholm() {
        let at = parse_local_minute("2026-11-25T18:30").unwrap();
        assert_eq!(local(at), "2026-11-25 18:30 1");
        assert_eq!(at.to_offset(UtcOffset::UTC).hour(), 17);
        assert_eq!(parse_local_minute("igår"), None);
    }

    #[test]
    fn dates_and_midnights_are_stockholm_ones() {
        // 23:30 UTC on New Year's Eve is already the new year in Stockholm.
        assert_eq!(
            stockholm_date(datetime!(2026-12-31 23:30 UTC)),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            local_midnight_ms(date!(2027 - 01 - 01)),
            (datetime!(2026-12-31 23:00 UTC).unix_timestamp() * 1000)
        );
        assert_eq!(
            local_midnight_ms(date!(2026 - 07 - 01)),
            (datetime!(2026-06-30 22:00 UTC).unix_timestamp() * 1000)
        );
    }
}
