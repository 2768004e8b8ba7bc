//! The one place where stored values become domain types.
//!
//! Rows come out of `sqlx::Any` as text and integers (see `db`): ids as UUID text, times
//! as Unix milliseconds, enums as their codes, shapes and lists as JSON. Every module
//! reads its rows through a [`Row`] named by table and id, so a value that does not decode
//! (a row changed by hand, a half-restored backup, a code written by a newer version) is
//! handled one way everywhere: logged once with its table, id and column, and answered as
//! `AppError::Internal`. Nothing is dropped from a list or quietly replaced by a default,
//! because a list that silently misses a report is worse at a lägesbild than an error.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::domain::action::Status as ActionStatus;
use crate::domain::area::AreaKind;
use crate::domain::commitment::Measure;
use crate::domain::observation::{Kind, PositionSource, Sensitivity, TimeOfDay};
use crate::domain::role::Role;
use crate::domain::walk::Light;
use crate::domain::watch::AlertStatus;
use crate::error::AppError;

/// A stored row being read: knows where it came from, to say so if it is corrupt.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    table: &'static str,
    id: &'a str,
}

impl<'a> Row<'a> {
    pub fn of(table: &'static str, id: &'a str) -> Row<'a> {
        Row { table, id }
    }

    /// The error for a column that cannot be read, logged here and nowhere else.
    pub fn corrupt(&self, column: &str) -> AppError {
        tracing::error!(
            table = self.table,
            id = self.id,
            column,
            "corrupt row: a stored value cannot be read"
        );
        AppError::Internal
    }

    /// The row's own id.
    pub fn id(&self) -> Result<Uuid, AppError> {
        self.uuid("id", self.id)
    }

    pub fn uuid(&self, column: &str, value: &str) -> Result<Uuid, AppError> {
        Uuid::parse_str(value).map_err(|_| self.corrupt(column))
    }

    pub fn opt_uuid(&self, column: &str, value: Option<&str>) -> Result<Option<Uuid>, AppError> {
        value.map(|value| self.uuid(column, value)).transpose()
    }

    /// A `*_at` column: milliseconds since the Unix epoch, UTC.
    pub fn time(&self, column: &str, ms: i64) -> Result<DateTime<Utc>, AppError> {
        from_unix_ms(ms).ok_or_else(|| self.corrupt(column))
    }

    pub fn opt_time(&self, column: &str, ms: Option<i64>) -> Result<Option<DateTime<Utc>>, AppError> {
        ms.map(|ms| self.time(column, ms)).transpose()
    }

    /// An enum stored as its code.
    pub fn code<T: Code>(&self, column: &str, value: &str) -> Result<T, AppError> {
        T::from_code(value).ok_or_else(|| self.corrupt(column))
    }

    pub fn opt_code<T: Code>(&self, column: &str, value: Option<&str>) -> Result<Option<T>, AppError> {
        value.map(|value| self.code(column, value)).transpose()
    }

    /// A shape, list or record stored as JSON.
    pub fn json<T: DeserializeOwned>(&self, column: &str, value: &str) -> Result<T, AppError> {
        serde_json::from_str(value).map_err(|_| self.corrupt(column))
    }

    /// A count or year stored as `bigint` that must fit a narrower type.
    pub fn number<T: TryFrom<i64>>(&self, column: &str, value: i64) -> Result<T, AppError> {
        T::try_from(value).map_err(|_| self.corrupt(column))
    }

    /// Any other check a value must pass (a shape that must be valid GeoJSON, a pair of
    /// columns read together).
    pub fn valid<T>(&self, column: &str, value: Option<T>) -> Result<T, AppError> {
        value.ok_or_else(|| self.corrupt(column))
    }
}

pub use crate::domain::clock::from_unix_ms;

/// An enum stored as a text code.
pub trait Code: Sized {
    fn from_code(code: &str) -> Option<Self>;
}

impl Code for Role {
    fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// The enums whose `parse` already reads their stored code.
macro_rules! codes {
    ($($kind:ty),* $(,)?) => {
        $(impl Code for $kind {
            fn from_code(code: &str) -> Option<Self> {
                <$kind>::parse(code)
            }
        })*
    };
}

codes!(
    Kind,
    Sensitivity,
    ActionStatus,
    AlertStatus,
    AreaKind,
    Measure,
    Light
);

impl Code for PositionSource {
    fn from_code(code: &str) -> Option<Self> {
        [PositionSource::Gps, PositionSource::Manual]
            .into_iter()
            .find(|source| source.as_str() == code)
    }
}

impl Code for TimeOfDay {
    fn from_code(code: &str) -> Option<Self> {
        [
            TimeOfDay::Morning,
            TimeOfDay::Day,
            TimeOfDay::Evening,
            TimeOfDay::Night,
        ]
        .into_iter()
        .find(|time| time.as_str() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b4f4a57-6f5c-4a0e-9a39-1f1a2ab0c9d1";

    #[test]
    fn good_values_decode_to_their_types() {
        let row = Row::of("observation", ID);
        assert_eq!(row.id().unwrap().to_string(), ID);
        assert_eq!(
            row.code::<Kind>("kind", Kind::WalkFinding.as_str()).unwrap(),
            Kind::WalkFinding
        );
        assert_eq!(row.code::<Role>("role", "police").unwrap(), Role::Police);
        assert_eq!(
            row.code::<TimeOfDay>("time_of_day", "night").unwrap(),
            TimeOfDay::Night
        );
        assert_eq!(
            row.time("observed_at", 1_700_000_000_000).unwrap().timestamp(),
            1_700_000_000
        );
        assert_eq!(row.opt_uuid("walk_id", None).unwrap(), None);
        assert_eq!(row.number::<u32>("count", 7).unwrap(), 7);
        assert_eq!(
            row.json::<Vec<String>>("vehicles", r#"["bil 1"]"#).unwrap(),
            vec!["bil 1"]
        );
    }

    #[test]
    fn a_value_that_does_not_decode_is_an_internal_error_never_a_default() {
        let row = Row::of("observation", "not-a-uuid");
        assert_eq!(row.id(), Err(AppError::Internal));
        assert_eq!(row.code::<Kind>("kind", "patrol "), Err(AppError::Internal));
        assert_eq!(
            row.code::<PositionSource>("position_source", ""),
            Err(AppError::Internal)
        );
        assert_eq!(row.code::<Role>("role", "Police"), Err(AppError::Internal));
        assert_eq!(row.time("observed_at", i64::MAX), Err(AppError::Internal));
        assert_eq!(row.number::<u32>("count", -1), Err(AppError::Internal));
        assert_eq!(
            row.json::<Vec<String>>("vehicles", "[1]"),
            Err(AppError::Internal)
        );
        assert_eq!(
            row.opt_code::<TimeOfDay>("time_of_day", Some("noon")),
            Err(AppError::Internal)
        );
    }
}
