-- Administration: disabling accounts and ending their sessions, the municipality's
-- register of grannstöd drivers, and a log of who changed what and when.

-- Set when an admin disables the account; a disabled account cannot sign in and its
-- sessions end at their next request.
alter table account add column disabled_at bigint;
-- Part of every session's check value: raising it ends the account's open sessions.
alter table account add column session_version bigint not null default 0;

-- The register of grannstöd drivers the plan asks the municipality to keep, one row per
-- volunteer account. Dates are YYYY-MM-DD.
create table driver (
    account_id text primary key references account (id),
    trained_on text,
    -- JSON array of the vehicles the driver may take out, e.g. ["Grannstödsbil Bro"].
    vehicles text not null,
    -- The day the driver signed the confidentiality agreement (tystnadslöfte); only
    -- then do they see the exact positions of the police's focus places.
    confidentiality_signed_on text,
    note text not null,
    updated_by text not null references account (id),
    updated_at bigint not null
);

-- Who changed what, and when. The server writes it; a request's text only ever lands in
-- `detail`, after the action and subject the server chose.
create table audit_event (
    id text primary key,
    at bigint not null,
    actor_id text references account (id),
    action text not null,
    subject text not null,
    detail text not null
);
create index audit_event_at on audit_event (at);
