namespace Chancery.Cli.Tests;

/// <summary>show, export and volumes over an archive holding the seed telegram.</summary>
public sealed class ReadCommandTests : IDisposable
{
    private const string NotFoundTemplate = "chancery: no document {0} (see `chancery volumes` or search for it)\n";

    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    /// <summary>The seed as ingested without --released: withheld at its printed marking (top secret).</summary>
    private void IngestSeedWithheld() =>
        Assert.Equal(0, archive.Run("ingest", Sources.SeedTelegram, "--volume", "frus1945Berlinv01").ExitCode);

    private void IngestSeedReleased() =>
        Assert.Equal(0, archive.Run("ingest", Sources.SeedTelegram, "--volume", "frus1945Berlinv01", "--released").ExitCode);

    [Fact]
    public void ShowOfAMissingDocumentSaysNotFoundWithExitCode3()
    {
        IngestSeedWithheld();

        var r = archive.Run("show", "frus1945Berlinv01#d999");

        Assert.Equal(new CliResult(3, "", string.Format(NotFoundTemplate, "frus1945Berlinv01#d999")), r);
    }

    [Fact]
    public void ShowOfAWithheldDocumentForThePublicSaysNotFoundWithExitCode3()
    {
        IngestSeedWithheld();

        var r = archive.Run("show", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(3, "", string.Format(NotFoundTemplate, "frus1945Berlinv01#d578")), r);
    }

    [Fact]
    public void ShowAnswersMissingAndWithheldAlikeApartFromTheId()
    {
        IngestSeedWithheld();

        var missing = archive.Run("show", "frus1945Berlinv01#d999");
        var withheld = archive.Run("show", "frus1945Berlinv01#d578");

        Assert.Equal(missing with { Err = missing.Err.Replace("d999", "ID") }, withheld with { Err = withheld.Err.Replace("d578", "ID") });
    }

    [Fact]
    public void ExportAnswersMissingAndWithheldAlikeApartFromTheId()
    {
        IngestSeedWithheld();

        var missing = archive.Run("export", "frus1945Berlinv01#d999", "--format", "json");
        var withheld = archive.Run("export", "frus1945Berlinv01#d578", "--format", "json");

        Assert.Equal(new CliResult(3, "", string.Format(NotFoundTemplate, "frus1945Berlinv01#ID")), missing with { Err = missing.Err.Replace("d999", "ID") });
        Assert.Equal(new CliResult(3, "", string.Format(NotFoundTemplate, "frus1945Berlinv01#ID")), withheld with { Err = withheld.Err.Replace("d578", "ID") });
    }

    [Fact]
    public void AClearedReaderSeesTheWithheldDocument()
    {
        IngestSeedWithheld();
        archive.Run("users", "add", "alice", "--clearance", "top-secret", "--controls", "PERSONAL-FOR");

        var r = archive.Run("export", "frus1945Berlinv01#d578", "--format", "json", "--as", "alice");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"id\": \"frus1945Berlinv01#d578\"", r.Out);
    }

    [Fact]
    public void ShowAcceptsTheUrlFormOfAnId()
    {
        IngestSeedReleased();

        var slash = archive.Run("export", "frus1945Berlinv01/d578", "--format", "json");
        var hash = archive.Run("export", "frus1945Berlinv01#d578", "--format", "json");

        Assert.Equal(hash, slash);
    }

    [Fact]
    public void ExportJsonIsTheDocumentJsonOfWhatThePublicMaySee()
    {
        IngestSeedReleased();

        var r = archive.Run("export", "frus1945Berlinv01#d578", "--format", "json");

        var document = Chancery.Core.Export.DocumentJson.Deserialize(r.Out);
        Assert.Equal(("frus1945Berlinv01#d578", "578", "Telegram"), (document.Id, document.Number, document.Type));
    }

    [Fact]
    public void VolumesJsonIsAnArrayOfIdTitleCountAndDateRange()
    {
        IngestSeedReleased();

        var r = archive.Run("volumes", "--json");

        Assert.Equal(new CliResult(0, """
            [
              {
                "id": "frus1945Berlinv01",
                "title": "frus1945Berlinv01",
                "documentCount": 1,
                "dateFrom": "1945-07-13",
                "dateTo": "1945-07-13"
              }
            ]

            """, ""), r);
    }

    [Fact]
    public void ShowLaysTheDocumentOutAtWidth100WhenNotOnATerminal()
    {
        IngestSeedReleased();
        var document = Chancery.Core.Export.DocumentJson.Deserialize(archive.Run("export", "frus1945Berlinv01#d578", "--format", "json").Out);

        var r = archive.Run("show", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(0, Chancery.Core.Export.TextExporter.WriteTerminal(document, 100), ""), r);
    }
}
