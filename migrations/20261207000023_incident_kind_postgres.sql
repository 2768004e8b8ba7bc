-- PostgreSQL only (see `ssr::infra::db::migrator`): categories of the kind 'incident_report'.
alter table category drop constraint category_kind_check;
alter table category add constraint category_kind_check
    check (kind in ('walk_finding', 'patrol_observation', 'drug_scene', 'incident_report'));
