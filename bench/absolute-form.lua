-- wrk speaks to a proxy: absolute-form request target, Host naming the origin (not the proxy).
-- The target comes from the environment: BENCH_URL=http://host:port/path
local url = os.getenv("BENCH_URL")
local host = url:match("^http://([^/]+)")
request = function()
  return wrk.format("GET", url, { ["Host"] = host })
end
