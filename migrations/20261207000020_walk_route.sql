-- A walk's route drawn on the map, corner by corner: a JSON array of {"lat", "lng"}.
-- The text route ("route") stays for stops and meeting points in words.
alter table walk add column route_path text not null default '[]';
