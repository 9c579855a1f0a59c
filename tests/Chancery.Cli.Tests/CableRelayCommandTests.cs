using Chancery.Archive.Tests.Infrastructure;

namespace Chancery.Cli.Tests;

/// <summary>
/// <c>chancery posts add … --remote</c> and <c>chancery cable relay</c>: Embassy Moscow in one archive sends to the
/// Department in another through a PostgreSQL transport; the relay on each side carries and delivers it.
/// </summary>
[Collection("postgres")]
public sealed class CableRelayCommandTests : IDisposable
{
    private readonly TempArchive _a = new();
    private readonly TempArchive _b = new();
    private readonly string _url;

    public CableRelayCommandTests(PostgresServer server)
    {
        _url = server.CreateDatabase("relay");
        Ok(_a.Run("users", "add", "harriman", "--clearance", "top-secret"));
        Ok(_a.Run("users", "add", "clerk", "--clearance", "top-secret"));
        Ok(_a.Run("posts", "add", "moscow", "--name", "Embassy Moscow", "--place", "Moscow", "--prefix", "MOSCOW", "--utc-offset", "+03:00"));
        Ok(_a.Run("posts", "member", "moscow", "harriman", "--role", "drafter"));
        Ok(_a.Run("posts", "member", "moscow", "harriman", "--role", "approver"));
        Ok(_a.Run("posts", "member", "moscow", "clerk", "--role", "communications-clerk"));
        Ok(_b.Run("users", "add", "byrnes", "--clearance", "top-secret"));
        Ok(_b.Run("posts", "add", "state", "--name", "Department of State", "--place", "Washington", "--prefix", "STATE", "--utc-offset", "-04:00"));
        Ok(_b.Run("posts", "member", "state", "byrnes", "--role", "principal", "--title", "the Secretary of State"));
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        return r;
    }

    private CliResult AddRemoteState(string transport) =>
        _a.Run("posts", "add", "state", "--name", "Department of State", "--place", "Washington", "--prefix", "STATE", "--utc-offset", "-04:00", "--remote", transport);

    [Fact]
    public void A_remote_post_is_added_with_its_transport()
    {
        var r = AddRemoteState(_url);

        Assert.Equal($"added remote post state: Department of State, Washington (numbers STATE N), reached through {_url}\n", Ok(r).Out);
    }

    [Fact]
    public void A_telegram_relayed_between_two_archives_reaches_the_inbox_of_the_other()
    {
        Ok(AddRemoteState(_url));
        var body = _a.WriteFile("body.txt", "Soong saw Stalin.\n");
        var draft = Ok(_a.Run("--as", "harriman", "cable", "draft", "--from", "moscow", "--action", "post:state", "--classification", "secret",
            "--subject", "Soong talks", "--body", body));
        var id = draft.Out.Split(':')[0].Split(' ')[1];
        Ok(_a.Run("--as", "harriman", "cable", "release", id));
        Ok(_a.Run("--as", "clerk", "cable", "send", id));

        var outward = Ok(_a.Run("cable", "relay", "--once"));
        var inward = Ok(_b.Run("cable", "relay", "--once", "--transport", _url));
        var inbox = Ok(_b.Run("--as", "byrnes", "cable", "inbox", "--json"));

        Assert.Equal("relayed 1 out, 0 in; delivered 0\n", outward.Out);
        Assert.Equal("relayed 0 out, 1 in; delivered 1\n", inward.Out);
        Assert.Contains("\"MOSCOW 1\"", inbox.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transport_url_that_cannot_be_read_is_refused_in_one_line()
    {
        var r = AddRemoteState("postgres://host:notaport/db");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("chancery: cannot read the archive address postgres://host:notaport/db: ", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_relay_without_remote_posts_or_transport_says_so()
    {
        var r = _b.Run("cable", "relay", "--once");

        Assert.Equal((2, "chancery: no remote posts and no --transport: nothing to relay (declare one with `chancery posts add ID … --remote postgres://…`)\n"), (r.ExitCode, r.Err));
    }

    // MOSCOW 1 sent from A and carried to the transport, while B numbers a post of its own MOSCOW: B cannot file it
    private void SendWhatBRefuses()
    {
        Ok(AddRemoteState(_url));
        // B numbers a post of its own MOSCOW: a telegram numbered MOSCOW from another post cannot be filed beside it
        Ok(_b.Run("posts", "add", "ussr", "--name", "Soviet Desk", "--place", "Washington", "--prefix", "MOSCOW", "--utc-offset", "-04:00"));
        var body = _a.WriteFile("body.txt", "Soong saw Stalin.\n");
        var draft = Ok(_a.Run("--as", "harriman", "cable", "draft", "--from", "moscow", "--action", "post:state", "--classification", "secret",
            "--subject", "Soong talks", "--body", body));
        var id = draft.Out.Split(':')[0].Split(' ')[1];
        Ok(_a.Run("--as", "harriman", "cable", "release", id));
        Ok(_a.Run("--as", "clerk", "cable", "send", id));
        Ok(_a.Run("cable", "relay", "--once"));
    }

    [Fact]
    public void The_relay_parks_a_telegram_this_archive_refuses_and_says_why()
    {
        SendWhatBRefuses();

        var inward = _b.Run("cable", "relay", "--once", "--transport", _url);

        Assert.Equal((0, "relayed 0 out, 0 in, 1 parked; delivered 0\nparked MOSCOW 1 for state: telegram MOSCOW 1 comes from post moscow, but post ussr numbers MOSCOW in this archive\n"),
            (inward.ExitCode, inward.Out));
    }

    [Fact]
    public void The_parked_command_lists_a_refused_telegram_with_its_reason()
    {
        SendWhatBRefuses();
        Ok(_b.Run("cable", "relay", "--once", "--transport", _url));

        var parked = Ok(_b.Run("cable", "parked")).Out;

        Assert.Matches(@"^MOSCOW 1 for state, parked \d{4}-\d\d-\d\d \d\d:\d\d UTC: telegram MOSCOW 1 comes from post moscow, but post ussr numbers MOSCOW in this archive\n$", parked);
    }

    [Fact]
    public void The_parked_command_says_when_nothing_is_parked()
    {
        Ok(AddRemoteState(_url));

        var r = _a.Run("cable", "parked");

        Assert.Equal((0, "no parked telegrams\n"), (r.ExitCode, r.Out));
    }
}
