namespace Chancery.Cli.Tests;

public sealed class DemoTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    [Fact]
    public void DemoWithoutServingBuildsTheSampleVolumeAndTheReleasedSeed()
    {
        var demo = archive.Run("demo", "--no-serve");

        Assert.Equal((0, ""), (demo.ExitCode, demo.Err));
        Assert.Equal("frus-sample-1945,frus1945Berlinv01", string.Join(",",
            System.Text.Json.JsonDocument.Parse(archive.Run("volumes", "--json").Out).RootElement.EnumerateArray().Select(v => v.GetProperty("id").GetString())));
        Assert.Equal(0, archive.Run("show", "frus1945Berlinv01#d578").ExitCode);
    }
}
