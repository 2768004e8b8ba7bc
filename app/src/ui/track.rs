//! The GPS track of a running shift (`js/track.js`) seen from Rust: recording while the
//! shift page is open, the last fix for a quick log, the gaps when the page was hidden,
//! and handing the points to the outbox. On the server these do nothing.

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/ui/js/track.js")]
    extern "C" {
        #[wasm_bindgen(js_name = startTracking)]
        pub fn start_tracking(shift_id: String, queue: &JsValue);
        #[wasm_bindgen(js_name = lastFix)]
        pub fn last_fix() -> String;
        #[wasm_bindgen(js_name = stopTracking, catch)]
        pub async fn stop_tracking(shift_id: String, queue: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = trackGaps)]
        pub fn track_gaps(shift_id: String) -> String;
        #[wasm_bindgen(js_name = handOverTrack, catch)]
        pub async fn hand_over_track(shift_id: String, queue: &JsValue) -> Result<JsValue, JsValue>;
        pub fn tracker() -> JsValue;
    }
}

/// What the sign-out guard needs of the track: forgetting a running shift's points.
#[cfg(feature = "hydrate")]
pub(crate) fn tracker() -> wasm_bindgen::JsValue {
    js::tracker()
}

/// A stretch of a shift when the page was hidden and no track was recorded.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Gap {
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub from: chrono::DateTime<chrono::Utc>,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub to: chrono::DateTime<chrono::Utc>,
}

pub fn track_gaps(shift_id: crate::domain::ids::ShiftId) -> Vec<Gap> {
    #[cfg(feature = "hydrate")]
    {
        serde_json::from_str(&js::track_gaps(shift_id.to_string())).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = shift_id;
        Vec::new()
    }
}

/// Starts recording the shift's GPS track (browser only).
pub fn start_tracking(shift_id: crate::domain::ids::ShiftId) {
    #[cfg(feature = "hydrate")]
    js::start_tracking(shift_id.to_string(), &crate::ui::outbox::queue());
    #[cfg(not(feature = "hydrate"))]
    let _ = shift_id;
}

/// The latest GPS fix of the running track: (lat, lng, accuracy in metres).
pub fn last_fix() -> Option<(f64, f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let fix: serde_json::Value = serde_json::from_str(&js::last_fix()).ok()?;
        Some((
            fix["lat"].as_f64()?,
            fix["lng"].as_f64()?,
            fix["accuracy_m"].as_f64()?,
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Stops the track and sends everything waiting; `Ok(0)` when all reached the server.
pub async fn stop_tracking(shift_id: crate::domain::ids::ShiftId) -> Result<u32, String> {
    #[cfg(feature = "hydrate")]
    {
        let left = js::stop_tracking(shift_id.to_string(), &crate::ui::outbox::queue())
            .await
            .map_err(|err| format!("{err:?}"))?;
        Ok(left.as_f64().unwrap_or(0.0) as u32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = shift_id;
        Ok(0)
    }
}

/// Ends a shift on the phone: the points recorded so far go to the outbox, then the end
/// behind them (`outbox::queue_shift_end`); `Ok(0)` when the server has everything.
pub async fn end_shift(
    shift_id: crate::domain::ids::ShiftId,
    ended_at: chrono::DateTime<chrono::Utc>,
    driver: crate::domain::ids::UserId,
) -> Result<u32, String> {
    hand_over(shift_id).await?;
    crate::ui::outbox::queue_shift_end(shift_id, ended_at, driver).await
}

/// Hands the points recorded so far to the outbox (before the shift's end is queued
/// behind them).
async fn hand_over(shift_id: crate::domain::ids::ShiftId) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        js::hand_over_track(shift_id.to_string(), &crate::ui::outbox::queue())
            .await
            .map(|_| ())
            .map_err(|err| format!("{err:?}"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = shift_id;
        Ok(())
    }
}
