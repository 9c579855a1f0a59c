using Chancery.Archive.Cables;
using System.Text.RegularExpressions;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>A clock a test sets by hand: replays send and deliver at the times the record gives.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>
/// The posts and people of July 1945 in a fresh embedded archive: Embassy Moscow (Harriman), the Department
/// (Byrnes, and Dunn who holds top secret but is named in nothing), the White House Map Room (the President,
/// with Elsey as his designee) and the Naval Attaché Moscow as the Navy relay.
/// </summary>
internal sealed class CableWorld : IDisposable
{
    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);
    public static readonly TimeSpan Washington = TimeSpan.FromHours(-4); // Eastern War Time

    private readonly DirectoryInfo _folder;

    public CableWorld(DirectoryInfo? folder = null)
    {
        _folder = folder ?? Directory.CreateTempSubdirectory("chancery-cables-test-");
        Archive = SqliteArchive.Open(_folder.FullName);
        Clock = new ManualClock(new DateTimeOffset(1945, 7, 1, 9, 0, 0, Moscow));
        Archive.CableClock = Clock;
    }

    public SqliteArchive Archive { get; private set; }

    public ICableOffice Office => Archive;

    public ManualClock Clock { get; }

    public string Folder => _folder.FullName;

    public static ReaderIdentity Harriman { get; } = Id("harriman", ClassificationLevel.TopSecret, "PERSONAL-FOR");
    public static ReaderIdentity Page { get; } = Id("page", ClassificationLevel.TopSecret);
    public static ReaderIdentity Kennan { get; } = Id("kennan", ClassificationLevel.TopSecret);
    public static ReaderIdentity Clerk { get; } = Id("clerk", ClassificationLevel.TopSecret);
    public static ReaderIdentity Truman { get; } = Id("truman", ClassificationLevel.TopSecret, "PERSONAL-FOR");
    public static ReaderIdentity Elsey { get; } = Id("elsey", ClassificationLevel.TopSecret, "PERSONAL-FOR");
    public static ReaderIdentity Byrnes { get; } = Id("byrnes", ClassificationLevel.TopSecret, "PERSONAL-FOR");
    public static ReaderIdentity Dunn { get; } = Id("dunn", ClassificationLevel.TopSecret);
    public static ReaderIdentity Grew { get; } = Id("grew", ClassificationLevel.TopSecret, "PERSONAL-FOR");
    public static ReaderIdentity Clerk2 { get; } = Id("clerk2", ClassificationLevel.Confidential);

    private static ReaderIdentity Id(string name, ClassificationLevel level, params string[] controls) =>
        new(name, false, level, new HashSet<string>(controls, StringComparer.Ordinal));

    /// <summary>Adds the users, posts, members and routes.</summary>
    public CableWorld Staffed()
    {
        foreach (var u in new[] { Harriman, Page, Kennan, Clerk, Truman, Elsey, Byrnes, Dunn, Grew, Clerk2 })
        {
            Archive.AddUser(new UserAccount(u.Name, u.Clearance, u.Controls.ToList(), DateTimeOffset.UnixEpoch));
        }
        Office.AddPost(new Post("moscow", "Embassy Moscow", "Moscow", "MOSCOW", Moscow), "admin");
        Office.AddPost(new Post("state", "Department of State", "Washington", "STATE", Washington), "admin");
        Office.AddPost(new Post("maproom", "White House Map Room", "Washington", "MAP ROOM", Washington), "admin");
        Office.AddPost(new Post("navmoscow", "Naval Attaché Moscow", "Moscow", "ALUSNA MOSCOW", Moscow), "admin");
        Office.AddMember(new PostMember("moscow", "harriman", CableRole.Principal, Title: "the Ambassador in the Soviet Union"), "admin");
        Office.AddMember(new PostMember("moscow", "harriman", CableRole.Approver), "admin");
        Office.AddMember(new PostMember("moscow", "page", CableRole.Drafter), "admin");
        Office.AddMember(new PostMember("moscow", "kennan", CableRole.Clearer, Office: "POL"), "admin");
        Office.AddMember(new PostMember("moscow", "clerk", CableRole.CommunicationsClerk), "admin");
        Office.AddMember(new PostMember("moscow", "clerk2", CableRole.CommunicationsClerk), "admin");
        Office.AddMember(new PostMember("maproom", "truman", CableRole.Principal, Title: "the President"), "admin");
        Office.AddMember(new PostMember("maproom", "elsey", CableRole.Drafter), "admin");
        Office.AddMember(new PostMember("state", "byrnes", CableRole.Principal, Title: "the Secretary of State"), "admin");
        Office.AddMember(new PostMember("state", "byrnes", CableRole.Approver), "admin");
        Office.AddMember(new PostMember("state", "dunn", CableRole.Drafter), "admin");
        Office.AddMember(new PostMember("state", "grew", CableRole.Drafter), "admin");
        Office.AddMember(new PostMember("state", "clerk", CableRole.CommunicationsClerk), "admin");
        Office.SetRoute(new ChannelRoute("moscow", CableChannel.Navy, "the United States Naval Attaché, Moscow"), "admin");
        Office.Designate("truman", "elsey", "admin");
        return this;
    }

    /// <summary>A draft from Moscow, drafted by Page with the POL clearance, cleared, released and sent at <paramref name="at"/>.</summary>
    public Telegram SendFromMoscow(DraftContent content, DateTimeOffset at, CableChannel? channel = null)
    {
        Clock.Now = at.AddHours(-2);
        var draft = Office.CreateDraft(content, Page);
        Clock.Now = at.AddHours(-1);
        if (content.RequiredClearances.Count > 0)
        {
            Office.Clear(draft.Id, "POL", Kennan);
        }
        Office.Release(draft.Id, Harriman);
        return Office.Send(draft.Id, Clerk, new SendOptions(channel, at));
    }

    /// <summary>Delivers everything at <paramref name="at"/> and files it.</summary>
    public void DeliverAll(DateTimeOffset at)
    {
        Clock.Now = at;
        while (Office.DeliverPending() > 0)
        {
        }
        while (Office.FilePending() > 0)
        {
        }
    }

    /// <summary>
    /// The traffic of July 11–13, 1945: MOSCOW 120015 and 120755 (Harriman's reports on the Soong–Stalin talks,
    /// secret, to the Department), then the seed telegram citing both, top secret, personal for the President and
    /// the Secretary of State, via Navy channels, its text from the seed file.
    /// </summary>
    public (Telegram First, Telegram Second, Telegram Seed) ReplaySeedTraffic()
    {
        Office.SetNextSerial("moscow", 120015, "admin");
        var first = SendFromMoscow(new DraftContent
        {
            FromPost = "moscow",
            Action = [Addressee.Post("state")],
            Classification = ClassificationLevel.Secret,
            Precedence = Precedence.Priority,
            Subject = "Soong–Stalin conversations",
            SubjectCode = "761.93",
            Body = ["Soong outlined to Stalin and Molotov the concessions he is authorized to make on the railroads and the Port of Dairen."],
            Signature = "Harriman",
            RequiredClearances = ["POL"],
        }, new DateTimeOffset(1945, 7, 11, 23, 0, 0, Moscow));
        DeliverAll(new DateTimeOffset(1945, 7, 11, 22, 30, 0, Washington));
        Office.SetNextSerial("moscow", 120755, "admin");
        var second = SendFromMoscow(new DraftContent
        {
            FromPost = "moscow",
            Action = [Addressee.Post("state")],
            Classification = ClassificationLevel.Secret,
            Precedence = Precedence.Priority,
            Subject = "Soong–Stalin conversations",
            SubjectCode = "761.93",
            Body = ["Further on Soong's talks with Stalin: the management of the Chinese Eastern and South Manchurian railroads."],
            Signature = "Harriman",
            RequiredClearances = ["POL"],
        }, new DateTimeOffset(1945, 7, 12, 20, 0, 0, Moscow));
        DeliverAll(new DateTimeOffset(1945, 7, 12, 18, 0, 0, Washington));
        var seed = SendFromMoscow(new DraftContent
        {
            FromPost = "moscow",
            Action = [Addressee.Individual("truman"), Addressee.Individual("byrnes")],
            Classification = ClassificationLevel.TopSecret,
            Captions = [CableCaptions.PersonalFor],
            PersonalFor = ["truman", "byrnes"],
            Precedence = Precedence.Immediate,
            Subject = "Soong–Stalin conversations",
            SubjectCode = "761.93",
            References = [first.Number, second.Number],
            Body = SeedParagraphs(),
            Signature = "Harriman",
            RequiredClearances = ["POL"],
        }, new DateTimeOffset(1945, 7, 13, 14, 0, 0, Moscow), CableChannel.Navy);
        DeliverAll(new DateTimeOffset(1945, 7, 13, 21, 0, 0, Washington));
        return (first, second, seed);
    }

    /// <summary>The seed telegram's body paragraphs, without the page line and with the footnote anchor dropped.</summary>
    public static IReadOnlyList<string> SeedParagraphs()
    {
        var lines = File.ReadAllLines(Path.Combine(SharedFolder(), "seed", "000_6fedf52d67ff56bc.txt"));
        var start = Array.FindIndex(lines, l => l.StartsWith("Soong saw Stalin", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.TrimStart().StartsWith("1. Sent by", StringComparison.Ordinal));
        return lines[start..end]
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !Regex.IsMatch(l, @"^\[Page \d+\]$"))
            .Select(l => l.Replace("July 11–122)", "July 11–12)", StringComparison.Ordinal))
            .ToList();
    }

    public static string SharedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(shared, "corpus")))
            {
                return shared;
            }
        }
        throw new InvalidOperationException($"no shared/corpus folder above {AppContext.BaseDirectory}");
    }

    /// <summary>Closes and opens the archive again, as after a crash or a restart.</summary>
    public void Reopen()
    {
        Archive.Dispose();
        Archive = SqliteArchive.Open(_folder.FullName);
        Archive.CableClock = Clock;
    }

    public void Dispose()
    {
        Archive.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
