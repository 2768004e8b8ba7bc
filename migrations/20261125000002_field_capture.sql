-- Field capture: categories, safety walks, patrol shifts with their GPS tracks, the
-- police briefing, observations and their photos. Portable SQL as in the first migration.

create table category (
    id text primary key,
    kind text not null check (kind in ('walk_finding', 'patrol_observation', 'drug_scene')),
    label_sv text not null,
    label_en text not null,
    strategy_area text not null,
    sensitivity text not null check (sensitivity in ('internal', 'restricted')),
    sort_order bigint not null,
    retired_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);

-- Trygghetsvandring (plan 4.2).
create table walk (
    id text primary key,
    title text not null,
    area text not null,
    starts_at bigint not null,
    light text not null check (light in ('daylight', 'dark')),
    route text not null,
    invited text not null,
    join_code text not null unique,
    status text not null check (status in ('open', 'closed')),
    created_by text not null references account (id),
    closed_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);

create table walk_participant (
    id text primary key,
    walk_id text not null references walk (id),
    account_id text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null,
    unique (walk_id, account_id)
);

-- Grannstödsbil shift (plan 6.2).
create table shift (
    id text primary key,
    volunteer_id text not null references account (id),
    vehicle text not null,
    co_driver text not null,
    started_at bigint not null,
    ended_at bigint,
    distance_m double precision,
    created_at bigint not null,
    updated_at bigint not null
);

create table track_point (
    id text primary key,
    shift_id text not null references shift (id),
    recorded_at bigint not null,
    lat double precision not null,
    lng double precision not null,
    accuracy_m double precision not null,
    created_at bigint not null,
    updated_at bigint not null,
    unique (shift_id, recorded_at)
);

create table briefing (
    id text primary key,
    body text not null,
    author_id text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);
create index briefing_created_at on briefing (created_at);

create table observation (
    id text primary key,
    kind text not null,
    category_id text not null references category (id),
    note text not null,
    lat double precision not null,
    lng double precision not null,
    accuracy_m double precision,
    position_source text not null check (position_source in ('gps', 'manual')),
    observed_at bigint not null,
    reporter_id text not null references account (id),
    walk_id text references walk (id),
    shift_id text references shift (id),
    rating bigint check (rating between 0 and 3),
    time_of_day text,
    strategy_area text not null,
    sensitivity text not null check (sensitivity in ('internal', 'restricted')),
    status text not null,
    -- Hash of what the phone sent, so a replay can be told from a conflicting resend.
    content_hash text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index observation_walk on observation (walk_id);
create index observation_shift on observation (shift_id);
create index observation_reporter on observation (reporter_id);
create index observation_kind_time on observation (kind, observed_at);

-- Photos are stored re-encoded, without metadata, as base64 text: one portable column
-- type for SQLite and PostgreSQL, and every instance and every backup has them.
create table photo (
    id text primary key,
    observation_id text not null references observation (id),
    content_type text not null,
    width bigint not null,
    height bigint not null,
    data text not null,
    content_hash text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index photo_observation on photo (observation_id);

-- Categories from DOMAIN.md: walk parameters after Safetipin plus the Swedish additions,
-- the grannstöd observations, and the open-drug-scene types. Coordinators can add,
-- rename and retire categories later; these ids stay stable.
insert into category (id, kind, label_sv, label_en, strategy_area, sensitivity, sort_order, created_at, updated_at) values
    ('walk.lighting', 'walk_finding', 'Belysning', 'Lighting', '4.2', 'internal', 10, 0, 0),
    ('walk.openness', 'walk_finding', 'Överblick (kan du se framåt)', 'Openness (can you see ahead)', '4.2', 'internal', 20, 0, 0),
    ('walk.visibility', 'walk_finding', 'Synlighet (kan andra se dig)', 'Visibility (can others see you)', '4.2', 'internal', 30, 0, 0),
    ('walk.people', 'walk_finding', 'Folk i rörelse', 'People present', '4.2', 'internal', 40, 0, 0),
    ('walk.diversity', 'walk_finding', 'Blandning av kön och åldrar', 'Gender and age diversity', '4.2', 'internal', 50, 0, 0),
    ('walk.path', 'walk_finding', 'Gångväg', 'Walk path', '4.2', 'internal', 60, 0, 0),
    ('walk.transport', 'walk_finding', 'Kollektivtrafik', 'Public transport', '4.2', 'internal', 70, 0, 0),
    ('walk.security', 'walk_finding', 'Synlig bevakning', 'Visible security', '4.2', 'internal', 80, 0, 0),
    ('walk.vegetation', 'walk_finding', 'Växtlighet', 'Vegetation', '4.2', 'internal', 90, 0, 0),
    ('walk.hiding', 'walk_finding', 'Gömställen', 'Hiding places', '4.2', 'internal', 100, 0, 0),
    ('walk.vandalism', 'walk_finding', 'Skadegörelse och klotter', 'Vandalism and graffiti', '4.2', 'internal', 110, 0, 0),
    ('walk.litter', 'walk_finding', 'Nedskräpning', 'Littering', '4.2', 'internal', 120, 0, 0),
    ('walk.traffic', 'walk_finding', 'Trafik', 'Traffic', '4.2', 'internal', 130, 0, 0),
    ('walk.feeling', 'walk_finding', 'Helhetskänsla', 'Overall feeling', '4.2', 'internal', 140, 0, 0),
    ('patrol.open_window', 'patrol_observation', 'Öppet fönster eller dörr i tomt hus', 'Open window or door in an empty house', '6.2', 'internal', 10, 0, 0),
    ('patrol.suspicious_vehicle', 'patrol_observation', 'Misstänkt fordon', 'Suspicious vehicle', '6.2', 'internal', 20, 0, 0),
    ('patrol.suspicious_person', 'patrol_observation', 'Misstänkt beteende', 'Suspicious behaviour', '6.2', 'internal', 30, 0, 0),
    ('patrol.abandoned_car', 'patrol_observation', 'Stulen eller övergiven bil', 'Stolen or abandoned car', '6.2', 'internal', 40, 0, 0),
    ('patrol.damage', 'patrol_observation', 'Klotter eller skadegörelse', 'Graffiti or damage', '3', 'internal', 50, 0, 0),
    ('patrol.sign', 'patrol_observation', 'Sliten eller saknad grannsamverkansskylt', 'Worn or missing Grannsamverkan sign', '6.1', 'internal', 60, 0, 0),
    ('patrol.burglary_signs', 'patrol_observation', 'Tecken på inbrott', 'Signs of burglary', '6.2', 'internal', 70, 0, 0),
    ('drug.dealing', 'drug_scene', 'Försäljning', 'Dealing', '10', 'restricted', 10, 0, 0),
    ('drug.use', 'drug_scene', 'Användning', 'Use', '10', 'restricted', 20, 0, 0),
    ('drug.paraphernalia', 'drug_scene', 'Sprutor och tillbehör', 'Syringes and paraphernalia', '10', 'restricted', 30, 0, 0),
    ('drug.gathering', 'drug_scene', 'Samling', 'Gathering', '10', 'restricted', 40, 0, 0);
