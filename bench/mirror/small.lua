-- wrk speaks to a proxy (or to nginx directly) with absolute-form request targets, cycling through
-- BENCH_COUNT small objects: BENCH_BASE .. 0 .. ".bin", BENCH_BASE .. 1 .. ".bin", ...
-- BENCH_BASE=http://host:port/path/ names the origin; Host names the origin, not the proxy.
local base = os.getenv("BENCH_BASE")
local count = tonumber(os.getenv("BENCH_COUNT") or "100")
local host = base:match("^http://([^/]+)")
local i = 0
request = function()
  i = (i + 1) % count
  return wrk.format("GET", base .. i .. ".bin", { ["Host"] = host })
end
