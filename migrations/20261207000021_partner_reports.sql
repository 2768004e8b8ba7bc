-- Many eyes (plan 4.3, the EST method): partner organisations and their reporters, and
-- incident reports (händelserapporter) from them and from residents. A report waits for a
-- coordinator's review; only an accepted one becomes an `observation` of kind
-- 'incident_report', so nothing counts in the lägesbild or any aggregated layer before it
-- has been reviewed.

create table organisation (
    id text primary key,
    name text not null unique,
    kind text not null,
    active bigint not null default 1,
    created_at bigint not null,
    updated_at bigint not null
);

-- A reporter's organisation; null for every other account.
alter table account add column organisation_id text references organisation (id);

create table incident_report (
    id text primary key,
    -- The id the phone made (resends by the same reporter are one report).
    client_id text not null,
    -- 'reporter' (an account of a partner organisation) or 'resident' (the public /tipsa).
    source text not null,
    reporter_id text references account (id),
    organisation_id text references organisation (id),
    category_id text not null references category (id),
    lat double precision not null,
    lng double precision not null,
    accuracy_m double precision,
    position_source text not null,
    observed_at bigint not null,
    -- The end of a time span ("mellan 22 och 02"), if the report gives one.
    observed_until bigint,
    note text not null,
    -- A resident's optional name and e-mail: never shown, used only to tell them what
    -- became of the report.
    contact_name text not null default '',
    contact_email text not null default '',
    -- 'pending', 'accepted', 'rejected' or 'merged'.
    status text not null,
    strategy_area text not null,
    -- Once accepted: the observation it became.
    observation_id text references observation (id),
    -- Once merged: the report it is a duplicate of.
    duplicate_of text references incident_report (id),
    decided_by text references account (id),
    decided_at bigint,
    decision_note text not null default '',
    content_hash text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create unique index incident_report_client on incident_report (reporter_id, client_id);
create index incident_report_status on incident_report (status, created_at);
create index incident_report_organisation on incident_report (organisation_id, created_at);
create index incident_report_place on incident_report (category_id, lat);

-- What became of a report, for whoever made it: one row per change, until they have read
-- it (`seen_at`).
create table incident_notice (
    id text primary key,
    report_id text not null references incident_report (id),
    recipient_id text references account (id),
    status text not null,
    created_at bigint not null,
    updated_at bigint not null,
    seen_at bigint
);
create index incident_notice_recipient on incident_notice (recipient_id, seen_at);
create index incident_notice_report on incident_notice (report_id);
