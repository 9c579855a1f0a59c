using System.Runtime.ExceptionServices;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Runs the parts of one search's work on the calling thread and at most one helper from the thread pool, each part
/// taken by whichever thread is free. The caller never waits for a helper that has not started: it takes every part
/// left itself, so a search is not slower for the split when the other core is busy (or there is none).
/// </summary>
internal static class WorkSplit
{
    /// <summary>Runs <paramref name="part"/> for 0 … <paramref name="count"/> − 1, on two cores when <paramref name="split"/>.</summary>
    public static void Run(int count, Action<int> part, bool split)
    {
        if (!split || count < 2 || Environment.ProcessorCount < 2)
        {
            for (var i = 0; i < count; i++)
            {
                part(i);
            }
            return;
        }
        var shared = new Shared(count, part);
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Help(), shared, preferLocal: false);
        try
        {
            shared.Work();
        }
        catch
        {
            shared.Stop();
            throw;
        }
        finally
        {
            // the helper may still be in a part that reads what the caller gives back after this
            shared.Finish();
        }
        shared.Rethrow();
    }

    private sealed class Shared(int count, Action<int> part)
    {
        private const int NotStarted = 0;
        private const int Working = 1;
        private const int Done = 2;
        private const int NotNeeded = 3;
        private readonly object _gate = new();
        private int _next = -1;
        private int _helper;
        private ExceptionDispatchInfo? _failed;

        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                part(i);
            }
        }

        public void Stop() => Volatile.Write(ref _next, count);

        public void Help()
        {
            if (Interlocked.CompareExchange(ref _helper, Working, NotStarted) != NotStarted)
            {
                return;
            }
            try
            {
                Work();
            }
            catch (Exception e)
            {
                _failed = ExceptionDispatchInfo.Capture(e);
                Stop();
            }
            finally
            {
                lock (_gate)
                {
                    _helper = Done;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>Waits for the helper if it started; one that has not will find nothing to do.</summary>
        public void Finish()
        {
            if (Interlocked.CompareExchange(ref _helper, NotNeeded, NotStarted) == NotStarted)
            {
                return;
            }
            lock (_gate)
            {
                while (_helper != Done)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        public void Rethrow() => _failed?.Throw();
    }
}
