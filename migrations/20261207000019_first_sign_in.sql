-- A password someone else chose (an admin's or the console's one-time password) is
-- replaced at the first sign-in (ASVS V6.4): until then the account opens only "Mitt konto".
alter table account add column must_change_password bigint not null default 0;

-- A participant's menu leads back to the walk they joined last.
create index walk_participant_account on walk_participant (account_id, created_at);
