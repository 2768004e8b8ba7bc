-- The EST method's incident categories (Effektiv samordning för trygghet), as partner
-- organisations report them every week. Suspected drug dealing is restricted like the
-- drug-scene reports.
insert into category (id, kind, label_sv, label_en, strategy_area, sensitivity, sort_order, created_at, updated_at) values
    ('incident.vandalism', 'incident_report', 'Skadegörelse och klotter', 'Vandalism and graffiti', '3', 'internal', 10, 0, 0),
    ('incident.littering', 'incident_report', 'Nedskräpning', 'Littering', '3', 'internal', 20, 0, 0),
    ('incident.fire', 'incident_report', 'Bränder', 'Fires', '3', 'internal', 30, 0, 0),
    ('incident.disorder', 'incident_report', 'Ordningsstörning', 'Disorder', '3', 'internal', 40, 0, 0),
    ('incident.threat', 'incident_report', 'Bråk och hot', 'Fights and threats', '9.1', 'internal', 50, 0, 0),
    ('incident.theft', 'incident_report', 'Stölder och inbrott', 'Thefts and burglaries', '6.1', 'internal', 60, 0, 0),
    ('incident.drug_dealing', 'incident_report', 'Misstänkt narkotikahandel', 'Suspected drug dealing', '10', 'restricted', 70, 0, 0),
    ('incident.rough_sleeping', 'incident_report', 'Otillåten övernattning', 'Unauthorised overnight stay', '3', 'internal', 80, 0, 0),
    ('incident.illegal_traffic', 'incident_report', 'Olovlig trafik', 'Illegal traffic', '3', 'internal', 90, 0, 0),
    ('incident.gathering', 'incident_report', 'Oroande samlingar', 'Worrying gatherings', '11', 'internal', 100, 0, 0),
    ('incident.unsafe_place', 'incident_report', 'Otrygg plats', 'Unsafe place', '4.2', 'internal', 110, 0, 0),
    ('incident.event', 'incident_report', 'Planerade arrangemang', 'Planned events', '4.3', 'internal', 120, 0, 0);
