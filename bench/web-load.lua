-- wrk script of bench/web-load.sh: each request asks for the next address of a list, one per line, so a run
-- spreads over many documents or many queries instead of repeating one URL.
--   wrk -s bench/web-load.lua http://127.0.0.1:PORT -- FILE THREADS
-- Each thread starts at its own share of the list (thread k of n at line k*len/n + 1) and wraps around at the end.
local paths = {}
local i = 0
local threads_started = 0

function setup(thread)
  thread:set("index", threads_started)
  threads_started = threads_started + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("web-load.lua: no addresses in " .. tostring(args[1]))
  end
  local threads = tonumber(args[2]) or 1
  i = ((index or 0) * math.floor(#paths / threads)) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
