-- SQLite only (see `ssr::infra::db::migrator`): categories of the kind 'incident_report'.
-- SQLite cannot change a check constraint in place, so the table is made again; the
-- observations that refer to its rows are checked at the commit, when every row is back.
pragma defer_foreign_keys = on;
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
