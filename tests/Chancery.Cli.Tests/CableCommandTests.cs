using System.Text.Json;

namespace Chancery.Cli.Tests;

/// <summary>
/// The cable office from the command line: the seed's traffic replayed as users would type it. Embassy Moscow
/// sends 120015 and 120755, then the seed telegram citing both, TOP SECRET and PERSONAL-FOR the President and the
/// Secretary of State, via Navy channels.
/// </summary>
public sealed class CableCommandTests : IDisposable
{
    private readonly TempArchive _a = new();

    public CableCommandTests()
    {
        foreach (var user in new[] { "harriman", "clerk", "truman", "byrnes" })
        {
            Ok(_a.Run("users", "add", user, "--clearance", "top-secret", "--controls", "PERSONAL-FOR,NODIS"));
        }
        Ok(_a.Run("users", "add", "deskofficer", "--clearance", "top-secret"));
        Ok(_a.Run("posts", "add", "moscow", "--name", "Embassy Moscow", "--place", "Moscow", "--prefix", "MOSCOW", "--utc-offset", "+03:00"));
        Ok(_a.Run("posts", "add", "state", "--name", "Department of State", "--place", "Washington", "--prefix", "DEPTEL", "--utc-offset", "-04:00"));
        Ok(_a.Run("posts", "member", "moscow", "harriman", "--role", "drafter"));
        Ok(_a.Run("posts", "member", "moscow", "harriman", "--role", "approver"));
        Ok(_a.Run("posts", "member", "moscow", "clerk", "--role", "communications-clerk"));
        Ok(_a.Run("posts", "member", "state", "truman", "--role", "principal", "--title", "the President"));
        Ok(_a.Run("posts", "member", "state", "byrnes", "--role", "principal", "--title", "the Secretary of State"));
        Ok(_a.Run("posts", "member", "state", "deskofficer", "--role", "drafter"));
        Ok(_a.Run("posts", "route", "moscow", "--channel", "Navy", "--relay", "the United States Naval Attaché, Moscow"));
        Send(120015, "Soong talks, first report", []);
        Send(120755, "Soong talks, second report", []);
        Send(120800, "Soong and Stalin on Dairen", ["MOSCOW 120015", "MOSCOW 120755"]);
    }

    private void Send(long serial, string subject, string[] refs)
    {
        Ok(_a.Run("posts", "serial", "moscow", serial.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var body = _a.WriteFile($"body-{serial}.txt", $"{subject}: Soong saw Stalin.\n\nSecond paragraph.\n");
        var args = new List<string>
        {
            "--as", "harriman", "cable", "draft", "--from", "moscow", "--action", "user:truman,user:byrnes",
            "--classification", "top-secret", "--captions", "PERSONAL-FOR", "--personal-for", "truman,byrnes",
            "--precedence", "immediate", "--subject", subject, "--file-code", "761.93", "--channel", "Navy",
            "--signature", "Harriman", "--body", body,
        };
        foreach (var r in refs)
        {
            args.AddRange(["--ref", r]);
        }
        var draft = Ok(_a.Run([.. args]));
        var id = draft.Out.Split(':')[0].Split(' ')[1];
        Ok(_a.Run("--as", "harriman", "cable", "release", id));
        var sent = Ok(_a.Run("--as", "clerk", "cable", "send", id));
        Assert.StartsWith($"sent MOSCOW {serial} (", sent.Out);
        Assert.EndsWith("IMMEDIATE, Sent by the United States Naval Attaché, Moscow, via Navy channels. Delivered: 1.\n", sent.Out);
    }

    [Fact]
    public void DraftingWithoutTheRoleNamesTheCommandThatGivesIt()
    {
        var body = _a.WriteFile("body-truman.txt", "A word.\n");

        var r = _a.Run("--as", "truman", "cable", "draft", "--from", "moscow", "--action", "user:byrnes", "--subject", "S", "--body", body);

        Assert.Equal(new CliResult(2, "", "chancery: truman does not draft at moscow (add the role with `chancery posts member moscow truman --role drafter`)\n"), r);
    }

    [Fact]
    public void AClearanceNobodyGivesNamesTheCommandThatAddsAClearer()
    {
        var body = _a.WriteFile("body-pol.txt", "A word.\n");

        var r = _a.Run("--as", "harriman", "cable", "draft", "--from", "moscow", "--action", "user:byrnes", "--subject", "S", "--clearances", "POL", "--body", body);

        Assert.Equal(new CliResult(2, "", "chancery: nobody at moscow clears for POL (add a clearer with `chancery posts member moscow USER --role clearer --office POL`)\n"), r);
    }

    [Fact]
    public void AnUnknownPostNamesTheCommandThatAddsOne()
    {
        var r = _a.Run("posts", "member", "cairo", "harriman", "--role", "drafter");

        Assert.Equal(new CliResult(2, "", "chancery: no post 'cairo' (add one with `chancery posts add`)\n"), r);
    }

    [Fact]
    public void AChannelWithoutARouteNamesTheCommandThatSetsOne()
    {
        var body = _a.WriteFile("body-army.txt", "A word.\n");

        var r = _a.Run("--as", "harriman", "cable", "draft", "--from", "moscow", "--action", "user:byrnes", "--subject", "S", "--channel", "Army", "--body", body);

        Assert.Equal(new CliResult(2, "", "chancery: post moscow has no Army route (set one with `chancery posts route moscow --channel Army --relay RELAY`)\n"), r);
    }

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
        return r;
    }

    private List<string> InboxNumbers(string user)
    {
        var r = Ok(_a.Run("--as", user, "cable", "inbox", "--json"));
        using var json = JsonDocument.Parse(r.Out);
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("number").GetString()!).ToList();
    }

    [Fact]
    public void Both_principals_receive_all_three_newest_first()
    {
        Assert.Equal(["MOSCOW 120800", "MOSCOW 120755", "MOSCOW 120015"], InboxNumbers("truman"));
        Assert.Equal(["MOSCOW 120800", "MOSCOW 120755", "MOSCOW 120015"], InboxNumbers("byrnes"));
    }

    [Fact]
    public void A_top_secret_user_without_the_caption_does_not_see_that_it_exists()
    {
        Assert.Equal([], InboxNumbers("deskofficer"));
        var hidden = _a.Run("--as", "deskofficer", "cable", "read", "MOSCOW 120800");
        var missing = _a.Run("--as", "deskofficer", "cable", "read", "MOSCOW 999999");
        Assert.Equal((3, "chancery: no telegram MOSCOW 120800 (or you may not read it)\n"), (hidden.ExitCode, hidden.Err));
        Assert.Equal((3, "chancery: no telegram MOSCOW 999999 (or you may not read it)\n"), (missing.ExitCode, missing.Err));
    }

    [Fact]
    public void The_seed_telegram_reads_with_its_marking_references_file_and_channel()
    {
        var r = Ok(_a.Run("--as", "truman", "cable", "read", "MOSCOW 120800"));
        var lines = r.Out.Split('\n');
        Assert.Equal("MOSCOW 120800    TOP SECRET PERSONAL-FOR    IMMEDIATE", lines[0]);
        Assert.Equal("To: the President and the Secretary of State", lines[2]);
        Assert.Contains("REF: MOSCOW 120015; MOSCOW 120755", lines);
        Assert.Contains("Sent by the United States Naval Attaché, Moscow, via Navy channels.", lines);
        Assert.Single(lines, l => l.StartsWith("File: 761.93/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_thread_shows_all_three()
    {
        var r = Ok(_a.Run("--as", "truman", "cable", "thread", "MOSCOW 120800", "--json"));
        using var json = JsonDocument.Parse(r.Out);
        var numbers = json.RootElement.EnumerateArray().Select(e => e.GetProperty("number").GetString()).ToList();
        Assert.Equal(["MOSCOW 120015", "MOSCOW 120755", "MOSCOW 120800"], numbers);
    }

    [Fact]
    public void The_public_sees_nothing_and_the_office_needs_a_user()
    {
        var search = Ok(_a.Run("search", "Soong", "--json"));
        using (var json = JsonDocument.Parse(search.Out))
        {
            Assert.Equal(0, json.RootElement.GetProperty("total").GetInt32());
        }
        var inbox = _a.Run("cable", "inbox");
        Assert.Equal((2, "chancery: cable commands act for a user: add --as NAME (see `chancery users list`)\n"), (inbox.ExitCode, inbox.Err));
    }

    [Fact]
    public void A_cleared_principal_finds_the_filed_telegrams_in_search()
    {
        var search = Ok(_a.Run("--as", "truman", "search", "Soong", "--json"));
        using var json = JsonDocument.Parse(search.Out);
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public void A_bad_telegram_number_is_a_usage_error()
    {
        var r = _a.Run("--as", "truman", "cable", "read", "120800");
        Assert.Equal((2, "chancery: '120800' is not a telegram number (write the post's prefix and the serial, e.g. \"MOSCOW 120015\")\n"), (r.ExitCode, r.Err));
    }

    public void Dispose() => _a.Dispose();
}
