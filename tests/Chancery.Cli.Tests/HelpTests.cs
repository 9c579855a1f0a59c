using System.CommandLine;
using System.CommandLine.Help;

namespace Chancery.Cli.Tests;

/// <summary>Every command's <c>--help</c> explains each option once.</summary>
public sealed class HelpTests
{
    private static IEnumerable<(string Path, Option Option)> Options()
    {
        var root = Program.BuildRoot(new Globals(new Terminal(TextWriter.Null, TextWriter.Null, TextReader.Null)));
        var pending = new Stack<(string, Command)>([("chancery", root)]);
        while (pending.Count > 0)
        {
            var (path, command) = pending.Pop();
            foreach (var option in command.Options)
            {
                yield return (path, option);
            }
            foreach (var sub in command.Subcommands)
            {
                pending.Push((path + " " + sub.Name, sub));
            }
        }
    }

    [Fact]
    public void EveryOptionHasADescription()
    {
        var bare = Options().Where(o => string.IsNullOrWhiteSpace(o.Option.Description)).Select(o => o.Path + " " + o.Option.Name).ToList();

        Assert.Empty(bare);
    }

    [Fact]
    public void NoOptionStatesItsDefaultTwice()
    {
        // the help adds "[default: …]" itself for an option with a default value
        var twice = Options().Where(o => o.Option.HasDefaultValue && o.Option.Description?.Contains("[default:", StringComparison.Ordinal) == true)
            .Select(o => o.Path + " " + o.Option.Name).ToList();

        Assert.Empty(twice);
    }

    [Fact]
    public void EveryOptionThatTakesAValueNamesItInCapitals()
    {
        // as the arguments and the global options do (<PATH|URL>, <NAME>): the help shows "--name <name>" otherwise
        var lower = Options()
            .Where(o => o.Option is not HelpOption and not VersionOption && o.Option.ValueType != typeof(bool) && (o.Option.HelpName is null || o.Option.HelpName != o.Option.HelpName.ToUpperInvariant()))
            .Select(o => o.Path + " " + o.Option.Name).Distinct().ToList();

        Assert.Equal("", string.Join(", ", lower));
    }
}
