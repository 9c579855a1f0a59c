using System.Collections.Concurrent;
using System.Globalization;
using Chancery.Archive.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// The words of the embedded archive's search rows in a Lucene.Net index beside the database
/// (<c>&lt;archive&gt;/search/</c>): one Lucene document per search row, keyed by the row's id, with the five text
/// columns (title, sender, recipient, body, footnotes) split and folded exactly as <see cref="SearchFolding"/> does.
/// </summary>
/// <remarks>
/// The index only says which rows hold which words. Which rows exist and who may read them is SQLite's
/// (<see cref="SearchRows"/>): search row ids are never reused and a row's text never changes (a review makes new
/// rows), so a Lucene document either describes its row exactly or belongs to a row that is gone and is never
/// returned. Writes happen after the SQLite commit; whatever a crash or a busy lock left out is caught up
/// (<see cref="RowMap.Missing"/>, <see cref="RowMap.Extra"/>) by the next search that can take the write lock.
/// One instance per index folder and process, so threads share the reader and the in-process write gate.
/// </remarks>
internal sealed class LuceneSearchIndex
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Terms longer than this are cut (Lucene refuses terms over 32,766 UTF-8 bytes); queries cut alike.</summary>
    public const int MaxTermChars = 8000;

    /// <summary>
    /// What the index holds, kept in each commit's user data: an index of another format (before
    /// <see cref="CommonWordPairs"/>: none) is rebuilt from the database as a damaged one is.
    /// </summary>
    public const string Format = "2";

    private const string FormatKey = "chancery.format";

    private static readonly Dictionary<string, string> FormatData = new(StringComparer.Ordinal) { [FormatKey] = Format };

    /// <summary>The text fields, in <see cref="TextColumn"/> order.</summary>
    public static readonly string[] Fields = ["title", "sender", "recipient", "body", "footnotes"];

    private static readonly ConcurrentDictionary<string, LuceneSearchIndex> Indexes = new(StringComparer.Ordinal);

    private static readonly FieldType TextType = new()
    {
        IsIndexed = true,
        IsTokenized = true,
        // stored for snippets: a row's text never changes, so what is stored is never stale
        IsStored = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS,
    };

    // a semaphore, not a monitor: an ingest run's writer is taken on one thread and let go on its own thread
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Threading.Lock _sessionLock = new();
    private IndexSession? _session;
    private readonly object _readGate = new();
    private readonly string _path;
    private FSDirectory? _directory;
    private FSDirectory? _readDirectory;
    private SearcherManager? _manager;
    private RowMap? _map;
    // the rows the reader was last refreshed for, and whether this process wrote since: a search refreshes the
    // reader (which reads the index's segment list from disk) only when one of them says the index may have moved
    private SearchRows? _refreshedFor;
    private volatile bool _written;
    private bool _damaged;

    static LuceneSearchIndex()
    {
        TextType.Freeze();
        // before any index is opened: segments name their codec, and readers look it up
        StoredTextCodec.Register();
    }

    private LuceneSearchIndex(string path)
    {
        _path = path;
    }

    /// <summary>The index of the archive in <paramref name="archiveFolder"/>.</summary>
    public static LuceneSearchIndex For(string archiveFolder) =>
        Indexes.GetOrAdd(Path.GetFullPath(Path.Combine(archiveFolder, "search")), p => new LuceneSearchIndex(p));

    /// <summary>The index in <paramref name="folder"/> itself (the server archive keeps its index outside the database).</summary>
    public static LuceneSearchIndex At(string folder) =>
        Indexes.GetOrAdd(Path.GetFullPath(folder), p => new LuceneSearchIndex(p));

    /// <summary>The folder of the index of the archive in <paramref name="archiveFolder"/>.</summary>
    public static string FolderOf(string archiveFolder) => Path.Combine(archiveFolder, "search");

    private FSDirectory Directory
    {
        get
        {
            if (_directory is null)
            {
                System.IO.Directory.CreateDirectory(_path);
                // buffered reads for the writers' merges too: mapped, every page of the segments a merge read counted in
                // the process's resident memory (a copy of 150,000 documents peaked at 250 MB of mapped index files)
                _directory = new ReadingDirectory(_path);
            }
            return _directory;
        }
    }

    /// <summary>
    /// The folder as searches read it. Buffered file reads, not memory mapping: Lucene.Net's memory-mapped input
    /// reads byte by byte through a safe handle, which made decompressing the stored texts of a page of hits most of
    /// a search's time.
    /// </summary>
    private FSDirectory ReadDirectory
    {
        get
        {
            if (_readDirectory is null)
            {
                System.IO.Directory.CreateDirectory(_path);
                _readDirectory = new ReadingDirectory(_path);
            }
            return _readDirectory;
        }
    }

    /// <summary>
    /// Forgets the open reader: the folder was replaced under it (a restore). The next search opens it afresh.
    /// </summary>
    public static void Forget(string archiveFolder)
    {
        if (Indexes.TryRemove(Path.GetFullPath(Path.Combine(archiveFolder, "search")), out var index))
        {
            index.FinishSession();
            lock (index._readGate)
            {
                index._manager?.Dispose();
                index._manager = null;
                index._map = null;
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="write"/> with this process holding the index's write lock, then commits. False when the
    /// lock stays taken (another process or thread is writing) for <paramref name="waitMs"/>; the caller's rows are
    /// then left to the next catch-up.
    /// </summary>
    public bool TryWrite(Action<IndexWriter> write, int waitMs)
    {
        // an ingest run's writer goes first: what it indexed is committed and its lock let go
        FinishSession();
        if (!_writeGate.Wait(waitMs))
        {
            return false;
        }
        FileStream? guard = null;
        try
        {
            // Lucene's own write.lock did not keep a second process out on Linux (soak: an ingest and the server's
            // catch-up wrote at once and one deleted the other's segment files); an exclusive open is an flock there
            guard = TakeGuard(waitMs);
            if (guard is null)
            {
                return false;
            }
            var rebuild = Volatile.Read(ref _damaged) || !OfCurrentFormat();
            var config = Config(rebuild, waitMs);
            IndexWriter writer;
            try
            {
                writer = new IndexWriter(Directory, config);
            }
            catch (LockObtainFailedException)
            {
                return false;
            }
            using (writer)
            {
                writer.SetCommitData(FormatData);
                write(writer);
                writer.Commit();
            }
            _written = true;
            if (rebuild)
            {
                Volatile.Write(ref _damaged, false);
            }
            return true;
        }
        finally
        {
            guard?.Dispose();
            _writeGate.Release();
        }
    }

    private static IndexWriterConfig Config(bool rebuild, int waitMs) => new(Version, NewIndexAnalyzer())
    {
        // a damaged index is started afresh: the rows are all SQLite's, and the caller indexes every one
        OpenMode = rebuild ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
        WriteLockTimeout = waitMs,
        RAMBufferSizeMB = 64,
        Codec = StoredTextCodec.Instance,
    };

    /// <summary>
    /// The write side of an ingest run (<see cref="IndexSession"/>): this process's write gate, the guard and an
    /// <see cref="IndexWriter"/> kept for many volumes, with a large buffer and no compound files, so that the run's
    /// words are flushed in a few large segments instead of one small one per volume (bench ingest, BENCHMARKS.md).
    /// Null when another writer keeps the index for <paramref name="waitMs"/>.
    /// </summary>
    internal (IndexWriter Writer, RunLock Lock)? OpenRunWriter(int waitMs)
    {
        if (!_writeGate.Wait(waitMs))
        {
            return null;
        }
        FileStream? guard = null;
        var handed = false;
        try
        {
            guard = TakeGuard(waitMs);
            if (guard is null)
            {
                return null;
            }
            var rebuild = Volatile.Read(ref _damaged) || !OfCurrentFormat();
            var config = Config(rebuild, waitMs);
            // the run flushes its buffer itself at 64 MB, on another thread (IndexFlusher); Lucene's own flush, on the
            // adding thread, only if that falls behind
            config.RAMBufferSizeMB = 256;
            config.UseCompoundFile = false;
            var writer = new IndexWriter(Directory, config);
            writer.SetCommitData(FormatData);
            handed = true;
            return (writer, new RunLock(this, guard, rebuild));
        }
        catch (LockObtainFailedException)
        {
            return null;
        }
        finally
        {
            if (!handed)
            {
                guard?.Dispose();
                _writeGate.Release();
            }
        }
    }

    /// <summary>What an ingest run's writer holds: the guard and the write gate, let go when disposed.</summary>
    internal sealed class RunLock(LuceneSearchIndex index, FileStream guard, bool rebuild) : IDisposable
    {
        private int _released;

        /// <summary>Called after the run's first commit: a rebuilt index is whole again.</summary>
        public void Committed()
        {
            if (rebuild)
            {
                Volatile.Write(ref index._damaged, false);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                guard.Dispose();
                index._writeGate.Release();
            }
        }
    }

    /// <summary>
    /// The ingest run that volumes of this process join (started when none is open): their rows are indexed on its
    /// thread while the volume is stored, and committed to the index once their transactions have.
    /// </summary>
    internal IndexSession.Ticket JoinSession()
    {
        lock (_sessionLock)
        {
            _session ??= new IndexSession(this);
            return _session.Join();
        }
    }

    /// <summary>
    /// Ends the open ingest run, if any: waits for its volumes to be resolved and indexed, commits and lets the writer
    /// go. Searches and other writes of this process call it first, so they see what was ingested before them.
    /// </summary>
    public void FinishSession()
    {
        IndexSession? session;
        lock (_sessionLock)
        {
            session = _session;
            _session = null;
        }
        session?.Finish();
    }

    /// <summary>
    /// Whether the index in the folder, if any, is of <see cref="Format"/> (read from its last commit, under the write
    /// guard). A writer appending to an index of another format would mix documents with and without pairs.
    /// </summary>
    private bool OfCurrentFormat()
    {
        if (!DirectoryReader.IndexExists(Directory))
        {
            return true;
        }
        try
        {
            var infos = new SegmentInfos();
            infos.Read(Directory);
            return IsCurrent(infos.UserData);
        }
        catch (IOException)
        {
            // unreadable: the writer finds out, and the next reader marks it damaged
            return true;
        }
    }

    private static bool IsCurrent(IDictionary<string, string>? userData) =>
        userData is not null && userData.TryGetValue(FormatKey, out var format) && format == Format;

    private FileStream? TakeGuard(int waitMs)
    {
        var path = Path.Combine(_path, "write.guard");
        System.IO.Directory.CreateDirectory(_path);
        var until = Environment.TickCount64 + waitMs;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < until)
            {
                Thread.Sleep(10);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The index folder as searches read it: buffered positional reads (<c>pread</c>), no lock, with a buffer sized
    /// to the file kind (<see cref="BufferFor"/>). Lucene.Net's memory-mapped input reads byte by byte through a
    /// safe handle and its NIO input takes a lock and the file's length for every 1 KB buffer; with either,
    /// decompressing the stored texts of a page of hits was most of a search. (Mapping the files would also count
    /// every page of the index a search touched in the process's resident memory.)
    /// </summary>
    private sealed class ReadingDirectory(string path) : NIOFSDirectory(path)
    {
        /// <summary>
        /// Large buffers for what is read in long runs (positions, stored texts' compressed chunks), smaller for the
        /// doc lists and small for what is read by seeking (term dictionaries, doc values, metadata).
        /// </summary>
        private static int BufferFor(string name) => Path.GetExtension(name) switch
        {
            ".fdt" => 16 * 1024,
            _ => 4096,
        };

        public override IndexInput OpenInput(string name, IOContext context)
        {
            EnsureOpen();
            var file = Path.Combine(Directory.FullName, name);
            var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new PositionalInput("PositionalInput(" + file + ")", handle, 0, RandomAccess.GetLength(handle), BufferFor(name), owner: true);
        }

        public override IndexInputSlicer CreateSlicer(string name, IOContext context)
        {
            EnsureOpen();
            var file = Path.Combine(Directory.FullName, name);
            return new Slicer(file, File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        }

        private sealed class Slicer(string file, Microsoft.Win32.SafeHandles.SafeFileHandle handle) : IndexInputSlicer
        {
            public override IndexInput OpenSlice(string sliceDescription, long offset, long length) =>
                new PositionalInput("PositionalInput(" + sliceDescription + " in " + file + ")", handle, offset, length, BufferFor(sliceDescription), owner: false);

            [Obsolete("Only for reading CFS files from 3.x indexes.")]
            public override IndexInput OpenFullSlice() => OpenSlice("full-slice", 0, RandomAccess.GetLength(handle));

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    handle.Dispose();
                }
            }
        }

        /// <summary>A file, or a slice of one (a compound file's part), read at absolute positions: no shared file position, so no lock.</summary>
        private sealed class PositionalInput(string description, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, long length, int buffer, bool owner)
            : BufferedIndexInput(description, buffer)
        {
            private bool _owner = owner;

            public override long Length => length;

            protected override void ReadInternal(byte[] b, int start, int count)
            {
                var position = Position;
                if (position + count > length)
                {
                    throw new EndOfStreamException("read past EOF: " + this);
                }
                var span = b.AsSpan(start, count);
                while (span.Length > 0)
                {
                    var n = RandomAccess.Read(handle, span, offset + position);
                    if (n <= 0)
                    {
                        throw new EndOfStreamException("read past EOF: " + this);
                    }
                    position += n;
                    span = span[n..];
                }
            }

            protected override void SeekInternal(long pos)
            {
                // every read gives its own position
            }

            public override object Clone()
            {
                var clone = (PositionalInput)base.Clone();
                clone._owner = false;
                return clone;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing && _owner)
                {
                    _owner = false;
                    handle.Dispose();
                }
            }
        }
    }

    /// <summary>Adds (or replaces) the document of one search row.</summary>
    public static void Add(IndexWriter writer, long row, SearchText text) => RowDocument.OfThread.Write(writer, row, text, replace: true);

    /// <summary>
    /// Adds the document of a row the index cannot hold yet: an ingest run's rows have ids never given before (a
    /// rolled-back volume's rows, whose ids are given again, are deleted first, and a delete never touches what is
    /// added after it), so no delete is buffered per row for the writer to apply at every flush.
    /// </summary>
    public static void AddNew(IndexWriter writer, long row, SearchText text) => RowDocument.OfThread.Write(writer, row, text, replace: false);

    /// <summary>
    /// One Lucene document and its fields, reused for every row a thread indexes (Lucene reads a document's values
    /// while adding it). A new set of fields per row cost a token stream and its attributes per row, each created
    /// under a global lock (bench ingest, BENCHMARKS.md).
    /// </summary>
    private sealed class RowDocument
    {
        [ThreadStatic]
        private static RowDocument? t_current;

        private readonly StringField _id = new("id", "", Field.Store.NO);
        private readonly NumericDocValuesField _row = new("row", 0);
        private readonly NumericDocValuesField _tokens = new("tokens", 0);
        private readonly Field[] _texts = [.. Fields.Select(f => new Field(f, "", TextType))];
        private readonly LuceneDocument _doc;

        private RowDocument()
        {
            _doc = [_id, _row, _tokens, .. _texts];
        }

        public static RowDocument OfThread => t_current ??= new RowDocument();

        public void Write(IndexWriter writer, long row, SearchText text, bool replace)
        {
            var key = Key(row);
            _id.SetStringValue(key);
            _row.SetInt64Value(row);
            _tokens.SetInt64Value(text.Tokens);
            for (var i = 0; i < _texts.Length; i++)
            {
                _texts[i].SetStringValue(text.Texts[i]);
            }
            if (replace)
            {
                writer.UpdateDocument(new Term("id", key), _doc);
            }
            else
            {
                writer.AddDocument(_doc);
            }
        }
    }

    /// <summary>Removes the document of a search row, if there is one.</summary>
    public static void Remove(IndexWriter writer, long row) => writer.DeleteDocuments(new Term("id", Key(row)));

    private static string Key(long row) => row.ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds and removes rows after the SQLite transaction that made them committed; false when left to catch-up.</summary>
    public bool TryApply(IReadOnlyList<(long Row, SearchText Text)> added, IReadOnlyList<long> removed, int waitMs)
    {
        if (added.Count == 0 && removed.Count == 0)
        {
            return true;
        }
        try
        {
            return TryWrite(w =>
            {
                foreach (var row in removed)
                {
                    Remove(w, row);
                }
                foreach (var (row, text) in added)
                {
                    Add(w, row, text);
                }
            }, waitMs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the database is the truth and already committed: the next search catches the index up
            return false;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The current searcher, or null when there is no index yet. It is refreshed when the index may have changed:
    /// <paramref name="rows"/> is not the copy of the rows it was last refreshed for (every write to the index
    /// follows a change of the rows in SQLite), this process wrote to the index since, or the caller asks
    /// (<paramref name="rows"/> null: the reader lacked rows, which another process may have indexed since).
    /// </summary>
    public Searcher? Acquire(SearchRows? rows)
    {
        // what this process ingested is searched: its run commits before the reader looks
        FinishSession();
        SearcherManager manager;
        var refresh = true;
        lock (_readGate)
        {
            if (_manager is null)
            {
                if (!System.IO.Directory.Exists(_path) || !DirectoryReader.IndexExists(Directory))
                {
                    return null;
                }
                _manager = Open();
                if (_manager is null)
                {
                    return null;
                }
            }
            manager = _manager;
            if (rows is not null && ReferenceEquals(rows, _refreshedFor) && !_written)
            {
                refresh = false;
            }
            else
            {
                _written = false;
                _refreshedFor = rows;
            }
        }
        if (refresh)
        {
            try
            {
                manager.MaybeRefresh();
            }
            catch (IOException)
            {
                // a commit of another process went by while refreshing; the reader in hand stays valid
            }
        }
        return new Searcher(manager, manager.Acquire());
    }

    /// <summary>
    /// Opens the index; a few tries ride out another process's commit. An index that still cannot be read (files
    /// missing or damaged) is marked for rebuilding and reads as absent: the caller's catch-up indexes every row.
    /// </summary>
    private SearcherManager? Open()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var manager = new SearcherManager(ReadDirectory, null);
                var searcher = manager.Acquire();
                try
                {
                    if (IsCurrent(((DirectoryReader)searcher.IndexReader).IndexCommit.UserData))
                    {
                        return manager;
                    }
                }
                finally
                {
                    manager.Release(searcher);
                }
                // written by an older Chancery: rebuilt from the database by the caller's catch-up
                manager.Dispose();
                Volatile.Write(ref _damaged, true);
                return null;
            }
            catch (IOException) when (attempt < 3)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                Volatile.Write(ref _damaged, true);
                return null;
            }
        }
    }

    /// <summary>The reader's documents matched to <paramref name="rows"/>; cached for the last reader and rows.</summary>
    public RowMap Map(IndexSearcher searcher, SearchRows rows)
    {
        var map = _map;
        if (map is not null && ReferenceEquals(map.Reader, searcher.IndexReader) && ReferenceEquals(map.Rows, rows))
        {
            return map;
        }
        map = RowMap.Build(searcher.IndexReader, rows);
        _map = map;
        return map;
    }

    /// <summary>A searcher taken from the manager, given back on dispose.</summary>
    public sealed class Searcher(SearcherManager manager, IndexSearcher searcher) : IDisposable
    {
        public IndexSearcher Index { get; } = searcher;

        public void Dispose() => manager.Release(Index);
    }

    /// <summary>
    /// The column texts stored for a row's document, read when first asked: the title and the body together (every hit
    /// shows its title, and most snippets come from the body), the other three only if asked for. The document's bytes
    /// are decompressed either way; what is saved is decoding the texts nobody reads.
    /// </summary>
    public sealed class StoredRow(IndexSearcher searcher, int doc)
    {
        private static readonly int[] TitleAndBody = [(int)TextColumn.Title, (int)TextColumn.Body];
        private static readonly int[] Others = [(int)TextColumn.Sender, (int)TextColumn.Recipient, (int)TextColumn.Footnotes];
        private readonly string?[] _texts = new string?[Fields.Length];

        /// <summary>The text of <paramref name="column"/> (a <see cref="TextColumn"/>).</summary>
        public string Column(int column)
        {
            if (_texts[column] is null)
            {
                var columns = column is (int)TextColumn.Title or (int)TextColumn.Body ? TitleAndBody : Others;
                var visitor = new DocumentStoredFieldVisitor([.. columns.Select(c => Fields[c])]);
                searcher.IndexReader.Document(doc, visitor);
                foreach (var c in columns)
                {
                    _texts[c] = visitor.Document.Get(Fields[c]) ?? "";
                }
            }
            return _texts[column]!;
        }
    }

    // ---- phrases ------------------------------------------------------------------------------------------------

    /// <summary>
    /// From 200,000 documents in the index, a search reads a phrase's documents on both cores (<see cref="WorkSplit"/>),
    /// in parts of 65,536 documents of a leaf: below that a phrase takes a few milliseconds and the split would cost
    /// more than it saves.
    /// </summary>
    public static readonly SplitSize DefaultSplit = new(200_000, 64 * 1024);

    /// <summary>When a search of this index works on both cores (<see cref="DefaultSplit"/>; tests split small indexes).</summary>
    internal SplitSize Split { get; set; } = DefaultSplit;

    /// <summary>From how many documents in the index a search splits its work, and how many documents of a leaf make one part.</summary>
    internal readonly record struct SplitSize(int FromDocs, int PartDocs);

    /// <summary>
    /// The existing rows holding <paramref name="phrase"/> (any view, any reader: BM25 statistics are over all
    /// rows, as FTS5's were), with the phrase's occurrences per text column. An index of <see cref="SplitSize.FromDocs"/>
    /// documents or more is read in parts (ranges of each leaf's documents) on both cores; every row belongs to one
    /// part, so the rows and counts are the same either way.
    /// </summary>
    public static PhraseRows FindPhrase(IndexSearcher searcher, RowMap map, FtsPhrase phrase, SplitSize size)
    {
        var rows = map.Rows;
        var words = phrase.Words.Select(Cut).ToList();
        if (words.Count == 0)
        {
            return new PhraseRows(rows.Count);
        }
        var reader = searcher.IndexReader;
        var fields = phrase.TitleOnly ? 1 : Fields.Length;
        // the phrase's words as the index matches them: pairs of adjacent common words, the other words alone
        var fixedTerms = CommonWordPairs.Terms(phrase.Prefix ? words[..^1] : words);
        var single = fixedTerms.Count <= 1 && (phrase.Prefix ? words.Count == 1 : fixedTerms.Count == 1);
        // one term (a word, a word's prefix or a pair) is read from its postings and frequencies, without positions;
        // more are a phrase query per field, weighed once here and read part by part
        var weights = new Weight?[fields];
        if (!single)
        {
            for (var f = 0; f < fields; f++)
            {
                weights[f] = PhraseWeight(searcher, Fields[f], phrase.Prefix, fixedTerms, words);
            }
        }
        var split = reader.MaxDoc >= size.FromDocs;
        var parts = new List<(AtomicReaderContext Leaf, int Start, int End)>();
        foreach (var leaf in reader.Leaves)
        {
            var maxDoc = leaf.AtomicReader.MaxDoc;
            var pieces = split ? Math.Max(1, (int)(((long)maxDoc + size.PartDocs - 1) / size.PartDocs)) : 1;
            for (var p = 0; p < pieces; p++)
            {
                parts.Add((leaf, (int)((long)maxDoc * p / pieces), (int)((long)maxDoc * (p + 1) / pieces)));
            }
        }
        var found = new PhraseRows.Part[parts.Count];
        // the entry of each slot in its part, valid where that part's entry holds the slot (so never cleared); parts
        // hold different slots, so they write different places
        var entry = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(rows.Count, 1));
        try
        {
            WorkSplit.Run(parts.Count, i =>
            {
                var (leaf, start, end) = parts[i];
                var part = new PhraseRows.Part();
                var slots = map.Slots[leaf.Ord];
                var first = single ? new BytesRef(phrase.Prefix ? words[0] : fixedTerms[0].Term) : null;
                for (var f = 0; f < fields; f++)
                {
                    if (first is not null)
                    {
                        CollectTerm(leaf, Fields[f], first, phrase.Prefix, start, end, slots, f, part, entry);
                    }
                    else if (weights[f]?.GetScorer(leaf, leaf.AtomicReader.LiveDocs) is { } scorer)
                    {
                        Collect(scorer, start, end, slots, f, part, entry);
                    }
                }
                found[i] = part;
            }, split);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(entry);
        }
        return new PhraseRows(rows.Count, found);
    }

    /// <summary>The weight of the phrase query of <paramref name="field"/>, or null when a prefix expands to nothing.</summary>
    private static Weight? PhraseWeight(IndexSearcher searcher, string field, bool prefix, List<(string Term, int Position)> fixedTerms, List<string> words)
    {
        Query query;
        if (prefix)
        {
            var expansions = Expand(searcher.IndexReader, field, words[^1]);
            if (expansions.Length == 0)
            {
                return null;
            }
            var multi = new MultiPhraseQuery();
            foreach (var (term, position) in fixedTerms)
            {
                multi.Add([new Term(field, term)], position);
            }
            multi.Add(expansions, words.Count - 1);
            query = multi;
        }
        else
        {
            var exact = new PhraseQuery();
            foreach (var (term, position) in fixedTerms)
            {
                exact.Add(new Term(field, term), position);
            }
            query = exact;
        }
        return searcher.CreateNormalizedWeight(query);
    }

    /// <summary>The documents <paramref name="start"/> … <paramref name="end"/> − 1 of a leaf holding one term, or (prefix) any word starting so.</summary>
    private static void CollectTerm(AtomicReaderContext leaf, string field, BytesRef term, bool prefix, int start, int end, int[] slots, int f,
        PhraseRows.Part part, int[] entry)
    {
        var terms = leaf.AtomicReader.GetTerms(field);
        if (terms is null)
        {
            return;
        }
        var te = terms.GetEnumerator();
        DocsEnum? docs = null;
        if (!prefix)
        {
            if (te.SeekExact(term))
            {
                docs = te.Docs(leaf.AtomicReader.LiveDocs, docs, DocsFlags.FREQS);
                Collect(docs, start, end, slots, f, part, entry);
            }
            return;
        }
        for (var more = SeekWord(te, term, te.SeekCeil(term)); more; more = SeekWord(te, term, te.MoveNext() ? TermsEnum.SeekStatus.FOUND : TermsEnum.SeekStatus.END))
        {
            docs = te.Docs(leaf.AtomicReader.LiveDocs, docs, DocsFlags.FREQS);
            Collect(docs, start, end, slots, f, part, entry);
        }
    }

    private static string Cut(string word) => word.Length > MaxTermChars ? word[..MaxTermChars] : word;

    private static void Collect(DocsEnum docs, int start, int end, int[] slots, int field, PhraseRows.Part part, int[] entry)
    {
        for (var doc = start == 0 ? docs.NextDoc() : docs.Advance(start); doc < end; doc = docs.NextDoc())
        {
            var slot = slots[doc];
            var freq = docs.Freq;
            if (slot < 0 || freq <= 0)
            {
                continue;
            }
            part.Add(slot, field, freq, entry);
        }
    }

    /// <summary>The terms of <paramref name="field"/> starting with <paramref name="prefix"/>, over the whole index.</summary>
    private static Term[] Expand(IndexReader reader, string field, string prefix)
    {
        var terms = MultiFields.GetTerms(reader, field);
        if (terms is null)
        {
            return [];
        }
        var bytes = new BytesRef(prefix);
        var te = terms.GetEnumerator();
        var list = new List<Term>();
        for (var more = SeekWord(te, bytes, te.SeekCeil(bytes)); more; more = SeekWord(te, bytes, te.MoveNext() ? TermsEnum.SeekStatus.FOUND : TermsEnum.SeekStatus.END))
        {
            list.Add(new Term(field, BytesRef.DeepCopyOf(te.Term)));
        }
        return [.. list];
    }

    /// <summary>
    /// From where <paramref name="te"/> stands (<paramref name="status"/> of its last move), moves it to the first word
    /// starting with <paramref name="prefix"/>, past the pairs (<see cref="CommonWordPairs"/>) that start with a word;
    /// false when there is none left.
    /// </summary>
    private static bool SeekWord(TermsEnum te, BytesRef prefix, TermsEnum.SeekStatus status)
    {
        while (status != TermsEnum.SeekStatus.END)
        {
            var term = te.Term;
            if (!StringHelper.StartsWith(term, prefix))
            {
                return false;
            }
            var at = term.Bytes.AsSpan(term.Offset, term.Length).IndexOf((byte)CommonWordPairs.Separator);
            if (at < 0)
            {
                return true;
            }
            // a word's pairs sort together right after it ("state", "state of", ...): seek past them all
            var past = new byte[at + 1];
            term.Bytes.AsSpan(term.Offset, at).CopyTo(past);
            past[at] = (byte)CommonWordPairs.Separator + 1;
            status = te.SeekCeil(new BytesRef(past));
        }
        return false;
    }

    /// <summary>
    /// The words of the text fields, without the pairs the index adds (for the benchmark's bare baseline, which parses
    /// its own query file into queries of words).
    /// </summary>
    public static Analyzer NewAnalyzer() => new FoldingAnalyzer(pairs: false);

    /// <summary>What the index holds of a text: its words and the pairs of adjacent common words (<see cref="CommonWordPairs"/>).</summary>
    public static Analyzer NewIndexAnalyzer() => new FoldingAnalyzer(pairs: true);

    /// <summary>Words as <see cref="SearchFolding.Words"/> gives them: letters and digits, folded, one token each.</summary>
    private sealed class FoldingAnalyzer(bool pairs) : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            return new TokenStreamComponents(new FoldingTokenizer(reader, pairs));
        }
    }
}

/// <summary>
/// The rows holding one phrase, each with its occurrences per text column (five counts per entry), in parts (the
/// parts of the index they were read from; a row is in one part only).
/// </summary>
internal sealed class PhraseRows
{
    private readonly Part[] _parts;

    /// <summary>No rows.</summary>
    public PhraseRows(int slots)
    {
        Set = Bits.New(slots);
        _parts = [];
    }

    public PhraseRows(int slots, Part[] parts)
    {
        Set = Bits.New(slots);
        _parts = parts;
        foreach (var part in parts)
        {
            for (var e = 0; e < part.Count; e++)
            {
                Bits.Set(Set, part.Slots[e]);
            }
            Count += part.Count;
        }
    }

    public ulong[] Set { get; }

    /// <summary>How many rows hold the phrase.</summary>
    public int Count { get; }

    public IReadOnlyList<Part> Parts => _parts;

    /// <summary>The rows of one part: <c>Slots[e]</c> for <c>e &lt; Count</c>, its counts at <c>Counts[e * 5 + column]</c>.</summary>
    public sealed class Part
    {
        private int[] _slots = new int[16];
        private int[] _counts = new int[80];

        public int Count { get; private set; }
        public int[] Slots => _slots;
        public int[] Counts => _counts;

        /// <summary>
        /// Adds <paramref name="freq"/> occurrences in column <paramref name="field"/> to the entry of
        /// <paramref name="slot"/>, made when the slot is new to this part. <paramref name="entry"/> holds each slot's
        /// entry, trusted only where the entry names the slot back, so it never needs clearing.
        /// </summary>
        public void Add(int slot, int field, int freq, int[] entry)
        {
            var e = entry[slot];
            if ((uint)e >= (uint)Count || _slots[e] != slot)
            {
                e = Count++;
                if (e == _slots.Length)
                {
                    Array.Resize(ref _slots, e * 2);
                    Array.Resize(ref _counts, e * 10);
                }
                _slots[e] = slot;
                _counts.AsSpan(e * 5, 5).Clear();
                entry[slot] = e;
            }
            _counts[e * 5 + field] += freq;
        }
    }
}

/// <summary>
/// One Lucene reader matched to one <see cref="SearchRows"/>: the slot of each document (-1 for a row SQLite no longer
/// has, or a document deleted), each row's length in words, the rows the index lacks and the documents it should drop.
/// </summary>
internal sealed class RowMap
{
    private RowMap(IndexReader reader, SearchRows rows)
    {
        Reader = reader;
        Rows = rows;
    }

    public IndexReader Reader { get; }
    public SearchRows Rows { get; }
    /// <summary>Slot per document, per leaf (by leaf ord).</summary>
    public int[][] Slots { get; private set; } = [];
    /// <summary>The reader's document number of each row (-1 where the index lacks the row).</summary>
    public int[] DocOf { get; private set; } = [];
    /// <summary>Words in each row (0 where the index lacks the row).</summary>
    public int[] Tokens { get; private set; } = [];
    public long TotalTokens { get; private set; }
    /// <summary>Slots of rows the index lacks.</summary>
    public List<int> Missing { get; } = [];
    /// <summary>Row ids the index holds that SQLite removed.</summary>
    public List<long> Extra { get; } = [];

    public static RowMap Build(IndexReader reader, SearchRows rows)
    {
        var map = new RowMap(reader, rows);
        var seen = Bits.New(rows.Count);
        var tokens = new int[rows.Count];
        var docOf = new int[rows.Count];
        Array.Fill(docOf, -1);
        var leaves = reader.Leaves;
        var slots = new int[leaves.Count][];
        long total = 0;
        foreach (var leaf in leaves)
        {
            var r = leaf.AtomicReader;
            var ids = r.GetNumericDocValues("row");
            var lengths = r.GetNumericDocValues("tokens");
            var live = r.LiveDocs;
            var s = new int[r.MaxDoc];
            for (var doc = 0; doc < s.Length; doc++)
            {
                s[doc] = -1;
                if (ids is null || (live is not null && !live.Get(doc)))
                {
                    continue;
                }
                var id = ids.Get(doc);
                var slot = rows.SlotOf(id);
                if (slot < 0)
                {
                    // a row written after these rows were read is not extra: only a removed one is
                    if (id <= rows.High)
                    {
                        map.Extra.Add(id);
                    }
                }
                else if (!Bits.Get(seen, slot))
                {
                    Bits.Set(seen, slot);
                    s[doc] = slot;
                    docOf[slot] = leaf.DocBase + doc;
                    tokens[slot] = (int)(lengths?.Get(doc) ?? 0);
                    total += tokens[slot];
                }
            }
            slots[leaf.Ord] = s;
        }
        for (var slot = 0; slot < rows.Count; slot++)
        {
            if (!Bits.Get(seen, slot))
            {
                map.Missing.Add(slot);
            }
        }
        map.Slots = slots;
        map.Tokens = tokens;
        map.DocOf = docOf;
        map.TotalTokens = total;
        return map;
    }
}
