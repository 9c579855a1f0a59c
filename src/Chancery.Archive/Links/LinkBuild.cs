using System.Diagnostics;
using System.Globalization;
using Chancery.Core.Documents;
using Chancery.Core.Files;
using Chancery.Core.People;

namespace Chancery.Archive.Links;

/// <summary>
/// What a links rebuild computes from what is stored, whatever stores it: the resolved links, the person index and
/// the volumes as outlines. Each backend reads its rows into this and writes the result back in one transaction.
/// </summary>
internal sealed record LinkBuild(List<ResolvedLink> Links, PeopleIndex People, IReadOnlyList<VolumeOutline> Outlines, IReadOnlyList<LinkDocument> Documents)
{
    /// <summary>Resolves every reference and builds the person index.</summary>
    public static LinkBuild Run(IReadOnlyList<(string Id, Volume Meta)> volumes, List<LinkDocument> documents, IReadOnlyList<Official> officials,
        IReadOnlyList<PersonDecision> decisions)
    {
        var outlines = volumes.Select(v => new VolumeOutline(v.Id, v.Meta.SourceKind == "tei",
            v.Meta.Contents.Select(e => (e.LocalId, e.DocumentId)).ToList(),
            v.Meta.Persons.Select(p => p.Id).Concat(v.Meta.Terms.Select(t => t.Id)))).ToList();
        var officialsIndex = new OfficialsIndex(officials);
        var resolver = new LinkResolver(documents, outlines, officialsIndex);
        var links = resolver.ResolveAll();
        var years = documents.Where(d => d.DateMin is { Length: >= 4 })
            .GroupBy(d => d.Volume)
            .ToDictionary(g => g.Key, g => g.Min(d => int.Parse(d.DateMin![..4], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var people = PeopleIndexBuilder.Build(
            volumes.Select(v => new VolumePersons(v.Id, v.Meta.Persons, years.TryGetValue(v.Id, out var y) ? y : null)).ToList(),
            documents, officialsIndex, decisions.ToList());
        return new LinkBuild(links, people, outlines, documents);
    }

    /// <summary>The rebuild's report: counts by status, per volume, and of the person index.</summary>
    public LinkReport Report(Stopwatch clock)
    {
        var volumeOf = Documents.ToDictionary(d => d.Id, d => d.Volume, StringComparer.Ordinal);
        // targets "inside the archive" are those of volumes ingested whole, not of volumes holding loose telegrams
        var ingested = Outlines.Where(o => o.Complete).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var perVolume = Links.GroupBy(l => volumeOf[l.SourceId])
            .Select(g => LinkCounting.VolumeReport(g.Key, g.Select(LinkCount.Of), ingested))
            .OrderBy(v => v.Volume, StringComparer.Ordinal)
            .ToList();
        var byStatus = Links.GroupBy(l => LinkStatuses.Name(l.Status)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new LinkReport(Documents.Count, Links.Count, byStatus, perVolume, People.People.Count,
            People.People.Count(p => p.OfficialId is not null), clock.Elapsed);
    }
}

/// <summary>Reads documents' JSON for links in batches, parsing each batch in parallel.</summary>
internal sealed class LinkDocumentBatch
{
    /// <summary>Documents per batch.</summary>
    public const int Size = 2000;

    private readonly List<(LinkDocument Doc, byte[] Json)> _batch = new(Size);

    /// <summary>Every document read so far.</summary>
    public List<LinkDocument> All { get; } = [];

    /// <summary>Adds a document's columns and its stored JSON; parses the batch when full.</summary>
    public void Add(LinkDocument doc, byte[] json)
    {
        _batch.Add((doc, json));
        if (_batch.Count == Size)
        {
            Flush();
        }
    }

    /// <summary>Parses what is pending; call after the last row.</summary>
    public void Flush()
    {
        // the text of a document is kept only when it cites telegrams
        Parallel.ForEach(_batch, item => LinkDocumentReader.Read(item.Json, item.Doc, LinkDocumentReader.CitesTelegrams(item.Json)));
        All.AddRange(_batch.Select(b => b.Doc));
        _batch.Clear();
    }
}

/// <summary>What a per-volume count needs of a link, whether it comes from a rebuild or from the links table.</summary>
internal readonly record struct LinkCount(ReferenceKind Kind, string Target, LinkStatus Status, bool Explicit, bool Missing)
{
    /// <summary>The count of a freshly resolved link.</summary>
    public static LinkCount Of(ResolvedLink l) => new(l.Kind, l.Target, l.Status, l.Explicit, LinkCounting.MissingInSource(l.Status, l.Reason));
}

/// <summary>Backend-neutral pieces of the links archive: counting, names as stored, editing checks, display helpers.</summary>
internal static class LinkCounting
{
    /// <summary>A thread is a conversation; a component this large is the corpus's citation web, not a thread.</summary>
    public const int MaxThread = 500;

    /// <summary>
    /// A target naming an id its volume (ingested whole) does not have: the edition's own broken link ("#d782" in a
    /// volume of 600 documents), not one Chancery failed to follow.
    /// </summary>
    public static bool MissingInSource(LinkStatus status, string? reason) =>
        status == LinkStatus.Unresolved && reason is not null && reason.StartsWith("no document ", StringComparison.Ordinal);

    /// <summary>How the links of one volume resolved.</summary>
    public static VolumeLinkReport VolumeReport(string volume, IEnumerable<LinkCount> links, HashSet<string> ingested)
    {
        int targets = 0, inArchive = 0, missing = 0, resolved = 0, named = 0, namedResolved = 0, cited = 0, tResolved = 0, tNotPrinted = 0, tAmbiguous = 0, tUnresolved = 0;
        foreach (var l in links)
        {
            if (l.Kind is ReferenceKind.Document && !l.Explicit)
            {
                named++;
                if (l.Status == LinkStatus.Resolved)
                {
                    namedResolved++;
                }
            }
            else if (l.Kind is ReferenceKind.Document or ReferenceKind.Page or ReferenceKind.Footnote or ReferenceKind.Volume)
            {
                targets++;
                var hash = l.Target.IndexOf('#');
                if (ingested.Contains(hash < 0 ? l.Target : l.Target[..hash]) && l.Missing)
                {
                    missing++;
                }
                else if (ingested.Contains(hash < 0 ? l.Target : l.Target[..hash]))
                {
                    inArchive++;
                    if (l.Status == LinkStatus.Resolved)
                    {
                        resolved++;
                    }
                }
            }
            else if (l.Kind == ReferenceKind.Telegram)
            {
                cited++;
                switch (l.Status)
                {
                    case LinkStatus.Resolved: tResolved++; break;
                    case LinkStatus.NotPrinted: tNotPrinted++; break;
                    case LinkStatus.Ambiguous: tAmbiguous++; break;
                    default: tUnresolved++; break;
                }
            }
        }
        return new VolumeLinkReport(volume, targets, inArchive, resolved, cited, tResolved, tNotPrinted, tAmbiguous, tUnresolved, named, namedResolved, missing);
    }

    /// <summary>A reference kind as stored.</summary>
    public static string KindName(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Document => "document",
        ReferenceKind.Telegram => "telegram",
        ReferenceKind.File => "file",
        ReferenceKind.Page => "page",
        ReferenceKind.Volume => "volume",
        ReferenceKind.Footnote => "footnote",
        _ => "external",
    };

    /// <summary>The reference kind stored as <paramref name="kind"/>.</summary>
    public static ReferenceKind ParseKindName(string kind) => LinkDocumentReader.ParseKind(kind) ?? ReferenceKind.External;

    /// <summary>Checks and trims a merge or split's editor and reason.</summary>
    /// <exception cref="ArchiveException">The public, or no editor or reason.</exception>
    public static (string Editor, string Reason) Editing(string editor, string reason)
    {
        if (string.IsNullOrWhiteSpace(editor) || editor == Core.Access.ReaderIdentity.Public.Name)
        {
            throw new ArchiveException("merging and splitting persons is for named editors, not the public");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArchiveException("say why: a merge or split needs a reason");
        }
        return (editor.Trim(), reason.Trim());
    }

    /// <summary>Refuses a graph format <see cref="GraphWriter"/> does not write.</summary>
    /// <exception cref="ArgumentException">An unknown format.</exception>
    public static void CheckGraphFormat(string format)
    {
        if (format.Trim().ToLowerInvariant() is not ("graphml" or "xml" or "json"))
        {
            throw new ArgumentException($"unknown graph format “{format}” (use graphml or json)", nameof(format));
        }
    }

    /// <summary>One node per party as printed (folded): "The Ambassador in the Soviet Union (Harriman)".</summary>
    public static string PartyNode(string party, Dictionary<string, string> parties)
    {
        var key = "party:" + Parties.Normalise(party);
        parties.TryAdd(key, party);
        return key;
    }

    /// <summary>The line a thread shows for a telegram: its first paragraph, past a handling caption, cut at 160 characters.</summary>
    public static string FirstLine(Document d)
    {
        var lines = d.Body.Select(b => b switch { Paragraph p => p.Text, ExcisionBlock e => e.Text, _ => "" }).Where(s => s.Length > 0).Take(2).ToList();
        // a handling caption ("(Personal and secret for the Secretary from Crane.)") says nothing about the telegram
        var first = lines.Count == 0 ? "" : lines.Count == 2 && lines[0] is ['(', .., ')'] ? lines[1] : lines[0];
        if (first.Length > 160)
        {
            first = first[..160].TrimEnd() + "…";
        }
        return first;
    }

    /// <summary>En dashes and hyphens are printed interchangeably in date suffixes.</summary>
    public static string NormaliseFileText(string s) => s.Replace('–', '-').Replace('‑', '-');

    /// <summary>
    /// The numbers of a document's stored <paramref name="fileNumbers"/> (<c>|</c>-separated) under
    /// <paramref name="prefix"/>, each with its meaning as of the document's day.
    /// </summary>
    public static List<FiledNumber> FiledNumbers(string fileNumbers, string prefix, string? date)
    {
        DateOnly? day = date is not null && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dd) ? dd : null;
        return fileNumbers.Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Where(n => NormaliseFileText(n).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new FiledNumber(n, FileNumber.TryParse(n, out var fn) ? FileNumberDecoder.Decode(fn, day).Summary : "not a decimal file number"))
            .ToList();
    }

    /// <summary>A LIKE pattern (escape <c>\</c>) for a prefix of a <c>|</c>-joined list: <c>%|prefix%</c>.</summary>
    public static string FilePattern(string prefix) =>
        "%|" + prefix.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
