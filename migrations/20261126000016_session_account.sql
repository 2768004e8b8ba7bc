-- The account a session is signed in as, kept beside the session's data so that loading
-- a session reads its account in the same statement (ssr::session_store). Null for a
-- session nobody has signed in to, and for sessions saved before this column: those
-- are filled at their next save, and read their account separately until then.
alter table session add column account_id text;
