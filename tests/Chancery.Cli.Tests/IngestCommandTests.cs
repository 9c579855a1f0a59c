using System.Text.RegularExpressions;

namespace Chancery.Cli.Tests;

public sealed class IngestCommandTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    [Fact]
    public void TelegramTextWithoutAVolumeIsRefusedBeforeAnythingIsStored()
    {
        var r = archive.Run("ingest", Sources.SeedTelegram);

        Assert.Equal(new CliResult(2, "", $"chancery: telegram text needs --volume ID ({Sources.SeedTelegram} is telegram text)\n"), r);
    }

    [Fact]
    public void AMalformedXmlFileIsReportedAsFileLineColumnAndExitsWith1()
    {
        var bad = archive.WriteFile("bad.xml", "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n  <text>\n</TEI>\n");

        var r = archive.Run("ingest", bad, Sources.SeedTelegram, "--volume", "frus1945Berlinv01");

        Assert.Equal((1, $"{bad}:3:3: malformed XML: The 'text' start tag on line 2 position 4 does not match the end tag of 'TEI' (fix the markup at this point; a volume must be well-formed XML)\n"),
            (r.ExitCode, r.Err));
    }

    [Fact]
    public void AGoodFileInTheSameRunAsAMalformedOneIsStored()
    {
        var bad = archive.WriteFile("bad.xml", "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n  <text>\n</TEI>\n");
        archive.Run("ingest", bad, Sources.SeedTelegram, "--volume", "frus1945Berlinv01", "--released");

        var r = archive.Run("volumes");

        Assert.Equal("""
            VOLUME             DOCUMENTS  DATES       TITLE
            frus1945Berlinv01          1  1945-07-13  frus1945Berlinv01

            """, r.Out);
    }

    [Fact]
    public void AFileWithADoctypeIsRefused()
    {
        var doctype = archive.WriteFile("doctype.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [<!ENTITY boom \"boom\">]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"/>\n");

        var r = archive.Run("ingest", doctype);

        // the position is the XML parser's; the test pins the refusal, its one-line form and the exit code
        Assert.Equal(1, r.ExitCode);
        Assert.Matches($@"^{Regex.Escape(doctype)}:\d+:\d+: DOCTYPE declarations are not allowed \(they can pull in outside files or expand entities\); remove the DOCTYPE\n$", r.Err);
    }

    [Fact]
    public void IngestPrintsOneLinePerVolumeAndASummary()
    {
        var r = archive.Run("ingest", Sources.SeedTelegram, "--volume", "frus1945Berlinv01");

        Assert.Matches(@"^frus1945Berlinv01: 1 document, 0\.0 MB, \d+\.\d MB/s\ningested 1 volume, 1 document, 0\.0 MB in \d+\.\d s \(\d+\.\d MB/s\)\n$", r.Out);
    }

    [Fact]
    public void AMalformedNewVersionOfAVolumeLeavesTheStoredVersionReadable()
    {
        archive.Run("ingest", Repository.SampleVolume);
        var before = archive.Run("volumes", "--json");
        var text = File.ReadAllText(Repository.SampleVolume);
        var truncated = archive.WriteFile("truncated.xml", text[..(text.Length * 2 / 3)]);

        var failed = archive.Run("ingest", truncated);

        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(before, archive.Run("volumes", "--json"));
    }

    [Fact]
    public void AFolderIsIngestedAsItsXmlAndTextFiles()
    {
        var folder = Path.Combine(archive.Root, "sources");
        Directory.CreateDirectory(folder);
        File.Copy(Repository.SampleVolume, Path.Combine(folder, "a.xml"));
        File.Copy(Sources.SeedTelegram, Path.Combine(folder, "b.txt"));
        File.WriteAllText(Path.Combine(folder, "notes.md"), "not a source");

        archive.Run("ingest", folder, "--volume", "frus1945Berlinv01", "--released");

        Assert.Equal("frus-sample-1945,frus1945Berlinv01", string.Join(",",
            System.Text.Json.JsonDocument.Parse(archive.Run("volumes", "--json").Out).RootElement.EnumerateArray().Select(v => v.GetProperty("id").GetString())));
    }
}
