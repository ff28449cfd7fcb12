-- The load of one page for wrk (driven by bench/run.py, which puts the page's `cfg` table in front of
-- this file): the request with its headers (a session cookie, a CSRF token, a bearer token), a POST
-- body with a different day per request, an optional constant rate, and in done() one JSON line
-- "BENCH_JSON {...}" with the latency percentiles (µs), the requests and every kind of error.
--
-- cfg = { method, path, headers = {...}, body = nil | "a=%s&b=%s" (the day, dd-mm-jjjj, twice),
--         expect = 200, rate = 0 (requests/s of this thread; 0: as fast as the server answers),
--         day0 = days since 1970-01-01 of the first POST day, days_per_thread = 100000 }

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local fixed = nil
local counter = 0
local interval = 0
local next_at = nil

function init(args)
  unexpected = 0
  wrk.method = cfg.method
  wrk.path = cfg.path
  for name, value in pairs(cfg.headers) do
    wrk.headers[name] = value
  end
  if cfg.body == nil then
    fixed = wrk.format()
  end
  if cfg.rate > 0 then
    interval = 1000 / cfg.rate
  end
end

function request()
  if fixed ~= nil then
    return fixed
  end
  local day = cfg.day0 + tid * cfg.days_per_thread + counter
  counter = counter + 1
  local text = os.date("!%d-%m-%Y", day * 86400)
  return wrk.format(nil, nil, nil, string.format(cfg.body, text, text))
end

function response(status, headers, body)
  if status ~= cfg.expect then
    unexpected = unexpected + 1
  end
end

-- A constant rate: each answered connection waits for the thread's next free slot, so the thread
-- sends `rate` requests per second whatever the latency (as long as a connection is free). A slot
-- missed by more than a second is dropped rather than caught up in a burst.
if cfg.rate > 0 then
  function delay()
    local now = now_ms()
    if next_at == nil or next_at < now - 1000 then
      next_at = now
    end
    next_at = next_at + interval
    return math.max(0, math.ceil(next_at - now))
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "unexpected_status": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, bad))
end
