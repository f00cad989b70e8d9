namespace Watchlog.Search;

/// <summary>A title's searchable words and filter values, as the in-process index reads them from search_docs.</summary>
public sealed record IndexedDoc(long Rank, long TitleId, int? Year, int? RuntimeMin, string Facets,
    string TitleKey, string AltKey, string NetworkKey, string PeopleKey, string ExactKey = "");

/// <summary>Which words a tier reads: titles and alternate titles; those and networks; people.</summary>
public enum MemoryTier { Titles, Names, People }

/// <summary>
/// An immutable part of the in-process index: its titles in rank (popularity) order, numbered 0…n-1, with a posting
/// list per word (title, alternate-title and network words in one vocabulary, people in another), each list sorted by
/// that number, so a query reads candidates most popular first and stops after the first <c>limit</c> that pass.
/// <list type="bullet">
/// <item>Vocabularies are sorted, so a prefix is a contiguous range of words.</item>
/// <item>A names posting is <c>number &lt;&lt; 1 | networkOnly</c>: the title tier skips titles that have the word only
///   as their network.</item>
/// <item>Each title keeps its names words (sorted word ids), so checking "has a word starting with w" for the second word
///   of "star w" costs a scan of a dozen ints rather than a walk over the thousands of words starting with w.</item>
/// <item>One- and two-letter prefixes that cover many postings have their first <see cref="TopLength"/> merged postings
///   precomputed (what a type-ahead reads on its first keystrokes).</item>
/// </list>
/// </summary>
public sealed class MemorySegment
{
    public const int TopLength = 1024;
    const int TopMinPostings = 4 * TopLength;
    const short NoYear = short.MinValue;

    readonly long[] _ranks;
    readonly short[] _years;
    readonly short[] _runtimes; // -1: none
    readonly int[] _facetStart;
    readonly ushort[] _facets; // the kind is one of them ("kmovie")
    readonly Dictionary<string, ushort> _facetIds;
    readonly Words _names;
    readonly Words _people;
    readonly int[] _ownStart;
    readonly int[] _own; // names word id << 1 | networkOnly, sorted per title
    readonly Dictionary<string, int[]> _top;
    readonly int[] _exactHashes; // sorted, with the title numbers beside them
    readonly int[] _exactNumbers;

    public int Count => _ranks.Length;

    public long RankAt(int number) => _ranks[number];

    /// <summary>A rank's low 32 bits are the title id (<see cref="SearchIndex.Rank"/>; the builder checks it).</summary>
    public long TitleIdAt(int number) => _ranks[number] & 0xFFFF_FFFF;

    /// <summary>The numbers of these titles here (a scan: catch-ups are rare and small).</summary>
    public IEnumerable<int> NumbersOf(IReadOnlySet<long> titleIds)
    {
        for (var i = 0; i < _ranks.Length; i++)
            if (titleIds.Contains(TitleIdAt(i))) yield return i;
    }

    /// <summary>A 32-bit FNV-1a hash of a whole normalized title (collisions are told apart by the caller, on the row).</summary>
    public static int KeyHash(ReadOnlySpan<char> key)
    {
        var h = 2166136261U;
        foreach (var c in key) { h ^= c; h *= 16777619U; }
        return (int)h;
    }

    /// <summary>Numbers of the titles whose whole normalized title hashes like <paramref name="key"/>, in rank order.</summary>
    public List<int> WithExactKey(string key)
    {
        var h = KeyHash(key);
        var i = Array.BinarySearch(_exactHashes, h);
        var found = new List<int>();
        if (i < 0) return found;
        while (i > 0 && _exactHashes[i - 1] == h) i--;
        for (; i < _exactHashes.Length && _exactHashes[i] == h; i++) found.Add(_exactNumbers[i]);
        found.Sort();
        return found;
    }

    /// <summary>Prefixes with a precomputed top list (for tests).</summary>
    internal int TopLists => _top.Count;

    /// <summary>Approximate bytes held, by part (the arrays' payloads), for the log line after a build.</summary>
    public IReadOnlyDictionary<string, long> Bytes() => new Dictionary<string, long>
    {
        ["titles"] = _ranks.Length * 8L + _years.Length * 2L + _runtimes.Length * 2L + _exactHashes.Length * 8L,
        ["facets"] = _facetStart.Length * 4L + _facets.Length * 2L,
        ["names_postings"] = _names.Post.Length * 4L,
        ["people_postings"] = _people.Post.Length * 4L,
        ["own_words"] = _ownStart.Length * 4L + _own.Length * 4L,
        ["names_words"] = _names.Terms.Bytes + _names.Start.Length * 4L,
        ["people_words"] = _people.Terms.Bytes + _people.Start.Length * 4L,
        ["top_lists"] = _top.Values.Sum(t => t.Length * 4L + 32),
    };

    /// <summary>Postings held (names and people), for logs and tests.</summary>
    public long Postings => _names.Post.Length + _people.Post.Length;

    /// <summary>A sorted vocabulary packed into one char array (a string per word cost ~46 bytes: 21 MB at a million titles).</summary>
    sealed class Terms
    {
        readonly char[] _chars;
        readonly int[] _at; // word i is _chars[_at[i].._at[i + 1]]

        public Terms(string[] sorted)
        {
            _at = new int[sorted.Length + 1];
            for (var i = 0; i < sorted.Length; i++) _at[i + 1] = _at[i] + sorted[i].Length;
            _chars = new char[_at[^1]];
            for (var i = 0; i < sorted.Length; i++) sorted[i].CopyTo(_chars.AsSpan(_at[i]));
        }

        public int Length => _at.Length - 1;

        public ReadOnlySpan<char> this[int i] => _chars.AsSpan(_at[i], _at[i + 1] - _at[i]);

        public long Bytes => _chars.Length * 2L + _at.Length * 4L;

        /// <summary>The first word not ordinally before <paramref name="token"/>.</summary>
        public int Lower(ReadOnlySpan<char> token)
        {
            int a = 0, b = Length;
            while (a < b)
            {
                var mid = (a + b) >>> 1;
                if (this[mid].SequenceCompareTo(token) < 0) a = mid + 1; else b = mid;
            }
            return a;
        }
    }

    sealed class Words(Terms terms, int[] start, int[] post)
    {
        public readonly Terms Terms = terms;
        public readonly int[] Start = start;
        public readonly int[] Post = post;

        /// <summary>The word ids a query word stands for: the word itself, or every word it starts.</summary>
        public (int Lo, int Hi) Range(ReadOnlySpan<char> token, bool prefix)
        {
            var lo = Terms.Lower(token);
            if (!prefix) return lo < Terms.Length && Terms[lo].SequenceEqual(token) ? (lo, lo + 1) : (lo, lo);
            int a = lo, b = Terms.Length;
            while (a < b)
            {
                var mid = (a + b) >>> 1;
                if (Terms[mid].StartsWith(token)) a = mid + 1; else b = mid;
            }
            return (lo, a);
        }

        public ReadOnlySpan<int> List(int id) => Post.AsSpan(Start[id], Start[id + 1] - Start[id]);
    }

    MemorySegment(long[] ranks, short[] years, short[] runtimes, int[] facetStart,
        ushort[] facets, Dictionary<string, ushort> facetIds, Words names, Words people, int[] ownStart, int[] own, int[] exactHashes)
    {
        _exactHashes = exactHashes;
        _exactNumbers = new int[exactHashes.Length];
        for (var i = 0; i < _exactNumbers.Length; i++) _exactNumbers[i] = i;
        Array.Sort(_exactHashes, _exactNumbers);
        _ranks = ranks; _years = years; _runtimes = runtimes;
        _facetStart = facetStart; _facets = facets; _facetIds = facetIds; _names = names; _people = people; _ownStart = ownStart; _own = own;
        _top = BuildTops();
    }

    /// <summary>
    /// Builds a segment in two passes over the same titles in rank order: the first interns words and counts postings,
    /// the second writes them into arrays of their exact final size. No per-word lists and no second copy of the
    /// postings exist at any time (at a million titles a one-pass build held three times the index while building).
    /// The first pass's working set (the word dictionaries and their strings, spare capacity) is let go when it ends,
    /// before the postings are allocated: the caller may collect it then.
    /// </summary>
    public sealed class Builder
    {
        readonly Column<long> _ranks = new();
        readonly Column<int> _exactHashes = new();
        readonly Column<short> _years = new();
        readonly Column<short> _runtimes = new();
        readonly Column<int> _facetStart = new(0);
        readonly Dictionary<string, ushort> _facetIds = new(StringComparer.Ordinal);
        readonly Vocabulary _names = new();
        readonly Vocabulary _people = new();
        readonly Column<int> _ownStart = new(0);
        readonly List<int> _scratch = [];
        ushort[] _facets = [];
        int[] _own = [], _namesPost = [], _peoplePost = [], _namesFill = [], _peopleFill = [];
        int _second = -1; // titles seen in the second pass; -1 during the first

        public int Count => _ranks.Count;

        /// <summary>Builds a segment from titles held in memory (the delta).</summary>
        public static MemorySegment From(IEnumerable<IndexedDoc> docsInRankOrder)
        {
            var docs = docsInRankOrder as IReadOnlyCollection<IndexedDoc> ?? docsInRankOrder.ToList();
            var b = new Builder();
            foreach (var d in docs) b.Add(d);
            b.EndFirstPass();
            foreach (var d in docs) b.Add(d);
            return b.Build();
        }

        public void Add(IndexedDoc d)
        {
            if (_second >= 0) { Fill(d); return; }
            if (_ranks.Count > 0 && d.Rank <= _ranks.Last) throw new ArgumentException("Titles must arrive in rank order, once each.", nameof(d));
            _ranks.Add(d.Rank);
            if ((d.Rank & 0xFFFF_FFFF) != d.TitleId) throw new ArgumentException($"Title {d.TitleId}: its rank does not carry its id.", nameof(d));
            _exactHashes.Add(KeyHash(d.ExactKey));
            _years.Add(d.Year is { } y && y is > short.MinValue and <= short.MaxValue ? (short)y : NoYear);
            _runtimes.Add(d.RuntimeMin is { } r && r is >= 0 and <= short.MaxValue ? (short)r : (short)-1);
            var facets = 0;
            foreach (var range in d.Facets.AsSpan().Split(' '))
            {
                var f = d.Facets.AsSpan(range);
                if (f.IsEmpty) continue;
                var lookup = _facetIds.GetAlternateLookup<ReadOnlySpan<char>>();
                if (!lookup.ContainsKey(f))
                {
                    if (_facetIds.Count == ushort.MaxValue) throw new InvalidOperationException("More distinct facets than the in-process index holds.");
                    lookup[f] = (ushort)_facetIds.Count;
                }
                facets++;
            }
            _facetStart.Add(_facetStart.Last + facets);
            Words(d, intern: true);
            foreach (var e in _scratch) _names.Counted(e >> 1);
            _ownStart.Add(_ownStart.Last + _scratch.Count);
            foreach (var range in d.PeopleKey.AsSpan().Split(' '))
                if (range.End.Value > range.Start.Value) _people.Counted(_people.Intern(d.PeopleKey.AsSpan(range)));
        }

        /// <summary>The title's names words (word id &lt;&lt; 1 | networkOnly; first-seen ids in the first pass, sorted ids in
        /// the second) in <see cref="_scratch"/>, once each; a word also in the title keeps the title flag.</summary>
        void Words(IndexedDoc d, bool intern)
        {
            _scratch.Clear();
            AddWords(d.TitleKey, 0, intern);
            AddWords(d.AltKey, 0, intern);
            AddWords(d.NetworkKey, 1, intern);
        }

        void AddWords(string key, int flag, bool intern)
        {
            foreach (var range in key.AsSpan().Split(' '))
            {
                var word = key.AsSpan(range);
                if (word.IsEmpty) continue;
                var id = (intern ? _names.Intern(word) : _names.Id(word)) << 1;
                if (_scratch.Contains(id) || _scratch.Contains(id | 1)) continue;
                _scratch.Add(id | flag);
            }
        }

        /// <summary>Sorts and packs the vocabularies, trims the per-title columns, and sizes every array for the second pass.</summary>
        public void EndFirstPass()
        {
            _names.Sort();
            _people.Sort();
            foreach (var column in new IColumn[] { _ranks, _exactHashes, _years, _runtimes, _facetStart, _ownStart }) column.Trim();
            _facets = new ushort[_facetStart.Last];
            _own = new int[_ownStart.Last];
            _namesPost = new int[_names.Start[^1]];
            _peoplePost = new int[_people.Start[^1]];
            _namesFill = (int[])_names.Start.Clone();
            _peopleFill = (int[])_people.Start.Clone();
            _second = 0;
        }

        void Fill(IndexedDoc d)
        {
            var doc = _second;
            if (doc >= _ranks.Count || _ranks.Items[doc] != d.Rank) throw new InvalidOperationException("The second pass read different titles than the first.");
            var at = _facetStart.Items[doc];
            foreach (var range in d.Facets.AsSpan().Split(' '))
            {
                var f = d.Facets.AsSpan(range);
                if (!f.IsEmpty) _facets[at++] = _facetIds.GetAlternateLookup<ReadOnlySpan<char>>()[f];
            }
            Words(d, intern: false);
            var own = _own.AsSpan(_ownStart.Items[doc], _scratch.Count);
            for (var i = 0; i < _scratch.Count; i++) own[i] = _scratch[i];
            own.Sort();
            foreach (var e in own) _namesPost[_namesFill[e >> 1]++] = doc << 1 | (e & 1);
            foreach (var range in d.PeopleKey.AsSpan().Split(' '))
                if (range.End.Value > range.Start.Value)
                    _peoplePost[_peopleFill[_people.Id(d.PeopleKey.AsSpan(range))]++] = doc << 1;
            _second++;
        }

        public MemorySegment Build()
        {
            if (_second != _ranks.Count) throw new InvalidOperationException("The second pass read fewer titles than the first.");
            return new MemorySegment(_ranks.Items, _years.Items, _runtimes.Items,
                _facetStart.Items, _facets, new Dictionary<string, ushort>(_facetIds, StringComparer.Ordinal),
                new Words(_names.Terms, _names.Start, _namesPost), new Words(_people.Terms, _people.Start, _peoplePost), _ownStart.Items, _own,
                _exactHashes.Items);
        }
    }

    interface IColumn { void Trim(); }

    /// <summary>A growable array that ends exactly as long as what it holds: a list's spare capacity, and the copy made
    /// when handing its items over, were both transient memory of tens of MB at a million titles.</summary>
    sealed class Column<T> : IColumn
    {
        T[] _items = new T[256];

        public Column() { }

        public Column(T first) => Add(first);

        public int Count { get; private set; }

        /// <summary>The items: exactly <see cref="Count"/> of them after <see cref="Trim"/>.</summary>
        public T[] Items => _items;

        public T Last => _items[Count - 1];

        public void Add(T item)
        {
            if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            _items[Count++] = item;
        }

        public void Trim()
        {
            if (_items.Length != Count) Array.Resize(ref _items, Count);
        }
    }

    /// <summary>Words in first-seen order with their posting counts while building (<see cref="Intern"/>); then sorted
    /// and packed (<see cref="Sort"/>), with where each word's postings start, and found by a hash table over the packed
    /// words (<see cref="Id"/>, the sorted id): the dictionary and a string per word are gone before the postings exist.</summary>
    sealed class Vocabulary
    {
        Dictionary<string, int>? _ids = new(StringComparer.Ordinal);
        List<string>? _words = [];
        List<int>? _counts = [];
        int[] _slots = []; // sorted id + 1 at the word's hash (linear probing); 0 is empty
        public Terms Terms = new([]);
        public int[] Start = [0];

        /// <summary>The first-seen id of a word (first pass).</summary>
        public int Intern(ReadOnlySpan<char> word)
        {
            var lookup = _ids!.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(word, out var id)) return id;
            var s = word.ToString();
            _ids[s] = id = _words!.Count;
            _words.Add(s);
            _counts!.Add(0);
            return id;
        }

        public void Counted(int id) => _counts![id]++;

        /// <summary>The sorted id of a word seen in the first pass.</summary>
        public int Id(ReadOnlySpan<char> word)
        {
            var mask = _slots.Length - 1;
            for (var i = string.GetHashCode(word) & mask; _slots[i] != 0; i = (i + 1) & mask)
                if (Terms[_slots[i] - 1].SequenceEqual(word)) return _slots[i] - 1;
            throw new InvalidOperationException("The second pass read different titles than the first.");
        }

        public void Sort()
        {
            var words = _words!.ToArray();
            var order = new int[words.Length];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(words, order, StringComparer.Ordinal);
            Start = new int[order.Length + 1];
            for (var i = 0; i < order.Length; i++) Start[i + 1] = Start[i] + _counts![order[i]];
            Terms = new Terms(words);
            _ids = null; _words = null; _counts = null;
            _slots = new int[Math.Max(2, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)words.Length * 2))];
            var mask = _slots.Length - 1;
            for (var id = 0; id < words.Length; id++)
            {
                var i = string.GetHashCode(words[id].AsSpan()) & mask;
                while (_slots[i] != 0) i = (i + 1) & mask;
                _slots[i] = id + 1;
            }
        }
    }

    /// <summary>A query word resolved against one vocabulary: the word-id ranges it may match, and how many postings they hold.</summary>
    readonly record struct Resolved((int Lo, int Hi)[] Ranges, long Postings, string? ShortPrefix);

    /// <summary>Filter values resolved to this segment's facet ids; null when a required facet is unknown here (nothing can pass).</summary>
    sealed record Checks(ushort[] Required, ushort[]? Regions, int? YearFrom, int? YearTo, int? RuntimeMax);

    Checks? Resolve(SearchFilter filter)
    {
        var required = new List<ushort>();
        foreach (var f in filter.Required())
        {
            if (!_facetIds.TryGetValue(f, out var id)) return null;
            required.Add(id);
        }
        ushort[]? regions = null;
        if (filter.Regions is { } rs)
        {
            regions = rs.Where(_facetIds.ContainsKey).Select(r => _facetIds[r]).ToArray();
            if (regions.Length == 0) return null;
        }
        return new Checks([.. required], regions, filter.YearFrom, filter.YearTo, filter.RuntimeMax);
    }

    /// <summary>The filter resolved once, tested by rank: false for a rank this segment doesn't hold.</summary>
    public Func<long, bool> Filter(SearchFilter filter, bool[]? deleted)
    {
        var checks = Resolve(filter);
        if (checks is null) return _ => false;
        return rank =>
        {
            var doc = Array.BinarySearch(_ranks, rank);
            return doc >= 0 && (deleted is null || !deleted[doc]) && Passes(doc, checks);
        };
    }

    bool Passes(int doc, Checks c)
    {
        if (c.YearFrom is { } from && (_years[doc] == NoYear || _years[doc] < from)) return false;
        if (c.YearTo is { } to && (_years[doc] == NoYear || _years[doc] > to)) return false;
        if (c.RuntimeMax is { } max && (_runtimes[doc] < 0 || _runtimes[doc] > max)) return false;
        if (c.Required.Length == 0 && c.Regions is null) return true;
        var facets = _facets.AsSpan(_facetStart[doc], _facetStart[doc + 1] - _facetStart[doc]);
        foreach (var r in c.Required) if (!facets.Contains(r)) return false;
        return c.Regions is null || facets.ContainsAny(c.Regions);
    }

    /// <summary>
    /// The numbers of the first <paramref name="limit"/> titles (most popular first) that have every term in the tier's
    /// words and pass the filter, skipping <paramref name="deleted"/> ones. A term's alternatives (typo corrections,
    /// joined forms) are OR-ed; a prefix term matches every word it starts.
    /// </summary>
    public List<int> Find(MemoryTier tier, IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms, SearchFilter filter, int limit, bool[]? deleted)
    {
        var found = new List<int>();
        if (terms.Count == 0 || limit <= 0 || Count == 0) return found;
        var checks = Resolve(filter);
        if (checks is null) return found;
        var words = tier == MemoryTier.People ? _people : _names;
        var titlesOnly = tier == MemoryTier.Titles;
        var resolved = new Resolved[terms.Count];
        var driver = 0;
        for (var i = 0; i < terms.Count; i++)
        {
            var ranges = new List<(int, int)>(terms[i].Words.Count);
            long postings = 0;
            foreach (var w in terms[i].Words)
            {
                var r = words.Range(w, terms[i].Prefix);
                if (r.Lo == r.Hi) continue;
                ranges.Add(r);
                postings += words.Start[r.Hi] - words.Start[r.Lo];
            }
            if (postings == 0) return found;
            var shortPrefix = terms[i].Prefix && terms[i].Words.Count == 1 && terms[i].Words[0].Length <= 2 && tier != MemoryTier.People ? terms[i].Words[0] : null;
            resolved[i] = new Resolved([.. ranges], postings, shortPrefix);
            if (postings < resolved[driver].Postings) driver = i;
        }

        var last = -1;
        bool Take(int entry)
        {
            var doc = entry >> 1;
            if (doc == last) return false;
            if (titlesOnly && (entry & 1) != 0) return false; // the same title may still come with a title word
            last = doc;
            if (deleted is not null && deleted[doc]) return false;
            if (!Passes(doc, checks)) return false;
            for (var i = 0; i < resolved.Length; i++)
                if (i != driver && !Has(words, doc, resolved[i], titlesOnly, tier == MemoryTier.People)) return false;
            found.Add(doc);
            return found.Count >= limit;
        }

        var d = resolved[driver];
        var after = -1; // postings above this entry are still to read
        if (d.ShortPrefix is { } p && _top.TryGetValue(p, out var top))
        {
            foreach (var e in top)
            {
                if (Take(e)) return found;
                after = e;
            }
            if (top.Length < TopLength) return found; // the whole union was there
        }
        Merge(words, d.Ranges, after, Take);
        return found;
    }

    /// <summary>Reads the union of the ranges' posting lists in order (entries above <paramref name="after"/>) until
    /// <paramref name="take"/> says enough.</summary>
    static void Merge(Words words, (int Lo, int Hi)[] ranges, int after, Func<int, bool> take)
    {
        var lists = 0;
        foreach (var (lo, hi) in ranges) lists += hi - lo;
        if (lists == 1)
        {
            foreach (var e in words.List(ranges[0].Lo)) if (e > after && take(e)) return;
            return;
        }
        var pos = new int[lists];
        var end = new int[lists];
        var queue = new PriorityQueue<int, int>(lists);
        var n = 0;
        foreach (var (lo, hi) in ranges)
            for (var id = lo; id < hi; id++, n++)
            {
                pos[n] = words.Start[id];
                end[n] = words.Start[id + 1];
                if (after >= 0)
                {
                    var i = Array.BinarySearch(words.Post, pos[n], end[n] - pos[n], after);
                    pos[n] = i < 0 ? ~i : i + 1;
                }
                if (pos[n] < end[n]) queue.Enqueue(n, words.Post[pos[n]]);
            }
        while (queue.TryDequeue(out var list, out var entry))
        {
            if (take(entry)) return;
            if (++pos[list] < end[list]) queue.Enqueue(list, words.Post[pos[list]]);
        }
    }

    /// <summary>Whether the title has a word in one of the ranges: from its own word list for names, by a binary search
    /// in each posting list for people (people terms are whole words or prefixes of 4+ letters: few lists).</summary>
    bool Has(Words words, int doc, Resolved term, bool titlesOnly, bool people)
    {
        if (!people)
        {
            foreach (var e in _own.AsSpan(_ownStart[doc], _ownStart[doc + 1] - _ownStart[doc]))
            {
                if (titlesOnly && (e & 1) != 0) continue;
                var id = e >> 1;
                foreach (var (lo, hi) in term.Ranges) if (id >= lo && id < hi) return true;
            }
            return false;
        }
        var key = doc << 1;
        foreach (var (lo, hi) in term.Ranges)
            for (var id = lo; id < hi; id++)
                if (words.List(id).BinarySearch(key) >= 0) return true;
        return false;
    }

    /// <summary>The first <see cref="TopLength"/> entries of the union of every names word starting with each one- and
    /// two-letter prefix that covers many postings. A title in several of the words appears once, with the title flag
    /// when any of them is a title word.</summary>
    Dictionary<string, int[]> BuildTops()
    {
        var tops = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Terms.Length; i++)
        {
            var t = _names.Terms[i];
            prefixes.Add(t[..1].ToString());
            if (t.Length >= 2) prefixes.Add(t[..2].ToString());
        }
        foreach (var p in prefixes)
        {
            var (lo, hi) = _names.Range(p, true);
            if (_names.Start[hi] - _names.Start[lo] < TopMinPostings) continue;
            var list = new List<int>(TopLength);
            Merge(_names, [(lo, hi)], -1, e =>
            {
                if (list.Count > 0 && list[^1] >> 1 == e >> 1) { list[^1] &= e | ~1; return false; }
                list.Add(e);
                return list.Count >= TopLength;
            });
            tops[p] = [.. list];
        }
        return tops;
    }
}
