using System.Buffers.Binary;
using System.Numerics;
using Chancery.Archive.Access;
using Chancery.Archive.Search;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// A columnar copy of <c>search_rows</c> as one read transaction saw it: which search rows exist, the access columns
/// that decide who may read each, and the codes that filters, facets and sorting need. It is the truth the full-text
/// index is checked against: a Lucene hit counts only through a row here (its slot, the row's place in id order).
/// Kept per archive until <see cref="Generation"/> (bumped by triggers on every change of <c>search_rows</c>) moves.
/// </summary>
internal sealed class SearchRows
{
    private readonly Dictionary<(bool, int, long), ulong[]> _readable = [];
    private int _maxCode = -1;

    internal SearchRows(long generation, long high, int count)
    {
        Generation = generation;
        High = high;
        Count = count;
    }

    public long Generation { get; }
    /// <summary>
    /// The largest row id given when these rows were read: an index document with a larger id belongs to a row
    /// written since, not to one that is gone.
    /// </summary>
    public long High { get; }
    public int Count { get; }
    public long[] Ids { get; init; } = [];
    public long[] Docs { get; init; } = [];
    public byte[] Views { get; init; } = [];
    public byte[] Releases { get; init; } = [];
    public int[] Levels { get; init; } = [];
    public long[] Controls { get; init; } = [];
    /// <summary>Dates as <c>yyyyMMddHHmm</c> numbers; <see cref="Dated"/> false for undated rows.</summary>
    public long[] DateMin { get; init; } = [];
    public long[] DateMax { get; init; } = [];
    public bool[] Dated { get; init; } = [];
    public int[] Volume { get; init; } = [];
    public int[] Type { get; init; } = [];
    public int[] Classification { get; init; } = [];
    public int[] Sender { get; init; } = [];
    public int[] Recipient { get; init; } = [];
    public int[] Place { get; init; } = [];
    /// <summary>Person name codes of slot <c>s</c>: <c>PersonCodes[PersonStart[s]..PersonStart[s + 1]]</c>.</summary>
    public int[] PersonStart { get; init; } = [];
    public int[] PersonCodes { get; internal set; } = [];
    /// <summary>File number keys of slot <c>s</c> (as <c>search_files</c> holds them): <c>Files[FileStart[s]..FileStart[s + 1]]</c>.</summary>
    public int[] FileStart { get; private set; } = [];
    public string[] Files { get; private set; } = [];
    /// <summary>The file subject of each entry of <see cref="Files"/> (<see cref="FileSubjects.Subject"/>), an index into <see cref="Subjects"/>.</summary>
    public int[] FileSubject { get; private set; } = [];
    /// <summary>The distinct file subjects, and each in capitals (the file facet breaks ties on that form).</summary>
    public string[] Subjects { get; private set; } = [];
    public string[] SubjectsUpper { get; private set; } = [];
    /// <summary>The subject of each entry of <see cref="Files"/> as its document prints it, an index into <see cref="PrintedSubjects"/>.</summary>
    public int[] FilePrinted { get; private set; } = [];
    public string[] PrintedSubjects { get; private set; } = [];

    private Dictionary<int, string>? _display;

    /// <summary>Reads every search row, in id order, inside the caller's transaction.</summary>
    public static SearchRows Load(SqliteConnection c, long generation, long high)
    {
        var db = c.Handle ?? throw new InvalidOperationException("the connection is not open");
        var count = 0;
        {
            var rc = raw.sqlite3_prepare_v2(db, "SELECT count(*) FROM search_rows", out var stmt);
            SqliteException.ThrowExceptionForRC(rc, db);
            using (stmt)
            {
                if (raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                {
                    count = raw.sqlite3_column_int(stmt, 0);
                }
            }
        }
        var rows = new SearchRows(generation, high, count)
        {
            Ids = new long[count],
            Docs = new long[count],
            Views = new byte[count],
            Releases = new byte[count],
            Levels = new int[count],
            Controls = new long[count],
            DateMin = new long[count],
            DateMax = new long[count],
            Dated = new bool[count],
            Volume = new int[count],
            Type = new int[count],
            Classification = new int[count],
            Sender = new int[count],
            Recipient = new int[count],
            Place = new int[count],
            PersonStart = new int[count + 1],
        };
        var persons = new List<int>();
        {
            var rc = raw.sqlite3_prepare_v2(db, """
                SELECT id, doc, view, release, level, controls, date_min, date_max,
                       volume, type, classification, sender, recipient, place, persons
                FROM search_rows ORDER BY id
                """, out var stmt);
            SqliteException.ThrowExceptionForRC(rc, db);
            using (stmt)
            {
                var i = 0;
                while (i < count && raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                {
                    rows.Ids[i] = raw.sqlite3_column_int64(stmt, 0);
                    rows.Docs[i] = raw.sqlite3_column_int64(stmt, 1);
                    rows.Views[i] = (byte)raw.sqlite3_column_int(stmt, 2);
                    rows.Releases[i] = (byte)raw.sqlite3_column_int(stmt, 3);
                    rows.Levels[i] = raw.sqlite3_column_int(stmt, 4);
                    rows.Controls[i] = raw.sqlite3_column_int64(stmt, 5);
                    var dated = raw.sqlite3_column_type(stmt, 6) != raw.SQLITE_NULL;
                    rows.Dated[i] = dated;
                    rows.DateMin[i] = dated ? raw.sqlite3_column_int64(stmt, 6) : 0;
                    rows.DateMax[i] = dated ? raw.sqlite3_column_int64(stmt, 7) : 0;
                    rows.Volume[i] = raw.sqlite3_column_int(stmt, 8);
                    rows.Type[i] = raw.sqlite3_column_int(stmt, 9);
                    rows.Classification[i] = raw.sqlite3_column_int(stmt, 10);
                    rows.Sender[i] = raw.sqlite3_column_int(stmt, 11);
                    rows.Recipient[i] = raw.sqlite3_column_int(stmt, 12);
                    rows.Place[i] = raw.sqlite3_column_int(stmt, 13);
                    rows.PersonStart[i] = persons.Count;
                    var blob = raw.sqlite3_column_blob(stmt, 14);
                    for (var b = 0; b + 4 <= blob.Length; b += 4)
                    {
                        persons.Add(BinaryPrimitives.ReadInt32LittleEndian(blob[b..]));
                    }
                    i++;
                }
                // a count that moved under us cannot happen inside one read transaction; stay safe anyway
                for (var j = i; j <= count; j++)
                {
                    rows.PersonStart[j] = persons.Count;
                }
            }
        }
        // file numbers, walked in row order beside the rows
        var fileStart = new int[count + 1];
        var files = new List<string>();
        {
            var rc = raw.sqlite3_prepare_v2(db, "SELECT row, file FROM search_files ORDER BY row, file", out var stmt);
            SqliteException.ThrowExceptionForRC(rc, db);
            using (stmt)
            {
                var slot = 0;
                while (raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                {
                    var row = raw.sqlite3_column_int64(stmt, 0);
                    while (slot < count && rows.Ids[slot] < row)
                    {
                        fileStart[++slot] = files.Count;
                    }
                    if (slot < count && rows.Ids[slot] == row)
                    {
                        files.Add(raw.sqlite3_column_text(stmt, 1).utf8_to_string());
                    }
                }
                while (slot < count)
                {
                    fileStart[++slot] = files.Count;
                }
            }
        }
        rows.PersonCodes = [.. persons];
        // each entry's subject as its document prints it (the file facet names a subject so): the documents' file
        // numbers of the rows that have files
        var numbers = new string?[count];
        {
            var rc = raw.sqlite3_prepare_v2(db, """
                SELECT r.id, d.file_numbers FROM search_rows r JOIN documents d ON d.key = r.doc
                WHERE r.id IN (SELECT row FROM search_files) ORDER BY r.id
                """, out var stmt);
            SqliteException.ThrowExceptionForRC(rc, db);
            using (stmt)
            {
                var slot = 0;
                while (raw.sqlite3_step(stmt) == raw.SQLITE_ROW)
                {
                    var row = raw.sqlite3_column_int64(stmt, 0);
                    while (slot < count && rows.Ids[slot] < row)
                    {
                        slot++;
                    }
                    if (slot < count && rows.Ids[slot] == row)
                    {
                        numbers[slot] = raw.sqlite3_column_text(stmt, 1).utf8_to_string() ?? "";
                    }
                }
            }
        }
        rows.SetFiles(fileStart, [.. files], numbers);
        return rows;
    }

    /// <summary>
    /// Sets the file numbers of the rows: those of slot <c>s</c> are <c>files[fileStart[s]..fileStart[s + 1]]</c>
    /// (keys as <c>search_files</c> holds them, in order), and <paramref name="numbers"/> the file numbers of each
    /// slot's document as stored (<c>|</c> between them; null where the row has no files).
    /// </summary>
    internal void SetFiles(int[] fileStart, string[] files, string?[] numbers)
    {
        FileStart = fileStart;
        Files = files;
        // each key's subject worked out once here, so the file facet counts integers per hit
        var subjects = new Interner();
        var fileSubject = new int[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            fileSubject[i] = subjects.Id(FileSubjects.Subject(files[i]));
        }
        FileSubject = fileSubject;
        Subjects = subjects.Names();
        SubjectsUpper = [.. Subjects.Select(x => x.ToUpperInvariant())];
        // and each entry's subject as its document prints it, worked out here once, so a search does not go back to
        // the documents
        var printedSubjects = new Interner();
        var filePrinted = new int[files.Length];
        Array.Fill(filePrinted, -1);
        for (var slot = 0; slot < Count; slot++)
        {
            if (numbers[slot] is not { } printed)
            {
                continue;
            }
            for (var i = fileStart[slot]; i < fileStart[slot + 1]; i++)
            {
                filePrinted[i] = printedSubjects.Id(FileSubjects.Printed(Subjects[fileSubject[i]], printed));
            }
        }
        FilePrinted = filePrinted;
        PrintedSubjects = printedSubjects.Names();
    }

    /// <summary>
    /// The display names of facet value codes (<c>search_terms</c>, read once for these rows: values are only ever
    /// added, with their rows, so a code's name never changes); null for a code these rows do not know.
    /// </summary>
    public string? Display(ISearchSource source, int code)
    {
        var display = Volatile.Read(ref _display);
        if (display is null)
        {
            display = source.Terms();
            Volatile.Write(ref _display, display);
        }
        return display.GetValueOrDefault(code);
    }

    /// <summary>
    /// The slots holding each value of a code column (<see cref="Volume"/>, <see cref="Type"/>...), grouped by code:
    /// the slots of code <c>k</c> are <c>Slots[Start[k]..Start[k + 1]]</c>, ascending. Built on first use, so a field
    /// filter reads only its values' rows instead of testing every row.
    /// </summary>
    public (int[] Start, int[] Slots) ByCode(int[] column)
    {
        lock (_byCode)
        {
            if (_byCode.TryGetValue(column, out var built))
            {
                return built;
            }
        }
        var max = 0;
        foreach (var code in column)
        {
            max = Math.Max(max, code);
        }
        var start = new int[max + 2];
        foreach (var code in column)
        {
            start[Math.Max(code, 0) + 1]++;
        }
        for (var k = 1; k < start.Length; k++)
        {
            start[k] += start[k - 1];
        }
        var next = start[..^1];
        var slots = new int[column.Length];
        for (var slot = 0; slot < column.Length; slot++)
        {
            slots[next[Math.Max(column[slot], 0)]++] = slot;
        }
        lock (_byCode)
        {
            _byCode[column] = (start, slots);
        }
        return (start, slots);
    }

    private readonly Dictionary<int[], (int[] Start, int[] Slots)> _byCode = new(ReferenceEqualityComparer.Instance);

    /// <summary>The slot of search row <paramref name="id"/>, or -1 when no such row exists.</summary>
    public int SlotOf(long id)
    {
        var i = Array.BinarySearch(Ids, id);
        return i >= 0 ? i : -1;
    }

    /// <summary>
    /// The rows this reader searches (as <see cref="AccessFilter.SearchViewSql"/> decides in SQL): per document the
    /// original for readers cleared for it, the released text for everyone else. Cached per reader's access.
    /// </summary>
    public ulong[] Readable(AccessFilter access)
    {
        var key = (access.Cleared, access.Level, access.Mask);
        lock (_readable)
        {
            if (_readable.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }
        var bits = Bits.New(Count);
        for (var s = 0; s < Count; s++)
        {
            var original = access.Cleared && Levels[s] <= access.Level && (Controls[s] & ~access.Mask) == 0;
            var released = Releases[s] is 0 or 1;
            var ok = Views[s] switch
            {
                (byte)SearchView.All => released || original,
                (byte)SearchView.Public => released && !original,
                (byte)SearchView.Original => original,
                _ => false,
            };
            if (ok)
            {
                Bits.Set(bits, s);
            }
        }
        lock (_readable)
        {
            if (_readable.Count > 64)
            {
                _readable.Clear();
            }
            _readable[key] = bits;
        }
        return bits;
    }

    /// <summary>
    /// What the facet counter reads of each row, packed in one record per slot (and one past the last, whose starts end
    /// the last row's persons and files), so that counting a hit reads one cache line instead of one per column. Built
    /// on first use and kept with these rows.
    /// </summary>
    public FacetTable Facets()
    {
        if (Volatile.Read(ref _facets) is { } built)
        {
            return built;
        }
        var table = new FacetRow[Count + 1];
        var first = int.MaxValue;
        var last = int.MinValue;
        for (var s = 0; s < Count; s++)
        {
            ref var f = ref table[s];
            // codes are ids of search_terms or 0 for none; anything else counts as none, so counting needs no test
            f.Volume = Math.Max(Volume[s], 0);
            f.Type = Math.Max(Type[s], 0);
            f.Classification = Math.Max(Classification[s], 0);
            f.Sender = Math.Max(Sender[s], 0);
            f.Recipient = Math.Max(Recipient[s], 0);
            f.PersonStart = PersonStart[s];
            f.FileStart = FileStart.Length > s ? FileStart[s] : 0;
            f.LastYear = -1;
            if (Dated[s])
            {
                // dates are checked calendar dates (years 1 to 9999), so the years fit; clamped all the same
                var from = (int)Math.Clamp(DateMin[s] / 100_000_000, 0, short.MaxValue);
                var to = (int)Math.Clamp(Math.Min(DateMax[s] / 100_000_000, from + 500), -1, short.MaxValue);
                f.FirstYear = (short)from;
                f.LastYear = (short)to;
                if (to >= from / 10 * 10)
                {
                    first = Math.Min(first, from);
                    last = Math.Max(last, Math.Max(from, to));
                }
            }
        }
        table[Count].PersonStart = PersonStart.Length > Count ? PersonStart[Count] : PersonCodes.Length;
        table[Count].FileStart = FileStart.Length > Count ? FileStart[Count] : 0;
        var persons = PersonCodes.Any(code => code < 0) ? [.. PersonCodes.Select(code => Math.Max(code, 0))] : PersonCodes;
        built = first == int.MaxValue ? new FacetTable(table, persons, 0, -1) : new FacetTable(table, persons, first, last);
        Volatile.Write(ref _facets, built);
        return built;
    }

    private FacetTable? _facets;

    /// <summary>The largest facet value code any row holds.</summary>
    public int MaxCode()
    {
        if (_maxCode >= 0)
        {
            return _maxCode;
        }
        var max = 0;
        foreach (var column in new[] { Volume, Type, Classification, Sender, Recipient, Place, PersonCodes })
        {
            foreach (var v in column)
            {
                max = Math.Max(max, v);
            }
        }
        _maxCode = max;
        return max;
    }
}

/// <summary>
/// The rows as the facet counter reads them (<see cref="SearchRows.Facets"/>): a record per slot, the person codes
/// (<see cref="SearchRows.PersonCodes"/>, 0 for none), and the years any row counts in, <paramref name="FirstYear"/> to
/// <paramref name="LastYear"/> (0 and -1 when no row counts in any).
/// </summary>
internal sealed record FacetTable(FacetRow[] Rows, int[] PersonCodes, int FirstYear, int LastYear);

/// <summary>One search row as the facet counter reads it: its value codes, where its persons and files start, its years.</summary>
internal struct FacetRow
{
    public int Volume;
    public int Type;
    public int Classification;
    public int Sender;
    public int Recipient;
    /// <summary>The row's person codes are <c>PersonCodes[PersonStart..]</c> up to the next row's start.</summary>
    public int PersonStart;
    /// <summary>The row's file entries are <c>Files[FileStart..]</c> up to the next row's start.</summary>
    public int FileStart;
    /// <summary>
    /// The years the row counts in, <see cref="FirstYear"/> to <see cref="LastYear"/> (at most 500 years after the
    /// first; none when the last is before the first), and its decades, from the first's to the last's (none when the
    /// last is before the first's decade); an undated row has 0 and -1.
    /// </summary>
    public short FirstYear;
    public short LastYear;
}

/// <summary>Gives each distinct string a dense id in order of first sight, and the strings by id.</summary>
internal sealed class Interner
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Id(string value)
    {
        if (!_ids.TryGetValue(value, out var id))
        {
            _ids[value] = id = _ids.Count;
        }
        return id;
    }

    public string[] Names()
    {
        var names = new string[_ids.Count];
        foreach (var (value, id) in _ids)
        {
            names[id] = value;
        }
        return names;
    }
}

/// <summary>Sets of slots as bit arrays, one bit per search row.</summary>
internal static class Bits
{
    public static ulong[] New(int count) => new ulong[(count + 63) >> 6];

    public static ulong[] All(int count)
    {
        var bits = New(count);
        Array.Fill(bits, ulong.MaxValue);
        if ((count & 63) != 0)
        {
            bits[^1] = (1UL << (count & 63)) - 1;
        }
        return bits;
    }

    public static void Set(ulong[] bits, int slot) => bits[slot >> 6] |= 1UL << (slot & 63);

    public static bool Get(ulong[] bits, int slot) => (bits[slot >> 6] & (1UL << (slot & 63))) != 0;

    public static ulong[] And(ulong[] a, ulong[] b)
    {
        var r = new ulong[a.Length];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = a[i] & b[i];
        }
        return r;
    }

    public static ulong[] Or(ulong[] a, ulong[] b)
    {
        var r = new ulong[a.Length];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = a[i] | b[i];
        }
        return r;
    }

    public static ulong[] AndNot(ulong[] a, ulong[] b)
    {
        var r = new ulong[a.Length];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = a[i] & ~b[i];
        }
        return r;
    }

    public static int Count(ulong[] bits)
    {
        var n = 0;
        foreach (var w in bits)
        {
            n += BitOperations.PopCount(w);
        }
        return n;
    }

    /// <summary>The set slots in ascending order.</summary>
    public static IEnumerable<int> Slots(ulong[] bits)
    {
        for (var i = 0; i < bits.Length; i++)
        {
            var w = bits[i];
            while (w != 0)
            {
                yield return (i << 6) + BitOperations.TrailingZeroCount(w);
                w &= w - 1;
            }
        }
    }
}
