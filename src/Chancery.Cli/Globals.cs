using System.CommandLine;

namespace Chancery.Cli;

/// <summary>The options every command takes, and the terminal the command runs on.</summary>
public sealed class Globals(Terminal terminal)
{
    public Terminal Terminal { get; } = terminal;

    public Option<string?> Archive { get; } = new("--archive")
    {
        Description = "The archive: a folder (SQLite) or a postgres:// URL [default: $CHANCERY_ARCHIVE, else ./chancery-data]",
        HelpName = "PATH|URL",
        Recursive = true,
    };

    public Option<string?> IndexDir { get; } = new("--index-dir")
    {
        Description = "A postgres:// archive's search index folder, kept by this machine [default: $CHANCERY_INDEX_DIR, else one per archive under ~/.cache/chancery/search]",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<string?> As { get; } = new("--as")
    {
        Description = "Read as this user (see `chancery users`) [default: public]",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>A fresh <c>--json</c> option for a command that prints data.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of text" };

    /// <summary>The archive and reader for one run of a command.</summary>
    public Session Open(ParseResult parse) => new(Terminal, parse.GetValue(Archive), parse.GetValue(As), parse.GetValue(IndexDir));

    /// <summary>Sets a command's action to run with a session that is disposed afterwards.</summary>
    public void Handle(Command command, Func<ParseResult, Session, int> action) =>
        command.SetAction(parse =>
        {
            using var session = Open(parse);
            return action(parse, session);
        });
}
