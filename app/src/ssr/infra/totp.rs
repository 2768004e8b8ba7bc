//! A second factor: time-based one-time codes (TOTP, RFC 6238) as every authenticator app
//! makes them — HMAC-SHA1, six digits, a new code every 30 seconds. The shared secret is
//! 20 random bytes, shown to the user once as base32 text and as a QR code.
//!
//! A code is accepted for the step it belongs to and one step either side (a phone clock
//! a little off, a code typed as it changes), and only once: the account keeps the last
//! step used (`account.totp_step`), and a code of that step or an earlier one is refused,
//! so a code seen over someone's shoulder cannot be used again.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// The session key under which a second factor being set up waits: the secret is shown
/// to the user, and stored in the account only when a code proves their app has it.
pub const PENDING_SECRET: &str = "tk.totp_pending";

/// A second factor being set up, in the session: whose, and the secret.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    user: uuid::Uuid,
    secret: String,
}

impl Pending {
    pub fn new(user: crate::domain::user::UserId, secret: &str) -> Pending {
        Pending {
            user: user.0,
            secret: secret.to_owned(),
        }
    }

    /// The secret, if it was made for `user`.
    pub fn secret_of(self, user: crate::domain::user::UserId) -> Option<String> {
        (self.user == user.0).then_some(self.secret)
    }
}

/// Seconds per code.
pub const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;
/// Steps accepted either side of now.
const WINDOW: i64 = 1;

/// A new secret, as base32 text without padding (what authenticator apps read).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The 30-second step a moment (Unix seconds) falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code for `step` (RFC 4226's HOTP with the step as counter).
fn code(secret: &[u8], step: i64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]) & 0x7fff_ffff;
    binary % 10u32.pow(DIGITS)
}

/// The step whose code `typed` is, near `now_step` and after `last_used`; `None` for a
/// wrong, reused or malformed code. Spaces in the typed code are ignored.
pub fn check(secret: &str, typed: &str, now_step: i64, last_used: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = typed.parse().ok()?;
    let secret = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    (now_step - WINDOW..=now_step + WINDOW)
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| code(&secret, *step) == typed)
}

/// The code for now: for tests and the command line, never sent to a browser.
pub fn current_code(secret: &str, unix_seconds: i64) -> Option<String> {
    let secret = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    Some(format!("{:06}", code(&secret, step_at(unix_seconds))))
}

/// The `otpauth://` address an authenticator app reads from the QR code (or opens
/// directly when tapped on the phone that has the app).
pub fn otpauth_url(secret: &str, account: &str, issuer: &str) -> String {
    let label = form_urlencoded_component(&format!("{issuer}:{account}"));
    let issuer = form_urlencoded_component(issuer);
    format!("otpauth://totp/{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30")
}

/// The name the authenticator app shows for this account: the site's host.
pub fn issuer(public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if host.is_empty() || host == "127.0.0.1" || host == "localhost" {
        "Tryggkarta".to_owned()
    } else {
        format!("Tryggkarta {host}")
    }
}

/// A QR code of `url` as SVG, for the account page.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn form_urlencoded_component(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890", eight-digit codes
    /// whose last six digits are ours.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let seed = b"12345678901234567890";
        for (time, eight) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(code(seed, step_at(time)), eight % 1_000_000, "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_near_its_time_and_only_once() {
        let secret = new_secret();
        let now = 1_790_000_000;
        let typed = current_code(&secret, now).unwrap();
        let step = step_at(now);
        assert_eq!(check(&secret, &typed, step, None), Some(step));
        assert_eq!(
            check(&secret, &format!("{} {}", &typed[..3], &typed[3..]), step, None),
            Some(step)
        );
        // Typed as it changed, or on a phone 30 s off.
        assert_eq!(check(&secret, &typed, step + 1, None), Some(step));
        assert_eq!(check(&secret, &typed, step - 1, None), Some(step));
        // Too late, or used already.
        assert_eq!(check(&secret, &typed, step + 2, None), None);
        assert_eq!(check(&secret, &typed, step, Some(step)), None);
    }

    #[test]
    fn malformed_codes_and_secrets_are_refused() {
        let secret = new_secret();
        for typed in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(check(&secret, typed, 1, None), None, "{typed:?}");
        }
        assert_eq!(check("not base32!", "123456", 1, None), None);
    }

    #[test]
    fn the_app_address_names_issuer_and_account() {
        let url = otpauth_url("ABC", "anna@bro.se", "Tryggkarta Upplands-Bro");
        assert_eq!(
            url,
            "otpauth://totp/Tryggkarta%20Upplands-Bro%3Aanna%40bro.se?secret=ABC&issuer=Tryggkarta%20Upplands-Bro&algorithm=SHA1&digits=6&period=30"
        );
    }
}
