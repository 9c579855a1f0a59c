namespace Chancery.Archive.Tests;

/// <summary>The bounded queue between an ingest's threads (reader, store, index).</summary>
public sealed class HandOffTests
{
    [Fact]
    public void Items_come_out_in_order_then_take_is_false_once_adding_is_complete()
    {
        var queue = new HandOff<int>(4);
        queue.Add(1);
        queue.Add(2);
        queue.CompleteAdding();
        var taken = new List<int>();
        while (queue.Take(out var item))
        {
            taken.Add(item);
        }
        Assert.Equal([1, 2], taken);
    }

    [Fact]
    public void An_add_after_adding_is_complete_is_refused()
    {
        var queue = new HandOff<int>(4);
        queue.CompleteAdding();
        Assert.False(queue.Add(1));
    }

    [Fact]
    public void An_add_to_a_full_queue_waits_for_a_take()
    {
        var queue = new HandOff<int>(1);
        queue.Add(1);
        var adding = new Thread(() => queue.Add(2));
        adding.Start();
        // still waiting: the queue holds one item
        Assert.False(adding.Join(200));
        queue.Take(out var first);
        Assert.True(adding.Join(10_000));
        queue.Take(out var second);
        Assert.Equal((1, 2), (first, second));
    }

    [Fact]
    public void A_waiting_add_gives_up_when_adding_is_completed()
    {
        var queue = new HandOff<int>(1);
        queue.Add(1);
        var added = true;
        var adding = new Thread(() => added = queue.Add(2));
        adding.Start();
        Assert.False(adding.Join(200));
        queue.CompleteAdding();
        adding.Join(10_000);
        Assert.False(added);
    }
}
