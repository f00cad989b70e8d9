"""Times GET /titles/{id}?season=N with a web session (see bench/web-bench.sh). Standard library only."""
import gzip, http.client, json, os, re, statistics, sys, time, urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
n = int(os.environ.get("N", "2000"))
conn = http.client.HTTPConnection(base.hostname, base.port)
cookies = {}

def request(method, path, body=None, headers=None):
    h = dict(headers or {})
    if cookies: h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, value = v.split(";")[0].split("=", 1)
            if value: cookies[name] = value
            else: cookies.pop(name, None)
    return r, data

# API token: check in seasons 1-10 (220 episodes), so the page has watched marks, progress and a next episode.
r, data = request("POST", "/auth/login", json.dumps({"email": "bench@example.com", "password": "correct horse battery staple"}), {"Content-Type": "application/json"})
token = json.loads(data)["access_token"]
r, data = request("GET", "/api/search?q=long+series")
title = json.loads(data)["results"][0]["id"]
for s in range(1, 11):
    r, _ = request("POST", "/api/checkins", json.dumps({"title_id": title, "season": s}), {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    assert r.status == 201, r.status

# Web session: the sign-in form, as a browser posts it.
r, page = request("GET", "/signin")
af = re.search(rb'name="__af" value="([^"]+)"', page).group(1).decode()
r, _ = request("POST", "/session", urllib.parse.urlencode({"__af": af, "email": "bench@example.com", "password": "correct horse battery staple", "return": "/"}),
               {"Content-Type": "application/x-www-form-urlencoded"})
assert r.status == 303 and "watchlog_session" in cookies, (r.status, cookies.keys())

def run(path, count):
    times = []
    for _ in range(count):
        t = time.perf_counter()
        r, body = request("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, r.status
    return times, body

for path in (f"/titles/{title}", f"/titles/{title}?season=15"):
    run(path, 300)  # warm-up: JIT, caches, connection pools
    times, body = run(path, n)
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    print(f"GET {path}: n={n} p50={q(0.50):.2f} ms p95={q(0.95):.2f} ms p99={q(0.99):.2f} ms max={times[-1]:.2f} ms "
          f"html={len(body)} B ({len(gzip.compress(body))} B gzipped)")
    html = body

scripts = re.findall(rb'<script src="([^"]+)"', html)
total = 0
for src in scripts:
    r, js = request("GET", "/" + src.decode(), headers={"Accept-Encoding": "br, gzip"})
    enc = r.getheader("Content-Encoding") or "identity"
    total += len(js)
    print(f"script {src.decode()}: {len(js)} B on the wire ({enc})")
print(f"JavaScript per page: {total} B compressed ({len(scripts)} file(s))")
