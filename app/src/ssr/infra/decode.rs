//! The one place where stored values become domain types.
//!
//! Rows come out of `sqlx::Any` as text and integers (see `db`): ids as UUID text, times
//! as Unix milliseconds, enums as their codes, shapes and lists as JSON. Every module
//! reads its rows through a [`Row`] named by table and id, so a value that does not decode
//! (a row changed by hand, a half-restored backup, a code written by a newer version) is
//! handled one way everywhere: logged once with its table, id and column, and answered as
//! `AppError::Internal`. Nothing is dropped from a list or quietly replaced by a default,
//! because a list that silently misses a report is worse at a lägesbild than an error.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Type};
use uuid::Uuid;

pub use crate::domain::clock::from_unix_ms;
use crate::domain::code::Code;
use crate::error::{AppError, Corrupt};

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

    /// The row's own id, as the id type of its table.
    pub fn id<T: From<Uuid>>(&self) -> Result<T, AppError> {
        self.uuid("id", self.id)
    }

    /// An id stored as UUID text, as the id type it is.
    pub fn uuid<T: From<Uuid>>(&self, column: &str, value: &str) -> Result<T, AppError> {
        Uuid::parse_str(value)
            .map(T::from)
            .map_err(|_| self.corrupt(column))
    }

    pub fn opt_uuid<T: From<Uuid>>(&self, column: &str, value: Option<&str>) -> Result<Option<T>, AppError> {
        value.map(|value| self.uuid(column, value)).transpose()
    }

    /// A `*_on` column: a calendar day, `YYYY-MM-DD`.
    pub fn day(&self, column: &str, value: &str) -> Result<NaiveDate, AppError> {
        crate::domain::clock::parse_day(value).ok_or_else(|| self.corrupt(column))
    }

    pub fn opt_day(&self, column: &str, value: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
        value.map(|value| self.day(column, value)).transpose()
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

/// The key a typed row is logged by if one of its values is corrupt: its `column` as
/// text, whatever else is wrong with the row.
pub fn key_of(row: &AnyRow, column: &str) -> String {
    use sqlx::Row as _;
    row.try_get::<String, _>(column)
        .unwrap_or_else(|_| "?".to_owned())
}

/// One column of a typed row (`table_row!`), read as its type; a value that does not read
/// is logged here with table, key and column, and fails the read as [`Corrupt`], which
/// becomes `AppError::Internal` without being logged again.
pub fn column<'r, T: Decode<'r, Any> + Type<Any>>(
    row: &'r AnyRow,
    table: &'static str,
    key: &str,
    column: &str,
) -> Result<T, sqlx::Error> {
    use sqlx::Row as _;
    row.try_get(column).map_err(|err| {
        tracing::error!(table, id = key, column, error = %err, "corrupt row: a stored value cannot be read");
        sqlx::Error::Decode(Box::new(Corrupt))
    })
}

/// A row type read column by column as its fields' types (ids, codes, days: see
/// `sql`), the way [`Row`] reads by hand: a value that does not decode is logged once with
/// table, key and column and answered as an internal error.
///
/// `table_row! { struct WalkRow from "walk" by "id" { id: WalkId, light: Light, … } }`
macro_rules! table_row {
    ($(#[$meta:meta])* $vis:vis struct $name:ident from $table:literal by $key:literal {
        $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $ty,)*
        }

        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                let key = $crate::ssr::infra::decode::key_of(row, $key);
                Ok($name {
                    $($field: $crate::ssr::infra::decode::column(row, $table, &key, stringify!($field))?,)*
                })
            }
        }
    };
}
pub(crate) use table_row;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ObservationId;
    use crate::domain::observation::{Kind, PositionSource, TimeOfDay};
    use crate::domain::role::Role;

    const ID: &str = "0b4f4a57-6f5c-4a0e-9a39-1f1a2ab0c9d1";

    #[test]
    fn good_values_decode_to_their_types() {
        let row = Row::of("observation", ID);
        assert_eq!(row.id::<ObservationId>().unwrap().to_string(), ID);
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
        assert_eq!(row.opt_uuid::<ObservationId>("walk_id", None).unwrap(), None);
        assert_eq!(row.number::<u32>("count", 7).unwrap(), 7);
        assert_eq!(
            row.json::<Vec<String>>("vehicles", r#"["bil 1"]"#).unwrap(),
            vec!["bil 1"]
        );
    }

    #[test]
    fn a_value_that_does_not_decode_is_an_internal_error_never_a_default() {
        let row = Row::of("observation", "not-a-uuid");
        assert_eq!(row.id::<ObservationId>(), Err(AppError::Internal));
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
