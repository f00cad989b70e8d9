#!/usr/bin/env python3
"""Deterministic generator of IMDb non-commercial dataset files (FORMATS.md D.2), for import benchmarks.

    python3 bench/gen_imdb.py --titles 1000000 --seed 1 --out bench/data/imdb-1m

Writes title.basics, title.ratings, title.akas, title.principals, title.episode and name.basics as .tsv.gz with
IMDb's exact headers, \\N for nulls, no quoting (titles may hold '"' and ','), every file sorted by its first
column as text the way IMDb sorts them (so tt10000000 comes before tt1000001). tconsts are 'tt' + 7 or 8 digits.

The mix follows the real files roughly: about 25 % movies and TV movies, 5 % series and mini-series carrying
about half the rows as tvEpisode rows (a few with \\N numbers, a few whose parent is not a series), shorts,
videos, specials and games, about 1 % adult rows, akas for half the movies and series (with IMDb's non-country
regions such as XWW), ratings for most titles, 3-10 principals per title drawn from name.basics with a skew
(about 1 % name nconsts that name.basics lacks), and characters as JSON arrays.

Output is a pure function of (--titles, --seed, --people): same bytes every run (gzip headers carry no time).
Standard library only.
"""
import argparse
import gzip
import itertools
import json
import math
import os
import random
import sys
import time

TYPES = ["movie", "tvMovie", "tvSeries", "tvMiniSeries", "tvEpisode", "short", "video", "tvSpecial", "videoGame", "tvShort", "tvPilot"]
TYPE_WEIGHTS = [22, 3, 4, 1, 50, 11, 5, 1.5, 1, 1, 0.5]
GENRES = ["Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy",
          "Film-Noir", "Game-Show", "History", "Horror", "Music", "Musical", "Mystery", "News", "Reality-TV", "Romance",
          "Sci-Fi", "Short", "Sport", "Talk-Show", "Thriller", "War", "Western"]
GENRE_WEIGHTS = [8, 5, 4, 2, 14, 6, 9, 20, 3, 3, 0.3, 1, 2, 5, 2, 1, 3, 1, 2, 6, 3, 4, 1, 1, 5, 1, 1]
WORDS = """love man night life day time story world girl house war death dead last home lost little black american dark
king blood city game family secret big high woman street red christmas heart summer dream boy road school lady island
wild white return women men new moon star fire water devil ghost killer angel power kiss queen lord paradise shadow
crime mystery murder doctor princess prince hell heaven money land sea sun blue golden gold green song dance music
party wedding bride baby brother sister mother father son daughter friends kids children tale legend hunter hotel west
east north south country town village valley river mountain lake ocean storm rain snow winter spring autumn zero one
two three first second final end beginning escape revenge justice truth lies secrets dreams hearts stars nights days
years hours runner breaking bridge bright brave broken brotherhood bullet burning business butterfly cabin cage call
camp candy captain car castle cat chase cold code cop cowboy crown cry curse dawn deadly desert detective diamond dog
dragon echo edge empire enemy eye face fear fever flight flower forest forever freedom garden glass guardian gun
hammer haunted hero hidden highway honor horse hunt ice iron jungle justice kill kingdom knight legacy light lion
machine magic mask memory midnight mirror mission monster nation ninja ocean outlaw paper pirate planet poison prison
promise rebel red rising rock royal saint savage shadow silent silver sky soldier spirit steel stone stranger sword
thunder tiger tomorrow tower train treasure tribe twilight vampire vengeance voyage warrior wolf wonder zone""".split()
FOREIGN = """amour nuit vie jour temps monde fille maison guerre mort dernier noir rouge cœur été rêve liebe nacht leben
tag zeit welt mädchen haus krieg tod letzte schwarz straße herz sommer traum amor noche vida día tiempo mundo niña
casa guerra muerte último negro corazón verano sueño niño amore notte giorno tempo mondo ragazza casa morte cuore
estate sogno café été""".split()
FIRST = """James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica
Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven
Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Timothy Deborah
Jean Marie Pierre Amélie François Hélène Jürgen Søren Zoë José Ingrid Björn Akira Yuki Hiroshi Mei Wei Priya Arjun
Olga Ivan Dmitri Fatima Omar Chiara Giulia Luca Sofía Mateo Nikolai Astrid Lars""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson
Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young
Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts
Dubois Lefèvre Müller Schmidt Schröder Rossi Bianchi Tanaka Suzuki Watanabe Kim Park Chen Wang Singh Kumar Ivanov
Petrov Nielsen Andersson Johansson O'Brien O'Neil Van der Berg De la Cruz Østergaard Kowalski Novak""".split()
REGIONS = ["US", "GB", "DE", "FR", "ES", "IT", "JP", "BR", "IN", "CA", "AU", "MX", "SE", "RU", "KR", "XWW", "SUHH", "XEU", "DDDE"]
REGION_WEIGHTS = [10, 6, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 3, 2, 4, 0.5, 0.5, 0.3]
LANGUAGES = ["\\N", "en", "fr", "de", "es", "ja", "hi", "ru", "qbn"]
LANGUAGE_WEIGHTS = [70, 8, 5, 5, 4, 3, 2, 2, 1]
AKA_TYPES = ["\\N", "imdbDisplay", "alternative", "working", "dvd", "festival", "tv", "video"]
AKA_TYPE_WEIGHTS = [40, 30, 10, 5, 5, 4, 4, 2]
CATEGORIES = ["actor", "actress", "self", "director", "writer", "producer", "composer", "cinematographer", "editor",
              "production_designer", "casting_director", "archive_footage"]
CATEGORY_WEIGHTS = [30, 22, 6, 8, 10, 8, 4, 4, 4, 1, 2, 1]
PROFESSIONS = ["actor", "actress", "director", "writer", "producer", "composer", "cinematographer", "editor",
               "soundtrack", "miscellaneous", "camera_department", "music_department", "stunts", "self"]

BASICS_HEADER = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
RATINGS_HEADER = "tconst\taverageRating\tnumVotes\n"
AKAS_HEADER = "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle\n"
PRINCIPALS_HEADER = "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n"
EPISODE_HEADER = "tconst\tparentTconst\tseasonNumber\tepisodeNumber\n"
NAMES_HEADER = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
N = "\\N"


class GzTsv:
    """A .tsv.gz written in large chunks; the gzip header holds no file name or time, so the bytes are reproducible."""

    def __init__(self, path, header):
        self.raw = open(path, "wb")
        self.gz = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, compresslevel=6, mtime=0)
        self.buf = [header]
        self.rows = 0

    def add(self, line):
        self.buf.append(line)
        self.rows += 1
        if len(self.buf) >= 16384:
            self.flush()

    def flush(self):
        self.gz.write("".join(self.buf).encode("utf-8"))
        self.buf = []

    def close(self):
        self.flush()
        self.gz.close()
        self.raw.close()


def cumulative(weights):
    return list(itertools.accumulate(weights))


def zipf_cum(n, s=1.0, q=30.0):
    return cumulative(1.0 / ((k + q) ** s) for k in range(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--titles", type=int, required=True, help="rows of title.basics")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--people", type=int, help="rows of name.basics (default: 0.8 x titles)")
    ap.add_argument("--out", required=True, help="folder to write (created)")
    a = ap.parse_args()
    n = a.titles
    people = a.people if a.people is not None else max(50, int(n * 0.8))
    if n < 20:
        sys.exit("--titles must be 20 or more")
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    t0 = time.time()

    # tconsts: n distinct numbers, 7 digits below ten million and 8 above, sorted as text like IMDb's files.
    numbers = rng.sample(range(1, max(12_000_000, 3 * n)), n)
    tconsts = sorted("tt%07d" % k for k in numbers)
    del numbers
    types = rng.choices(TYPES, cum_weights=cumulative(TYPE_WEIGHTS), k=n)
    series = [i for i, t in enumerate(types) if t in ("tvSeries", "tvMiniSeries")]
    not_series = [i for i, t in enumerate(types) if t in ("short", "video", "tvSpecial")]
    adult = [1 if (t in ("movie", "video") and rng.random() < 0.02) or (t == "tvSeries" and rng.random() < 0.01) else 0 for t in types]

    # Episodes belong to series with a long-tailed size (a few run to hundreds of episodes); about 2 % name a
    # parent that is not a series (a special or a short), as some real rows do.
    series_cum = zipf_cum(len(series), 0.9, 5.0) if series else None
    parent = {}
    for i, t in enumerate(types):
        if t != "tvEpisode":
            continue
        if not series or (not_series and rng.random() < 0.02):
            parent[i] = rng.choice(not_series) if not_series else 0
        else:
            parent[i] = rng.choices(series, cum_weights=series_cum)[0]
    year_of = {}
    for i in series:
        year_of[i] = int(rng.triangular(1950, 2025, 2016))
    numbering = {}  # series index -> [season, episode, season length]

    word_cum = zipf_cum(len(WORDS), 1.0, 20.0)
    person_cum = zipf_cum(people, 1.0, 50.0)
    genre_cum = cumulative(GENRE_WEIGHTS)
    region_cum = cumulative(REGION_WEIGHTS)
    lang_cum = cumulative(LANGUAGE_WEIGHTS)
    akatype_cum = cumulative(AKA_TYPE_WEIGHTS)
    cat_cum = cumulative(CATEGORY_WEIGHTS)

    def words(k):
        return " ".join(w.capitalize() for w in rng.choices(WORDS, cum_weights=word_cum, k=k))

    def make_title():
        r = rng.random()
        if r < 0.003:
            return 'The "%s" %s' % (words(1), words(1))
        if r < 0.05:
            return "%s, %s" % (words(1), words(rng.randint(1, 2)))
        if r < 0.08:
            return "%s: %s" % (words(rng.randint(1, 2)), words(rng.randint(1, 3)))
        return ("The " if r < 0.3 else "") + words(rng.randint(1, 3))

    def person_name():
        return "%s %s" % (rng.choice(FIRST), rng.choice(LAST))

    out = a.out
    basics = GzTsv(os.path.join(out, "title.basics.tsv.gz"), BASICS_HEADER)
    ratings = GzTsv(os.path.join(out, "title.ratings.tsv.gz"), RATINGS_HEADER)
    akas = GzTsv(os.path.join(out, "title.akas.tsv.gz"), AKAS_HEADER)
    principals = GzTsv(os.path.join(out, "title.principals.tsv.gz"), PRINCIPALS_HEADER)
    episodes = GzTsv(os.path.join(out, "title.episode.tsv.gz"), EPISODE_HEADER)

    for i, tconst in enumerate(tconsts):
        t = types[i]
        is_episode = t == "tvEpisode"
        if is_episode:
            p = parent[i]
            title = "Episode #%d.%d" % (rng.randint(1, 9), rng.randint(1, 20)) if rng.random() < 0.25 else make_title()
            original = title
            year = min(2026, year_of.get(p, 2010) + rng.randint(0, 8))
            runtime = rng.choice((22, 24, 25, 30, 42, 44, 45, 50, 55, 60))
        else:
            title = make_title()
            original = title if rng.random() < 0.85 else " ".join(rng.choice(FOREIGN).capitalize() for _ in range(rng.randint(1, 3)))
            year = year_of.get(i) or int(rng.triangular(1900, 2026, 2018))
            if t in ("movie", "tvMovie"):
                runtime = max(40, int(rng.gauss(100, 20)))
            elif t in ("tvSeries", "tvMiniSeries"):
                runtime = rng.choice((22, 30, 45, 60))
            else:
                runtime = rng.randint(1, 40)
        end_year = str(min(2026, year + rng.randint(0, 12))) if t == "tvSeries" and rng.random() < 0.6 else N
        start = str(year) if rng.random() > 0.02 else N
        runtime_s = str(runtime) if rng.random() > 0.12 else N
        if rng.random() < 0.05:
            genres = N
        else:
            genres = ",".join(sorted(set(rng.choices(GENRES, cum_weights=genre_cum, k=rng.randint(1, 3)))))
        if rng.random() < 0.0005:
            runtime_s = str(rng.randint(3000, 50000))  # IMDb lists a few films running for days
        basics.add("%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n" % (tconst, t, title, original, adult[i], start, end_year, runtime_s, genres))

        if rng.random() < (0.3 if is_episode else 0.6):
            votes = int(math.exp(rng.gauss(4.0, 2.2))) + 5
            ratings.add("%s\t%.1f\t%d\n" % (tconst, min(10.0, max(1.0, rng.gauss(6.5, 1.3))), votes))

        if not is_episode and rng.random() < (0.5 if t in ("movie", "tvMovie", "tvSeries", "tvMiniSeries") else 0.1):
            akas.add("%s\t1\t%s\t\\N\t\\N\toriginal\t\\N\t1\n" % (tconst, original))
            for o in range(2, rng.randint(2, 7)):
                region = rng.choices(REGIONS, cum_weights=region_cum)[0]
                aka = title if rng.random() < 0.4 else make_title()
                lang = rng.choices(LANGUAGES, cum_weights=lang_cum)[0]
                kind = rng.choices(AKA_TYPES, cum_weights=akatype_cum)[0]
                attr = "literal title" if rng.random() < 0.05 else N
                akas.add("%s\t%d\t%s\t%s\t%s\t%s\t%s\t0\n" % (tconst, o, aka, region, lang, kind, attr))

        cats = rng.choices(CATEGORIES, cum_weights=cat_cum, k=rng.randint(3, 10))
        who = rng.choices(range(1, people + 1), cum_weights=person_cum, k=len(cats))
        for o, (cat, person) in enumerate(zip(cats, who), 1):
            if rng.random() < 0.01:
                person = people + rng.randint(1, 1000)  # a name name.basics doesn't list
            if cat in ("actor", "actress"):
                chars = json.dumps([person_name().split()[0] if rng.random() < 0.5 else person_name()], ensure_ascii=False)
            elif cat == "self":
                chars = '["Self"]' if rng.random() < 0.5 else '["Himself - Host"]'
            else:
                chars = N
            job = "executive producer" if cat == "producer" and rng.random() < 0.5 else ("screenplay" if cat == "writer" and rng.random() < 0.3 else N)
            principals.add("%s\t%d\tnm%07d\t%s\t%s\t%s\n" % (tconst, o, person, cat, job, chars))

        if is_episode:
            p = parent[i]
            if rng.random() < 0.03:
                season_s = episode_s = N
            else:
                state = numbering.get(p)
                if state is None:
                    state = numbering[p] = [1, 0, rng.randint(6, 24)]
                state[1] += 1
                if state[1] > state[2]:
                    state[0] += 1
                    state[1] = 1
                    state[2] = rng.randint(6, 24)
                season_s, episode_s = str(state[0]), str(state[1])
            episodes.add("%s\t%s\t%s\t%s\n" % (tconst, tconsts[p], season_s, episode_s))

    for f in (basics, ratings, akas, principals, episodes):
        f.close()

    names = GzTsv(os.path.join(out, "name.basics.tsv.gz"), NAMES_HEADER)
    nconsts = range(1, people + 1) if people < 10_000_000 else sorted(range(1, people + 1), key=lambda k: "%07d" % k)
    for k in nconsts:
        born = rng.randint(1880, 2010) if rng.random() < 0.6 else None
        died = str(min(2025, born + rng.randint(20, 95))) if born and born < 1960 and rng.random() < 0.5 else N
        profs = ",".join(rng.sample(PROFESSIONS, rng.randint(1, 3))) if rng.random() < 0.9 else N
        known = ",".join(tconsts[j] for j in sorted(rng.sample(range(n), rng.randint(1, 4)))) if rng.random() < 0.8 else N
        names.add("nm%07d\t%s\t%s\t%s\t%s\t%s\n" % (k, person_name(), born if born else N, died, profs, known))
    names.close()

    sizes = ", ".join("%s %d rows" % (name, f.rows) for name, f in
                      (("title.basics", basics), ("title.ratings", ratings), ("title.akas", akas),
                       ("title.principals", principals), ("title.episode", episodes), ("name.basics", names)))
    print("wrote %s in %.1f s: %s" % (out, time.time() - t0, sizes), file=sys.stderr)


if __name__ == "__main__":
    main()
