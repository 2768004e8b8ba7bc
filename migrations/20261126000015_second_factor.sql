-- A second factor for signing in (ssr::totp): the shared secret of the account's
-- authenticator app, as base32 text (null: none set up), and the last 30-second step
-- whose code was accepted, so that no code works twice.
alter table account add column totp_secret text;
alter table account add column totp_step bigint;
