#!/usr/bin/env python3
"""Turn ../shared/datasets/streaming-catalogs/*.csv into one JSONL catalog (Watchlog's jsonl import format, which the
seed stack's load.py reads too), so both systems search exactly the same titles with the same ids.

A title listed by several services (same normalized title, year and type) becomes one entry with several platforms.
The CSVs carry no popularity; the number of services listing a title stands in for it (the same for both systems).

    catalog_from_csv.py DATASET_DIR OUT.jsonl
"""
import csv, json, re, sys, unicodedata

SERVICES = {"netflix_titles.csv": "Netflix", "amazon_prime_titles.csv": "Prime Video",
            "disney_plus_titles.csv": "Disney+", "hulu_titles.csv": "Hulu"}


def key(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", s.replace("'", "").replace("\u2019", "")))


def names(cell, limit):
    return [n.strip() for n in (cell or "").split(",") if n.strip()][:limit]


def main(folder, out):
    titles = {}
    for file, service in SERVICES.items():
        with open(f"{folder}/{file}", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                title = (r.get("title") or "").strip()
                year = int(r["release_year"]) if (r.get("release_year") or "").isdigit() else None
                kind = "series" if r.get("type") == "TV Show" else "movie"
                if not title:
                    continue
                k = (key(title), year, kind)
                t = titles.get(k)
                if t is None:
                    m = re.match(r"(\d+) min", r.get("duration") or "")
                    people = [{"name": n, "role": "director"} for n in names(r.get("director"), 3)]
                    people += [{"name": n, "role": "actor"} for n in names(r.get("cast"), 8)]
                    t = titles[k] = {"id": len(titles) + 1, "kind": kind, "title": title, "year": year,
                                     "runtime_min": int(m.group(1)) if m and kind == "movie" else None,
                                     "genres": names(r.get("listed_in"), 5), "regions": ["US"], "platforms": [],
                                     "popularity": 0.0, "overview": (r.get("description") or "").strip() or None,
                                     "people": people}
                if service not in [p["name"] for p in t["platforms"]]:
                    t["platforms"].append({"name": service, "region": "US"})
                    t["popularity"] += 1.0
    with open(out, "w", encoding="utf-8") as f:
        for t in titles.values():
            f.write(json.dumps({k: v for k, v in t.items() if v not in (None, [])}, ensure_ascii=False) + "\n")
    print(f"{len(titles)} titles -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
