namespace Chancery.Cli.Tests;

/// <summary>Reviews by a cleared user, and the audit trail and check that record and verify them.</summary>
public sealed class ReviewAndAuditTests : IDisposable
{
    private readonly TempArchive archive = new();

    public ReviewAndAuditTests()
    {
        Assert.Equal(0, archive.Run("ingest", Sources.SeedTelegram, "--volume", "frus1945Berlinv01").ExitCode);
        Assert.Equal(0, archive.Run("users", "add", "alice", "--clearance", "top-secret", "--controls", "PERSONAL-FOR").ExitCode);
        Assert.Equal(0, archive.Run("users", "add", "bob", "--clearance", "confidential").ExitCode);
    }

    public void Dispose() => archive.Dispose();

    [Fact]
    public void ReleasingADocumentPrintsTheDecision()
    {
        var r = archive.Run("review", "release", "frus1945Berlinv01#d578", "--excise", "2", "--reason", "railway terms", "--as", "alice");

        Assert.Equal(new CliResult(0, "frus1945Berlinv01#d578: released with 1 excision (2) by alice\n", ""), r);
    }

    [Fact]
    public void AReleasedDocumentCanBeShownToThePublic()
    {
        archive.Run("review", "release", "frus1945Berlinv01/d578", "--as", "alice");

        var r = archive.Run("show", "frus1945Berlinv01#d578");

        Assert.Equal((0, ""), (r.ExitCode, r.Err));
    }

    [Fact]
    public void AReviewerNotClearedForTheOriginalGetsTheNotFoundAnswer()
    {
        var r = archive.Run("review", "release", "frus1945Berlinv01#d578", "--as", "bob");

        Assert.Equal(new CliResult(3, "", "chancery: no document frus1945Berlinv01#d578 (see `chancery volumes` or search for it)\n"), r);
    }

    [Fact]
    public void ReadingAWithheldDocumentIsAuditedWithTheCliSurface()
    {
        archive.Run("show", "frus1945Berlinv01#d578", "--as", "alice");

        var r = archive.Run("audit", "list", "--user", "alice", "--json");

        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        var entry = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(("alice", "frus1945Berlinv01#d578", "cli"),
            (entry.GetProperty("user").GetString(), entry.GetProperty("documentId").GetString(), entry.GetProperty("surface").GetString()));
    }

    [Fact]
    public void AuditVerifyCountsTheEntries()
    {
        archive.Run("show", "frus1945Berlinv01#d578", "--as", "alice");
        var entries = System.Text.Json.JsonDocument.Parse(archive.Run("audit", "list", "--json").Out).RootElement.GetArrayLength();

        var r = archive.Run("audit", "verify");

        Assert.Equal(new CliResult(0, $"audit trail verified: {entries} entries\n", ""), r);
    }

    [Fact]
    public void CheckOfASoundArchivePrintsItsCounts()
    {
        var r = archive.Run("check");

        Assert.Equal(new CliResult(0, "archive ok: 1 volume, 1 document\n", ""), r);
    }
}
