-- Grannsamverkan (plan 6.1–6.2): neighbourhood-watch areas, their contact persons, and
-- the alerts raised when burglary-related reports in an area rise above its baseline.

-- A named area that is also a neighbourhood-watch area.
create table watch_area (
    area_id text primary key references area (id),
    -- A JSON array of the category ids that count as burglary-related here.
    categories text not null,
    window_days bigint not null,
    created_by text not null references account (id),
    created_at bigint not null,
    updated_at bigint not null
);

-- Residents who pass notices on. Personal data: kept only with a consent date, and
-- deleted with their area's watch settings.
create table watch_contact (
    id text primary key,
    area_id text not null references watch_area (area_id),
    position bigint not null,
    name text not null,
    phone text not null,
    email text not null,
    consent_on text not null
);
create index watch_contact_area on watch_contact (area_id, position);

create table alert (
    id text primary key,
    area_id text not null references area (id),
    -- The window's first and last day (YYYY-MM-DD, Stockholm).
    window_from text not null,
    window_to text not null,
    recent bigint not null,
    baseline bigint not null,
    baseline_days bigint not null,
    expected double precision not null,
    p double precision not null,
    message text not null,
    -- pending, sending, sent, sent_manually or dismissed.
    status text not null,
    last_error text,
    created_at bigint not null,
    updated_at bigint not null
);
-- Two scans on the same day (two server instances, a scan by hand) raise one alert.
create unique index alert_area_day on alert (area_id, window_to);

-- Every attempt to pass an alert on: e-mail sent or failed, sent by hand, dismissed.
create table alert_notice (
    id text primary key,
    alert_id text not null references alert (id),
    recipient text not null,
    outcome text not null,
    detail text not null,
    by_account text not null references account (id),
    at bigint not null
);
create index alert_notice_alert on alert_notice (alert_id, at);
