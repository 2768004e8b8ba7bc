//! User accounts: creation, look-up and password hashing (argon2id).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use uuid::Uuid;

use super::db::{is_unique_violation, now_ms, Db};
use crate::domain::role::Role;
use crate::domain::user::{CurrentUser, UserId};
use crate::error::AppError;

pub const MIN_PASSWORD_LEN: usize = 10;

/// An account as stored, including the hash (never leaves the server).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    /// Raised to end every session of the account.
    pub session_version: i64,
}

impl AccountRow {
    pub fn to_user(&self) -> Option<CurrentUser> {
        Some(CurrentUser {
            id: UserId(Uuid::parse_str(&self.id).ok()?),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role.parse().ok()?,
        })
    }
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

/// Emails are compared without case and surrounding blanks.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn validate_email(email: &str) -> Result<(), AppError> {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        });
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            "Ange en giltig e-postadress.",
            "Enter a valid email address.",
        ))
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A readable random password for a new account, shown once to whoever created it.
pub fn generate_password() -> String {
    // No 0/O, 1/l/I: it may be read aloud or copied by hand.
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn create(db: &Db, new: NewAccount<'_>) -> Result<CurrentUser, AppError> {
    create_in(&db.pool, new).await
}

/// [`create`] inside a caller's transaction, so the account and its log entry are stored
/// together or not at all.
pub async fn create_in<'e, E>(executor: E, new: NewAccount<'_>) -> Result<CurrentUser, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let email = normalise_email(new.email);
    validate_email(&email)?;
    if new.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::invalid(
            "password",
            "Lösenordet måste ha minst 10 tecken.",
            "The password must be at least 10 characters long.",
        ));
    }
    let display_name = match new.display_name.trim() {
        "" => email.split('@').next().unwrap_or_default().to_owned(),
        name => name.to_owned(),
    };
    let id = Uuid::now_v7();
    let now = now_ms();
    let inserted = sqlx::query(
        "insert into account (id, email, display_name, role, password_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.to_string())
    .bind(&email)
    .bind(&display_name)
    .bind(new.role.as_str())
    .bind(hash_password(new.password)?)
    .bind(now)
    .execute(executor)
    .await;
    match inserted {
        Ok(_) => Ok(CurrentUser {
            id: UserId(id),
            email,
            display_name,
            role: new.role,
        }),
        Err(err) if is_unique_violation(&err) => Err(AppError::invalid(
            "email",
            "Det finns redan ett konto med den e-postadressen.",
            "An account with that email address already exists.",
        )),
        Err(err) => Err(err.into()),
    }
}

/// A participant account for one walk: no email to reach, no password that can ever
/// match (the stored hash is not a valid hash), signed in only by joining with a code.
pub async fn create_participant(db: &Db) -> Result<AccountRow, AppError> {
    let id = Uuid::now_v7();
    let now = now_ms();
    let row = AccountRow {
        id: id.to_string(),
        // .invalid is reserved: this address can never receive mail.
        email: format!("{}@deltagare.invalid", id.simple()),
        display_name: "Deltagare".to_owned(),
        role: Role::Participant.as_str().to_owned(),
        password_hash: "!".to_owned(),
        session_version: 0,
    };
    sqlx::query(
        "insert into account (id, email, display_name, role, password_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&row.id)
    .bind(&row.email)
    .bind(&row.display_name)
    .bind(&row.role)
    .bind(&row.password_hash)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(row)
}

/// The columns of an [`AccountRow`], for accounts that may sign in (not disabled).
const ACTIVE: &str = "select id, email, display_name, role, password_hash, session_version
     from account where disabled_at is null";

/// An account that may sign in, by e-mail; a disabled account is not found.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ACTIVE} and email = $1"))
        .bind(normalise_email(email))
        .fetch_optional(&db.pool)
        .await
}

/// An account that may sign in, by id; a disabled account is not found, which ends its
/// sessions at their next request.
pub async fn find_by_id(db: &Db, id: &UserId) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ACTIVE} and id = $1"))
        .bind(id.0.to_string())
        .fetch_optional(&db.pool)
        .await
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from account")
        .fetch_one(&db.pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("rätt lösenord 123").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("rätt lösenord 123", &hash));
        assert!(!verify_password("fel lösenord 123", &hash));
        assert!(!verify_password("rätt lösenord 123", "inte en hash"));
    }

    #[test]
    fn emails_are_checked_and_compared_without_case() {
        assert_eq!(normalise_email("  Anna@Kommun.SE "), "anna@kommun.se");
        assert!(validate_email("anna@kommun.se").is_ok());
        assert!(validate_email("anna").is_err());
        assert!(validate_email("@kommun.se").is_err());
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert!(a.len() >= MIN_PASSWORD_LEN);
        assert_ne!(a, b);
    }
}
