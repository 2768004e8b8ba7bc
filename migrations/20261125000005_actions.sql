-- Actions (åtgärder, plan 4.2, 4.4, 6.1, 6.2, 10): what a party has undertaken to do about
-- a finding, a report, a hotspot cell or a meeting decision, and the log of follow-ups.
-- Every change is written to the log in the same transaction as the action itself.

create table action (
    id text primary key,
    title text not null,
    description text not null,
    -- The responsible organisation, and who answers for it there.
    party text not null,
    owner text not null,
    -- A local (Stockholm) date, YYYY-MM-DD, so that text order is date order.
    due_on text not null,
    strategy_area text not null,
    -- proposed, planned, in_progress, done, rejected.
    status text not null,
    -- Why it was rejected; the public may read it.
    reason text not null,
    -- What it answers: observation, cell, meeting or none, and its id or H3 index.
    source_kind text not null,
    source_ref text not null,
    -- Where it is, from its source; null when the source has no place.
    lat double precision,
    lng double precision,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index action_source on action (source_kind, source_ref);
create index action_due on action (due_on, status);

create table action_update (
    id text primary key,
    action_id text not null references action (id),
    author_id text not null references account (id),
    note text not null,
    -- The status this entry set, if it changed it.
    status text,
    created_at bigint not null
);
create index action_update_action on action_update (action_id, created_at);
