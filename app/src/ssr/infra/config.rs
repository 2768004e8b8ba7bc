//! Settings, read from environment variables with defaults that suit one municipality
//! server (Upplands-Bro). Every variable is listed in the README.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::domain::geo::Bounds;
use crate::settings::MapSettings;
use crate::ssr::infra::mail::Mailer;

#[derive(Clone, Debug)]
pub struct Config {
    /// `TRYGGKARTA_LISTEN`, default `127.0.0.1:3000`.
    pub listen: SocketAddr,
    /// `DATABASE_URL`; default: SQLite file `tryggkarta.db` in the data directory.
    pub database_url: String,
    /// `TRYGGKARTA_DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `TRYGGKARTA_PUBLIC_URL`: the address users reach; an `https` one turns on secure cookies.
    pub public_url: String,
    /// `LEPTOS_SITE_ROOT`: where the built WASM, JS, CSS and Leaflet files are.
    pub site_root: String,
    /// `TRYGGKARTA_ADMIN_EMAIL` and `TRYGGKARTA_ADMIN_PASSWORD`: the first admin, created
    /// on an empty database. Without a password one is generated and printed once.
    pub admin_email: String,
    pub admin_password: Option<String>,
    /// `TRYGGKARTA_TRUST_PROXY=1`: behind a load balancer, take the client address for
    /// the sign-in limit from the last `X-Forwarded-For` entry instead of the socket.
    pub trust_proxy: bool,
    pub map: MapSettings,
    /// `TRYGGKARTA_BOUNDS` as `min_lng,min_lat,max_lng,max_lat`: observations outside
    /// are refused. Default: Upplands-Bro with a margin.
    pub bounds: Bounds,
    /// `TRYGGKARTA_SMTP_URL` and `TRYGGKARTA_SMTP_FROM`: the mail server for alerts to
    /// neighbourhood-watch contacts (`ssr::infra::mail`); without it alerts are sent by hand.
    pub mailer: Option<Mailer>,
    /// `TRYGGKARTA_ALERT_SCAN_MINUTES`, default 60: how often the server looks for rises
    /// in the watch areas; 0 turns the scan off (it can still be run from the alerts page).
    pub alert_scan_minutes: u64,
    /// `TRYGGKARTA_CONTACT_EMAIL`: where users report an accessibility barrier or ask about
    /// their data, shown on the accessibility statement (`/tillganglighet`).
    pub contact_email: Option<String>,
    pub sessions: SessionLimits,
    /// `TRYGGKARTA_SUBMISSIONS_PER_MINUTE`, default 120: reports and photos one user may
    /// send per minute once a burst of five minutes' worth is spent.
    pub submissions_per_minute: u32,
    /// `TRYGGKARTA_EXPORTS_PER_HOUR`, default 30: CSV and GeoJSON files one user may fetch
    /// per hour once a burst of half that is spent.
    pub exports_per_hour: u32,
    /// `TRYGGKARTA_REQUIRE_MFA=1`: police and admins must use a second factor (an
    /// authenticator app); until they have set one up they can do nothing else.
    pub require_mfa: bool,
}

/// How long a session lives (ASVS 5.0 V7.3): ended after a time without use, and in any
/// case a while after signing in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// `TRYGGKARTA_SESSION_IDLE_MINUTES`, default 30: without a request for this long, the
    /// session ends.
    pub idle_minutes: u32,
    /// `TRYGGKARTA_DUTY_IDLE_MINUTES`, default 240: the same while the user is on a patrol
    /// shift or a walk, when a phone can sit in a pocket or a dead zone for long.
    pub duty_idle_minutes: u32,
    /// `TRYGGKARTA_SESSION_MAX_HOURS`, default 14: a session ends this long after signing
    /// in, used or not (an evening shift fits).
    pub max_hours: u32,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle_minutes: 30,
            duty_idle_minutes: 240,
            max_hours: 14,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("ogiltig inställning {name}={value:?}: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: &'static str,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `lookup`, so tests can configure without touching the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(lookup("TRYGGKARTA_DATA_DIR").unwrap_or_else(|| "data".into()));
        let listen = parse(&lookup, "TRYGGKARTA_LISTEN", "127.0.0.1:3000", "väntade IP:port")?;
        let database_url = lookup("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("tryggkarta.db").display()));
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError {
                name: "DATABASE_URL",
                value: database_url,
                reason: "endast sqlite:// och postgres:// stöds",
            });
        }
        let defaults = MapSettings::default();
        let map = MapSettings {
            tile_url: lookup("TRYGGKARTA_TILE_URL").unwrap_or(defaults.tile_url),
            tile_attribution: lookup("TRYGGKARTA_TILE_ATTRIBUTION").unwrap_or(defaults.tile_attribution),
            center_lat: parse(
                &lookup,
                "TRYGGKARTA_MAP_LAT",
                &defaults.center_lat.to_string(),
                "väntade en latitud",
            )?,
            center_lng: parse(
                &lookup,
                "TRYGGKARTA_MAP_LNG",
                &defaults.center_lng.to_string(),
                "väntade en longitud",
            )?,
            zoom: parse(
                &lookup,
                "TRYGGKARTA_MAP_ZOOM",
                &defaults.zoom.to_string(),
                "väntade en zoomnivå 1–19",
            )?,
        };
        if !(-90.0..=90.0).contains(&map.center_lat) || !(-180.0..=180.0).contains(&map.center_lng) {
            return Err(ConfigError {
                name: "TRYGGKARTA_MAP_LAT/LNG",
                value: format!("{},{}", map.center_lat, map.center_lng),
                reason: "kartans mittpunkt ligger utanför jorden",
            });
        }
        let bounds = match lookup("TRYGGKARTA_BOUNDS") {
            None => Bounds::default(),
            Some(value) => Bounds::parse(&value).ok_or(ConfigError {
                name: "TRYGGKARTA_BOUNDS",
                value,
                reason: "väntade min_lng,min_lat,max_lng,max_lat",
            })?,
        };
        let mailer = match lookup("TRYGGKARTA_SMTP_URL") {
            None => None,
            Some(url) => {
                let from = lookup("TRYGGKARTA_SMTP_FROM")
                    .unwrap_or_else(|| "Tryggkarta <noreply@tryggkarta.local>".into());
                Some(Mailer::new(&url, &from).map_err(|reason| ConfigError {
                    name: "TRYGGKARTA_SMTP_URL",
                    // The URL may carry the SMTP password: keep it out of the message.
                    value: String::from("…"),
                    reason,
                })?)
            }
        };
        let sessions = SessionLimits {
            idle_minutes: parse(
                &lookup,
                "TRYGGKARTA_SESSION_IDLE_MINUTES",
                "30",
                "väntade ett antal minuter",
            )?,
            duty_idle_minutes: parse(
                &lookup,
                "TRYGGKARTA_DUTY_IDLE_MINUTES",
                "240",
                "väntade ett antal minuter",
            )?,
            max_hours: parse(
                &lookup,
                "TRYGGKARTA_SESSION_MAX_HOURS",
                "14",
                "väntade ett antal timmar",
            )?,
        };
        if sessions.idle_minutes == 0 || sessions.duty_idle_minutes == 0 || sessions.max_hours == 0 {
            return Err(ConfigError {
                name: "TRYGGKARTA_SESSION_*",
                value: "0".into(),
                reason: "en session måste få leva en stund",
            });
        }
        let submissions_per_minute: u32 = parse(
            &lookup,
            "TRYGGKARTA_SUBMISSIONS_PER_MINUTE",
            "120",
            "väntade ett antal per minut",
        )?;
        let exports_per_hour: u32 = parse(
            &lookup,
            "TRYGGKARTA_EXPORTS_PER_HOUR",
            "30",
            "väntade ett antal per timme",
        )?;
        if submissions_per_minute == 0 || exports_per_hour == 0 {
            return Err(ConfigError {
                name: "TRYGGKARTA_SUBMISSIONS_PER_MINUTE/TRYGGKARTA_EXPORTS_PER_HOUR",
                value: "0".into(),
                reason: "en gräns måste släppa igenom något",
            });
        }
        Ok(Config {
            sessions,
            submissions_per_minute,
            exports_per_hour,
            contact_email: lookup("TRYGGKARTA_CONTACT_EMAIL").map(|email| email.trim().to_owned()),
            mailer,
            alert_scan_minutes: parse(
                &lookup,
                "TRYGGKARTA_ALERT_SCAN_MINUTES",
                "60",
                "väntade ett antal minuter (0 stänger av)",
            )?,
            bounds,
            listen,
            public_url: lookup("TRYGGKARTA_PUBLIC_URL").unwrap_or_else(|| format!("http://{listen}")),
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            admin_email: lookup("TRYGGKARTA_ADMIN_EMAIL").unwrap_or_else(|| "admin@tryggkarta.local".into()),
            admin_password: lookup("TRYGGKARTA_ADMIN_PASSWORD"),
            trust_proxy: matches!(
                lookup("TRYGGKARTA_TRUST_PROXY").as_deref(),
                Some("1" | "true" | "yes")
            ),
            require_mfa: matches!(
                lookup("TRYGGKARTA_REQUIRE_MFA").as_deref(),
                Some("1" | "true" | "yes")
            ),
            database_url,
            data_dir,
            map,
        })
    }

    /// Cookies are marked `Secure` whenever users reach the app over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn parse<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
    reason: &'static str,
) -> Result<T, ConfigError> {
    let value = lookup(name).unwrap_or_else(|| default.to_owned());
    value
        .trim()
        .parse()
        .map_err(|_| ConfigError { name, value, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_upplands_bro_from_sqlite_in_data() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/tryggkarta.db?mode=rwc");
        assert!((59.0..60.0).contains(&config.map.center_lat));
        assert!(!config.secure_cookies());
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let err =
            Config::from_lookup(|name| (name == "TRYGGKARTA_MAP_ZOOM").then(|| "nära".into())).unwrap_err();
        assert_eq!(err.name, "TRYGGKARTA_MAP_ZOOM");
    }
}
