#!/usr/bin/env python3
"""Client of bench/checkin-resilience.sh (standard library only; loopback only; every loop bounded).

  checkin_client.py signup PORT STATE               register + sign in one user, write the token to STATE
  checkin_client.py load PORT STATE IDS SECONDS N   N clients POST check-ins, each with a fresh Idempotency-Key, until
                                                    SECONDS pass; journal every request sent and every 201 received
  checkin_client.py verify PORT STATE               retry the unacknowledged requests with their keys, then page
                                                    through GET /api/history and check acknowledged = present, once
"""
import http.client, json, random, sys, threading, time, uuid

HOST = "127.0.0.1"

def call(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        h = {"Content-Type": "application/json"} if data is not None else {}
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        return r.status, dict(r.getheaders()), (json.loads(raw) if raw else None)
    finally:
        conn.close()

def signup(port, state):
    email = f"resilience-{uuid.uuid4().hex[:8]}@example.org"
    pw = "resilience bench password 1"
    s, _, b = call(port, "POST", "/auth/register", {"email": email, "password": pw, "first_name": "Bench"})
    assert s == 201, (s, b)
    s, _, b = call(port, "POST", "/auth/login", {"email": email, "password": pw})
    assert s == 200, (s, b)
    json.dump({"token": b["access_token"], "user_id": b["user"]["id"]}, open(state, "w"))

def load(port, state, ids_file, seconds, nclients):
    st = json.load(open(state))
    auth = {"Authorization": "Bearer " + st["token"]}
    targets = []
    for line in open(ids_file):
        kind, i = line.split()
        targets.append({"title_id" if kind == "movie" else "episode_id": int(i)})
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    sent, acked, other = {}, {}, {}   # key -> body ; key -> [ids] ; status -> count
    counts = {"conn_errors": 0}

    def worker(n):
        rnd = random.Random(n)
        conn = None
        attempts = 0
        while time.monotonic() < deadline and attempts < 1_000_000:
            attempts += 1
            key = str(uuid.uuid4())
            body = rnd.choice(targets)
            with lock:
                sent[key] = body
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=5)
                conn.request("POST", "/api/checkins", body=json.dumps(body).encode(),
                             headers={**auth, "Content-Type": "application/json", "Idempotency-Key": key})
                r = conn.getresponse()
                raw = r.read()
                with lock:
                    if r.status == 201:
                        acked[key] = [it["id"] for it in json.loads(raw)["items"]]
                    else:
                        other[r.status] = other.get(r.status, 0) + 1
            except (OSError, http.client.HTTPException):
                with lock:
                    counts["conn_errors"] += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05)   # server down: keep trying (bounded by the deadline) so the request is journaled
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(nclients)]
    for t in threads: t.start()
    for t in threads: t.join()
    st.update(sent=sent, acked=acked)
    json.dump(st, open(state, "w"))
    print(f"load: {len(sent)} sent, {len(acked)} acknowledged (201), other statuses {other or '{}'}, "
          f"{counts['conn_errors']} connection errors")

def verify(port, state):
    st = json.load(open(state))
    auth = {"Authorization": "Bearer " + st["token"]}
    sent, acked = st["sent"], st["acked"]
    problems = []
    final = dict(acked)           # key -> ids, for every key that ends with a 201
    replayed_unacked = new_unacked = 0
    for key, body in sent.items():
        if key in acked: continue
        s, h, b = call(port, "POST", "/api/checkins", body, {**auth, "Idempotency-Key": key})
        if s != 201:
            problems.append(f"retry of {key} answered {s}: {b}")
            continue
        final[key] = [it["id"] for it in b["items"]]
        if h.get("Idempotent-Replayed") == "true": replayed_unacked += 1
        else: new_unacked += 1
    # A sample of the acknowledged ones again: they must replay the same ids and write nothing.
    sample = random.Random(1).sample(sorted(acked), min(200, len(acked)))
    for key in sample:
        s, h, b = call(port, "POST", "/api/checkins", sent[key], {**auth, "Idempotency-Key": key})
        ids = [it["id"] for it in (b or {}).get("items", [])] if s == 201 else None
        if s != 201 or h.get("Idempotent-Replayed") != "true" or ids != acked[key]:
            problems.append(f"replay of acknowledged {key}: {s} replayed={h.get('Idempotent-Replayed')} ids {ids} vs {acked[key]}")
    # Everything in the history, page by page (bounded).
    seen, cursor, pages = {}, None, 0
    while pages < 100_000:
        pages += 1
        path = "/api/history?limit=100" + (f"&cursor={cursor}" if cursor else "")
        s, _, b = call(port, "GET", path, headers=auth)
        if s != 200: problems.append(f"history page {pages}: {s} {b}"); break
        for it in b["items"]:
            seen[it["id"]] = seen.get(it["id"], 0) + 1
        cursor = b.get("next_cursor")
        if not cursor: break
    acked_ids = [i for ids in acked.values() for i in ids]
    final_ids = [i for ids in final.values() for i in ids]
    missing = [i for i in acked_ids if i not in seen]
    repeated = [i for i, c in seen.items() if c > 1]
    shared = len(final_ids) - len(set(final_ids))          # two keys answered with the same check-in id
    extra = sorted(set(seen) - set(final_ids))              # check-ins no key accounts for = duplicates
    if not acked: problems.append("nothing was acknowledged before the kill: the test proves nothing")
    if missing: problems.append(f"{len(missing)} acknowledged check-ins missing from history, e.g. {missing[:10]}")
    if repeated: problems.append(f"{len(repeated)} ids listed more than once by history, e.g. {repeated[:10]}")
    if shared: problems.append(f"{shared} check-in ids returned for more than one key")
    if extra: problems.append(f"{len(extra)} check-ins in history that no key accounts for (duplicates), e.g. {extra[:10]}")
    for p in problems[:20]: print("  problem:", p)
    verdict = "PASS" if not problems else "FAIL"
    print(f"{verdict}: {len(sent)} sent, {len(acked)} acknowledged before the kill/restart, "
          f"{len(sent) - len(acked)} unacknowledged retried ({replayed_unacked} replayed = committed before the kill, "
          f"{new_unacked} written now), {len(sample)} acknowledged replayed, history has {len(seen)} check-ins "
          f"over {pages} pages for {len(final)} keys; missing {len(missing)}, duplicated {len(extra) + len(repeated) + shared}")
    return 0 if not problems else 1

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "signup": signup(int(sys.argv[2]), sys.argv[3])
    elif cmd == "load": load(int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6]))
    elif cmd == "verify": sys.exit(verify(int(sys.argv[2]), sys.argv[3]))
    else: sys.exit(__doc__)
