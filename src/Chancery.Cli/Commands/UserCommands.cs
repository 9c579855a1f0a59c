using System.CommandLine;
using System.Globalization;
using Chancery.Archive;
using Chancery.Cli.Output;
using Chancery.Core.Access;
using Microsoft.AspNetCore.Identity;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery users add|list|password|remove|token</c>: the named readers of the archive.</summary>
public static class UserCommands
{
    /// <summary>The levels offered for <c>--clearance</c>, in their command-line spelling.</summary>
    public static readonly IReadOnlyList<string> Levels = ["unclassified", "restricted", "confidential", "secret", "top-secret"];

    public static Command Create(Globals g)
    {
        var command = new Command("users", "Manage the archive's named readers");
        command.Subcommands.Add(Add(g));
        command.Subcommands.Add(List(g));
        command.Subcommands.Add(Password(g));
        command.Subcommands.Add(Remove(g));
        command.Subcommands.Add(Token(g));
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The user's name" };

    private static Command Add(Globals g)
    {
        var name = NameArgument();
        var clearance = new Option<string>("--clearance") { Description = "unclassified, restricted, confidential, secret or top-secret", HelpName = "LEVEL", Required = true };
        var controls = new Option<string?>("--controls") { Description = "Dissemination controls held, comma-separated (e.g. NODIS,EYES-ONLY)", HelpName = "A,B" };
        var password = new Option<bool>("--password") { Description = "Read a password for the web reader from standard input" };
        var command = new Command("add", "Add a user with a clearance level and controls") { name, clearance, controls, password };
        g.Handle(command, (parse, session) =>
        {
            var userName = CheckName(parse.GetValue(name)!);
            var level = ParseClearance(parse.GetValue(clearance)!);
            var held = ParseControls(parse.GetValue(controls));
            var hash = parse.GetValue(password) ? ReadPasswordHash(session, userName, "--password") : null;
            var archive = session.Archive;
            if (archive.GetUser(userName) is not null)
            {
                throw new CliException($"user {userName} exists already (remove it first with `chancery users remove {userName}`)");
            }
            archive.AddUser(new UserAccount(userName, level, held, DateTimeOffset.UtcNow));
            if (hash is not null)
            {
                archive.SetPasswordHash(userName, hash);
            }
            var controlText = held.Count == 0 ? "no controls" : string.Join(",", held);
            session.Terminal.Out.WriteLine($"added {userName}: {Markings.CommandName(level)}, {controlText}{(hash is null ? "" : ", password set")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("list", "List users") { json };
        g.Handle(command, (parse, session) =>
        {
            var users = session.ExistingArchive.ListUsers();
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, users.Select(u => new
                {
                    name = u.Name,
                    clearance = Markings.CommandName(u.Clearance),
                    controls = u.Controls,
                    created = u.Created,
                    hasPassword = u.PasswordHash is not null,
                }));
                return ExitCodes.Ok;
            }
            if (users.Count == 0)
            {
                output.WriteLine("no users (add one with `chancery users add`)");
                return ExitCodes.Ok;
            }
            var table = new TextTable("NAME", "CLEARANCE", "CONTROLS", "PASSWORD", "CREATED");
            foreach (var u in users)
            {
                table.Add(u.Name, Markings.CommandName(u.Clearance), u.Controls.Count == 0 ? "-" : string.Join(",", u.Controls),
                    u.PasswordHash is null ? "no" : "yes", u.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Password(Globals g)
    {
        var name = NameArgument();
        var clear = new Option<bool>("--clear") { Description = "Remove the password: the user can then sign in with a bearer token only" };
        var command = new Command("password", "Set a user's password for the web reader, read from standard input (or --clear it)") { name, clear };
        g.Handle(command, (parse, session) =>
        {
            var userName = parse.GetValue(name)!;
            var archive = session.ExistingArchive;
            if (archive.GetUser(userName) is null)
            {
                throw new CliException($"no user {userName} (add one with `chancery users add`)", ExitCodes.NotFound);
            }
            // read before writing, so a refused password leaves the old one in place
            var hash = parse.GetValue(clear) ? null : ReadPasswordHash(session, userName, "`chancery users password`");
            archive.SetPasswordHash(userName, hash);
            session.Terminal.Out.WriteLine(hash is null ? $"password of {userName} removed" : $"password of {userName} set");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads a password from standard input (the terminal hides it) and hashes it with ASP.NET Core
    /// Identity's hasher, the one the web reader's sign-in verifies with; an empty one is refused.</summary>
    private static string ReadPasswordHash(Session session, string userName, string what)
    {
        var pw = session.Terminal.ReadPassword($"password for {userName}: ");
        if (string.IsNullOrEmpty(pw))
        {
            throw new CliException($"{what} needs a password on standard input (an empty one is refused)");
        }
        return new PasswordHasher<string>().HashPassword(userName, pw);
    }

    private static Command Remove(Globals g)
    {
        var name = NameArgument();
        var command = new Command("remove", "Remove a user (their tokens stop working)") { name };
        g.Handle(command, (parse, session) =>
        {
            var userName = parse.GetValue(name)!;
            if (!session.ExistingArchive.RemoveUser(userName))
            {
                throw new CliException($"no user {userName}", ExitCodes.NotFound);
            }
            session.Terminal.Out.WriteLine($"removed {userName}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Token(Globals g)
    {
        var name = NameArgument();
        var command = new Command("token", "Issue a new bearer token for the web API and print it") { name };
        g.Handle(command, (parse, session) =>
        {
            var userName = parse.GetValue(name)!;
            var archive = session.ExistingArchive;
            if (archive.GetUser(userName) is null)
            {
                throw new CliException($"no user {userName} (add one with `chancery users add`)", ExitCodes.NotFound);
            }
            session.Terminal.Out.WriteLine(archive.IssueToken(userName));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses <c>--clearance</c>; an unknown level is an error naming the accepted ones.</summary>
    public static ClassificationLevel ParseClearance(string text) =>
        Markings.ParseLevel(text) ?? throw new CliException($"unknown clearance \"{text}\" (use one of {string.Join(", ", Levels)})");

    /// <summary>Parses <c>--controls A,B</c> into known control names; an unknown one is an error listing the known ones.</summary>
    public static IReadOnlyList<string> ParseControls(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var result = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var control = Markings.NormaliseControl(part);
            if (!Markings.KnownControls.Contains(control))
            {
                throw new CliException($"unknown control \"{part}\" (known controls: {string.Join(", ", Markings.KnownControls)})");
            }
            if (!result.Contains(control))
            {
                result.Add(control);
            }
        }
        return result;
    }

    /// <summary>User names are short and plain; "public" and "system" name the built-in readers.</summary>
    private static string CheckName(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new CliException($"bad user name \"{name}\" (letters, digits, '.', '-' and '_', at most 64)");
        }
        if (name.Equals("public", StringComparison.OrdinalIgnoreCase) || name.Equals("system", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"\"{name}\" is reserved for the built-in {name.ToLowerInvariant()} reader");
        }
        return name;
    }
}
