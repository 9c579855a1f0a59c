using System.Diagnostics;
using System.Globalization;
using Chancery.Archive.Search;
using Chancery.Core.Documents;
using Lucene.Net.Index;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// An ingest run's side of the full-text index: one <see cref="IndexWriter"/> for many volumes, fed on its own thread
/// while the volumes are stored, so that the words of a volume are indexed on the second core as the next documents
/// are written, and flushed in a few large segments instead of one small segment (and its merges) per volume.
/// </summary>
/// <remarks>
/// The index never shows a row the database lacks: each volume is a <see cref="Ticket"/>, and the index commits only
/// when every ticket whose rows the writer holds has committed in SQLite; a rolled-back ticket's rows are deleted from
/// the writer before the transaction lets go of the database, so no later transaction can reuse their ids before.
/// It commits at most every <see cref="CommitEveryMs"/> and when the run is finished (by the archive's dispose, or
/// by a search or another write of this process, <see cref="LuceneSearchIndex.FinishSession"/>): whatever a kill
/// leaves uncommitted is caught up from SQLite by the next search, as before. The writer's buffer is written out as a
/// segment by <see cref="IndexFlusher"/> on a thread of its own, so the index thread only adds rows and commits.
/// </remarks>
internal sealed class IndexSession
{
    /// <summary>Longest time committed volumes wait for the index's commit while the run goes on.</summary>
    public const int CommitEveryMs = 10_000;

    /// <summary>Time the run waits for another writer of the index before leaving a volume's rows to catch-up.</summary>
    private const int OpenWaitMs = 10_000;

    /// <summary>Time <see cref="Finish"/> waits for volumes still being stored before giving up on their rows.</summary>
    private const int FinishWaitMs = 120_000;

    private readonly LuceneSearchIndex _index;
    /// <summary>Rows handed to the index thread at once: one hand-over per row cost more than the row on a busy machine.</summary>
    private const int Batch = 32;

    // bounded: the store may run ahead of the index by this many batches, not by a whole corpus held in memory
    private readonly HandOff<Item> _queue = new(4);
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _open;

    // the index thread's own state
    private IndexWriter? _writer;
    private LuceneSearchIndex.RunLock? _lock;
    private readonly HashSet<Ticket> _inWriter = [];
    private Ticket? _refused;
    private long _lastCommit = Stopwatch.GetTimestamp();
    private readonly IndexFlusher _flusher = new();

    public IndexSession(LuceneSearchIndex index)
    {
        _index = index;
        _thread = new Thread(Run) { IsBackground = true, Name = "chancery search index" };
        _thread.Start();
    }

    /// <summary>The last failure of the index thread (its rows are left to catch-up), for tests and diagnostics.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>A volume joining the run; its rows go to the index once it is resolved.</summary>
    public Ticket Join()
    {
        lock (_gate)
        {
            _open++;
        }
        return new Ticket(this);
    }

    /// <summary>
    /// Waits for the run's volumes to be resolved (a volume still being stored after <see cref="FinishWaitMs"/> is
    /// left to catch-up), indexes what is queued, commits when that is safe and lets the writer go.
    /// </summary>
    public void Finish()
    {
        lock (_gate)
        {
            var until = Environment.TickCount64 + FinishWaitMs;
            while (_open > 0)
            {
                var left = until - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                {
                    break;
                }
            }
        }
        _queue.CompleteAdding();
        _thread.Join();
    }

    private void Resolved()
    {
        lock (_gate)
        {
            _open--;
            Monitor.PulseAll(_gate);
        }
    }

    private void Enqueue(Item item)
    {
        // false when the run was finished without this volume (it outlived FinishWaitMs): its rows are left to catch-up
        _queue.Add(item);
    }

    /// <summary>One volume's part in the run, used by the thread storing the volume.</summary>
    public sealed class Ticket
    {
        private readonly IndexSession _session;
        private List<(long Row, SearchText Text)> _batch = new(Batch);
        private bool _resolved;

        public Ticket(IndexSession session)
        {
            _session = session;
        }

        /// <summary>Row ids given to the index (read by the index thread only).</summary>
        internal List<long> Rows { get; } = [];

        /// <summary>The writer holding <see cref="Rows"/> (index thread only).</summary>
        internal IndexWriter? Writer { get; set; }

        /// <summary>
        /// Indexes a search row of the volume. Its text is made here, on the thread storing the volume, which has
        /// time to spare while the index thread is the busiest of the run.
        /// </summary>
        public void Add(long row, Document doc)
        {
            var text = SearchText.Build(doc);
            text.CountTokens();
            _batch.Add((row, text));
            if (_batch.Count == Batch)
            {
                Flush();
            }
        }

        private void Flush()
        {
            if (_batch.Count > 0)
            {
                _session.Enqueue(new Item(ItemKind.Add, this, _batch, null));
                _batch = new(Batch);
            }
        }

        /// <summary>The volume's transaction committed: its rows may be committed, and the rows it replaced dropped.</summary>
        public void Committed(IReadOnlyList<long> removed)
        {
            if (!_resolved)
            {
                _resolved = true;
                Flush();
                _session.Enqueue(new Item(ItemKind.Committed, this, null, removed));
                _session.Resolved();
            }
        }

        /// <summary>
        /// The volume's transaction is about to roll back: its rows are dropped. Called before the rollback, while the
        /// transaction still holds the database, so that the ids it gave cannot be given again before the drop.
        /// </summary>
        public void RolledBack()
        {
            if (!_resolved)
            {
                _resolved = true;
                // rows not handed over yet are simply not indexed
                _batch.Clear();
                _session.Enqueue(new Item(ItemKind.RolledBack, this, null, null));
                _session.Resolved();
            }
        }
    }

    private enum ItemKind { Add, Committed, RolledBack }

    private readonly record struct Item(ItemKind Kind, Ticket Ticket, List<(long Row, SearchText Text)>? Rows, IReadOnlyList<long>? Removed);

    private void Run()
    {
        try
        {
            RunQueue();
        }
        finally
        {
            _flusher.Dispose();
        }
    }

    private void RunQueue()
    {
        while (_queue.Take(out var item))
        {
            try
            {
                Process(item);
            }
            catch (Exception e)
            {
                // the database is the truth and already has (or will not have) these rows: the index drops what it
                // did not commit, and the next search catches it up
                Failure = e;
                Drop();
            }
        }
        try
        {
            Close();
        }
        catch (Exception e)
        {
            Failure = e;
            Drop();
        }
    }

    private void Process(Item item)
    {
        var ticket = item.Ticket;
        switch (item.Kind)
        {
            case ItemKind.Add:
                if (ticket == _refused || !Open(ticket))
                {
                    return;
                }
                ticket.Writer = _writer;
                _inWriter.Add(ticket);
                foreach (var (row, text) in item.Rows!)
                {
                    ticket.Rows.Add(row);
                    LuceneSearchIndex.AddNew(_writer!, row, text);
                }
                // a full buffer is written out on the flusher's thread while this one goes on
                _flusher.MaybeFlush(_writer!);
                break;
            case ItemKind.RolledBack:
                if (_writer is not null && ticket.Writer == _writer && _inWriter.Remove(ticket))
                {
                    _writer.DeleteDocuments([.. ticket.Rows.Select(r => new Term("id", r.ToString(CultureInfo.InvariantCulture)))]);
                }
                break;
            case ItemKind.Committed:
                _inWriter.Remove(ticket);
                if (item.Removed is { Count: > 0 } removed && ticket != _refused && Open(ticket))
                {
                    foreach (var row in removed)
                    {
                        LuceneSearchIndex.Remove(_writer!, row);
                    }
                }
                if (_writer is not null && _inWriter.Count == 0
                    && Stopwatch.GetElapsedTime(_lastCommit).TotalMilliseconds >= CommitEveryMs)
                {
                    Commit();
                }
                break;
        }
    }

    /// <summary>The writer, opened on a volume's first row; false (the volume left to catch-up) when another holds it.</summary>
    private bool Open(Ticket ticket)
    {
        if (_writer is not null)
        {
            return true;
        }
        var opened = _index.OpenRunWriter(OpenWaitMs);
        if (opened is null)
        {
            // tried once per volume, as each volume's own write used to
            _refused = ticket;
            return false;
        }
        (_writer, _lock) = opened.Value;
        _lastCommit = Stopwatch.GetTimestamp();
        return true;
    }

    private void Commit()
    {
        _flusher.WaitIdle();
        _writer!.Commit();
        _lock!.Committed();
        _lastCommit = Stopwatch.GetTimestamp();
    }

    /// <summary>The end of the run: commits (and lets merges finish) unless a volume never resolved holds rows in it.</summary>
    private void Close()
    {
        if (_writer is null)
        {
            return;
        }
        _flusher.WaitIdle();
        if (_inWriter.Count == 0)
        {
            // Dispose commits what is pending and waits for the merges it started
            _writer.Dispose();
            _lock!.Committed();
        }
        else
        {
            _writer.Rollback();
        }
        _writer = null;
        _inWriter.Clear();
        _lock!.Dispose();
        _lock = null;
    }

    /// <summary>After a failure: everything since the last commit is dropped and the writer let go.</summary>
    private void Drop()
    {
        try
        {
            _flusher.WaitIdle();
        }
        catch (Exception)
        {
            // the flush failed too: the rollback drops its segment with the rest
        }
        try
        {
            _writer?.Rollback();
        }
        catch (Exception)
        {
            // the writer is gone either way; its uncommitted files are removed by the next writer
        }
        _writer = null;
        _inWriter.Clear();
        _lock?.Dispose();
        _lock = null;
    }
}
