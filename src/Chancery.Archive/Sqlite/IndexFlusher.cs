using System.Runtime.ExceptionServices;
using Lucene.Net.Index;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Writes an ingest run's buffered words out as a segment on a thread of its own, while the index thread goes on
/// adding rows to a fresh buffer. Lucene flushes a full buffer on the thread that filled it, and that thread is the
/// whole run's bottleneck while the second core has time to spare (bench ingest, BENCHMARKS.md).
/// </summary>
/// <remarks>
/// <see cref="IndexWriter.Flush"/> cuts over to new in-memory segments before writing the old ones, so rows added
/// meanwhile go to the next segment, and deletes keep Lucene's order (a delete touches only what was added before it).
/// A flush only writes segments: what is searchable is still decided by the index thread's commits.
/// </remarks>
internal sealed class IndexFlusher : IDisposable
{
    /// <summary>
    /// Buffered bytes at which the index thread asks for a flush. Small enough that the run's commits (every
    /// <see cref="IndexSession.CommitEveryMs"/>, on the index thread) find little left to write: a 16 MB buffer costs
    /// no more CPU to fill than a 64 MB one (bench, Lucene alone on 30 volumes).
    /// </summary>
    public const long FlushAtBytes = 16L * 1024 * 1024;

    private readonly long _flushAt;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private IndexWriter? _requested;
    private bool _busy;
    private bool _stopped;
    private ExceptionDispatchInfo? _failure;

    /// <summary>A flusher asking for a flush at <paramref name="flushAtBytes"/> buffered (tests use a small one).</summary>
    public IndexFlusher(long flushAtBytes = FlushAtBytes)
    {
        _flushAt = flushAtBytes;
        _thread = new Thread(Run) { IsBackground = true, Name = "chancery index flusher" };
        _thread.Start();
    }

    /// <summary>
    /// Asks for <paramref name="writer"/>'s buffer to be flushed if it holds the flusher's threshold and no flush is
    /// under way; a failure of the last flush is thrown here.
    /// </summary>
    public void MaybeFlush(IndexWriter writer)
    {
        lock (_gate)
        {
            Rethrow();
            if (_busy || _stopped || writer.RamSizeInBytes() < _flushAt)
            {
                return;
            }
            _requested = writer;
            _busy = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until no flush is under way (before the writer is committed, rolled back or closed); a failure of it is thrown here.</summary>
    public void WaitIdle()
    {
        lock (_gate)
        {
            while (_busy)
            {
                Monitor.Wait(_gate);
            }
            Rethrow();
        }
    }

    private void Rethrow()
    {
        var failure = _failure;
        _failure = null;
        failure?.Throw();
    }

    private void Run()
    {
        while (true)
        {
            IndexWriter writer;
            lock (_gate)
            {
                while (!_stopped && _requested is null)
                {
                    Monitor.Wait(_gate);
                }
                if (_requested is null)
                {
                    return;
                }
                writer = _requested;
                _requested = null;
            }
            try
            {
                // merges are started as the writer's own flushes start them, on the merge scheduler's threads
                writer.Flush(triggerMerge: true, applyAllDeletes: false);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            lock (_gate)
            {
                _busy = false;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Finishes the flush under way, if any, and stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
    }
}
