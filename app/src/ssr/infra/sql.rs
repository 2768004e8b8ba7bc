//! How the app's own types are written to SQL and read back (`sqlx::Any`, the same on
//! SQLite and PostgreSQL): ids as their UUID text, codes as their code, days as
//! `YYYY-MM-DD`. It is the one encoding beside serde's, and the same text: a value is
//! bound as what it is (`.bind(walk.id)`), never turned into a string at the call.
//!
//! A value that does not read back (a row changed by hand, a code of a newer version) is a
//! decode error; reading rows through `decode::Row` or a typed row type turns it into the
//! one answer for a corrupt row.

use std::borrow::Cow;

use chrono::NaiveDate;
use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

use crate::domain::action::Status as ActionStatus;
use crate::domain::admin::AuditAction;
use crate::domain::area::AreaKind;
use crate::domain::code::Code;
use crate::domain::commitment::Measure;
use crate::domain::ids::{
    ActionId, AlertId, AreaId, CommitmentId, FocusPlaceId, FocusProblemId, IncidentId, InterventionId,
    MeetingId, MeetingNoteId, ObservationId, OrganisationId, PhotoId, ShiftId, UserId, WalkId,
};
use crate::domain::incident::{Source as IncidentSource, Status as IncidentStatus};
use crate::domain::observation::{Kind, PositionSource, Sensitivity, TimeOfDay};
use crate::domain::partner::OrganisationKind;
use crate::domain::role::Role;
use crate::domain::walk::Light;
use crate::domain::watch::AlertStatus;

fn text_type() -> AnyTypeInfo {
    <str as Type<Any>>::type_info()
}

fn encode_text<'q>(
    text: Cow<'q, str>,
    buf: &mut <Any as Database>::ArgumentBuffer<'q>,
) -> Result<IsNull, BoxDynError> {
    match text {
        Cow::Borrowed(text) => <&str as Encode<'q, Any>>::encode(text, buf),
        Cow::Owned(text) => <String as Encode<'q, Any>>::encode(text, buf),
    }
}

macro_rules! text_id {
    ($($id:ty),* $(,)?) => {
        $(
            impl Type<Any> for $id {
                fn type_info() -> AnyTypeInfo {
                    text_type()
                }
            }

            impl<'q> Encode<'q, Any> for $id {
                fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
                    encode_text(Cow::Owned(self.0.to_string()), buf)
                }
            }

            impl<'r> Decode<'r, Any> for $id {
                fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                    let text = <&str as Decode<'r, Any>>::decode(value)?;
                    Ok(text.parse()?)
                }
            }
        )*
    };
}

text_id!(
    UserId,
    ObservationId,
    PhotoId,
    WalkId,
    ShiftId,
    AreaId,
    ActionId,
    InterventionId,
    FocusPlaceId,
    FocusProblemId,
    CommitmentId,
    MeetingId,
    MeetingNoteId,
    AlertId,
    IncidentId,
    OrganisationId,
    RowId,
    SessionKey,
);

/// The id of a row that no other record refers to by type: a line of an action's log, a
/// notice of an alert, a track point, a walk's participant, a watch area's contact, an
/// audit event, a briefing, a sign-in attempt. A fresh UUID v7, like every id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowId(uuid::Uuid);

impl RowId {
    #[allow(clippy::new_without_default)] // A default would be a made-up id.
    pub fn new() -> Self {
        RowId(crate::domain::ids::new_v7())
    }
}

impl std::str::FromStr for RowId {
    type Err = uuid::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(RowId)
    }
}

/// A session's id as the `session` table keeps it: the cookie's own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionKey(pub axum_login::tower_sessions::session::Id);

impl std::str::FromStr for SessionKey {
    type Err = <axum_login::tower_sessions::session::Id as std::str::FromStr>::Err;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(SessionKey)
    }
}

/// A stored text that is not one of a type's codes.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a code of {1}")]
struct NotACode(String, &'static str);

macro_rules! text_code {
    ($($code:ty),* $(,)?) => {
        $(
            impl Type<Any> for $code {
                fn type_info() -> AnyTypeInfo {
                    text_type()
                }
            }

            impl<'q> Encode<'q, Any> for $code {
                fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
                    encode_text(Cow::Borrowed(self.code()), buf)
                }
            }

            impl<'r> Decode<'r, Any> for $code {
                fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                    let text = <&str as Decode<'r, Any>>::decode(value)?;
                    <$code>::from_code(text).ok_or_else(|| NotACode(text.to_owned(), stringify!($code)).into())
                }
            }
        )*
    };
}

text_code!(
    Kind,
    Sensitivity,
    PositionSource,
    TimeOfDay,
    Light,
    ActionStatus,
    AlertStatus,
    AreaKind,
    Measure,
    AuditAction,
    Role,
    OrganisationKind,
    IncidentStatus,
    IncidentSource,
);

/// A calendar day as the `*_on` columns keep it: `YYYY-MM-DD` (chrono's own types cannot
/// take a database's traits here, so a day goes to and from SQL in this wrapper).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl Type<Any> for Day {
    fn type_info() -> AnyTypeInfo {
        text_type()
    }
}

impl<'q> Encode<'q, Any> for Day {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        encode_text(Cow::Owned(self.0.format("%Y-%m-%d").to_string()), buf)
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<'r, Any>>::decode(value)?;
        crate::domain::clock::parse_day(text)
            .map(Day)
            .ok_or_else(|| format!("{text:?} is not a day (YYYY-MM-DD)").into())
    }
}

/// A day that may be missing, bound as one.
pub fn day(value: Option<NaiveDate>) -> Option<Day> {
    value.map(Day)
}

/// An instant as the `*_at` columns keep it: unix milliseconds (`bigint`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Millis(pub chrono::DateTime<chrono::Utc>);

impl Type<Any> for Millis {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }
}

impl<'q> Encode<'q, Any> for Millis {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode(crate::domain::clock::unix_ms(self.0), buf)
    }
}

impl<'r> Decode<'r, Any> for Millis {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let ms = <i64 as Decode<'r, Any>>::decode(value)?;
        crate::domain::clock::from_unix_ms(ms)
            .map(Millis)
            .ok_or_else(|| format!("{ms} ms is not a time").into())
    }
}
