-- Accounts, their sessions and failed sign-ins.
-- Portable SQL (SQLite and PostgreSQL): ids are UUID text, times are unix milliseconds.

create table account (
    id text primary key,
    email text not null unique,
    display_name text not null,
    role text not null check (role in ('admin', 'coordinator', 'police', 'volunteer', 'participant')),
    password_hash text not null,
    created_at bigint not null,
    updated_at bigint not null
);

-- Server-side sessions, shared by every app instance on the same database.
create table session (
    id text primary key,
    data text not null,
    expires_at bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index session_expires_at on session (expires_at);

-- One row per failed sign-in, keyed by account ('account:<email>') or client ('ip:<addr>'),
-- so that every instance sees the same count. Rows older than the window are deleted.
create table login_failure (
    id text primary key,
    subject text not null,
    created_at bigint not null
);
create index login_failure_subject on login_failure (subject, created_at);
