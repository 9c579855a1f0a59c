using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>
/// The cable writer keeps posts, people and routes from batch to batch; a change to them, through the cable office
/// or through another connection, applies to the very next send.
/// </summary>
public sealed class CableLookupTests : IDisposable
{
    private static readonly DateTimeOffset July13 = new(1945, 7, 13, 14, 0, 0, CableWorld.Moscow);

    private readonly CableWorld _world = new CableWorld().Staffed();

    private ICableOffice Office => _world.Office;

    public void Dispose() => _world.Dispose();

    private long Released()
    {
        var draft = Office.CreateDraft(new DraftContent
        {
            FromPost = "moscow",
            Action = [Addressee.Post("state")],
            Classification = ClassificationLevel.Secret,
            Subject = "Soong–Stalin conversations",
            SubjectCode = "761.93",
            Body = ["Soong saw Stalin and Molotov again last night."],
        }, CableWorld.Page);
        return Office.Release(draft.Id, CableWorld.Harriman).Id;
    }

    [Fact]
    public void A_clerk_whose_role_was_removed_may_no_longer_send()
    {
        Office.Send(Released(), CableWorld.Clerk, new SendOptions(At: July13));
        var next = Released();
        Office.RemoveMember("moscow", "clerk", CableRole.CommunicationsClerk, "admin");

        var e = Assert.Throws<ArchiveException>(() => Office.Send(next, CableWorld.Clerk, new SendOptions(At: July13)));

        Assert.Equal($"no draft {next} that you may see", e.Message);
    }

    [Fact]
    public void A_clerk_whose_clearance_was_lowered_elsewhere_may_no_longer_send_a_secret_telegram()
    {
        Office.Send(Released(), CableWorld.Clerk, new SendOptions(At: July13));
        var next = Released();
        // the users table is written by the archive's own connection, not the cable writer's
        _world.Archive.RemoveUser("clerk");
        _world.Archive.AddUser(new UserAccount("clerk", ClassificationLevel.Confidential, [], DateTimeOffset.UnixEpoch));

        var e = Assert.Throws<ArchiveException>(() => Office.Send(next, CableWorld.Clerk, new SendOptions(At: July13)));

        Assert.Equal($"no draft {next} that you may see", e.Message);
    }
}
