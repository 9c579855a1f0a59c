using Chancery.Core.Documents;
using Chancery.Core.Export;
using Chancery.Ingest.Tei;
using static Chancery.Ingest.Tests.TelegramFixtures;

namespace Chancery.Ingest.Tests;

/// <summary>The TEI export read back by the TEI volume reader, wrapped in a minimal FRUS volume.</summary>
public sealed class TelegramTeiExportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chancery-tei-export-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private Document ReadBack(Document d)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, d.Volume + ".xml");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{d.Volume}">
              <teiHeader>
                <fileDesc>
                  <titleStmt><title type="complete">Chancery export</title></titleStmt>
                  <publicationStmt><idno type="frus">{d.Volume}</idno></publicationStmt>
                  <sourceDesc><p>Exported by Chancery.</p></sourceDesc>
                </fileDesc>
              </teiHeader>
              <text>
                <body>
                  <div type="compilation" xml:id="comp1">
                    <head>Exported documents</head>
            {TeiExporter.Write(d)}
                  </div>
                </body>
              </text>
            </TEI>
            """);
        using var reader = TeiVolumeReader.Open(path);
        return Assert.Single(reader.ReadDocuments().ToList());
    }

    [Fact]
    public void Seed_reads_back_the_same_through_TEI() => Assert.Empty(RoundTrip.Differences(Seed, ReadBack(Seed)));

    [Fact]
    public void Seed_keeps_its_head_footnote_through_TEI() =>
        Assert.Equal(Seed.Head, ReadBack(Seed).Head);

    [Fact]
    public void Seed_keeps_its_document_reference_through_TEI() =>
        Assert.Contains((ReferenceKind.Document, "frus1945Berlinv01#d577", "footnote 2"), ReadBack(Seed).References.Select(r => (r.Kind, r.Target, r.Where)));

    [Fact]
    public void Dateline_and_signature_read_back_through_TEI()
    {
        var d = Read("""
            761.93/7–1345: Telegram

            No. 580
            The Ambassador in the Soviet Union (Harriman) to the Secretary of State

            Moscow, July 13, 1945—5 p.m.
            secret

            Soong saw Stalin.

            Harriman
            """, SeedVolume);
        var back = ReadBack(d);
        Assert.Equal((d.Place, d.Date, d.Signed), (back.Place, back.Date, back.Signed));
    }
}
