namespace Chancery.Cli.Tests;

public sealed class SearchCommandTests : IDisposable
{
    private readonly TempArchive archive = new();

    public SearchCommandTests() =>
        Assert.Equal(0, archive.Run("ingest", Sources.SeedTelegram, "--volume", "frus1945Berlinv01", "--released").ExitCode);

    public void Dispose() => archive.Dispose();

    [Fact]
    public void ABadQueryIsReportedWithItsPositionAndACaretUnderIt()
    {
        var r = archive.Run("search", "Soong AND (Stalin");

        Assert.Equal(new CliResult(2, "", "chancery: bad query at character 11: unbalanced parenthesis: the group that opens at character 11 is never closed\n  Soong AND (Stalin\n            ^\n"), r);
    }

    [Fact]
    public void SortTakesTheWebsNamesForDateOrderToo()
    {
        Assert.Equal(0, archive.Run("ingest", Repository.SampleVolume).ExitCode);

        var r = archive.Run("search", "volume:frus-sample-1945", "--sort", "date-desc", "--page-size", "1", "--json");

        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal("frus-sample-1945#d24", json.RootElement.GetProperty("hits")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void APagePastTheLastSaysSo()
    {
        var r = archive.Run("search", "Soong", "--page", "3");

        Assert.Equal(new CliResult(0, "1 hit; page 3 is past the last page (1)\n", ""), r);
    }

    [Fact]
    public void SearchJsonHasTotalUndatedHitsAndFacets()
    {
        var r = archive.Run("search", "Soong", "--json", "--facets");

        Assert.Equal(0, r.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal(["total", "undated", "hits", "facets"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var hit = Assert.Single(json.RootElement.GetProperty("hits").EnumerateArray());
        Assert.Equal(["id", "volume", "number", "type", "date", "title", "snippet", "inFootnote", "score"], hit.EnumerateObject().Select(p => p.Name));
        Assert.Equal("frus1945Berlinv01#d578", hit.GetProperty("id").GetString());
    }

    [Fact]
    public void SearchFacetsIncludeTheDecimalFileSubject()
    {
        var r = archive.Run("search", "Soong", "--json", "--facets");

        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        var file = Assert.Single(json.RootElement.GetProperty("facets").GetProperty("file").EnumerateArray());
        Assert.Equal(("761.93", 1), (file.GetProperty("value").GetString(), file.GetProperty("count").GetInt32()));
    }
}
