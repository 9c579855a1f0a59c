namespace Chancery.Cli.Tests;

public sealed class UsageTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    [Fact]
    public void AnUnknownOptionIsAUsageErrorWithExitCode2()
    {
        var r = archive.Run("volumes", "--colour");

        Assert.Equal(new CliResult(2, "", "chancery: Unrecognized command or argument '--colour'.\n(see `chancery volumes --help`)\n"), r);
    }

    [Fact]
    public void AValueThatIsNotAWholeNumberIsReportedWithoutANetTypeName()
    {
        var r = archive.Run("search", "Soong", "--page", "abc");

        Assert.Equal(new CliResult(2, "", "chancery: --page needs a whole number, not 'abc'\n(see `chancery search --help`)\n"), r);
    }

    [Fact]
    public void AValueOutsideTheChoicesIsOneLineListingThem()
    {
        var r = archive.Run("export", "frus1945Berlinv01#d578", "--format", "pdf");

        Assert.Equal(new CliResult(2, "", "chancery: Argument 'pdf' not recognized. Must be one of: 'json', 'tei', 'text'\n(see `chancery export --help`)\n"), r);
    }

    [Fact]
    public void ACommandThatGroupsOthersNamesThemWhenNoneIsGiven()
    {
        var r = archive.Run("users");

        Assert.Equal(new CliResult(2, "", "chancery: `chancery users` needs a command: add, list, password, remove, token\n(see `chancery users --help`)\n"), r);
    }

    [Fact]
    public void AMistypedCommandIsReportedAlone()
    {
        var r = archive.Run("frobnicate");

        Assert.Equal(new CliResult(2, "", "chancery: Unrecognized command or argument 'frobnicate'.\n(see `chancery --help`)\n"), r);
    }

    [Fact]
    public void AnUnreachablePostgresArchiveIsReportedWithoutItsPassword()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var code = Program.Run(["volumes", "--archive", "postgres://chancery:hunter2@127.0.0.1:1/frus"], stdout, stderr);

        Assert.Equal((2, "", "chancery: cannot open the archive at postgres://chancery:***@127.0.0.1:1/frus: Failed to connect to 127.0.0.1:1\n"),
            (code, stdout.ToString(), stderr.ToString()));
    }

    [Fact]
    public void ReadingAnArchiveThatDoesNotExistSaysSoWithoutCreatingIt()
    {
        var r = archive.Run("volumes");

        Assert.Equal(new CliResult(2, "", $"chancery: no archive at {archive.Folder} (create one with `chancery ingest` or `chancery demo`, or pass --archive)\n"), r);
        Assert.False(Directory.Exists(archive.Folder));
    }

    [Fact]
    public void ABadExcisionSpanIsRefusedWithTheAcceptedForms()
    {
        archive.Run("users", "add", "alice", "--clearance", "top-secret");

        var r = archive.Run("review", "release", "frus1945Berlinv01#d578", "--excise", "2:9-3", "--as", "alice");

        Assert.Equal(new CliResult(2, "", "chancery: bad excision span \"2:9-3\" (use N for body paragraph N, from 1, or N:START-END for characters START to END of it)\n"), r);
    }

    [Fact]
    public void ThePublicMayNotReview()
    {
        archive.Run("users", "add", "alice", "--clearance", "top-secret");

        var r = archive.Run("review", "withhold", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(2, "", "chancery: the public may not review: name the reviewer with --as NAME\n"), r);
    }
}
