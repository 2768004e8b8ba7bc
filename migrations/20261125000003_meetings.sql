-- Lägesbild meetings (plan 4.3): who met, the hotspot picture they looked at, kept
-- exactly as shown (a JSON snapshot, unaffected by reports that arrive later), the
-- police's running notes and the decisions.

create table meeting (
    id text primary key,
    held_on text not null,
    organisations text not null,
    decisions text not null,
    -- The request (filters, resolution, k, as_of) as JSON.
    params text not null,
    -- The result as the page showed it, as JSON.
    snapshot text not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index meeting_held_on on meeting (held_on);

create table meeting_note (
    id text primary key,
    meeting_id text not null references meeting (id),
    author_id text not null references account (id),
    body text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index meeting_note_meeting on meeting_note (meeting_id, created_at);
