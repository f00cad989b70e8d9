#!/usr/bin/env python3
"""Data for bench/tracking-bench.sh (deterministic, seed 7).

  gen_tracking.py catalog OUT.jsonl                          300 series (6 seasons x 16 episodes, aired) + 2,000 films
  gen_tracking.py seed ENGINE HASH EPISODES OUT.sql TOKENS   10,000 users with one API key each (TOKENS: one key a
                                                             line), and 50,000 check-ins of user 1 over its series
EPISODES: "episode_id title_id" lines of the catalog's series, in (title, season, number) order.
"""
import base64, datetime, hashlib, json, random, sys

def catalog(out):
    rnd = random.Random(7)
    with open(out, "w") as f:
        for s in range(300):
            start = datetime.date(2000, 1, 3) + datetime.timedelta(days=rnd.randrange(8000))
            seasons = []
            for sn in range(1, 7):
                eps = [{"number": n, "title": f"Episode {sn}x{n}",
                        "air_date": (start + datetime.timedelta(days=365 * (sn - 1) + 7 * n)).isoformat(), "runtime_min": 45}
                       for n in range(1, 17)]
                seasons.append({"number": sn, "episodes": eps})
            f.write(json.dumps({"id": f"bench-series-{s}", "kind": "series", "title": f"Bench Series {s}",
                                "year": start.year, "runtime_min": 45, "genres": ["Drama"], "popularity": rnd.randrange(100),
                                "seasons": seasons}) + "\n")
        for m in range(2000):
            f.write(json.dumps({"id": f"bench-movie-{m}", "kind": "movie", "title": f"Bench Movie {m}",
                                "year": 1970 + m % 55, "runtime_min": 100, "genres": ["Drama"], "popularity": rnd.randrange(100)}) + "\n")

def seed(engine, pw_hash, episodes_file, out, tokens_out):
    rnd = random.Random(7)
    now = datetime.datetime(2026, 11, 1, 12, 0, 0)
    ts = (lambda d: "'" + d.strftime("%Y-%m-%d %H:%M:%S") + "'") if engine == "sqlite" else \
         (lambda d: "'" + d.strftime("%Y-%m-%d %H:%M:%S") + "+00'")
    q = lambda s: "'" + s.replace("'", "''") + "'"
    lines = ["BEGIN;"]
    rows, keys = [], []
    with open(tokens_out, "w") as tf:
        for u in range(2, 10002):
            rows.append(f"({u}, {q(f'load{u}@example.org')}, {q(pw_hash)}, 'Load', {ts(now)}, {ts(now)})")
            secret = base64.urlsafe_b64encode(rnd.randbytes(32)).rstrip(b"=").decode()
            key = "wl_" + secret
            tf.write(key + "\n")
            keys.append(f"({u}, 'bench', {q(key[:11])}, {q(hashlib.sha256(key.encode()).hexdigest())}, {ts(now)})")
    for i in range(0, len(rows), 500):
        lines.append("INSERT INTO users (id, email, password_hash, first_name, created_at, updated_at) VALUES " + ",\n".join(rows[i:i + 500]) + ";")
        lines.append("INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES " + ",\n".join(keys[i:i + 500]) + ";")
    # User 1: 50,000 check-ins over the 300 series, each series watched through its first 80 episodes, rewatched.
    series = {}
    for line in open(episodes_file):
        e, t = map(int, line.split())
        series.setdefault(t, []).append(e)
    titles = sorted(series)[:300]
    start = now - datetime.timedelta(days=800)
    cis = []
    for i in range(50000):
        t = titles[i % len(titles)]
        e = series[t][(i // len(titles)) % min(80, len(series[t]))]
        cis.append(f"(1, {t}, {e}, {ts(start + datetime.timedelta(seconds=1380 * i))}, {ts(now)})")
    for i in range(0, len(cis), 1000):
        lines.append("INSERT INTO checkins (user_id, title_id, episode_id, watched_at, created_at) VALUES " + ",\n".join(cis[i:i + 1000]) + ";")
    lines.append("COMMIT;")
    open(out, "w").write("\n".join(lines) + "\n")

if __name__ == "__main__":
    if sys.argv[1] == "catalog": catalog(sys.argv[2])
    elif sys.argv[1] == "seed": seed(*sys.argv[2:7])
    else: sys.exit(__doc__)
