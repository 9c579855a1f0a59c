using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;

namespace Chancery.Archive.Tests;

/// <summary>Small documents and volumes written for the archive tests.</summary>
internal static class TestDocuments
{
    public static Document Make(string volume, int n, string title, params string[] paragraphs) => new()
    {
        Id = DocumentIds.Make(volume, "d" + n),
        Volume = volume,
        Number = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Type = "Telegram",
        Title = title,
        From = "The Ambassador in the Soviet Union (Harriman)",
        To = "the Secretary of State",
        Date = DocumentDate.FromIso($"1945-07-{10 + n % 20:00}", DateSource.Dateline),
        Body = paragraphs.Select(p => (Block)new Paragraph([new TextRun(p)])).ToList(),
        SourceSha256 = "test",
    };

    public static Document Withheld(Document d, ClassificationLevel level, params string[] controls) =>
        d with { Classification = Markings.Printed(level), Marking = new Marking(level, controls), Release = ReleaseState.Withheld };

    public static Volume VolumeOf(string id, params Document[] docs) => new()
    {
        Id = id,
        Title = "Test volume " + id,
        SourceKind = "tei",
        SourceSha256 = "test",
        Contents = docs.Select(d => new TocEntry(1, "document", d.LocalId, d.Number, d.Title, d.Id, d.Date?.From)).ToList(),
    };

    public static void Store(IArchive archive, string volume, params Document[] docs) =>
        archive.IngestVolume(docs, () => VolumeOf(volume, docs));

    public static UserAccount User(string name, ClassificationLevel level, params string[] controls) =>
        new(name, level, controls, DateTimeOffset.UnixEpoch);
}
