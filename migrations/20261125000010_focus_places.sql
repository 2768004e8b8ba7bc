-- Patrol tasking (plan 6.2): places the police ask the grannstöd drivers to look at.

create table focus_place (
    id text primary key,
    title text not null,
    note text not null,
    lat double precision not null,
    lng double precision not null,
    radius_m double precision not null,
    -- YYYY-MM-DD, the last day it applies; null until removed.
    until_on text,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null,
    -- Set when taken off the drivers' list; kept for the record.
    removed_at bigint
);
create index focus_place_active on focus_place (removed_at, until_on);
-- Coverage reads the last 30 days of every shift's track.
create index track_point_recorded_at on track_point (recorded_at);
