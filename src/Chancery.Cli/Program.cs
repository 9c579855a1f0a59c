using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using Chancery.Archive;
using Chancery.Cli.Commands;
using Chancery.Ingest;

namespace Chancery.Cli;

/// <summary>The <c>chancery</c> command.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        return Run(args, Terminal.FromConsole());
    }

    /// <summary>Runs the command in-process with plain writers (no terminal), as the tests do.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null) =>
        Run(args, new Terminal(stdout, stderr, stdin ?? TextReader.Null));

    /// <summary>
    /// Parses and runs a command. Every failure ends here as one <c>chancery: …</c> line and an exit code
    /// (see <see cref="ExitCodes"/>); a user never sees a stack trace.
    /// </summary>
    public static int Run(string[] args, Terminal terminal)
    {
        try
        {
            var root = BuildRoot(new Globals(terminal));
            var parse = root.Parse(args);
            if (parse.Action is ParseErrorAction)
            {
                var path = string.Join(' ', CommandPath(parse.CommandResult.Command));
                foreach (var message in UsageErrors(parse, path))
                {
                    terminal.Err.WriteLine($"chancery: {message}");
                }
                terminal.Err.WriteLine($"(see `{path} --help`)");
                return ExitCodes.Error;
            }
            return parse.Invoke(new InvocationConfiguration
            {
                Output = terminal.Out,
                Error = terminal.Err,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            return Report(e, terminal);
        }
        finally
        {
            terminal.Out.Flush();
            terminal.Err.Flush();
        }
    }

    /// <summary>The command tree.</summary>
    public static RootCommand BuildRoot(Globals g)
    {
        var root = new RootCommand("Chancery: an archive of diplomatic correspondence (FRUS TEI volumes and telegrams).");
        root.Options.Add(g.Archive);
        root.Options.Add(g.As);
        root.Options.Add(g.IndexDir);
        root.Subcommands.Add(IngestCommand.Create(g));
        root.Subcommands.Add(ReadCommands.Volumes(g));
        root.Subcommands.Add(ReadCommands.Show(g));
        root.Subcommands.Add(ReadCommands.Export(g));
        root.Subcommands.Add(SearchCommand.Create(g));
        root.Subcommands.Add(LinkCommands.Links(g));
        root.Subcommands.Add(LinkCommands.Thread(g));
        root.Subcommands.Add(LinkCommands.File(g));
        root.Subcommands.Add(LinkCommands.Person(g));
        root.Subcommands.Add(LinkCommands.Graph(g));
        root.Subcommands.Add(UserCommands.Create(g));
        root.Subcommands.Add(CableCommands.Posts(g));
        root.Subcommands.Add(CableCommands.Cable(g));
        root.Subcommands.Add(ReviewCommands.Create(g));
        root.Subcommands.Add(AuditCommands.Create(g));
        root.Subcommands.Add(MaintenanceCommands.Check(g));
        root.Subcommands.Add(MaintenanceCommands.Migrate(g));
        root.Subcommands.Add(MaintenanceCommands.Backup(g));
        root.Subcommands.Add(MaintenanceCommands.Restore(g));
        root.Subcommands.Add(CopyCommand.Create(g));
        root.Subcommands.Add(ServeCommands.Demo(g));
        root.Subcommands.Add(ServeCommands.Serve(g));
        return root;
    }

    /// <summary>
    /// The parser's errors, each on one line and in the user's words: a command that only groups others names them
    /// instead of "Required command was not provided", and a value of the wrong kind names no .NET type.
    /// </summary>
    private static IEnumerable<string> UsageErrors(ParseResult parse, string path)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (parse.CommandResult.Command is { Action: null, Subcommands.Count: > 0 } group)
        {
            // the parser reports the missing command first; a mistyped command after it is the useful part
            var mistyped = errors.Where(e => parse.UnmatchedTokens.Any(t => e.Contains('\'' + t + '\'', StringComparison.Ordinal))).ToList();
            errors = mistyped.Count > 0
                ? mistyped
                : [$"`{path}` needs a command: {string.Join(", ", group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}"];
        }
        return errors.Select(OneLine);
    }

    private static readonly System.Text.RegularExpressions.Regex CannotParse = new(
        @"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<name>.*)' as expected type '(?<type>[^']*)'\.$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string OneLine(string message)
    {
        if (CannotParse.Match(message) is { Success: true } m)
        {
            var kind = m.Groups["type"].Value switch
            {
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Double" or "System.Decimal" => "a number",
                _ => "another kind of value",
            };
            return $"{m.Groups["name"].Value} needs {kind}, not '{m.Groups["value"].Value}'";
        }
        // "Argument 'pdf' not recognized. Must be one of:\n\t'json'\n\t'tei'" becomes one line with the choices listed
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines[1..]);
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
        {
            names.Push(c is RootCommand ? "chancery" : c.Name);
        }
        return names;
    }

    private static int Report(Exception e, Terminal terminal)
    {
        switch (e)
        {
            case CliException cli:
                terminal.Err.WriteLine($"chancery: {cli.Message}");
                foreach (var line in cli.Detail)
                {
                    terminal.Err.WriteLine(line);
                }
                return cli.ExitCode;
            case ArchiveException archive:
                terminal.Err.WriteLine($"chancery: {archive.Message}");
                return ExitCodes.Error;
            case SourceFormatException source:
                terminal.Err.WriteLine(source.Message);
                return ExitCodes.Failed;
            case QueryException query:
                terminal.Err.WriteLine("chancery: " + SearchCommand.BadQueryLine(query));
                return ExitCodes.Error;
            case System.Data.Common.DbException db:
                // a database error the store did not translate: its message names the problem, never a document
                terminal.Err.WriteLine($"chancery: database error: {FirstLine(db.Message)}");
                return ExitCodes.Error;
            case IOException or UnauthorizedAccessException:
                terminal.Err.WriteLine($"chancery: {e.Message}");
                return ExitCodes.Error;
            default:
                terminal.Err.WriteLine($"chancery: unexpected error: {e.GetType().Name}: {FirstLine(e.Message)}");
                if (terminal.Environment.ContainsKey("CHANCERY_DEBUG"))
                {
                    terminal.Err.WriteLine(e.ToString());
                }
                else
                {
                    terminal.Err.WriteLine("chancery: this is a bug; please report it with the command you ran (CHANCERY_DEBUG=1 shows the details)");
                }
                return ExitCodes.Error;
        }
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }
}
