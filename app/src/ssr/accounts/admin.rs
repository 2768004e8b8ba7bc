//! Administration: accounts and the driver register, with every change logged
//! (`ssr::infra::audit`). The rules of who may do what are in `domain::admin`.
//!
//! Ending an account's sessions raises its `session_version`, which is part of the value
//! every session is checked against (`ssr::accounts::auth::SessionUser`): the sessions end at their
//! next request, on every instance, without finding them in the session table. A disabled
//! account is not found by the sign-in and session look-ups at all.

use crate::domain::access::{in_driver_register, manages, manages_accounts, JOINS_BY_CODE};
use crate::domain::admin::{Account, AccountChange, AuditAction, Driver, NewUser, WithPassword};
use crate::domain::clock::today;
use crate::domain::role::Role;
use crate::domain::user::{CurrentUser, UserId};
use crate::error::AppError;
use crate::ssr::accounts::{self, NewAccount};
use crate::ssr::infra::audit;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::infra::sql::day;

#[derive(sqlx::FromRow)]
struct ManagedRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    disabled_at: Option<i64>,
    created_at: i64,
    /// Whether the account has a row in the driver register.
    registered: i64,
    trained_on: Option<String>,
    vehicles: Option<String>,
    confidentiality_signed_on: Option<String>,
    note: Option<String>,
}

const SELECT: &str = "select a.id, a.email, a.display_name, a.role, a.disabled_at, a.created_at,
        case when d.account_id is null then 0 else 1 end as registered,
        d.trained_on, d.vehicles, d.confidentiality_signed_on, d.note
     from account a left join driver d on d.account_id = a.id";

impl ManagedRow {
    fn read(self) -> Result<Account, AppError> {
        let row = Row::of("account", &self.id);
        let id = row.id()?;
        let role: Role = row.code("role", &self.role)?;
        let driver = if self.registered == 1 {
            // Both columns are `not null` in `driver`; absent only without a driver row.
            let driver = Row::of("driver", &self.id);
            Some(Driver {
                trained_on: self.trained_on,
                vehicles: driver.json("vehicles", &driver.valid("vehicles", self.vehicles)?)?,
                confidentiality_signed_on: self.confidentiality_signed_on,
                note: driver.valid("note", self.note)?,
            })
        } else {
            None
        };
        Ok(Account {
            id,
            email: self.email,
            display_name: self.display_name,
            role,
            disabled: self.disabled_at.is_some(),
            created_at: self.created_at,
            driver,
        })
    }
}

/// The accounts `viewer` manages: every account but the walk participants for an admin,
/// the volunteers for a coordinator. Active accounts first, then by name.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<Account>, AppError> {
    if !manages_accounts(viewer.role) {
        return Err(AppError::Forbidden);
    }
    // The accounts made by joining a walk are many and managed by nobody: left out at once.
    let rows: Vec<ManagedRow> = sqlx::query_as(&format!(
        "{SELECT} where a.role <> $1
         order by case when a.disabled_at is null then 0 else 1 end, lower(a.display_name), a.email"
    ))
    .bind(JOINS_BY_CODE)
    .fetch_all(&db.pool)
    .await?;
    let mut accounts = Vec::with_capacity(rows.len());
    for row in rows {
        let account = row.read()?;
        if manages(viewer.role, account.role) {
            accounts.push(account);
        }
    }
    Ok(accounts)
}

/// The account with `id` if `viewer` manages it; `NotFound` otherwise, so a guessed id
/// tells nothing about accounts outside the viewer's reach.
pub async fn find(db: &Db, viewer: &CurrentUser, id: UserId) -> Result<Account, AppError> {
    if !manages_accounts(viewer.role) {
        return Err(AppError::Forbidden);
    }
    let row: Option<ManagedRow> = sqlx::query_as(&format!("{SELECT} where a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    match row.map(ManagedRow::read).transpose()? {
        Some(account) if manages(viewer.role, account.role) => Ok(account),
        _ => Err(AppError::NotFound),
    }
}

/// The driver-register row of a signed-in user, if any.
pub async fn driver_of(db: &Db, user: &UserId) -> Result<Option<Driver>, AppError> {
    let row: Option<ManagedRow> = sqlx::query_as(&format!("{SELECT} where a.id = $1"))
        .bind(user)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .map(ManagedRow::read)
        .transpose()?
        .and_then(|account| account.driver))
}

/// Creates an account with a random first password, returned this once.
pub async fn create(db: &Db, viewer: &CurrentUser, new: &NewUser) -> Result<WithPassword, AppError> {
    if !manages_accounts(viewer.role) {
        return Err(AppError::Forbidden);
    }
    new.validate(viewer.role)?;
    if let Some(organisation) = new.organisation {
        crate::ssr::incidents::organisations::require_active(db, organisation).await?;
    }
    let password = accounts::generate_password();
    let mut tx = db.pool.begin().await?;
    let created = accounts::create_in(
        &mut *tx,
        NewAccount {
            email: &new.email,
            display_name: &new.display_name,
            role: new.role,
            password: &password,
            one_time: true,
            organisation: new.organisation,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        viewer,
        AuditAction::AccountCreate,
        &created.email,
        created.role.as_str(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(account = %created.id, by = %viewer.id, role = %created.role, "account created");
    Ok(WithPassword {
        account: find(db, viewer, created.id).await?,
        password,
    })
}

/// Renames, changes the role of, disables or enables an account. A new role or disabling
/// ends the account's sessions.
pub async fn change(
    db: &Db,
    viewer: &CurrentUser,
    id: UserId,
    change: &AccountChange,
) -> Result<Account, AppError> {
    let current = find(db, viewer, id).await?;
    change.validate(viewer.role, viewer.id == id, current.role)?;
    let mut tx = db.pool.begin().await?;
    let now = now_ms();
    if let Some(name) = change.display_name.as_deref().map(str::trim) {
        if name != current.display_name {
            sqlx::query("update account set display_name = $2, updated_at = $3 where id = $1")
                .bind(id)
                .bind(name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit::record(&mut *tx, viewer, AuditAction::AccountRename, &current.email, name).await?;
        }
    }
    if let Some(role) = change.role.filter(|&role| role != current.role) {
        sqlx::query(
            "update account set role = $2, session_version = session_version + 1, updated_at = $3 where id = $1",
        )
        .bind(id)
        .bind(role)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!("{} → {}", current.role, role);
        audit::record(
            &mut *tx,
            viewer,
            AuditAction::AccountRole,
            &current.email,
            &detail,
        )
        .await?;
    }
    if let Some(disabled) = change.disabled.filter(|&disabled| disabled != current.disabled) {
        sqlx::query(
            "update account set disabled_at = $2, session_version = session_version + 1, updated_at = $3
             where id = $1",
        )
        .bind(id)
        .bind(disabled.then_some(now))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let action = if disabled {
            AuditAction::AccountDisable
        } else {
            AuditAction::AccountEnable
        };
        audit::record(&mut *tx, viewer, action, &current.email, "").await?;
    }
    tx.commit().await?;
    tracing::info!(account = %id, by = %viewer.id, "account changed");
    find(db, viewer, id).await
}

/// Gives the account a new random password, returned this once, and ends its sessions.
pub async fn reset_password(db: &Db, viewer: &CurrentUser, id: UserId) -> Result<WithPassword, AppError> {
    let account = find(db, viewer, id).await?;
    if viewer.id == id {
        // A reset would end the caller's own session and show a password they did not choose.
        return Err(AppError::invalid(
            "id",
            "Byt ditt eget lösenord under Mitt konto.",
            "Change your own password under My account.",
        ));
    }
    let password =
        accounts::reset_to_random(db, &id.to_string(), &account.email, Some(&viewer.id), "").await?;
    tracing::info!(account = %id, by = %viewer.id, "password reset");
    Ok(WithPassword { account, password })
}

/// Ends every open session of the account (a lost phone, a shared computer).
pub async fn end_sessions(db: &Db, viewer: &CurrentUser, id: UserId) -> Result<(), AppError> {
    let account = find(db, viewer, id).await?;
    let mut tx = db.pool.begin().await?;
    sqlx::query("update account set session_version = session_version + 1, updated_at = $2 where id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, viewer, AuditAction::SessionsEnd, &account.email, "").await?;
    tx.commit().await?;
    tracing::info!(account = %id, by = %viewer.id, "sessions ended");
    Ok(())
}

/// Writes the account's row in the driver register; only volunteer accounts are drivers.
pub async fn set_driver(
    db: &Db,
    viewer: &CurrentUser,
    id: UserId,
    entry: &Driver,
) -> Result<Account, AppError> {
    let account = find(db, viewer, id).await?;
    if !in_driver_register(account.role) {
        return Err(AppError::invalid(
            "role",
            "Bara grannstödsförare står i förarregistret.",
            "Only patrol volunteers are in the driver register.",
        ));
    }
    let checked = entry.validate(today())?;
    let vehicles = serde_json::to_string(&checked.vehicles).map_err(|_| AppError::Internal)?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "insert into driver (account_id, trained_on, vehicles, confidentiality_signed_on, note, updated_by, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (account_id) do update set trained_on = $2, vehicles = $3, confidentiality_signed_on = $4,
             note = $5, updated_by = $6, updated_at = $7",
    )
    .bind(id)
    .bind(day(checked.trained_on))
    .bind(vehicles)
    .bind(day(checked.confidentiality_signed_on))
    .bind(&checked.note)
    .bind(viewer.id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let day = |value: Option<chrono::NaiveDate>| value.map_or_else(|| "–".to_owned(), |day| day.to_string());
    let detail = format!(
        "utbildad {}, tystnadslöfte {}, fordon: {}",
        day(checked.trained_on),
        day(checked.confidentiality_signed_on),
        checked.vehicles.join(", ")
    );
    audit::record(
        &mut *tx,
        viewer,
        AuditAction::DriverRegister,
        &account.email,
        &detail,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(account = %id, by = %viewer.id, "driver register changed");
    find(db, viewer, id).await
}
