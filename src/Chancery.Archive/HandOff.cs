namespace Chancery.Archive;

/// <summary>
/// A bounded queue from one thread to another that blocks without spinning. An ingest keeps three threads busy on
/// two cores (reader, store, index); BlockingCollection's semaphore spins and yields before each wait, which burned
/// CPU the other two threads needed every time the store waited for the index (bench ingest, BENCHMARKS.md).
/// </summary>
internal sealed class HandOff<T>
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private bool _completed;

    public HandOff(int capacity)
    {
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>Adds an item, waiting while the queue is full; false (the item dropped) once adding is complete.</summary>
    public bool Add(T item)
    {
        lock (_items)
        {
            while (_items.Count >= _capacity && !_completed)
            {
                Monitor.Wait(_items);
            }
            if (_completed)
            {
                return false;
            }
            _items.Enqueue(item);
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>Takes the next item, waiting while the queue is empty; false once it is empty and adding is complete.</summary>
    public bool Take(out T item)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed)
            {
                Monitor.Wait(_items);
            }
            if (_items.Count == 0)
            {
                item = default!;
                return false;
            }
            item = _items.Dequeue();
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>No more items: waiting adds give up, and takes return what is left, then false.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }
}
