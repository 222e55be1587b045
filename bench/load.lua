-- wrk script for the benchmarks: GET a URL, or POST the campaign form with a new address each time.
--   wrk ... -s bench/load.lua <url> -- get
--   wrk ... -s bench/load.lua <url> -- form <run-tag> <csrf form token> <csrf cookie>
-- Every POST reuses one CSRF token (Django accepts a token with its cookie as often as it comes),
-- and carries an address no request used before: "<run-tag>-<thread>-<counter>@example.org".
-- done() prints one line of JSON for bench/load.py.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local mode, tag, token, cookie
local counter = 0
local jurisdictions = { "CA-ON", "CA-QC", "CA-BC", "FR", "DE", "GB", "US-CA", "US-NY" }

function init(args)
  mode, tag, token, cookie = args[1], args[2], args[3], args[4]
  if mode == "form" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = "csrftoken=" .. cookie
  end
end

function request()
  if mode ~= "form" then
    return wrk.format()
  end
  counter = counter + 1
  local body = "csrfmiddlewaretoken=" .. token
    .. "&first_name=Bench&last_name=Supporter"
    .. "&email=" .. tag .. "-" .. thread_number .. "-" .. counter .. "%40example.org"
    .. "&jurisdiction=" .. jurisdictions[counter % #jurisdictions + 1]
    .. "&kind=access_and_deletion&consent=on"
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout
  ))
end
