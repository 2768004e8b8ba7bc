-- Retention (gallring): what is left of raw reports once their retention period is over.
-- Counts per H3 cell (resolution 9), Stockholm month, kind and category; a group is kept
-- only when it counts at least 3 reports (the rule of docs/hotspots.md), so no kept count
-- points at one person's report.
create table retained_count (
    cell text not null,
    month text not null,
    kind text not null,
    category_id text not null,
    strategy_area text not null,
    count bigint not null,
    primary key (cell, month, kind, category_id)
);
