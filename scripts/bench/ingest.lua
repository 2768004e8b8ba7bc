-- wrk script for scripts/bench/ingest.sh: every request posts a new drug-scene report with
-- its own id, as a phone's outbox would, signed in as the next of the volunteers whose
-- session cookies are in the file $COOKIES; counts the answers that are not 201.
local counter = 0
local thread_id = 0
local failures = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  observed_at = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 60)
  cookies = {}
  for line in io.lines(os.getenv("COOKIES")) do
    table.insert(cookies, line)
  end
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%04x%08x",
    math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff), math.random(0, 0xffff), math.random(0, 0xffffffff))
end

request = function()
  counter = counter + 1
  local lat = 59.45 + math.random() * 0.15
  local lng = 17.40 + math.random() * 0.50
  local body = string.format(
    '{"id":"%s","kind":"drug_scene","category":"drug.dealing","note":"","lat":%.6f,"lng":%.6f,' ..
    '"accuracy_m":10.0,"position_source":"gps","observed_at":"%s","time_of_day":"evening"}',
    uuid(), lat, lng, observed_at)
  local headers = { ["content-type"] = "application/json" }
  headers["cookie"] = cookies[counter % #cookies + 1]
  return wrk.format("POST", "/api/v1/observations", headers, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("answer " .. status .. ": " .. body .. "\n")
    end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, per second: %.0f\n", summary.requests, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
