-- Named areas and the municipality boundary (plan 4.2, 6.1, 10). Findings, hotspot cells
-- and actions are labelled with the area they lie in when they are read, so a renamed
-- or redrawn area relabels everything at once.

create table area (
    id text primary key,
    name text not null,
    -- 'named' or 'municipality'.
    kind text not null,
    -- A GeoJSON MultiPolygon, longitude first.
    geometry text not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null,
    -- Set when a coordinator removes it; kept for what refers to it.
    removed_at bigint
);
-- Two kept areas may not share a name; there is at most one municipality boundary.
create unique index area_name on area (name) where removed_at is null;
create unique index area_one_municipality on area (kind) where kind = 'municipality' and removed_at is null;
