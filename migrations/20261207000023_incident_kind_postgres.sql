-- PostgreSQL only (see `ssr::infra::db::migrator`): accounts of the role 'reporter' and
-- categories of the kind 'incident_report'.
alter table account drop constraint account_role_check;
alter table account add constraint account_role_check
    check (role in ('admin', 'coordinator', 'police', 'volunteer', 'participant', 'reporter'));
alter table category drop constraint category_kind_check;
alter table category add constraint category_kind_check
    check (kind in ('walk_finding', 'patrol_observation', 'drug_scene', 'incident_report'));
