//! User accounts: creation, look-up and password hashing (argon2id).
//!
//! Beside them: signing in (`auth`), the administration of others' accounts and the
//! driver register (`admin`), and the data subject's rights (`gdpr`).

pub mod admin;
pub mod auth;
pub mod gdpr;
pub mod second_factor;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

use crate::domain::admin::AuditAction;
use crate::domain::role::Role;
use crate::domain::user::{CurrentUser, UserId};
use crate::error::{AppError, Guessed};
use crate::ssr::infra::attempts::{Attempt, MAX_FAILURES_PER_ACCOUNT};
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;

/// ASVS 5.0 V6.2.1 and V6.2.9: at least 12 characters, and at least 64 allowed (here 128,
/// which also bounds the work the strength check and argon2 do).
pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 128;

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
    /// The authenticator app's secret (`ssr::infra::totp`); `None` without a second factor.
    pub totp_secret: Option<String>,
    /// The last step whose code was accepted: no code works twice.
    pub totp_step: Option<i64>,
    /// 1 while the password is a one-time password someone else chose.
    pub must_change_password: i64,
    /// A participant's last walk (see [`columns`]).
    pub walk_id: Option<String>,
    /// A reporter's partner organisation.
    pub organisation_id: Option<String>,
}

impl AccountRow {
    pub fn to_user(&self) -> Result<CurrentUser, AppError> {
        let row = Row::of("account", &self.id);
        Ok(CurrentUser {
            id: UserId(row.id()?),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: row.code("role", &self.role)?,
            must_change_password: self.must_change_password != 0,
            walk: row.opt_uuid("walk_id", self.walk_id.as_deref())?,
            organisation: row.opt_uuid("organisation_id", self.organisation_id.as_deref())?,
        })
    }
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
    /// The password was made for the person (an admin's or the console's one-time
    /// password): they must choose their own at the first sign-in.
    pub one_time: bool,
    /// The partner organisation a reporter reports for (`access::has_organisation`).
    pub organisation: Option<crate::domain::ids::OrganisationId>,
}

/// Emails are compared without case and surrounding blanks.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn validate_email(email: &str) -> Result<(), AppError> {
    if crate::domain::user::looks_like_email(email) {
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

/// Whether `password` may become the password of the account `email` (ASVS 5.0 V6.2):
/// 12–128 characters, any characters, no composition rules, and not guessable. The last
/// is zxcvbn's estimate, which ships with the app a list of 30 000 common passwords and
/// common words and names, and counts the account's own e-mail and the app's and
/// municipality's names as guessable too: a password must need more than 10^10 guesses
/// (score 3 of 4) against all that. A passphrase of a few Swedish words passes.
pub fn check_new_password(password: &str, email: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(AppError::invalid(
            "password",
            "Lösenordet måste ha minst 12 tecken. Några ord i rad är lätta att minnas.",
            "The password must be at least 12 characters long. A few words in a row are easy to remember.",
        ));
    }
    if length > MAX_PASSWORD_LEN {
        return Err(AppError::invalid(
            "password",
            "Lösenordet får ha högst 128 tecken.",
            "The password may have at most 128 characters.",
        ));
    }
    if crate::domain::password::is_word_with_digits(password) {
        return Err(AppError::invalid(
            "password",
            "Lösenordet är ett vanligt ord, en månad, en årstid eller ett ortnamn med bara siffror och tecken runt (som Sommar2026!!). Välj några ord som inte hör ihop.",
            "The password is a common word, month, season or place name with only digits and signs around it (like Sommar2026!!). Choose a few unrelated words.",
        ));
    }
    // The address, its local part, that part's words ("anna", "svensson") and the words run
    // together: what anyone who knows the account would try first.
    let local = email.split('@').next().unwrap_or_default();
    let joined: String = local.split(['.', '_', '-', '+']).collect();
    let mut context = vec![
        email,
        local,
        joined.as_str(),
        "tryggkarta",
        "upplands-bro",
        "upplandsbro",
        "grannstöd",
        "polisen",
        "kommunen",
    ];
    context.extend(
        local
            .split(['.', '_', '-', '+'])
            .filter(|word| word.chars().count() >= 3),
    );
    if zxcvbn::zxcvbn(password, &context).score() < zxcvbn::Score::Three {
        return Err(AppError::invalid(
            "password",
            "Lösenordet är för lätt att gissa: det liknar ett vanligt lösenord, ett enkelt mönster eller din e-postadress. Välj några ord som inte hör ihop.",
            "The password is too easy to guess: it looks like a common password, a simple pattern or your email address. Choose a few unrelated words.",
        ));
    }
    Ok(())
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
    check_new_password(new.password, &email)?;
    let display_name = match new.display_name.trim() {
        "" => email.split('@').next().unwrap_or_default().to_owned(),
        name => name.to_owned(),
    };
    let id = UserId::new();
    let now = now_ms();
    let inserted = sqlx::query(
        "insert into account (id, email, display_name, role, password_hash, created_at, updated_at,
                              must_change_password, organisation_id)
         values ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(id)
    .bind(&email)
    .bind(&display_name)
    .bind(new.role)
    .bind(hash_password(new.password)?)
    .bind(now)
    .bind(i64::from(new.one_time))
    .bind(new.organisation)
    .execute(executor)
    .await;
    match inserted {
        Ok(_) => Ok(CurrentUser {
            id,
            email,
            display_name,
            role: new.role,
            must_change_password: new.one_time,
            walk: None,
            organisation: new.organisation,
        }),
        Err(err) if is_unique_violation(&err) => Err(AppError::invalid(
            "email",
            "Det finns redan ett konto med den e-postadressen.",
            "An account with that email address already exists.",
        )),
        Err(err) => Err(err.into()),
    }
}

/// Changes the signed-in user's own password after checking the current one (ASVS 5.0
/// V6.2.2, V6.2.3). Wrong current passwords count like failed sign-ins, so the form
/// cannot be used to guess. Every other session of the account ends; the caller signs
/// this one in again with the returned row.
pub async fn change_own_password(
    db: &Db,
    user: &CurrentUser,
    current: &str,
    new: &str,
) -> Result<AccountRow, AppError> {
    let row = find_by_id(db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    check_new_password(new, &row.email)?;
    check_own_password(db, &row, current).await?;
    let new = new.to_owned();
    let new_hash = blocking(move || hash_password(&new)).await??;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "update account set password_hash = $2, session_version = session_version + 1, updated_at = $3,
                must_change_password = 0
         where id = $1",
    )
    .bind(&row.id)
    .bind(&new_hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    crate::ssr::infra::audit::record(&mut *tx, user, AuditAction::PasswordChange, &row.email, "").await?;
    tx.commit().await?;
    Ok(AccountRow {
        password_hash: new_hash,
        session_version: row.session_version + 1,
        must_change_password: 0,
        ..row
    })
}

/// Checks a signed-in user's own password before a change to their account. Wrong ones
/// count like failed sign-ins, so such a form cannot be used to guess.
async fn check_own_password(db: &Db, row: &AccountRow, typed: &str) -> Result<(), AppError> {
    let failures_key = format!("account:{}", row.email);
    let attempt = Attempt::start(
        db,
        Guessed::OwnPassword,
        &[(&failures_key, MAX_FAILURES_PER_ACCOUNT)],
    )
    .await?;
    let (typed, hash) = (typed.to_owned(), row.password_hash.clone());
    if blocking(move || verify_password(&typed, &hash)).await? {
        return attempt.passed(db).await;
    }
    attempt.failed();
    Err(AppError::invalid(
        "current_password",
        "Det nuvarande lösenordet stämmer inte.",
        "The current password is not right.",
    ))
}

/// Runs password hashing (deliberately slow) off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|err| {
        tracing::error!(error = %err, "password task failed");
        AppError::Internal
    })
}

/// A new random password for `email`, set on the server's command line
/// (`tryggkarta user reset`) when nobody who could reset it in the app can sign in.
/// Logged with no actor.
pub async fn reset_from_server(db: &Db, email: &str) -> Result<String, AppError> {
    let row = find_by_email(db, email).await?.ok_or(AppError::NotFound)?;
    reset_to_random(db, &row.id, &row.email, None, "kommandoraden").await
}

/// Gives the account a new random password, returned this once; removes its second
/// factor (the usual reason is a lost phone) and ends every session. Logged as a reset by
/// `actor` (`None`: the server's command line).
pub async fn reset_to_random(
    db: &Db,
    id: &str,
    email: &str,
    actor: Option<&UserId>,
    detail: &str,
) -> Result<String, AppError> {
    let password = generate_password();
    let clear = password.clone();
    let hash = blocking(move || hash_password(&clear)).await??;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "update account set password_hash = $2, session_version = session_version + 1, updated_at = $3,
                totp_secret = null, totp_step = null, must_change_password = 1
         where id = $1",
    )
    .bind(id)
    .bind(&hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    crate::ssr::infra::audit::record_by(&mut *tx, actor, AuditAction::PasswordReset, email, detail).await?;
    tx.commit().await?;
    Ok(password)
}

/// A participant account for one walk: no email to reach, no password that can ever
/// match (the stored hash is not a valid hash), signed in only by joining with a code.
pub async fn create_participant(db: &Db) -> Result<AccountRow, AppError> {
    let id = UserId::new();
    let now = now_ms();
    let row = AccountRow {
        id: id.to_string(),
        // .invalid is reserved: this address can never receive mail.
        email: format!("{}@deltagare.invalid", id.0.simple()),
        display_name: "Deltagare".to_owned(),
        role: crate::domain::access::JOINS_BY_CODE.as_str().to_owned(),
        password_hash: "!".to_owned(),
        session_version: 0,
        totp_secret: None,
        totp_step: None,
        must_change_password: 0,
        walk_id: None,
        organisation_id: None,
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

/// The columns of an [`AccountRow`], each prefixed with `table` (an alias, `a.`, or
/// nothing).
pub fn columns(table: &str) -> String {
    [
        "id",
        "email",
        "display_name",
        "role",
        "password_hash",
        "session_version",
        "totp_secret",
        "totp_step",
        "must_change_password",
        "organisation_id",
    ]
    .map(|column| format!("{table}{column}"))
    .into_iter()
    .chain([format!(
        "(select p.walk_id from walk_participant p where p.account_id = {table}id
          order by p.created_at desc, p.id limit 1) as walk_id"
    )])
    .collect::<Vec<_>>()
    .join(", ")
}

/// An [`AccountRow`], for accounts that may sign in (not disabled).
static ACTIVE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("select {} from account where disabled_at is null", columns("")));

/// An account that may sign in, by e-mail; a disabled account is not found.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} and email = $1", *ACTIVE))
        .bind(normalise_email(email))
        .fetch_optional(&db.pool)
        .await
}

/// A disabled account, by e-mail: only to tell someone who gives its right password why
/// they cannot sign in.
pub async fn find_disabled_by_email(db: &Db, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {} from account where disabled_at is not null and email = $1",
        columns("")
    ))
    .bind(normalise_email(email))
    .fetch_optional(&db.pool)
    .await
}

/// An account that may sign in, by id; a disabled account is not found, which ends its
/// sessions at their next request.
pub async fn find_by_id(db: &Db, id: &UserId) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} and id = $1", *ACTIVE))
        .bind(id)
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
    fn generated_passwords_pass_the_policy_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert!(check_new_password(&a, "anna@kommun.se").is_ok());
        assert_ne!(a, b);
    }

    fn refused(password: &str) -> bool {
        matches!(
            check_new_password(password, "anna.svensson@upplands-bro.se"),
            Err(AppError::Invalid { field, .. }) if field == "password"
        )
    }

    #[test]
    fn short_long_common_and_personal_passwords_are_refused() {
        assert!(refused("kort-ord-11"), "11 characters");
        assert!(refused(&"långt lösenord ".repeat(9)), "135 characters");
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou1234",
            "aaaaaaaaaaaa",
            "abcdefghijkl",
        ] {
            assert!(refused(common), "{common}");
        }
        for personal in ["anna.svensson", "annasvensson2026", "tryggkarta123"] {
            assert!(refused(personal), "{personal}");
        }
    }

    #[test]
    fn the_test_suites_passwords_pass_the_policy() {
        for password in [
            "admin-lösenord-för-test",
            "e2e-admin-lösenord",
            "bench-admin-lösenord",
            "polisens-lösenord",
            "förarens-lösenord",
            "förarens-lösenord-1",
            "adminens-lösenord",
            "samordnarens-lösenord",
            "samordnarens-lösenord-2",
            "annas-långa-lösenord",
            "polisens-långa-lösenord",
        ] {
            assert!(
                check_new_password(password, "polis@e2e.tryggkarta.se").is_ok(),
                "{password}"
            );
        }
    }

    #[test]
    fn passphrases_of_any_characters_up_to_128_are_accepted() {
        assert!(!refused("blåbär cykel regnjacka"));
        assert!(!refused("Kvällspromenad-Råby-lykta"));
        let longest: String = "sju röda båtar seglar mot Bro i natt "
            .chars()
            .cycle()
            .take(MAX_PASSWORD_LEN)
            .collect();
        assert!(!refused(&longest));
    }
}
