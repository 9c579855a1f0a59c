using System.CommandLine;
using Chancery.Archive;
using Chancery.Cli.Output;
using Spectre.Console;

namespace Chancery.Cli.Commands;

/// <summary><c>chancery ingest PATH... [--volume ID] [--released] [--json]</c></summary>
public static class IngestCommand
{
    public static Command Create(Globals g)
    {
        var paths = new Argument<string[]>("PATH") { Description = "TEI volume files, telegram text files, or folders of them (*.xml, *.txt)", Arity = ArgumentArity.OneOrMore };
        var volume = new Option<string?>("--volume") { Description = "The volume telegram text goes into, e.g. frus1945Berlinv01", HelpName = "ID" };
        var released = new Option<bool>("--released") { Description = "Declare ingested telegram originals released (default: withheld at their printed marking)" };
        var json = Globals.JsonOption();
        var command = new Command("ingest", "Read TEI volumes and telegram text into the archive (each volume atomically)") { paths, volume, released, json };
        g.Handle(command, (parse, session) =>
        {
            var volumeId = parse.GetValue(volume);
            if (volumeId is not null && !IsVolumeId(volumeId))
            {
                throw new CliException($"bad volume id \"{volumeId}\" (letters, digits, '.', '-' and '_', e.g. frus1945Berlinv01)");
            }
            var report = Run(session, parse.GetValue(paths)!, new IngestOptions(volumeId, parse.GetValue(released)), parse.GetValue(json));
            return report.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>True for a usable volume id: no '#' or '/', which separate it from a document's local id.</summary>
    public static bool IsVolumeId(string id) =>
        id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>Ingests <paramref name="paths"/>, printing progress, errors and the summary (or JSON).</summary>
    public static IngestReport Run(Session session, IEnumerable<string> paths, IngestOptions options, bool json)
    {
        var terminal = session.Terminal;
        // a POCOM data folder holds officials, not documents: it goes to the person index
        var all = paths.ToList();
        var pocom = all.Where(Ingester.IsPocomFolder).ToList();
        var (files, missing) = Ingester.Expand(all.Except(pocom));
        var ingester = new Ingester(session.Archive, options);
        var officials = pocom.Select(folder => ingester.ImportOfficials(folder)).ToList();
        var (tei, telegrams, unreadable) = ingester.Classify(files);
        foreach (var line in missing.Concat(unreadable))
        {
            terminal.Err.WriteLine(line);
        }
        if (options.VolumeId is not null && telegrams.Count == 0 && tei.Count > 0)
        {
            terminal.Err.WriteLine("chancery: note: --volume applies to telegram text only; a TEI volume keeps its own id");
        }

        IngestReport report;
        if (terminal.IsTerminal && !json)
        {
            var bar = new BarProgress(tei.Concat(telegrams).Sum(f => new FileInfo(f).Length));
            report = terminal.Ansi.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx => ingester.Run(tei, telegrams, bar.Attach(ctx, terminal)));
            // errors were held back while the bar was drawn on the same screen
            foreach (var line in bar.Errors)
            {
                terminal.Err.WriteLine(line);
            }
        }
        else
        {
            report = ingester.Run(tei, telegrams, new LineProgress(terminal, json));
        }
        report = report with { Errors = [.. missing, .. unreadable, .. report.Errors] };
        // links are derived from everything stored: build them once per run, not per volume
        var links = report.Volumes.Count > 0 || officials.Count > 0 ? LinkAfterIngest(session, ingester, terminal, json) : null;

        if (json)
        {
            Json.Write(terminal.Out, new
            {
                volumes = report.Volumes.Select(v => new { id = v.Id, documents = v.Documents, bytes = v.Bytes, seconds = Math.Round(v.Seconds, 3) }),
                documents = report.Documents,
                bytes = report.Bytes,
                seconds = Math.Round(report.Seconds, 3),
                errors = report.Errors,
                officials = officials.Sum(),
                links = links is null ? null : new { references = links.Links, people = links.People, seconds = Math.Round(links.Elapsed.TotalSeconds, 3) },
            });
        }
        else
        {
            foreach (var (folder, count) in pocom.Zip(officials))
            {
                terminal.Out.WriteLine($"{folder}: {Ingester.Count(count, "official")} from POCOM");
            }
            terminal.Out.WriteLine(Ingester.SummaryLine(report));
        }
        return report;
    }

    // The rebuild is quiet in a pipe (the summary stays two lines); on a terminal it says what the pause is.
    private static LinkReport? LinkAfterIngest(Session session, Ingester ingester, Terminal terminal, bool json)
    {
        var links = ingester.RebuildLinks();
        if (links is not null && terminal.IsTerminal && !json)
        {
            terminal.Err.WriteLine($"chancery: linked {Ingester.Count(links.Links, "reference")} and {Ingester.Count(links.People, "person", "people")} in "
                + links.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s");
        }
        return links;
    }

    /// <summary>Plain progress: one line per stored volume on stdout, errors on stderr as they happen.</summary>
    private sealed class LineProgress(Terminal terminal, bool quiet) : IIngestProgress
    {
        public void FileStarted(string path, long bytes) { }
        public void DocumentRead(string path, int count) { }
        public void FileDone(string path, long bytes) { }

        public void VolumeStored(IngestedVolume volume)
        {
            if (!quiet)
            {
                terminal.Out.WriteLine(Ingester.VolumeLine(volume));
            }
        }

        public void Error(string line) => terminal.Err.WriteLine(line);
    }

    /// <summary>A Spectre progress bar over the bytes of all files, with the current file and its document count.</summary>
    private sealed class BarProgress(long totalBytes) : IIngestProgress
    {
        private ProgressTask? task;
        private Terminal? terminal;

        public List<string> Errors { get; } = [];

        public BarProgress Attach(ProgressContext ctx, Terminal t)
        {
            terminal = t;
            task = ctx.AddTask("ingest", maxValue: Math.Max(1, totalBytes));
            return this;
        }

        public void FileStarted(string path, long bytes) => Describe(Path.GetFileName(path));

        public void DocumentRead(string path, int count)
        {
            // redrawing is throttled by Spectre; updating the text per document is cheap
            Describe($"{Path.GetFileName(path)}: {Ingester.Count(count, "document")}");
        }

        public void FileDone(string path, long bytes) => task?.Increment(bytes);

        public void VolumeStored(IngestedVolume volume) => terminal?.Ansi.MarkupLine(Markup.Escape(Ingester.VolumeLine(volume)));

        public void Error(string line) => Errors.Add(line);

        private void Describe(string text)
        {
            if (task is not null)
            {
                task.Description = Markup.Escape(text.Length > 48 ? text[..47] + "…" : text);
            }
        }
    }
}
