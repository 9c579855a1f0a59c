using System.Text;

namespace Chancery.Cli.Tests;

/// <summary>The README's examples are what a new user types first: they must run as written.</summary>
public sealed class ReadmeTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    [Fact]
    public void TheCableOfficeTourRunsAsWrittenAndDeliversTheTelegram()
    {
        var body = archive.WriteFile("text.txt", "Soong saw Stalin and Molotov again last night.\n");
        var failures = new List<string>();
        CliResult? last = null;
        foreach (var command in Commands(Block("The cable office")))
        {
            // the tour's draft reads the text.txt its echo line writes in the current folder
            var args = command.Select(a => a == "text.txt" ? body : a).ToArray();
            last = archive.Run(args);
            if (last.ExitCode != 0)
            {
                failures.Add(string.Join(' ', command) + " → " + last.Err.Trim());
            }
        }

        Assert.Empty(failures);
        // the tour ends with truman's inbox: one row, its columns apart by two spaces or more
        var row = last!.Out.Split('\n')[1];
        Assert.Equal(["MOSCOW 1", "IMMEDIATE", "TOP SECRET PERSONAL-FOR", "Embassy Moscow", "Soong and Stalin"],
            System.Text.RegularExpressions.Regex.Split(row, " {2,}").Take(5));
    }

    /// <summary>The first fenced block after the paragraph that begins with <paramref name="paragraph"/>.</summary>
    private static string Block(string paragraph)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf("```\n", readme.IndexOf("\n" + paragraph, StringComparison.Ordinal), StringComparison.Ordinal) + 4;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    /// <summary>The block's <c>./chancery</c> commands as argument lists: continuation lines joined, comments and quotes removed.</summary>
    private static IEnumerable<string[]> Commands(string block)
    {
        foreach (var line in block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var args = Split(line);
            if (args.Count > 0 && args[0] == "./chancery")
            {
                yield return [.. args.Skip(1)];
            }
        }
    }

    private static List<string> Split(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var inWord = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (c == '#' && !quoted && !inWord)
            {
                break;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            args.Add(current.ToString());
        }
        return args;
    }
}
