-- The id a phone makes for a report or a photo is the key of that phone's own resends,
-- not of the whole table: a second reporter who sends an id already taken gets their
-- report stored under a new id of the server's, and is answered exactly as for a fresh
-- id, so an id says nothing about records its sender may not read. `client_id` is the
-- id as the phone made it; the reporter goes on reading and naming the report by it.

alter table observation add column client_id text;
update observation set client_id = id;
create unique index observation_client on observation (reporter_id, client_id);

alter table photo add column client_id text;
update photo set client_id = id;
create unique index photo_client on photo (observation_id, client_id);
