-- Insatser (plan 10): a joint effort in an area over a period; its effect is worked out
-- from the reports when asked for, never stored, so late reports count too.

create table intervention (
    id text primary key,
    title text not null,
    description text not null,
    strategy_area text not null,
    -- The focus problem it serves, in words.
    focus text not null,
    -- Count only this category ('' for all of the strategy area's).
    category text not null,
    -- {"shape": "circle", "lat", "lng", "radius_m"} or {"shape": "polygon", "geometry"}.
    zone text not null,
    -- Local (Stockholm) dates, YYYY-MM-DD; no end while it goes on.
    starts_on text not null,
    ends_on text,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index intervention_strategy_area on intervention (strategy_area, starts_on);
