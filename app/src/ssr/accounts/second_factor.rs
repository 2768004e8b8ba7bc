//! The second factor (an authenticator app's codes, TOTP): what a sign-in without one is
//! told, checking a code once, and turning it on and off from "Mitt konto".

use super::{check_own_password, find_by_id, AccountRow};
use crate::domain::admin::AuditAction;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Guessed};
use crate::ssr::infra::attempts::{Attempt, MAX_FAILURES_PER_ACCOUNT};
use crate::ssr::infra::db::{now_ms, Db};

/// The answer when a sign-in needs the authenticator app's code and has none.
pub fn code_needed() -> AppError {
    AppError::invalid(
        "code",
        "Ange engångskoden från din autentiseringsapp.",
        "Enter the one-time code from your authenticator app.",
    )
}

pub fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "Koden stämmer inte. Skriv den som appen visar just nu.",
        "The code is not right. Type the one the app shows right now.",
    )
}

/// Uses a code of the account's authenticator app: true when it is right and newer than
/// the last one used. The step is taken by the statement that checks it, so two sign-ins
/// racing with one code cannot both succeed.
pub async fn use_code(db: &Db, row: &AccountRow, typed: &str) -> Result<bool, AppError> {
    let Some(secret) = row.totp_secret.as_deref() else {
        return Ok(false);
    };
    let Some(step) = crate::ssr::infra::totp::check(secret, typed, totp_now(), row.totp_step) else {
        return Ok(false);
    };
    let taken = sqlx::query(
        "update account set totp_step = $2 where id = $1 and (totp_step is null or totp_step < $2)",
    )
    .bind(&row.id)
    .bind(step)
    .execute(&db.pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

fn totp_now() -> i64 {
    crate::ssr::infra::totp::step_at(now_ms().div_euclid(1000))
}

/// Turns the second factor on with the secret the user's app was given, once a code from
/// it proves the app has it. Every other session of the account ends (they were opened
/// without it); the caller signs this one in again with the returned row.
pub async fn enable_second_factor(
    db: &Db,
    user: &CurrentUser,
    secret: &str,
    typed: &str,
) -> Result<AccountRow, AppError> {
    let row = find_by_id(db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    let step = crate::ssr::infra::totp::check(secret, typed, totp_now(), None).ok_or_else(wrong_code)?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "update account set totp_secret = $2, totp_step = $3, session_version = session_version + 1,
                updated_at = $4
         where id = $1",
    )
    .bind(&row.id)
    .bind(secret)
    .bind(step)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    crate::ssr::infra::audit::record(&mut *tx, user, AuditAction::SecondFactorOn, &row.email, "").await?;
    tx.commit().await?;
    Ok(AccountRow {
        totp_secret: Some(secret.to_owned()),
        totp_step: Some(step),
        session_version: row.session_version + 1,
        ..row
    })
}

/// Turns the second factor off, with the password and a code from the app.
pub async fn disable_second_factor(
    db: &Db,
    user: &CurrentUser,
    password: &str,
    typed: &str,
) -> Result<AccountRow, AppError> {
    let row = find_by_id(db, &user.id).await?.ok_or(AppError::Unauthorized)?;
    if row.totp_secret.is_none() {
        return Err(AppError::conflict(
            "Tvåstegsverifiering är inte påslagen.",
            "Two-step verification is not on.",
        ));
    }
    check_own_password(db, &row, password).await?;
    let failures_key = format!("account:{}", row.email);
    let attempt = Attempt::start(db, Guessed::Code, &[(&failures_key, MAX_FAILURES_PER_ACCOUNT)]).await?;
    if !use_code(db, &row, typed).await? {
        attempt.failed();
        return Err(wrong_code());
    }
    attempt.passed(db).await?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "update account set totp_secret = null, totp_step = null, session_version = session_version + 1,
                updated_at = $2
         where id = $1",
    )
    .bind(&row.id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    crate::ssr::infra::audit::record(&mut *tx, user, AuditAction::SecondFactorOff, &row.email, "").await?;
    tx.commit().await?;
    Ok(AccountRow {
        totp_secret: None,
        totp_step: None,
        session_version: row.session_version + 1,
        ..row
    })
}
