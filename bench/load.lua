-- wrk script for the benchmarks: GET a URL, POST the campaign form with a new address each time,
-- or mix the two as a campaign's launch does.
--   wrk ... -s bench/load.lua <url> -- get
--   wrk ... -s bench/load.lua <url> -- form <run-tag>
--   wrk ... -s bench/load.lua <url> -- mix <run-tag> <page views per submission>
-- Every POST says it comes from the site's own page (Origin and Sec-Fetch-Site, as a browser sends
-- them: the campaign page carries no CSRF token) and carries an address no request used before:
-- "<run-tag>-<thread>-<counter>@example.org".
-- done() prints one line of JSON for bench/load.py; in mix mode it also counts the answers by kind
-- (200: a page view, 302: an accepted submission, anything else: refused).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local mode, tag, views_per_post
local counter = 0
local jurisdictions = { "CA-ON", "CA-QC", "CA-BC", "FR", "DE", "GB", "US-CA", "US-NY" }
local post_headers, origin
pages_answered, submissions_answered, other_answers = 0, 0, 0

local function count_answer(status, headers, body)
  if status == 200 then
    pages_answered = pages_answered + 1
  elseif status == 302 then
    submissions_answered = submissions_answered + 1
  else
    other_answers = other_answers + 1
  end
end

function init(args)
  mode, tag, views_per_post = args[1], args[2], tonumber(args[3] or "0")
  -- Only mix mode looks at the answers: wrk parses their headers only when `response` is defined.
  if mode == "mix" then
    response = count_answer
  end
  origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
  post_headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    ["Sec-Fetch-Site"] = "same-origin",
  }
end

local function submission()
  counter = counter + 1
  local body = "first_name=Bench&last_name=Supporter"
    .. "&email=" .. tag .. "-" .. thread_number .. "-" .. counter .. "%40example.org"
    .. "&jurisdiction=" .. jurisdictions[counter % #jurisdictions + 1]
    .. "&kind=access_and_deletion&consent=on"
  return wrk.format("POST", nil, post_headers, body)
end

local sent = 0

function request()
  if mode == "form" then
    return submission()
  end
  if mode == "mix" then
    sent = sent + 1
    if sent % (views_per_post + 1) == 0 then
      return submission()
    end
  end
  return wrk.format("GET")
end

function done(summary, latency, requests)
  local pages, submissions, others = 0, 0, 0
  for _, thread in ipairs(threads) do
    pages = pages + (thread:get("pages_answered") or 0)
    submissions = submissions + (thread:get("submissions_answered") or 0)
    others = others + (thread:get("other_answers") or 0)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"pages": %d, "submissions": %d, "other_answers": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    pages, submissions, others
  ))
end
