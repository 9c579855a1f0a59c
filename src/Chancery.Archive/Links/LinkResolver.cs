using System.Globalization;
using System.Text.RegularExpressions;
using Chancery.Core.Documents;

namespace Chancery.Archive.Links;

/// <summary>A reference resolved (or not), with the evidence: what the source printed and why it was read so.</summary>
internal sealed record ResolvedLink(
    string SourceId,
    ReferenceKind Kind,
    string Target,
    string? TargetId,
    LinkStatus Status,
    IReadOnlyList<string> Candidates,
    string Reason,
    string Evidence,
    string Where,
    string? CitedDate)
{
    /// <summary>True for a reference the source encodes as a target (TEI <c>ref/@target</c>), not one read from words.</summary>
    public bool Explicit { get; init; }
}

/// <summary>
/// Resolves every reference of every document in memory. Explicit targets (<c>vol#dN</c>, <c>vol#pg_N</c>,
/// footnotes, volumes) resolve against what is stored. Telegram numbers resolve first by what the edition says right
/// after the citation (a footnote "Not printed." or pointing to the printed document), then by number: the
/// telegram with that number between the right parties (a telegram from X citing "your 120" wants a telegram from
/// its recipient to X), at the cited date when one is printed, else the nearest earlier one, in the same volume
/// before other volumes. Equally good candidates make the link ambiguous; none makes it unresolved, with the reason.
/// </summary>
internal sealed partial class LinkResolver
{
    // Telegram series run per channel and restart each year: an undated citation found further back than about half
    // a year is another telegram with the same number. Footnotes may cite a later telegram (a reply), but a close one.
    private const int MaxDaysBack = 200;
    private const int MaxDaysLaterInNotes = 60;
    // Time zones and transmission put a cited telegram's date up to a day or so after the citing one's.
    private const int DaysGrace = 2;
    // How far after a citation its footnote mark or page reference may stand (", May 24", " from New Delhi, September 13, ").
    private const int FollowWindow = 60;

    private readonly Dictionary<string, LinkDocument> _byId;
    private readonly Dictionary<string, VolumeOutline> _volumes;
    private readonly Dictionary<string, VolumePages> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LinkDocument>> _byNumber = new(StringComparer.Ordinal);

    // "July 11" cited with the footnote after "–12": the end of a day range, not another number
    [GeneratedRegex(@"^[–-]\d{1,2}\b")]
    private static partial Regex DayRangeEnd();

    [GeneratedRegex(@"\d{2,}")]
    private static partial Regex OtherNumber();

    [GeneratedRegex(@"[;]|[.:]\s+[A-Z(\[]")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b(?:not|neither|none|nor)\s+(?:\w+\s+)?printed\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotPrintedWords();

    [GeneratedRegex(@"^\W*(?:not|neither|none)\s+(?:\w+\s+)?printed\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StartsNotPrinted();

    /// <summary>Indexes the documents by id, page and telegram number.</summary>
    /// <param name="documents">Every document of the archive.</param>
    /// <param name="volumes">The volumes in the archive with their contents.</param>
    /// <param name="officials">POCOM, to tell which post a named sender wrote from ("Francis" in 1917: the Embassy in Russia).</param>
    public LinkResolver(IReadOnlyList<LinkDocument> documents, IEnumerable<VolumeOutline> volumes, OfficialsIndex officials)
    {
        _byId = new Dictionary<string, LinkDocument>(documents.Count, StringComparer.Ordinal);
        _volumes = volumes.ToDictionary(v => v.Id, StringComparer.Ordinal);
        foreach (var d in documents.OrderBy(d => d.Volume, StringComparer.Ordinal).ThenBy(d => d.Seq))
        {
            _byId[d.Id] = d;
            d.FromKeys = PartyKeys(d.From, d.Day, officials);
            d.ToKeys = PartyKeys(d.To, d.Day, officials);
            if (!_pages.TryGetValue(d.Volume, out var pages))
            {
                _pages[d.Volume] = pages = new VolumePages();
            }
            pages.Add(d);
            if (d.TelegramNumber is { } n && NumberKey(n) is { Length: > 0 } key)
            {
                if (!_byNumber.TryGetValue(key, out var list))
                {
                    _byNumber[key] = list = [];
                }
                list.Add(d);
            }
        }
    }

    // Posts and the Department as printed; a person's name also stands for the posts they held that day, when POCOM knows it.
    private static string[] PartyKeys(string? party, DateOnly? day, OfficialsIndex officials)
    {
        var key = Parties.Key(party);
        if (key is null)
        {
            return [];
        }
        if (key == Parties.Department || key.StartsWith("post:", StringComparison.Ordinal) || day is not { } d || officials.IsEmpty)
        {
            return [key];
        }
        var names = Parties.NamesIn(party).ToList();
        return names.Count == 1 ? [key, .. officials.PartyKeys(names[0], d).Where(k => k != key)] : [key];
    }

    /// <summary>The links of every document, in document order.</summary>
    public List<ResolvedLink> ResolveAll()
    {
        var links = new List<ResolvedLink>();
        foreach (var d in _byId.Values)
        {
            Resolve(d, links);
        }
        return links;
    }

    /// <summary>The links of one document.</summary>
    public void Resolve(LinkDocument d, List<ResolvedLink> links)
    {
        var seen = new HashSet<(ReferenceKind, string, string, string)>();
        // telegram citations listing several numbers ("numbers 120015 and 120755") are resolved together
        var telegramGroups = new List<List<Reference>>();
        foreach (var r in d.References)
        {
            if (!seen.Add((r.Kind, r.Target, r.Where, r.Text)))
            {
                continue;
            }
            if (r.Kind == ReferenceKind.Telegram)
            {
                var group = telegramGroups.FirstOrDefault(g => g[0].Where == r.Where && g[0].Text == r.Text);
                if (group is null)
                {
                    telegramGroups.Add([r]);
                }
                else
                {
                    group.Add(r);
                }
                continue;
            }
            links.Add(ResolveExplicit(d, r));
        }
        foreach (var group in telegramGroups)
        {
            ResolveTelegrams(d, group, links);
        }
    }

    // ---- explicit targets -------------------------------------------------------------------------------------

    private ResolvedLink ResolveExplicit(LinkDocument d, Reference r)
    {
        var (targetId, status, reason) = r.Kind switch
        {
            ReferenceKind.External => (null, LinkStatus.External, "a link outside the archive"),
            ReferenceKind.File => (null, LinkStatus.External, "a decimal file number: see the file"),
            _ => ResolveTarget(r.Kind, r.Target, null),
        };
        return new ResolvedLink(d.Id, r.Kind, r.Target, targetId, status, [], reason, r.Text, r.Where, null) { Explicit = d.ExplicitTargets.Contains(r.Target) };
    }

    /// <summary>Resolves a document, page, footnote or volume target; <paramref name="preferNumber"/> picks among documents on one page.</summary>
    public (string? TargetId, LinkStatus Status, string Reason) ResolveTarget(ReferenceKind kind, string target, string? preferNumber)
    {
        var hash = target.IndexOf('#');
        if (hash < 0 || kind == ReferenceKind.Volume)
        {
            var volumeId = hash < 0 ? target : target[..hash];
            return _volumes.ContainsKey(volumeId)
                ? (volumeId, LinkStatus.Resolved, "volume in the archive")
                : (null, LinkStatus.Unresolved, $"volume {volumeId} is not in the archive");
        }
        var volume = target[..hash];
        var fragment = target[(hash + 1)..];
        if (!_volumes.TryGetValue(volume, out var outline))
        {
            return (null, LinkStatus.Unresolved, $"volume {volume} is not in the archive");
        }
        if (!outline.Complete && !_byId.ContainsKey(target))
        {
            return (null, LinkStatus.Unresolved, $"{fragment} of {volume} is not in the archive (only loose telegrams of that volume are)");
        }
        if (fragment.StartsWith("pg_", StringComparison.Ordinal))
        {
            return ResolvePage(volume, LinkDocumentReader.CleanPage(fragment[3..]) ?? "", preferNumber);
        }
        if (_byId.ContainsKey(target))
        {
            return (target, LinkStatus.Resolved, "document in the archive");
        }
        // footnotes are the document id + "fn" + n ("d32fn1"; "d65fn-sym1" for a starred note; "d293fn2fn3" when a
        // reader ran two targets together): the note lives in the document before the first "fn"
        var fn = fragment.IndexOf("fn", StringComparison.Ordinal);
        if (fn > 0 && fn + 2 < fragment.Length)
        {
            var owner = volume + "#" + fragment[..fn];
            if (_byId.ContainsKey(owner))
            {
                return (owner, LinkStatus.Resolved, $"footnote {fragment[(fn + 2)..]} of {owner}");
            }
        }
        if (outline.Sections.Contains(fragment))
        {
            return (target, LinkStatus.Resolved, $"section {fragment} of {volume}");
        }
        if (outline.ListIds.Contains(fragment))
        {
            return (volume, LinkStatus.Resolved, $"{(fragment.StartsWith("p_", StringComparison.Ordinal) ? "persons" : "terms")} list entry {fragment} of {volume}");
        }
        return (null, LinkStatus.Unresolved, $"no document {fragment} in {volume}");
    }

    private (string?, LinkStatus, string) ResolvePage(string volume, string page, string? preferNumber)
    {
        if (!_pages.TryGetValue(volume, out var pages))
        {
            return (null, LinkStatus.Unresolved, $"volume {volume} has no documents");
        }
        if (pages.StartsOn.TryGetValue(page, out var starting))
        {
            var pick = starting[0];
            if (starting.Count > 1 && preferNumber is not null && NumberKey(preferNumber) is var key
                && starting.FirstOrDefault(s => s.TelegramNumber is { } n && NumberKey(n) == key) is { } numbered)
            {
                return (numbered.Id, LinkStatus.Resolved, $"telegram {preferNumber} starts on page {page}");
            }
            var others = starting.Count - 1;
            return (pick.Id, LinkStatus.Resolved, others == 0
                ? $"document starting on page {page}"
                : $"first of {starting.Count} documents starting on page {page}");
        }
        if (pages.BreaksIn.TryGetValue(page, out var within))
        {
            return (within.Id, LinkStatus.Resolved, $"page {page} falls within the document");
        }
        // pages without documents: the front matter (roman numbers) and the index after the last document
        if (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return IsRoman(page)
                ? (volume, LinkStatus.Resolved, $"page {page} is in the front matter of {volume}")
                : (null, LinkStatus.Unresolved, $"no page {page} in {volume}");
        }
        if (pages.MinPage is { } min && number < min)
        {
            return (volume, LinkStatus.Resolved, $"page {page} is in the front matter of {volume}");
        }
        if (pages.MaxPage is { } max && number > max)
        {
            return (volume, LinkStatus.Resolved, $"page {page} is after the last document of {volume} (index or back matter)");
        }
        // a page between two documents holds editorial matter: the section there when the contents show one
        if (pages.Before(number) is { } before)
        {
            var after = pages.After(before);
            var sections = _volumes[volume].SectionsBetween(before.Id, after?.Id);
            var between = $"page {page} lies between {before.Id} and {after?.Id ?? "the end"}";
            return sections.Count == 1
                ? (volume + "#" + sections[0], LinkStatus.Resolved, $"{between}, in section {sections[0]}")
                : (volume, LinkStatus.Resolved, $"{between}; no document on it");
        }
        return (null, LinkStatus.Unresolved, $"no document on page {page} of {volume}");
    }

    private static bool IsRoman(string page) => page.Length > 0 && page.All(c => "IVXLCDMivxlcdm".Contains(c));

    /// <summary>Where each page begins, per volume.</summary>
    private sealed class VolumePages
    {
        private readonly List<(int Last, LinkDocument Document)> _order = [];

        public Dictionary<string, List<LinkDocument>> StartsOn { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, LinkDocument> BreaksIn { get; } = new(StringComparer.Ordinal);
        public int? MinPage { get; private set; }
        public int? MaxPage { get; private set; }

        public void Add(LinkDocument d)
        {
            if (d.Page is { } start)
            {
                if (!StartsOn.TryGetValue(start, out var list))
                {
                    StartsOn[start] = list = [];
                }
                list.Add(d);
                Note(start);
            }
            foreach (var p in d.PageBreaks)
            {
                BreaksIn.TryAdd(p, d);
                Note(p);
            }
            var last = d.PageBreaks.Append(d.Page ?? "").Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).Max();
            if (last >= 0)
            {
                _order.Add((last, d));
            }
        }

        /// <summary>The last document (in volume order) whose pages end before <paramref name="page"/>.</summary>
        public LinkDocument? Before(int page) => _order.LastOrDefault(o => o.Last < page).Document;

        /// <summary>The document after <paramref name="d"/> in volume order.</summary>
        public LinkDocument? After(LinkDocument d)
        {
            var i = _order.FindIndex(o => o.Document == d);
            return i >= 0 && i + 1 < _order.Count ? _order[i + 1].Document : null;
        }

        private void Note(string page)
        {
            if (int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                MinPage = MinPage is { } a ? Math.Min(a, n) : n;
                MaxPage = MaxPage is { } b ? Math.Max(b, n) : n;
            }
        }
    }

    // ---- telegram numbers -------------------------------------------------------------------------------------

    /// <summary>"No. 1,234" and "1234" are the same number; series keep their word ("secto 12").</summary>
    public static string NumberKey(string number)
    {
        var s = Parties.Normalise(number).Replace("no.", "", StringComparison.Ordinal).Replace("nos.", "", StringComparison.Ordinal);
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (c == ' ' && sb.Length > 0 && sb[^1] != ' ' && !char.IsDigit(sb[^1]))
            {
                sb.Append(' ');
            }
        }
        return sb.ToString().Trim();
    }

    private void ResolveTelegrams(LinkDocument d, List<Reference> group, List<ResolvedLink> links)
    {
        var first = group[0];
        var mayBeLater = !first.Where.Equals("body", StringComparison.Ordinal) && !first.Where.Equals("head", StringComparison.Ordinal);
        var citingDay = d.Day;
        var following = Following(d, first.Where, first.Text);
        var dates = group.Select(r => CitedDateFor(r, first, citingDay, mayBeLater)).ToList();

        // 1. the edition says the telegram is not printed: in the footnote right after the citation, or in the same sentence
        string? notPrinted = null;
        if (following.Footnote is { } fnNote && Footnote(d, fnNote) is { } fnText && StartsNotPrinted().IsMatch(fnText))
        {
            notPrinted = $"footnote {fnNote}: {Clip(fnText, 100)}";
        }
        else if (following.SentenceRest is { } rest && NotPrintedWords().IsMatch(rest))
        {
            notPrinted = $"the citation goes on: {Clip(rest, 100)}";
        }
        if (notPrinted is not null)
        {
            for (var i = 0; i < group.Count; i++)
            {
                links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, group[i].Target, null, LinkStatus.NotPrinted, [], notPrinted,
                    first.Text, first.Where, dates[i]?.Text));
            }
            return;
        }

        // 2. the edition points to where it is printed: one target per cited number, in order ("p. 412 and p. 425, respectively")
        var pointers = following.Targets;
        if (following.Footnote is { } fn)
        {
            pointers = [.. pointers, .. FootnoteTargets(d, fn).Where(t => !pointers.Contains(t))];
        }
        if (pointers.Count == group.Count)
        {
            for (var i = 0; i < group.Count; i++)
            {
                var r = group[i];
                var kind = pointers[i].Contains("#pg_", StringComparison.Ordinal) ? ReferenceKind.Page : ReferenceKind.Document;
                var (targetId, status, reason) = ResolveTarget(kind, pointers[i], r.Target);
                var why = following.Footnote is { } n && !following.Targets.Contains(pointers[i])
                    ? $"footnote {n} points to {pointers[i]}"
                    : $"the citation points to {pointers[i]}";
                if (status == LinkStatus.Resolved && targetId is not null && !_byId.ContainsKey(targetId))
                {
                    // a page outside the documents is no telegram: fall back to the number
                    ResolveByNumber(d, r, dates[i], first, links, why + " (" + reason + ")");
                    continue;
                }
                links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, r.Target, status == LinkStatus.Resolved ? targetId : null, status, [],
                    status == LinkStatus.Resolved ? $"{why} ({reason})" : $"{why}: {reason}", first.Text, first.Where, dates[i]?.Text));
            }
            return;
        }

        // 3. by number, parties and date
        var note = pointers.Count > 0 ? $"; the edition points to {string.Join(", ", pointers)} for {group.Count} numbers" : "";
        for (var i = 0; i < group.Count; i++)
        {
            ResolveByNumber(d, group[i], dates[i], first, links, note.Length > 0 ? note[2..] : null);
        }
    }

    private CitedDates.CitedDate? CitedDateFor(Reference r, Reference first, DateOnly? citingDay, bool mayBeLater)
    {
        if (CitedDates.Parse(r.Date, citingDay, mayBeLater) is { } given)
        {
            return given;
        }
        // the date printed after this number and before the next ("1391, September 29, and 1416, October 11")
        var text = first.Text;
        var at = NumberPosition(text, r.Target);
        return at < 0 ? CitedDates.Find(text, 0, citingDay, mayBeLater) : CitedDates.Find(text, at, citingDay, mayBeLater);
    }

    private static int NumberPosition(string text, string number)
    {
        var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return -1;
        }
        var i = 0;
        while ((i = text.IndexOf(digits, i, StringComparison.Ordinal)) >= 0)
        {
            var end = i + digits.Length;
            if ((i == 0 || !char.IsAsciiDigit(text[i - 1])) && (end == text.Length || !char.IsAsciiDigit(text[end])))
            {
                return end;
            }
            i = end;
        }
        return -1;
    }

    private void ResolveByNumber(LinkDocument d, Reference r, CitedDates.CitedDate? date, Reference first, List<ResolvedLink> links, string? note)
    {
        var suffix = note is null ? "" : "; " + note;
        if (!_byNumber.TryGetValue(NumberKey(r.Target), out var all) || all.All(c => c == d))
        {
            links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, r.Target, null, LinkStatus.Unresolved, [],
                $"no telegram numbered {r.Target} in the archive{suffix}", first.Text, first.Where, date?.Text));
            return;
        }
        var direction = DirectionOf(first.Text);
        var (sender, recipient) = Expected(direction, d);
        var mayBeLater = !first.Where.Equals("body", StringComparison.Ordinal) && !first.Where.Equals("head", StringComparison.Ordinal);
        var citingDay = d.Day;
        var fits = new List<Fit>();
        var misfits = new List<string>();
        foreach (var c in all)
        {
            if (c == d)
            {
                continue;
            }
            var score = PartyScore(direction, sender, recipient, d, c);
            var day = c.Day;
            int? delta = day is { } cd && citingDay is { } dd ? dd.DayNumber - cd.DayNumber : null;
            var dateMatch = date is { } cited && day is { } cday && cday.DayNumber >= cited.From.DayNumber - 1 && cday.DayNumber <= cited.To.DayNumber + 1;
            string? why = null;
            if (date is not null && day is not null && !dateMatch)
            {
                why = $"{c.Id} is dated {day:yyyy-MM-dd}, not {date.Value.Text}";
            }
            else if (date is null && delta is { } dl && (dl > MaxDaysBack || (!mayBeLater && dl < -DaysGrace) || (mayBeLater && dl < -MaxDaysLaterInNotes)))
            {
                why = $"{c.Id} is dated {day:yyyy-MM-dd}, too far from {citingDay:yyyy-MM-dd}";
            }
            else if (!(score >= MinScore || (dateMatch && score >= 1)) && !(date is { } exact && UniqueExactDate(all, d, exact) == c))
            {
                why = $"{c.Id} is from {c.From ?? "?"} to {c.To ?? "?"}";
            }
            if (why is not null)
            {
                misfits.Add(why);
                continue;
            }
            fits.Add(new Fit(c, score, c.Volume == d.Volume, dateMatch, delta is >= -DaysGrace, delta is { } x ? Math.Abs(x) : int.MaxValue));
        }
        if (fits.Count == 0)
        {
            links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, r.Target, null, LinkStatus.Unresolved, [],
                $"telegram {r.Target} in the archive does not fit: {string.Join("; ", misfits.Take(3))}{(misfits.Count > 3 ? $"; {misfits.Count - 3} more" : "")}{suffix}",
                first.Text, first.Where, date?.Text));
            return;
        }
        // the same volume first, then other volumes
        var pool = (fits.Any(f => f.SameVolume) ? fits.Where(f => f.SameVolume) : fits)
            .Order(Comparer<Fit>.Create(Fit.Compare)).ThenBy(f => f.Document.Id, StringComparer.Ordinal).ToList();
        var best = pool[0];
        var tied = pool.TakeWhile(f => Fit.Compare(f, best) == 0).ToList();
        if (tied.Count > 1)
        {
            links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, r.Target, null, LinkStatus.Ambiguous, tied.Select(f => f.Document.Id).ToList(),
                $"{tied.Count} telegrams numbered {r.Target} fit equally well{suffix}", first.Text, first.Where, date?.Text));
            return;
        }
        var c0 = best.Document;
        var reasons = new List<string> { $"telegram {c0.TelegramNumber} from {c0.From ?? "?"} to {c0.To ?? "?"}, {c0.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated"}" };
        if (best.DateMatch)
        {
            reasons.Add($"dated as cited ({date!.Value.Text})");
        }
        reasons.Add(best.Score switch
        {
            >= 3 => direction == Direction.Unknown ? "between the same parties" : "from and to the parties the citation implies",
            2 => "from the sender the citation implies",
            1 => "one party besides the Department in common",
            _ => "parties differ",
        });
        if (!best.SameVolume)
        {
            reasons.Add("in another volume");
        }
        if (pool.Count > 1)
        {
            reasons.Add($"{pool.Count - 1} other candidate{(pool.Count > 2 ? "s" : "")} fit less well");
        }
        links.Add(new ResolvedLink(d.Id, ReferenceKind.Telegram, r.Target, c0.Id, LinkStatus.Resolved,
            pool.Count > 1 ? pool.Select(f => f.Document.Id).ToList() : [], string.Join("; ", reasons) + suffix, first.Text, first.Where, date?.Text));
    }

    private sealed record Fit(LinkDocument Document, int Score, bool SameVolume, bool DateMatch, bool Earlier, int Distance)
    {
        // better first: a printed date that matches, then parties, then earlier, then nearer
        public static int Compare(Fit a, Fit b)
        {
            var c = b.DateMatch.CompareTo(a.DateMatch);
            if (c == 0)
            {
                c = b.Score.CompareTo(a.Score);
            }
            if (c == 0)
            {
                c = b.Earlier.CompareTo(a.Earlier);
            }
            if (c == 0)
            {
                c = a.Distance.CompareTo(b.Distance);
            }
            return c;
        }
    }

    /// <summary>Who the citation says sent the cited telegram.</summary>
    internal enum Direction { Unknown, Theirs, Mine, Department, Post }

    /// <summary>"your 120", "urtel" → theirs; "my 120", "our", "mytel" → mine; "Deptel" → the Department's; "Embtel" → the post's.</summary>
    internal static Direction DirectionOf(string citation)
    {
        var t = citation.TrimStart().ToLowerInvariant();
        if (t.StartsWith("your", StringComparison.Ordinal) || t.StartsWith("urtel", StringComparison.Ordinal) || t.Contains(" your ", StringComparison.Ordinal))
        {
            return Direction.Theirs;
        }
        if (t.StartsWith("my", StringComparison.Ordinal) || t.StartsWith("our ", StringComparison.Ordinal) || t.Contains(" my ", StringComparison.Ordinal))
        {
            return Direction.Mine;
        }
        if (t.StartsWith("dep", StringComparison.Ordinal) || t.StartsWith("circtel", StringComparison.Ordinal) || t.StartsWith("department", StringComparison.Ordinal))
        {
            return Direction.Department;
        }
        if (t.StartsWith("embtel", StringComparison.Ordinal) || t.StartsWith("legtel", StringComparison.Ordinal) || t.StartsWith("contel", StringComparison.Ordinal))
        {
            return Direction.Post;
        }
        return Direction.Unknown;
    }

    private static (string[] Sender, string[] Recipient) Expected(Direction direction, LinkDocument d)
    {
        var post = d.FromKeys.Contains(Parties.Department) ? d.ToKeys : d.FromKeys;
        return direction switch
        {
            Direction.Theirs => (d.ToKeys, d.FromKeys),
            Direction.Mine => (d.FromKeys, d.ToKeys),
            Direction.Department => ([Parties.Department], post),
            Direction.Post => (post, []),
            _ => ([], []),
        };
    }

    // Telegram numbers run per channel (the Department to a post, a post to the Department): without a printed date,
    // a number only counts between the two parties the citation implies.
    private const int MinScore = 3;

    // A number in another channel still counts when it is the only telegram with that number dated exactly as printed.
    private static LinkDocument? UniqueExactDate(List<LinkDocument> all, LinkDocument d, CitedDates.CitedDate date)
    {
        var exact = all.Where(c => c != d && c.Day is { } day && day >= date.From && day <= date.To).Take(2).ToList();
        return exact.Count == 1 ? exact[0] : null;
    }

    private static bool Same(string[] a, string[] b) => a.Length > 0 && b.Length > 0 && a.Any(x => b.Any(y => SameParty(x, y)));

    // "post:republic of vietnam" (POCOM) is "post:vietnam" (FRUS): a post's place may carry more words on one side.
    private static bool SameParty(string a, string b)
    {
        if (a == b)
        {
            return true;
        }
        if (!a.StartsWith("post:", StringComparison.Ordinal) || !b.StartsWith("post:", StringComparison.Ordinal))
        {
            return false;
        }
        var (shorter, longer) = a.Length < b.Length ? (a[5..], b[5..]) : (b[5..], a[5..]);
        return longer.EndsWith(" " + shorter, StringComparison.Ordinal);
    }

    // 3: sender and recipient as expected (or the same pair either way when the citation does not say);
    // 2: the expected sender; 1: a party other than the Department in common (everyone writes to the Department); 0: none.
    private static int PartyScore(Direction direction, string[] sender, string[] recipient, LinkDocument d, LinkDocument c)
    {
        if (direction == Direction.Unknown)
        {
            if ((Same(c.FromKeys, d.FromKeys) && Same(c.ToKeys, d.ToKeys)) || (Same(c.FromKeys, d.ToKeys) && Same(c.ToKeys, d.FromKeys)))
            {
                return 3;
            }
            return SharesParty(d, c) ? 1 : 0;
        }
        var s = Same(c.FromKeys, sender);
        if (s && (recipient.Length == 0 || Same(c.ToKeys, recipient)))
        {
            return 3;
        }
        if (s)
        {
            return 2;
        }
        return SharesParty(d, c) ? 1 : 0;
    }

    private static bool SharesParty(LinkDocument d, LinkDocument c)
    {
        var mine = d.FromKeys.Concat(d.ToKeys).Where(k => k != Parties.Department).ToArray();
        var theirs = c.FromKeys.Concat(c.ToKeys).Where(k => k != Parties.Department).ToArray();
        return Same(mine, theirs);
    }

    // ---- what follows a citation ------------------------------------------------------------------------------

    /// <summary>
    /// The footnote mark and explicit targets standing right after a citation (same sentence, within a few words),
    /// and the rest of its sentence.
    /// </summary>
    internal readonly record struct FollowingMarks(string? Footnote, List<string> Targets, string? SentenceRest);

    private static FollowingMarks Following(LinkDocument d, string where, string citation)
    {
        var segments = d.Segments.Where(s => s.Where == where).ToList();
        if (segments.Count == 0)
        {
            segments = d.Segments;
        }
        foreach (var seg in segments)
        {
            var at = seg.Text.IndexOf(citation, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var end = at + citation.Length;
            var sentenceEnd = SentenceBreak().Match(seg.Text, end) is { Success: true } sb ? sb.Index : seg.Text.Length;
            string? footnote = null;
            var targets = new List<string>();
            foreach (var m in seg.Marks)
            {
                if (m.Offset < end)
                {
                    continue;
                }
                // another number in between ("my 23 (Embtel Delhi 732[1])"): the mark belongs to that one
                if (m.Offset > sentenceEnd || m.Offset - end > FollowWindow || OtherNumber().IsMatch(CitedDates.Strip(DayRangeEnd().Replace(seg.Text[end..m.Offset], ""))))
                {
                    break;
                }
                if (m.Footnote is not null)
                {
                    footnote ??= m.Footnote;
                }
                else if (Qualify(m.Target, d.Volume) is { } t && !targets.Contains(t))
                {
                    targets.Add(t);
                }
            }
            var rest = seg.Text[end..Math.Min(sentenceEnd, end + 160)];
            return new FollowingMarks(footnote, targets, rest);
        }
        return new FollowingMarks(null, [], null);
    }

    private static string? Footnote(LinkDocument d, string n) =>
        d.Segments.FirstOrDefault(s => s.Where == "footnote " + n)?.Text;

    // Document and page targets a footnote gives: its explicit refs, then documents it names in words.
    private static List<string> FootnoteTargets(LinkDocument d, string n)
    {
        var where = "footnote " + n;
        var targets = new List<string>();
        if (d.Segments.FirstOrDefault(s => s.Where == where) is { } seg)
        {
            foreach (var m in seg.Marks)
            {
                if (Qualify(m.Target, d.Volume) is { } t && !targets.Contains(t))
                {
                    targets.Add(t);
                }
            }
        }
        foreach (var r in d.References)
        {
            if (r.Where == where && r.Kind is ReferenceKind.Document or ReferenceKind.Page && !targets.Contains(r.Target))
            {
                targets.Add(r.Target);
            }
        }
        return targets;
    }

    // A mark's raw target ("#pg_412", "frus1947v05#d3") as a document or page id; null for web links and volumes.
    private static string? Qualify(string? target, string volume)
    {
        if (target is null)
        {
            return null;
        }
        var hash = target.IndexOf('#');
        if (hash < 0 || target.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }
        return hash == 0 ? volume + target : target;
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max].TrimEnd() + "…";
}
