namespace Chancery.Archive.Cables;

/// <summary>How the background deliverer paces itself.</summary>
/// <param name="Batch">Deliveries per transaction: a FLASH waits at most one batch, so it is small (32: p99 under 100 ms behind a 10,000 ROUTINE backlog on a loaded 2-core machine, where 128 gave 150 ms).</param>
/// <param name="FileBatch">Telegrams filed per transaction: smaller batches hold the write lock less long, larger ones share its commit (and the index's) among more.</param>
/// <param name="Idle">How long to wait when there is nothing to do.</param>
/// <param name="FileEvery">While traffic flows without a lull, filing waits at most this long (default 30 s), then catches up.</param>
public sealed record CableDelivererOptions(int Batch = 32, int FileBatch = 1000, TimeSpan? Idle = null, TimeSpan? FileEvery = null);

/// <summary>
/// The in-process deliverer of the embedded mode: a background thread that delivers pending telegrams in
/// precedence order and another that files delivered ones, yielding filing to urgent traffic. Several deliverers
/// (or processes) may run against one archive: each delivery is taken inside a write transaction and receipt is
/// idempotent.
/// </summary>
public sealed class CableDeliverer : IDisposable
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan IdleBeforeFiling = TimeSpan.FromMilliseconds(250);

    private readonly ICableOffice _office;
    private readonly CableDelivererOptions _options;
    private readonly Thread _thread;
    private readonly Thread _filer;
    private readonly ManualResetEventSlim _stop = new();
    private readonly ManualResetEventSlim _wake = new();
    private long _delivered;
    private long _filed;
    private Exception? _failure;
    // when the delivery thread last delivered something (UTC ticks): filing waits for a lull in deliveries
    private long _lastDelivered = DateTime.UtcNow.Ticks;

    public CableDeliverer(ICableOffice office, CableDelivererOptions? options = null)
    {
        _office = office;
        _options = options ?? new CableDelivererOptions();
        _thread = new Thread(Loop) { IsBackground = true, Name = "cable deliverer" };
        _filer = new Thread(FileLoop) { IsBackground = true, Name = "cable filer" };
        _thread.Start();
        _filer.Start();
    }

    /// <summary>Deliveries made so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Telegrams filed so far.</summary>
    public long Filed => Interlocked.Read(ref _filed);

    /// <summary>The error that stopped the loop, if one did.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Asks the loop to look for work now instead of after its idle wait.</summary>
    public void Wake() => _wake.Set();

    private void Loop()
    {
        var idle = _options.Idle ?? TimeSpan.FromMilliseconds(2);
        try
        {
            while (!_stop.IsSet)
            {
                var n = _office.DeliverPending(_options.Batch);
                Interlocked.Add(ref _delivered, n);
                if (n > 0)
                {
                    Volatile.Write(ref _lastDelivered, DateTime.UtcNow.Ticks);
                }
                else
                {
                    _wake.Wait(idle);
                    _wake.Reset();
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    // Filing holds the write lock for a whole batch, and a FLASH sent during a filing batch waits for that batch, so
    // filing runs in lulls: nothing delivered for a moment. Under traffic that never pauses it is put off for at most
    // FileEvery, then runs batch after batch until it has caught up, on its own thread, so that deliveries go on
    // between its batches and while it reads and builds the next one. (Filing "when nothing urgent is queued" is no
    // guard: a FLASH is delivered within milliseconds, so the queue almost never shows one, and the next one then
    // arrived in the middle of a two-second batch: FLASH p99 1.9 s with a 10,000 ROUTINE backlog.)
    private void FileLoop()
    {
        var fileEvery = _options.FileEvery ?? TimeSpan.FromSeconds(30);
        var lastFiled = DateTime.UtcNow;
        try
        {
            while (!_stop.IsSet)
            {
                var now = DateTime.UtcNow;
                var lull = now - new DateTime(Volatile.Read(ref _lastDelivered), DateTimeKind.Utc) >= IdleBeforeFiling;
                var starved = now - lastFiled >= fileEvery;
                var f = 0;
                if (lull || starved)
                {
                    f = _office.FilePending(_options.FileBatch);
                    Interlocked.Add(ref _filed, f);
                    if (f < _options.FileBatch)
                    {
                        // caught up: the time filing may be put off counts from here
                        lastFiled = DateTime.UtcNow;
                    }
                }
                if (f == 0)
                {
                    // at most every LookEvery: looking is a read of its own, hundreds of times a second otherwise
                    _stop.Wait(LookEvery);
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        _stop.Set();
    }

    /// <summary>Waits until nothing is pending or unfiled (or <paramref name="timeout"/> passes); false on timeout.</summary>
    public bool WaitIdle(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Failure is { } e)
            {
                throw new ArchiveException("the cable deliverer stopped: " + e.Message, e);
            }
            var s = _office.QueueStatus();
            if (s.Settled)
            {
                return true;
            }
            Thread.Sleep(5);
        }
        return false;
    }

    public void Dispose()
    {
        _stop.Set();
        _wake.Set();
        _thread.Join();
        _filer.Join();
        _stop.Dispose();
        _wake.Dispose();
    }
}
