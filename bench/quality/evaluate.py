#!/usr/bin/env python3
"""Search quality: MRR@10 and success@1 per query kind, for each system given as NAME=URL_TEMPLATE.

    evaluate.py CATALOG.jsonl QUERIES.tsv watchlog='http://127.0.0.1:5181/api/search?q={q}&page_size=10' \
                                          seedstack='http://127.0.0.1:8181/api/search?q={q}'

A result is identified by (title, year) as the catalog holds them; a system's first 10 results are read from the
response's "results" array. A query that answers an error counts as finding nothing (and is reported).
"""
import collections, json, sys, urllib.error, urllib.parse, urllib.request


def load_labels(catalog, queries):
    rows = [json.loads(l) for l in open(catalog, encoding="utf-8")]
    known = {(r["title"], r.get("year")) for r in rows}
    directed = collections.defaultdict(set)
    for r in rows:
        for p in r.get("people") or []:
            if p.get("role") == "director":
                directed[p["name"]].add((r["title"], r.get("year")))
    labels = []
    for line in open(queries, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        kind, q, targets = line.rstrip("\n").split("\t")
        relevant = set()
        for t in targets.split(";"):
            if t.startswith("director:"):
                found = directed.get(t[len("director:"):])
                if not found:
                    sys.exit(f"label error: nobody named {t} directed anything in the catalog ({q})")
                relevant |= found
            else:
                title, year = t.rsplit("|", 1)
                if (title, int(year)) not in known:
                    sys.exit(f"label error: {title} ({year}) is not in the catalog ({q})")
                relevant.add((title, int(year)))
        labels.append((kind, q, relevant))
    return labels


def ask(template, q):
    url = template.replace("{q}", urllib.parse.quote(q))
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = json.load(r)
        return [(x.get("title"), x.get("year")) for x in body.get("results", [])][:10], None
    except urllib.error.HTTPError as e:
        return [], f"HTTP {e.code}"


def main():
    catalog, queries, systems = sys.argv[1], sys.argv[2], [a.split("=", 1) for a in sys.argv[3:]]
    labels = load_labels(catalog, queries)
    kinds = list(dict.fromkeys(k for k, _, _ in labels))
    scores = {name: collections.defaultdict(list) for name, _ in systems}
    errors = collections.Counter()
    misses = collections.defaultdict(list)
    for kind, q, relevant in labels:
        for name, template in systems:
            results, error = ask(template, q)
            if error:
                errors[(name, error)] += 1
            rank = next((i + 1 for i, r in enumerate(results) if r in relevant), None)
            scores[name][kind].append(1.0 / rank if rank else 0.0)
            if rank != 1:
                misses[name].append(f"{kind}: '{q}' -> {'rank ' + str(rank) if rank else 'not in top 10'}"
                                    f" (first: {results[0][0] if results else error or 'nothing'})")
    width = max(len(name) for name, _ in systems) + 9 if systems else 0
    header = f"{'kind':<12}{'n':>4}" + "".join(f"{name + ' MRR@10':>{width}}{'S@1':>7}" for name, _ in systems)
    print(header)
    for kind in kinds + ["all"]:
        cells = ""
        n = 0
        for name, _ in systems:
            v = [x for k in kinds for x in scores[name][k]] if kind == "all" else scores[name][kind]
            n = len(v)
            cells += f"{sum(v) / n:>{width}.3f}{sum(1 for x in v if x == 1.0) / n:>7.2f}"
        print(f"{kind:<12}{n:>4}{cells}")
    for (name, error), count in errors.items():
        print(f"{name}: {count} queries answered {error}")
    for name, _ in systems:
        print(f"\n{name}: not first ({len(misses[name])})")
        for m in misses[name]:
            print("  " + m)


if __name__ == "__main__":
    main()
