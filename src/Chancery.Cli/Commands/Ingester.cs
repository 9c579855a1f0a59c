using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Ingest;
using Chancery.Ingest.Telegrams;
using Chancery.Ingest.Tei;

namespace Chancery.Cli.Commands;

/// <summary>What to ingest and how: the volume for telegram text, and whether telegram originals are released.</summary>
public sealed record IngestOptions(string? VolumeId = null, bool Released = false);

/// <summary>One volume written by an ingest run.</summary>
public sealed record IngestedVolume(string Id, int Documents, long Bytes, double Seconds);

/// <summary>What an ingest run did: volumes written, and the one-line errors of files that were not.</summary>
public sealed record IngestReport(IReadOnlyList<IngestedVolume> Volumes, IReadOnlyList<string> Errors, double Seconds)
{
    public int Documents => Volumes.Sum(v => v.Documents);
    public long Bytes => Volumes.Sum(v => v.Bytes);
}

/// <summary>Hears how an ingest run goes, to draw a progress bar or print progress lines.</summary>
public interface IIngestProgress
{
    /// <summary>A file is about to be read.</summary>
    void FileStarted(string path, long bytes);
    /// <summary>Another document of the current file has been read.</summary>
    void DocumentRead(string path, int count);
    /// <summary>A file is done with (stored or not).</summary>
    void FileDone(string path, long bytes);
    /// <summary>A volume has been committed.</summary>
    void VolumeStored(IngestedVolume volume);
    /// <summary>A file could not be stored: its one-line error.</summary>
    void Error(string line);
}

/// <summary>
/// Reads sources into an archive. Each TEI file is one volume in one transaction; telegram files of a run go
/// into their volume together. A malformed file is reported and skipped: its volume is not committed, so what
/// the archive held before stays, and the other files still go in.
/// </summary>
public sealed class Ingester(IArchive archive, IngestOptions options)
{
    /// <summary>
    /// The files named by <paramref name="paths"/>: files as given, folders as their *.xml and *.txt files in
    /// ordinal order. A path that does not exist becomes an error line.
    /// </summary>
    public static (List<string> Files, List<string> Errors) Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var errors = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path)
                    .Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                errors.Add($"chancery: no such file or folder: {path}");
            }
        }
        return (files, errors);
    }

    /// <summary>True for the root of the POCOM data (chiefs of mission and principal officers): it has people/ and missions-countries/.</summary>
    public static bool IsPocomFolder(string path) =>
        Directory.Exists(Path.Combine(path, "people")) && Directory.Exists(Path.Combine(path, "missions-countries"));

    /// <summary>Replaces the archive's officials with those of a POCOM folder; returns how many were read.</summary>
    /// <exception cref="CliException">The archive keeps no person index (PostgreSQL, for now).</exception>
    public int ImportOfficials(string folder)
    {
        if (archive is not ILinkArchive links)
        {
            throw new CliException($"{folder} is POCOM data, and officials are only kept by the embedded (folder) archive for now; this archive is PostgreSQL");
        }
        var officials = Chancery.Ingest.Pocom.PocomReader.ReadFolder(folder);
        links.ImportOfficials(officials);
        return officials.Count;
    }

    /// <summary>
    /// Rebuilds links and the person index after a run, so that the first read does not pay for it; null when the
    /// archive keeps no links (PostgreSQL, for now).
    /// </summary>
    public LinkReport? RebuildLinks() => archive is ILinkArchive links ? links.RebuildLinks() : null;

    /// <summary>Detects each file's kind; throws when telegram text is present but no volume was given.</summary>
    public (List<string> Tei, List<string> Telegrams, List<string> Errors) Classify(IEnumerable<string> files)
    {
        var tei = new List<string>();
        var telegrams = new List<string>();
        var errors = new List<string>();
        foreach (var file in files)
        {
            SourceKind kind;
            try
            {
                kind = SourceDetector.Detect(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"chancery: {file}: {e.Message}");
                continue;
            }
            switch (kind)
            {
                case SourceKind.TeiVolume:
                    tei.Add(file);
                    break;
                case SourceKind.TelegramText:
                    telegrams.Add(file);
                    break;
                default:
                    errors.Add($"{file}:1:1: neither a TEI volume nor telegram text (empty or binary)");
                    break;
            }
        }
        if (telegrams.Count > 0 && options.VolumeId is null)
        {
            throw new CliException($"telegram text needs --volume ID ({telegrams[0]} is telegram text)");
        }
        return (tei, telegrams, errors);
    }

    /// <summary>Ingests the files, reporting progress; errors go to the report and to <paramref name="progress"/>.</summary>
    public IngestReport Run(IReadOnlyList<string> tei, IReadOnlyList<string> telegrams, IIngestProgress progress)
    {
        var total = Stopwatch.StartNew();
        var volumes = new List<IngestedVolume>();
        var errors = new List<string>();
        void Fail(string line)
        {
            errors.Add(line);
            progress.Error(line);
        }

        foreach (var path in tei)
        {
            var bytes = new FileInfo(path).Length;
            progress.FileStarted(path, bytes);
            var stored = Guard(path, () => IngestTei(path, bytes, progress), Fail);
            if (stored is not null)
            {
                volumes.Add(stored);
                progress.VolumeStored(stored);
            }
            progress.FileDone(path, bytes);
        }

        if (telegrams.Count > 0)
        {
            var stored = IngestTelegrams(telegrams, progress, Fail);
            if (stored is not null)
            {
                volumes.Add(stored);
                progress.VolumeStored(stored);
            }
        }
        return new IngestReport(volumes, errors, total.Elapsed.TotalSeconds);
    }

    private IngestedVolume IngestTei(string path, long bytes, IIngestProgress progress)
    {
        var clock = Stopwatch.StartNew();
        using var reader = TeiVolumeReader.Open(path);
        var count = 0;
        // one transaction: without its commit the old version of the volume stays readable
        archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume, _ => progress.DocumentRead(path, ++count));
        return new IngestedVolume(reader.Volume.Id, count, bytes, clock.Elapsed.TotalSeconds);
    }

    private IngestedVolume? IngestTelegrams(IReadOnlyList<string> files, IIngestProgress progress, Action<string> fail)
    {
        var clock = Stopwatch.StartNew();
        var volumeId = options.VolumeId!;
        var documents = new List<Document>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        foreach (var path in files)
        {
            var size = new FileInfo(path).Length;
            progress.FileStarted(path, size);
            var document = Guard(path, () => TelegramTextReader.ReadFile(path, volumeId), fail);
            if (document is not null)
            {
                documents.Add(options.Released ? document with { Release = ReleaseState.Released } : document);
                hash.AppendData(File.ReadAllBytes(path));
                bytes += size;
                progress.DocumentRead(path, documents.Count);
            }
            progress.FileDone(path, size);
        }
        if (documents.Count == 0)
        {
            return null;
        }
        var existing = archive.GetVolume(volumeId, ReaderIdentity.System);
        var volume = new Volume
        {
            Id = volumeId,
            Title = existing?.Title ?? volumeId,
            SourceKind = "telegram",
            SourceSha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            SourceBytes = bytes,
        };
        var stored = Guard(string.Join(", ", files), () =>
        {
            archive.UpsertDocuments(volume, documents);
            return new IngestedVolume(volumeId, documents.Count, bytes, clock.Elapsed.TotalSeconds);
        }, fail);
        return stored;
    }

    /// <summary>Runs one file's work; the errors that belong to the file become its one-line error.</summary>
    private static T? Guard<T>(string path, Func<T> work, Action<string> fail) where T : class
    {
        try
        {
            return work();
        }
        catch (SourceFormatException e)
        {
            fail(e.Message);
        }
        catch (XmlException e)
        {
            // readers report SourceFormatException; this is the safety net with the same shape
            fail($"{path}:{e.LineNumber}:{e.LinePosition}: {StripXmlPosition(e.Message)}");
        }
        catch (ArchiveException e)
        {
            fail($"chancery: {path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fail($"chancery: {path}: {e.Message}");
        }
        return null;
    }

    private static string StripXmlPosition(string message)
    {
        var i = message.IndexOf(" Line ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    // ---- formatting shared by the ingest and demo commands -------------------------------------------------

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Rate(long bytes, double seconds) =>
        (seconds > 0 ? bytes / 1_000_000.0 / seconds : 0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Count(long n, string noun, string? plural = null) => n == 1 ? $"1 {noun}" : $"{n} {plural ?? noun + "s"}";

    /// <summary><c>frus1948v05p1: 412 documents, 3.3 MB, 28.1 MB/s</c></summary>
    public static string VolumeLine(IngestedVolume v) =>
        $"{v.Id}: {Count(v.Documents, "document")}, {Megabytes(v.Bytes)} MB, {Rate(v.Bytes, v.Seconds)} MB/s";

    /// <summary><c>ingested 2 volumes, 413 documents, 3.4 MB in 0.2 s (17.0 MB/s)</c>, plus failed files.</summary>
    public static string SummaryLine(IngestReport r)
    {
        var line = $"ingested {Count(r.Volumes.Count, "volume")}, {Count(r.Documents, "document")}, {Megabytes(r.Bytes)} MB in "
            + $"{r.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({Rate(r.Bytes, r.Seconds)} MB/s)";
        return r.Errors.Count == 0 ? line : $"{line}; {Count(r.Errors.Count, "file")} not ingested";
    }
}
