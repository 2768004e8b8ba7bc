-- A walk can follow up an earlier one (plan 4.2: "trygghetsvandringarna ska resultera i
-- åtgärder som följs upp"): its protocol then shows, place by place, what was found
-- before, what was done, and what is found now.
alter table walk add column previous_walk_id text references walk (id);
