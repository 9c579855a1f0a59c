using System.Text.Json;
using Chancery.Archive.Sqlite;
using Microsoft.AspNetCore.Identity;

namespace Chancery.Cli.Tests;

public sealed class UserCommandTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    [Fact]
    public void AddingAUserWithAnUnknownClearanceIsRefusedNamingTheLevels()
    {
        var r = archive.Run("users", "add", "alice", "--clearance", "cosmic");

        Assert.Equal(new CliResult(2, "", "chancery: unknown clearance \"cosmic\" (use one of unclassified, restricted, confidential, secret, top-secret)\n"), r);
    }

    [Fact]
    public void AddingAUserWithAnUnknownControlIsRefusedListingTheKnownOnes()
    {
        var r = archive.Run("users", "add", "alice", "--clearance", "secret", "--controls", "NODIS,umbra");

        Assert.Equal(new CliResult(2, "", "chancery: unknown control \"umbra\" (known controls: NODIS, EXDIS, LIMDIS, EYES-ONLY, PERSONAL-FOR, NOFORN, SPECAT, ROGER-CHANNEL)\n"), r);
    }

    [Fact]
    public void AddingAUserPrintsTheNormalisedClearanceAndControls()
    {
        var r = archive.Run("users", "add", "alice", "--clearance", "Top Secret", "--controls", "nodis, eyes only");

        Assert.Equal(new CliResult(0, "added alice: top-secret, NODIS,EYES-ONLY\n", ""), r);
    }

    [Fact]
    public void UsersListJsonGivesNameClearanceControlsAndWhetherAPasswordIsSet()
    {
        archive.RunWithInput("correct horse\n", "users", "add", "alice", "--clearance", "secret", "--controls", "NODIS", "--password");

        var r = archive.Run("users", "list", "--json");

        using var json = JsonDocument.Parse(r.Out);
        var user = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["name", "clearance", "controls", "created", "hasPassword"], user.EnumerateObject().Select(p => p.Name));
        Assert.Equal("alice", user.GetProperty("name").GetString());
        Assert.Equal("secret", user.GetProperty("clearance").GetString());
        Assert.Equal(["NODIS"], user.GetProperty("controls").EnumerateArray().Select(c => c.GetString()));
        Assert.True(user.GetProperty("hasPassword").GetBoolean());
    }

    [Fact]
    public void PasswordOptionWithoutInputIsRefused()
    {
        var r = archive.RunWithInput("", "users", "add", "alice", "--clearance", "secret", "--password");

        Assert.Equal(new CliResult(2, "", "chancery: --password needs a password on standard input (an empty one is refused)\n"), r);
    }

    [Fact]
    public void PasswordReplacesTheUsersPasswordWithTheOneReadFromStandardInput()
    {
        archive.RunWithInput("correct horse\n", "users", "add", "alice", "--clearance", "secret", "--password");

        var r = archive.RunWithInput("battery staple\n", "users", "password", "alice");

        Assert.Equal(new CliResult(0, "password of alice set\n", ""), r);
        var hash = StoredPasswordHash("alice");
        var hasher = new PasswordHasher<string>();
        Assert.Equal(
            (PasswordVerificationResult.Success, PasswordVerificationResult.Failed),
            (hasher.VerifyHashedPassword("alice", hash!, "battery staple"), hasher.VerifyHashedPassword("alice", hash!, "correct horse")));
    }

    [Fact]
    public void PasswordClearRemovesThePassword()
    {
        archive.RunWithInput("correct horse\n", "users", "add", "alice", "--clearance", "secret", "--password");

        var r = archive.Run("users", "password", "alice", "--clear");

        Assert.Equal((new CliResult(0, "password of alice removed\n", ""), (string?)null), (r, StoredPasswordHash("alice")));
    }

    [Fact]
    public void AnEmptyNewPasswordIsRefusedAndTheOldOneKept()
    {
        archive.RunWithInput("correct horse\n", "users", "add", "alice", "--clearance", "secret", "--password");
        var before = StoredPasswordHash("alice");

        var r = archive.RunWithInput("", "users", "password", "alice");

        Assert.Equal((new CliResult(2, "", "chancery: `chancery users password` needs a password on standard input (an empty one is refused)\n"), before),
            (r, StoredPasswordHash("alice")));
    }

    [Fact]
    public void PasswordOfAnUnknownUserIsNotFound()
    {
        archive.Run("users", "add", "alice", "--clearance", "secret");

        var r = archive.RunWithInput("battery staple\n", "users", "password", "bob");

        Assert.Equal(new CliResult(3, "", "chancery: no user bob (add one with `chancery users add`)\n"), r);
    }

    private string? StoredPasswordHash(string name)
    {
        using var stored = SqliteArchive.Open(archive.Folder);
        return stored.GetUser(name)!.PasswordHash;
    }

    [Fact]
    public void RemovingAnUnknownUserIsNotFound()
    {
        archive.Run("users", "add", "alice", "--clearance", "secret");

        var r = archive.Run("users", "remove", "bob");

        Assert.Equal(new CliResult(3, "", "chancery: no user bob\n"), r);
    }

    [Fact]
    public void AUserTokenIsPrintedOnOneLine()
    {
        archive.Run("users", "add", "alice", "--clearance", "secret");

        var r = archive.Run("users", "token", "alice");

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^\S{20,}\n$", r.Out);
    }

    [Fact]
    public void ReadingAsAnUnknownUserIsAnError()
    {
        archive.Run("users", "add", "alice", "--clearance", "secret");

        var r = archive.Run("volumes", "--as", "mallory");

        Assert.Equal(new CliResult(2, "", "chancery: no user mallory (add one with `chancery users add`)\n"), r);
    }
}
