//! The enums the app keeps as text codes ("drug_scene", "in_progress", "police"): each
//! has one code per value, written the one way everywhere — in JSON (serde's name is the
//! code, a test here holds them to it), in SQL (`ssr::infra::sql`) and in forms — and
//! read back by [`Code::from_code`] alone.

/// An enum stored and sent as a text code.
pub trait Code: Copy + PartialEq + 'static {
    /// Every value, in the order lists offer them.
    fn all() -> &'static [Self];

    /// The value's code.
    fn code(self) -> &'static str;

    /// The value a code names; `None` for any other text.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|value| value.code() == code)
    }
}

/// `impl Code` for enums with an `ALL` array and an `as_str`, invoked beside each enum.
macro_rules! codes {
    ($($kind:ty),* $(,)?) => {
        $(impl $crate::domain::code::Code for $kind {
            fn all() -> &'static [Self] {
                &<$kind>::ALL
            }

            fn code(self) -> &'static str {
                self.as_str()
            }
        })*
    };
}
pub(crate) use codes;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::action::Status as ActionStatus;
    use crate::domain::admin::AuditAction;
    use crate::domain::area::AreaKind;
    use crate::domain::commitment::Measure;
    use crate::domain::observation::{Kind, PositionSource, Sensitivity, TimeOfDay};
    use crate::domain::role::Role;
    use crate::domain::walk::Light;
    use crate::domain::watch::AlertStatus;

    fn same_in_json<T: Code + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug>() {
        for &value in T::all() {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{}\"", value.code()), "{value:?}");
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
            assert_eq!(T::from_code(value.code()), Some(value));
        }
        assert_eq!(T::from_code("Inte en kod"), None);
    }

    #[test]
    fn every_code_is_the_same_in_json_and_reads_back() {
        same_in_json::<Kind>();
        same_in_json::<Sensitivity>();
        same_in_json::<PositionSource>();
        same_in_json::<TimeOfDay>();
        same_in_json::<Light>();
        same_in_json::<ActionStatus>();
        same_in_json::<AlertStatus>();
        same_in_json::<AreaKind>();
        same_in_json::<Measure>();
        same_in_json::<Role>();
        // Audit actions are written by the server only, never read from JSON.
        for &action in AuditAction::all() {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
        }
    }
}
