//! The browser's geolocation, asked once per tap, with its accuracy.

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Located {
    pub lat: f64,
    pub lng: f64,
    /// Radius in metres within which the true position lies (95 % by the spec).
    pub accuracy: f64,
}

/// Why no position came back, after the W3C `GeolocationPositionError` codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocateFailure {
    Denied,
    Unavailable,
    Timeout,
    Unsupported,
}

impl LocateFailure {
    // Only the browser build asks for positions.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn from_code(code: u16) -> Self {
        match code {
            1 => LocateFailure::Denied,
            3 => LocateFailure::Timeout,
            _ => LocateFailure::Unavailable,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LocateState {
    Idle,
    Searching,
    Found(Located),
    Failed(LocateFailure),
}

impl LocateState {
    pub fn describe(self, lang: Lang) -> String {
        match self {
            LocateState::Idle => String::new(),
            LocateState::Searching => lang.pick("Söker din position…", "Finding your position…").into(),
            LocateState::Found(found) => match lang {
                Lang::Sv => format!("Din position, noggrannhet ±{} m", found.accuracy.round()),
                Lang::En => format!("Your position, accurate to ±{} m", found.accuracy.round()),
            },
            LocateState::Failed(LocateFailure::Denied) => lang
                .pick(
                    "Platsåtkomst är nekad. Tillåt plats för sidan i webbläsarens inställningar.",
                    "Location access is denied. Allow location for this site in the browser settings.",
                )
                .into(),
            LocateState::Failed(LocateFailure::Timeout) => lang
                .pick(
                    "Det tog för lång tid att hitta positionen. Försök igen, gärna utomhus.",
                    "Finding the position took too long. Try again, preferably outdoors.",
                )
                .into(),
            LocateState::Failed(LocateFailure::Unavailable) => lang
                .pick(
                    "Positionen kunde inte hittas just nu.",
                    "The position could not be found right now.",
                )
                .into(),
            LocateState::Failed(LocateFailure::Unsupported) => lang
                .pick(
                    "Den här webbläsaren kan inte visa position.",
                    "This browser cannot provide a position.",
                )
                .into(),
        }
    }
}

/// Asks the browser for the current position; calls exactly one of the two callbacks.
#[cfg(feature = "hydrate")]
pub fn current_position(
    on_found: impl FnOnce(Located) + 'static,
    on_failed: impl FnOnce(LocateFailure) + 'static,
) {
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::JsCast;

    let Some(geolocation) = web_sys::window().and_then(|window| window.navigator().geolocation().ok()) else {
        on_failed(LocateFailure::Unsupported);
        return;
    };
    let found = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        on_found(Located {
            lat: coords.latitude(),
            lng: coords.longitude(),
            accuracy: coords.accuracy(),
        });
    });
    let failed = Closure::once_into_js(move |error: web_sys::PositionError| {
        on_failed(LocateFailure::from_code(error.code()));
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(20_000);
    options.set_maximum_age(10_000);
    // Only fails when the callbacks are not functions, which they always are.
    let _ = geolocation.get_current_position_with_error_callback_and_options(
        found.unchecked_ref(),
        Some(failed.unchecked_ref()),
        &options,
    );
}

/// On the server there is no position to ask for; the button only works once hydrated.
#[cfg(not(feature = "hydrate"))]
pub fn current_position(
    _on_found: impl FnOnce(Located) + 'static,
    on_failed: impl FnOnce(LocateFailure) + 'static,
) {
    on_failed(LocateFailure::Unsupported);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_error_codes_become_messages_that_say_what_to_do() {
        let denied = LocateState::Failed(LocateFailure::from_code(1)).describe(Lang::Sv);
        assert!(denied.contains("inställningar"), "{denied}");
        assert_eq!(LocateFailure::from_code(3), LocateFailure::Timeout);
        assert_eq!(LocateFailure::from_code(2), LocateFailure::Unavailable);
        let found = LocateState::Found(Located {
            lat: 59.5,
            lng: 17.6,
            accuracy: 24.6,
        });
        assert_eq!(found.describe(Lang::Sv), "Din position, noggrannhet ±25 m");
    }
}
