-- Focus problems (fokusproblem): a problem of a strategy area with its cause analysis
-- (the crime triangle), a goal with a measure and a date, and the actions and
-- interventions that serve it.

create table focus_problem (
    id text primary key,
    strategy_area text not null,
    title text not null,
    problem text not null,
    cause_place text not null,
    cause_offender text not null,
    cause_target text not null,
    managers text not null,
    handlers text not null,
    guardians text not null,
    goal text not null,
    measure text not null,
    -- YYYY-MM-DD.
    goal_on text not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index focus_problem_area on focus_problem (strategy_area);

-- The activities that serve a problem.
alter table action add column focus_problem_id text references focus_problem (id);
alter table intervention add column focus_problem_id text references focus_problem (id);
