-- SQLite only (see `ssr::infra::db::migrator`): accounts of the role 'reporter' and
-- categories of the kind 'incident_report'. SQLite cannot change a check constraint in
-- place, so each table is made again; the rows that refer to its rows are checked at the
-- commit, when every row is back.
pragma defer_foreign_keys = on;

create temp table account_copy as select * from account;
drop table account;
create table account (
    id text primary key,
    email text not null unique,
    display_name text not null,
    role text not null check (role in ('admin', 'coordinator', 'police', 'volunteer', 'participant', 'reporter')),
    password_hash text not null,
    created_at bigint not null,
    updated_at bigint not null,
    disabled_at bigint,
    session_version bigint not null default 0,
    totp_secret text,
    totp_step bigint,
    must_change_password bigint not null default 0,
    organisation_id text references organisation (id)
);
insert into account (id, email, display_name, role, password_hash, created_at, updated_at, disabled_at,
                     session_version, totp_secret, totp_step, must_change_password, organisation_id)
    select id, email, display_name, role, password_hash, created_at, updated_at, disabled_at,
           session_version, totp_secret, totp_step, must_change_password, organisation_id
    from temp.account_copy;
drop table temp.account_copy;

create temp table category_copy as select * from category;
drop table category;
create table category (
    id text primary key,
    kind text not null check (kind in ('walk_finding', 'patrol_observation', 'drug_scene', 'incident_report')),
    label_sv text not null,
    label_en text not null,
    strategy_area text not null,
    sensitivity text not null check (sensitivity in ('internal', 'restricted')),
    sort_order bigint not null,
    retired_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);
insert into category (id, kind, label_sv, label_en, strategy_area, sensitivity, sort_order, retired_at, created_at, updated_at)
    select id, kind, label_sv, label_en, strategy_area, sensitivity, sort_order, retired_at, created_at, updated_at
    from temp.category_copy;
drop table temp.category_copy;
