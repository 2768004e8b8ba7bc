-- Medborgarlöften: a party's quantified promise for a year. Progress is counted from the
-- records (walks, interventions, actions, shifts) whenever it is read, never stored.

create table commitment (
    id text primary key,
    party text not null,
    text text not null,
    -- walks, interventions, actions_done or patrol_shifts.
    measure text not null,
    target bigint not null,
    year bigint not null,
    -- Count only this strategy area's interventions and actions ('' for all).
    strategy_area text not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
