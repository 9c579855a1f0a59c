using System.Runtime.ExceptionServices;

namespace Chancery.Archive;

/// <summary>
/// Enumerates a source on its own thread, a bounded number of items ahead of the consumer: parsing a volume and
/// writing it to the archive then use two cores instead of one. The source's exceptions reach the consumer
/// unchanged, at the point where the failing item would have come; disposing stops the source and waits for it,
/// so the caller may dispose whatever the source reads from right after.
/// </summary>
internal sealed class ReadAhead<T> : IDisposable
{
    /// <summary>Items handed over at once: one hand-over per document cost more than a small document on a busy machine.</summary>
    private const int Batch = 16;

    private readonly HandOff<List<T>> _queue;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    public ReadAhead(IEnumerable<T> source, int capacity)
    {
        _queue = new HandOff<List<T>>(Math.Max(1, capacity / Batch));
        _thread = new Thread(() => Produce(source)) { IsBackground = true, Name = "chancery read-ahead" };
        _thread.Start();
    }

    private void Produce(IEnumerable<T> source)
    {
        var batch = new List<T>(Batch);
        try
        {
            foreach (var item in source)
            {
                batch.Add(item);
                if (batch.Count == Batch)
                {
                    if (!_queue.Add(batch))
                    {
                        // the consumer stopped early; nothing to report
                        return;
                    }
                    batch = new List<T>(Batch);
                }
            }
            if (batch.Count > 0)
            {
                _queue.Add(batch);
            }
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            // the good items before the failure still come first (unless the consumer stopped early)
            if (batch.Count > 0)
            {
                _queue.Add(batch);
            }
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    /// <summary>The items in source order; rethrows the source's exception after the last good item.</summary>
    public IEnumerable<T> Items()
    {
        while (_queue.Take(out var batch))
        {
            foreach (var item in batch)
            {
                yield return item;
            }
        }
        _thread.Join();
        _failure?.Throw();
    }

    public void Dispose()
    {
        // a producer waiting to add gives up; one still parsing stops at its next batch
        _queue.CompleteAdding();
        _thread.Join();
    }
}
