-- wrk driver for bench/bench_intake.py: POST one body (from WRK_BODY_FILE) with its content type
-- (WRK_CONTENT_TYPE); a CSRF cookie (WRK_CSRF) for forms that want one. Point it at any system:
--   WRK_BODY_FILE=body.json WRK_CONTENT_TYPE=application/json wrk -t2 -c32 -d15s -s bench/wrk_post.lua URL
local f = assert(io.open(os.getenv("WRK_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
local csrf = os.getenv("WRK_CSRF")
if csrf and csrf ~= "" then
  wrk.headers["Cookie"] = "csrftoken=" .. csrf
end
