//! Times and distances as Swedish users read them: Europe/Stockholm, 24-hour clock.

use time::{OffsetDateTime, UtcOffset};

/// Stockholm's offset at `at`: CET (+1) in winter, CEST (+2) from the last Sunday of
/// March 01:00 UTC to the last Sunday of October 01:00 UTC (the EU rule).
pub fn stockholm_offset(at: OffsetDateTime) -> UtcOffset {
    let year = at.year();
    let last_sunday = |month: time::Month| {
        let last_day = time::Date::from_calendar_date(year, month, 31).ok();
        last_day.map(|day| day - time::Duration::days(i64::from(day.weekday().number_days_from_sunday())))
    };
    let utc = at.to_offset(UtcOffset::UTC);
    let summer = match (last_sunday(time::Month::March), last_sunday(time::Month::October)) {
        (Some(start), Some(end)) => {
            let start = start.with_hms(1, 0, 0).map(|t| t.assume_utc());
            let end = end.with_hms(1, 0, 0).map(|t| t.assume_utc());
            matches!((start, end), (Ok(start), Ok(end)) if utc >= start && utc < end)
        }
        _ => false,
    };
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// "2026-11-25 14:05" in Stockholm time.
pub fn stockholm_time(at: OffsetDateTime) -> String {
    let local = at.to_offset(stockholm_offset(at));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn stockholm_time_follows_summer_time() {
        assert_eq!(
            stockholm_time(datetime!(2026-01-15 12:00 UTC)),
            "2026-01-15 13:00"
        );
        assert_eq!(
            stockholm_time(datetime!(2026-07-15 12:00 UTC)),
            "2026-07-15 14:00"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            stockholm_time(datetime!(2026-03-29 00:59 UTC)),
            "2026-03-29 01:59"
        );
        assert_eq!(
            stockholm_time(datetime!(2026-03-29 01:00 UTC)),
            "2026-03-29 03:00"
        );
        assert_eq!(
            stockholm_time(datetime!(2026-10-25 01:00 UTC)),
            "2026-10-25 02:00"
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

/// "2026-11-25": the date in Stockholm, as a date input wants it.
pub fn stockholm_date(at: OffsetDateTime) -> String {
    at.to_offset(stockholm_offset(at)).date().to_string()
}

/// Reads an `<input type="datetime-local">` value ("2026-11-25T18:30") as Stockholm time.
pub fn parse_stockholm_local(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = time::PrimitiveDateTime::parse(value.get(..16)?, &format).ok()?;
    // The offset of that wall-clock time, found by trying it as UTC first.
    let offset = stockholm_offset(local.assume_utc());
    Some(local.assume_offset(offset))
}

#[cfg(test)]
mod local_input_tests {
    use super::*;

    #[test]
    fn a_local_evening_time_is_read_in_stockholm() {
        let at = parse_stockholm_local("2026-11-25T18:30").unwrap();
        assert_eq!(stockholm_time(at), "2026-11-25 18:30");
        assert_eq!(at.to_offset(UtcOffset::UTC).hour(), 17);
        assert_eq!(parse_stockholm_local("igår"), None);
    }
}
