-- Settings an admin may change while the app runs, overriding the environment's values:
-- the map's tiles, attribution and starting view. One row per key ("map.tile_url", …).
create table setting (
    key text primary key,
    value text not null,
    changed_by text not null references account (id),
    changed_at bigint not null
);
