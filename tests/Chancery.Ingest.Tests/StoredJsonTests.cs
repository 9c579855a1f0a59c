using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Documents;
using Chancery.Core.Export;

namespace Chancery.Ingest.Tests;

/// <summary>
/// The archive stores documents through <see cref="StoredDocumentWriter"/>, which must write exactly the bytes the
/// general serialiser writes with <see cref="DocumentJson.Stored"/>: stored documents read back with it, and their
/// hashes are taken over these bytes.
/// </summary>
public sealed class StoredJsonTests
{
    private static string Serialiser(Document d) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(d, DocumentJson.Stored));

    private static string Writer(Document d) => Encoding.UTF8.GetString(StoredDocumentWriter.ToUtf8(d));

    [Fact]
    public void The_seed_is_written_as_the_serialiser_writes_it()
    {
        Assert.Equal(Serialiser(TelegramFixtures.Seed), Writer(TelegramFixtures.Seed));
    }

    [Fact]
    public void The_seed_is_stored_as_the_bytes_archives_already_hold()
    {
        // pinned, not compared with the serialiser: archives written before a change must read and hash the same
        var bytes = StoredDocumentWriter.ToUtf8(TelegramFixtures.Seed);
        Assert.Equal((5066, "78e6b2bd8b001d23ff30d81ce3246f0085728133f6be82bef1bf6135fe8bb6f6"), (bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    [Fact]
    public void Every_document_of_the_six_volumes_is_written_as_the_serialiser_writes_it()
    {
        var differing = new List<string>();
        var count = 0;
        foreach (var file in Directory.GetFiles(TeiCorpus.SmallFolder, "*.xml").Order(StringComparer.Ordinal))
        {
            foreach (var d in TeiCorpus.Documents(Path.GetFileNameWithoutExtension(file)))
            {
                count++;
                if (Serialiser(d) != Writer(d))
                {
                    differing.Add(d.Id);
                }
            }
        }
        Assert.Equal(2041, count);
        Assert.Empty(differing);
    }

    [Fact]
    public void Every_kind_of_run_and_block_and_every_null_is_written_as_the_serialiser_writes_it()
    {
        var excision = new Excision("[1 paragraph (3 lines) not declassified]", "paragraph", 1, 3, false);
        var d = new Document
        {
            Id = "frusTest#d1",
            Volume = "frusTest",
            Number = null,
            Type = "Telegram",
            Title = "Quotes \" and \\ backslashes, tabs\t, <angle> & \u2013 dashes, \u00e9, \U0001F600",
            Head = [new TextRun("Head"), new FootnoteMark("1"), new LineBreak()],
            From = null,
            To = "the Secretary",
            Date = new DocumentDate("1948-12-30T16:00", "1948-12-31", DatePrecision.Minute, DateSource.Sent, "+05:00"),
            Place = null,
            FileNumbers = ["890F.7962/12\u20131848", ""],
            Classification = "top secret",
            Captions = ["Eyes only"],
            Channel = null,
            SourceNote = "890F.7962/12\u20131848: Telegram",
            Body =
            [
                new Paragraph([
                    new TextRun("Text "),
                    new EditorialMark("[be?]"),
                    new ExcisionMark(new Excision("[name not declassified]", "name", null, null, false)),
                    new PersonMention("Harriman", "p_HWA1"),
                    new PersonMention("Someone", null),
                    new TermMention("SAG", "t_SAG1"),
                    new ReferenceMark("document No. 577", "frus1945Berlinv01#d577"),
                    new PageBreakMark("864"),
                    new LineBreak(),
                    new ExcisedText("cut words"),
                ], "closer", Excised: true),
                new Paragraph([], null),
                new PageBreak("865"),
                new ExcisionBlock(excision),
            ],
            Footnotes = [new Footnote("1", [new TextRun("Not printed.")]), new Footnote("2", [])],
            References =
            [
                new Reference(ReferenceKind.Telegram, "647", "Legtels 647", "body"),
                new Reference(ReferenceKind.External, "http://example.org", "x", "footnote 1", "1948-12-18"),
            ],
            Persons = [new PersonRef("p_HWA1", "Harriman, W. Averell"), new PersonRef(null, "Someone")],
            Terms = ["t_SAG1"],
            Signed = "Lovett",
            TelegramNumber = "482",
            Page = "263",
            SourceSha256 = new string('a', 64),
            Marking = new Marking(ClassificationLevel.LimitedOfficialUse, ["NODIS", "EXDIS"]),
            Release = ReleaseState.PendingReview,
            Pending = true,
            HeadExcisions = [excision, new Excision("[text not declassified]", "text", null, null, true)],
        };
        Assert.Equal(Serialiser(d), Writer(d));
    }

    [Fact]
    public void A_document_with_only_its_required_fields_is_written_as_the_serialiser_writes_it()
    {
        var d = new Document { Id = "v#d1", Volume = "v", Type = "Document", Title = "", SourceSha256 = "" };
        Assert.Equal(Serialiser(d), Writer(d));
    }

    [Fact]
    public void Written_bytes_read_back_as_the_same_document()
    {
        var d = TeiCorpus.Document("frus1948v05p1", "d202");
        var back = DocumentJson.Deserialize(StoredDocumentWriter.ToUtf8(d));
        Assert.Equal(DocumentJson.Serialize(d), DocumentJson.Serialize(back));
    }
}
