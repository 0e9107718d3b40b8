-- wrk script for bench/run.sh: replays a prepared request file and checks every answer.
--
-- Environment (read by every wrk thread):
--   BENCH_REQUESTS  file of requests, one per line: METHOD<TAB>PATH<TAB>HEADERS<TAB>BODY, where
--                   HEADERS is "Name: value|Name: value" (may be empty) and BODY may be empty
--   BENCH_THREADS   wrk's -t value: thread k sends lines k, k+T, k+2T... so a line (an account)
--                   is only ever used by one thread, in file order
--   BENCH_TOKEN     bearer token sent on every request (empty: none)
--   BENCH_EXPECT_STATUS  status of a good answer (default 200)
--   BENCH_EXPECT_BODY    plain substring a good answer's body must hold (optional)
--   BENCH_EXPECT_HEADER  "Name=value" a good answer must carry (optional)
--   BENCH_ONCE      "1": each line is sent at most once; a thread stops when its lines run out
--                   (one-time codes: a second use would be a replay)
--   BENCH_PROBE     with BENCH_ONCE: the harmless GET wrk still sends after a thread stops (default
--                   /q/health/live), and BENCH_PROBE_MARK a substring of its answer (default "checks"),
--                   so its answer is not counted
--   BENCH_RESULT    where done() writes the JSON result

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local function split_headers(spec, into)
  for part in string.gmatch(spec, "[^|]+") do
    local name, value = string.match(part, "^%s*([^:]+):%s*(.-)%s*$")
    if name then into[name] = value end
  end
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local token = os.getenv("BENCH_TOKEN") or ""
  expect_status = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200")
  expect_body = os.getenv("BENCH_EXPECT_BODY") or ""
  if expect_body == "" then expect_body = nil end
  local eh = os.getenv("BENCH_EXPECT_HEADER") or ""
  expect_header_name, expect_header_value = string.match(eh, "^([^=]+)=(.*)$")
  once = os.getenv("BENCH_ONCE") == "1"
  probe = os.getenv("BENCH_PROBE") or "/q/health/live"
  probe_mark = os.getenv("BENCH_PROBE_MARK") or '"checks"'

  requests = {}
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  local lineno = 0
  for line in file:lines() do
    if line ~= "" then
      if lineno % nthreads == tid then
        local method, path, hdrs, body = string.match(line, "^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
        local headers = {}
        if token ~= "" then headers["Authorization"] = "Bearer " .. token end
        if body ~= nil and body ~= "" then
          headers["Content-Type"] = "application/json"
        else
          body = nil
        end
        split_headers(hdrs or "", headers)
        table.insert(requests, wrk.format(method, path, headers, body))
      end
      lineno = lineno + 1
    end
  end
  file:close()
  count = #requests
  index = 0
  passes = 0
  sent = 0
  exhausted = false
  ok, mismatch, s422, s429, s503, s4xx, s5xx, sother = 0, 0, 0, 0, 0, 0, 0, 0
end

function request()
  index = index + 1
  if index > count then
    index = 1
    passes = passes + 1
    if once then
      -- Stop; the request wrk still sends is a harmless probe whose answer is not counted.
      exhausted = true
      wrk.thread:stop()
      return wrk.format("GET", probe)
    end
  end
  sent = sent + 1
  return requests[index]
end

function response(status, headers, body)
  if exhausted and body and string.find(body, probe_mark, 1, true) then return end
  if status == expect_status then
    local good = true
    if expect_body and not (body and string.find(body, expect_body, 1, true)) then good = false end
    if good and expect_header_name and headers[expect_header_name] ~= expect_header_value then good = false end
    if good then ok = ok + 1 else mismatch = mismatch + 1 end
  elseif status == 422 then s422 = s422 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 503 then s503 = s503 + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t = { ok = 0, mismatch = 0, s422 = 0, s429 = 0, s503 = 0, s4xx = 0, s5xx = 0, sother = 0,
              lines = 0, wrapped = 0, sent = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do
      if name ~= "lines" and name ~= "wrapped" then t[name] = t[name] + (thread:get(name) or 0) end
    end
    t.lines = t.lines + (thread:get("count") or 0)
    t.wrapped = t.wrapped + (thread:get("passes") or 0)
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"tool":"wrk","duration_s":%.3f,"requests":%d,"ok":%d,"mismatch":%d,"status_422":%d,' ..
    '"status_429":%d,"status_503":%d,"status_4xx_other":%d,"status_5xx_other":%d,"status_other":%d,' ..
    '"socket_errors":%d,"timeouts":%d,"lines":%d,"wrapped":%d,"sent":%d,' ..
    '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f,"mean":%.3f}}\n',
    summary.duration / 1e6, summary.requests, t.ok, t.mismatch, t.s422, t.s429, t.s503, t.s4xx, t.s5xx,
    t.sother, socket_errors, e.timeout, t.lines, t.wrapped, t.sent,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3))
  out:close()
end
