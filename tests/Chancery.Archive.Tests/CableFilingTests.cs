using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>
/// Filing in batches: the per-year volume row is written when the volume is new, marked stale by later batches and
/// brought level once filing catches up, so that it is not rebuilt from the whole year after every batch.
/// </summary>
public sealed class CableFilingTests : IDisposable
{
    private static readonly DateTimeOffset July13 = new(1945, 7, 13, 14, 0, 0, CableWorld.Moscow);

    private readonly CableWorld _world = new CableWorld().Staffed();

    private ICableOffice Office => _world.Office;

    public void Dispose() => _world.Dispose();

    // three telegrams sent and delivered, none filed yet
    private List<Telegram> SentAndDelivered()
    {
        var sent = new List<Telegram>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(_world.SendFromMoscow(new DraftContent
            {
                FromPost = "moscow",
                Action = [Addressee.Post("state")],
                Classification = ClassificationLevel.Secret,
                Subject = "Soong–Stalin conversations " + i,
                SubjectCode = "761.93",
                Body = ["Soong saw Stalin and Molotov again last night."],
            }, July13.AddMinutes(i)));
        }
        while (Office.DeliverPending() > 0)
        {
        }
        return sent;
    }

    [Fact]
    public void A_full_batch_into_an_existing_volume_leaves_its_row_stale()
    {
        SentAndDelivered();
        Office.FilePending(1); // the volume is new: its row is written
        Office.FilePending(1); // a full batch: more may follow, so the row waits

        var status = Office.QueueStatus();

        Assert.Equal((1, 1, false), (status.Unfiled, status.StaleVolumes, status.Settled));
    }

    [Fact]
    public void Catching_up_brings_the_volume_row_level_with_every_filed_telegram()
    {
        var sent = SentAndDelivered();
        var batches = new List<int>();
        int n;
        while ((n = Office.FilePending(1)) > 0)
        {
            batches.Add(n);
        }

        var volume = _world.Archive.GetVolume("cables1945", ReaderIdentity.System)!;
        var report = _world.Archive.Check();

        Assert.Equal([1, 1, 1], batches);
        Assert.Equal(sent.Select(t => t.DocumentId), volume.Contents.Select(e => e.DocumentId));
        Assert.Equal((true, 3, 0), (report.Ok, report.Documents, Office.QueueStatus().StaleVolumes));
    }

    [Fact]
    public void A_batch_that_empties_the_queue_refreshes_the_row_in_its_own_transaction()
    {
        SentAndDelivered();
        Office.FilePending(1);

        Office.FilePending(5);

        Assert.Equal((0, 0, true), (Office.QueueStatus().Unfiled, Office.QueueStatus().StaleVolumes, _world.Archive.Check().Ok));
    }
}
