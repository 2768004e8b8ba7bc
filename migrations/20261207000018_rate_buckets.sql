-- The per-user limits on submissions and exports, counted in the database on PostgreSQL
-- so that several instances give a user the limit once (app::ssr::rate). One row per user
-- and limit: the tokens left when it was last taken from, and when (unix ms).
create table rate_bucket (
    user_id text not null,
    kind text not null,
    tokens double precision not null,
    at bigint not null,
    primary key (user_id, kind)
);
