using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>Numbering under concurrent senders: no gaps, no duplicates.</summary>
public sealed class CableConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const int PerThread = 25;

    private readonly CableWorld _world = new CableWorld().Staffed();

    public void Dispose() => _world.Dispose();

    private List<long> ReleasedDrafts(int count)
    {
        var office = _world.Office;
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var d = office.CreateDraft(new DraftContent
            {
                FromPost = "moscow",
                Action = [Addressee.Post("state")],
                Classification = ClassificationLevel.Confidential,
                Subject = "message " + i,
                Body = ["text " + i],
            }, CableWorld.Page);
            ids.Add(office.Release(d.Id, CableWorld.Harriman).Id);
        }
        return ids;
    }

    private static List<long> SendAll(IReadOnlyList<long> drafts, Func<int, ICableOffice> officeOfThread)
    {
        var serials = new System.Collections.Concurrent.ConcurrentBag<long>();
        var threads = Enumerable.Range(0, Threads).Select(n => new Thread(() =>
        {
            var office = officeOfThread(n);
            foreach (var id in drafts.Skip(n * PerThread).Take(PerThread))
            {
                serials.Add(office.Send(id, CableWorld.Clerk).Number.Serial);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return serials.Order().ToList();
    }

    [Fact]
    public void Eight_senders_each_with_its_own_archive_connection_get_gap_free_unique_serials()
    {
        _world.Office.SetNextSerial("moscow", 120015, "admin");
        var drafts = ReleasedDrafts(Threads * PerThread);
        var archives = Enumerable.Range(0, Threads).Select(_ => SqliteArchive.Open(_world.Folder)).ToList();
        try
        {
            var serials = SendAll(drafts, n => archives[n]);
            Assert.Equal(Enumerable.Range(120015, Threads * PerThread).Select(i => (long)i).ToList(), serials);
        }
        finally
        {
            archives.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public void Eight_senders_sharing_one_archive_get_gap_free_unique_serials()
    {
        var drafts = ReleasedDrafts(Threads * PerThread);
        var serials = SendAll(drafts, _ => _world.Office);
        Assert.Equal(Enumerable.Range(1, Threads * PerThread).Select(i => (long)i).ToList(), serials);
    }

    [Fact]
    public void Concurrent_sends_queue_exactly_one_delivery_each()
    {
        var drafts = ReleasedDrafts(Threads * PerThread);
        SendAll(drafts, _ => _world.Office);
        Assert.Equal(Threads * PerThread, _world.Office.QueueStatus().PendingDeliveries[Precedence.Routine]);
    }

    [Fact]
    public void The_audit_chain_verifies_after_concurrent_sends_some_of_which_fail_in_the_same_commits()
    {
        var drafts = ReleasedDrafts(Threads * PerThread);
        var refused = 0;
        var threads = Enumerable.Range(0, Threads).Select(n => new Thread(() =>
        {
            foreach (var id in drafts.Skip(n * PerThread).Take(PerThread))
            {
                _world.Office.Send(id, CableWorld.Clerk);
                try
                {
                    // sent already: this job fails and is rolled back inside a batch shared with the others
                    _world.Office.Send(id, CableWorld.Clerk);
                }
                catch (ArchiveException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var sentLines = _world.Archive.ListAudit(null, null, 10_000).Count(e => e.Action == "cable sent");
        Assert.Equal((Threads * PerThread, Threads * PerThread, true), (refused, sentLines, _world.Archive.VerifyAudit().Ok));
    }

    [Fact]
    public void The_background_deliverer_delivers_and_files_everything()
    {
        var drafts = ReleasedDrafts(40);
        foreach (var id in drafts)
        {
            _world.Office.Send(id, CableWorld.Clerk);
        }
        using (var deliverer = new CableDeliverer(_world.Office))
        {
            Assert.True(deliverer.WaitIdle(TimeSpan.FromSeconds(60)));
        }
        Assert.Equal((40, 40), (_world.Office.Inbox(CableWorld.Dunn, limit: 1000).Count, _world.Archive.Check().Documents));
    }
}
