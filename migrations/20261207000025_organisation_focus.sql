-- Next week's focus places of each partner organisation, as the weekly lägesbild decides
-- them (EST): a named place and what to look for there, for the week starting `week_of`
-- (a Monday, YYYY-MM-DD). The place is kept as its name, so a redrawn or removed area
-- leaves the decision as it was made.
create table organisation_focus (
    id text primary key,
    organisation_id text not null references organisation (id),
    place text not null,
    note text not null,
    week_of text not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index organisation_focus_week on organisation_focus (organisation_id, week_of);
