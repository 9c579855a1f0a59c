using System.CommandLine;
using Chancery.Archive;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery demo</c> and <c>chancery serve</c>: the bundled sample and the web reader.</summary>
public static class ServeCommands
{
    /// <summary>Where <c>serve</c> listens unless <c>--urls</c> says otherwise: this machine only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The sample telegram's volume (the seed is document 578 of the Berlin conference volume).</summary>
    public const string SeedVolume = "frus1945Berlinv01";

    public static Command Serve(Globals g)
    {
        var urls = UrlsOption();
        var command = new Command("serve", "Start the web reader over the archive") { urls };
        g.Handle(command, (parse, session) => RunWeb(session, session.ExistingArchive, parse.GetValue(urls)!));
        return command;
    }

    public static Command Demo(Globals g)
    {
        var noServe = new Option<bool>("--no-serve") { Description = "Only build the demo archive; do not start the web reader" };
        var urls = UrlsOption();
        var command = new Command("demo", "Create (or refresh) an archive from the bundled samples, then start the web reader") { noServe, urls };
        g.Handle(command, (parse, session) =>
        {
            var samples = FindSamples();
            var volume = Path.Combine(samples, "frus-sample-volume.xml");
            var seed = Path.Combine(samples, "seed-578.txt");
            var terminal = session.Terminal;
            var location = ArchiveLocator.RedactPassword(session.Location);
            terminal.Out.WriteLine($"demo archive: {location}");
            var sources = new List<string>();
            foreach (var (path, what) in new[] { (volume, "sample volume"), (seed, "sample telegram") })
            {
                if (File.Exists(path))
                {
                    sources.Add(path);
                }
                else
                {
                    terminal.Err.WriteLine($"chancery: no {what} at {path}; skipped");
                }
            }
            if (sources.Count == 0)
            {
                throw new CliException($"the samples folder {samples} holds neither frus-sample-volume.xml nor seed-578.txt");
            }
            // the seed telegram is document 578 of the Berlin volume, and FRUS has released it
            var failed = IngestCommand.Run(session, sources, new IngestOptions(SeedVolume, Released: true), json: false).Errors.Count > 0;
            var archiveOption = session.Location == ArchiveLocator.DefaultLocation ? "" : $" --archive {location}";
            terminal.Out.WriteLine();
            terminal.Out.WriteLine("try:");
            terminal.Out.WriteLine($"  chancery{archiveOption} volumes");
            terminal.Out.WriteLine($"  chancery{archiveOption} show {SeedVolume}#d578");
            terminal.Out.WriteLine($"  chancery{archiveOption} search Soong");
            if (failed)
            {
                return ExitCodes.Failed;
            }
            return parse.GetValue(noServe) ? ExitCodes.Ok : RunWeb(session, session.Archive, parse.GetValue(urls)!);
        });
        return command;
    }

    private static Option<string> UrlsOption() =>
        new("--urls") { Description = "Where the web reader listens", HelpName = "URL", DefaultValueFactory = _ => DefaultUrls };

    /// <summary>Runs the web reader until it is stopped (Ctrl-C, SIGTERM). The one place the CLI starts the web host.</summary>
    private static int RunWeb(Session session, IArchive archive, string urls)
    {
        session.Terminal.Err.WriteLine($"chancery: serving {archive.Location} at {urls} (Ctrl-C stops)");
        Chancery.Web.WebHost.Run(archive, urls);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The repository's <c>samples/</c> folder: next to Chancery.slnx, found by walking up from where the CLI
    /// runs (the launcher builds it under the repository), then from the current directory.
    /// </summary>
    public static string FindSamples()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Chancery.slnx")))
                {
                    var samples = Path.Combine(dir.FullName, "samples");
                    if (Directory.Exists(samples))
                    {
                        return samples;
                    }
                    throw new CliException($"no samples folder in {dir.FullName}");
                }
            }
        }
        throw new CliException("the demo needs the Chancery repository's samples/ folder; no Chancery.slnx was found above "
            + AppContext.BaseDirectory + " or the current directory");
    }
}
