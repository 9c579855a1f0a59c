using System.Globalization;
using System.Text;
using Chancery.Core.Documents;
using Chancery.Core.People;

namespace Chancery.Archive.Links;

/// <summary>A volume's persons list, with the year its documents start (to tell namesakes of different eras apart).</summary>
internal sealed record VolumePersons(string Volume, IReadOnlyList<PersonEntry> Persons, int? Year);

/// <summary>A person of the index: the listings merged into them, the official they are, and why.</summary>
internal sealed record IndexedPerson(
    string Id,
    string Name,
    IReadOnlyList<string> Names,
    IReadOnlyList<PersonListing> Listings,
    string? OfficialId,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> Forms);

/// <summary>A document a person sent, received or is mentioned in.</summary>
internal sealed record PersonDocumentRow(string Person, string Document, string Role, string Evidence);

/// <summary>
/// An editor's decision, applied on every build: <c>merge</c> joins the persons of listings <see cref="A"/> and
/// <see cref="B"/>; <c>split</c> makes listing <see cref="A"/> a person of its own (<see cref="B"/> is the person it
/// was taken from). Listings are named <c>volume#personId</c>, which survive rebuilds where index ids may not.
/// </summary>
internal sealed record PersonDecision(string Action, string A, string B, string Editor, string Reason)
{
    public const string Merge = "merge";
    public const string Split = "split";

    /// <summary>What the person shows: "merged by NAME: reason" or "split by NAME: reason".</summary>
    public string Evidence => $"{(Action == Merge ? "merged" : "split")} by {Editor}: {Reason}";
}

/// <summary>The index: people, and the documents tied to them.</summary>
internal sealed record PeopleIndex(IReadOnlyList<IndexedPerson> People, IReadOnlyList<PersonDocumentRow> Documents);

/// <summary>
/// Builds the person index. Listings of the volumes' persons lists are the same person when their names are the
/// same form, or agree (initials against full names) and their descriptions share words; a person is a POCOM
/// official when the names agree and the official lived then and, unless the names agree in full, held a post the
/// description speaks of. Senders and recipients named in a head ("The Ambassador in the Soviet Union (Harriman)")
/// are found among the volume's listings, else among officials in post on the document's date. Every
/// identification keeps its evidence. An editor's decisions override the rules: a merge joins two persons whatever
/// their names, a split keeps a listing out of every automatic join.
/// </summary>
internal static class PeopleIndexBuilder
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "from", "until", "with", "after", "before", "also", "later", "then", "since", "during", "was", "who",
        "his", "her", "into", "under", "over", "between", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "member", "also", "former", "formerly", "acting", "office",
    };

    public static PeopleIndex Build(
        IReadOnlyList<VolumePersons> volumes, IReadOnlyList<LinkDocument> documents, OfficialsIndex officials,
        IReadOnlyList<PersonDecision>? decisions = null)
    {
        var listings = new List<Listing>();
        foreach (var v in volumes)
        {
            foreach (var p in v.Persons)
            {
                if (PersonName.Parse(p.Name) is { } name)
                {
                    listings.Add(new Listing(listings.Count, v.Volume, PersonIdOf(p.Id), p.Name, p.Description, name, v.Year, Words(p.Description)));
                }
            }
        }
        var byKey = new Dictionary<string, Listing>(StringComparer.Ordinal);
        foreach (var l in listings)
        {
            byKey.TryAdd(l.Volume + "#" + l.PersonId, l);
        }
        // the decisions in force: a later split undoes an earlier merge of that listing; decisions about listings
        // no longer in the archive wait for them
        var merges = new List<(Listing A, Listing B, string Evidence)>();
        var splits = new Dictionary<int, string>();
        foreach (var d in decisions ?? [])
        {
            if (!byKey.TryGetValue(d.A, out var a))
            {
                continue;
            }
            if (d.Action == PersonDecision.Split)
            {
                splits[a.Index] = d.Evidence;
                merges.RemoveAll(m => m.A.Index == a.Index || m.B.Index == a.Index);
            }
            else if (byKey.TryGetValue(d.B, out var b))
            {
                merges.Add((a, b, d.Evidence));
            }
        }
        var clusters = new Clusters(listings, splits.Keys.ToHashSet());
        foreach (var group in listings.GroupBy(l => l.Name.Surname))
        {
            var items = group.ToList();
            foreach (var same in items.GroupBy(l => l.Name.Key))
            {
                var first = same.First();
                foreach (var other in same.Skip(1))
                {
                    clusters.Union(first.Index, other.Index, $"“{first.Text}” ({first.Volume}) and “{other.Text}” ({other.Volume}): the same name");
                }
            }
            for (var i = 0; i < items.Count; i++)
            {
                for (var j = i + 1; j < items.Count; j++)
                {
                    var a = items[i];
                    var b = items[j];
                    if (a.Name.Key == b.Name.Key || a.Name.Given.Count == 0 || b.Name.Given.Count == 0 || !a.Name.CompatibleWith(b.Name))
                    {
                        continue;
                    }
                    var shared = a.Words.Intersect(b.Words).ToList();
                    if (shared.Count >= 2 && shared.Count * 5 >= a.Words.Union(b.Words).Count())
                    {
                        clusters.Union(a.Index, b.Index, $"“{a.Text}” ({a.Volume}) and “{b.Text}” ({b.Volume}): names agree and descriptions share {string.Join(", ", shared.Take(4))}");
                    }
                }
            }
        }

        foreach (var (a, b, evidence) in merges)
        {
            clusters.Join(a.Index, b.Index, evidence);
        }
        foreach (var (index, evidence) in splits)
        {
            clusters.Note(index, evidence);
        }

        // POCOM: one official per cluster, when unique
        var officialOf = new Dictionary<int, (Official Official, string Evidence)>();
        foreach (var root in clusters.Roots())
        {
            if (MatchOfficial(clusters.Members(root), officials) is { } match)
            {
                officialOf[root] = match;
            }
        }
        // clusters tied to the same official are the same person
        foreach (var same in officialOf.GroupBy(kv => kv.Value.Official.Id).Where(g => g.Count() > 1).ToList())
        {
            var roots = same.Select(kv => kv.Key).ToList();
            foreach (var other in roots.Skip(1))
            {
                var a = clusters.Members(roots[0])[0];
                var b = clusters.Members(other)[0];
                clusters.Union(a.Index, b.Index, $"“{a.Text}” ({a.Volume}) and “{b.Text}” ({b.Volume}): both POCOM {same.Key}");
            }
        }
        var officialByRoot = new Dictionary<int, (Official Official, string Evidence)>();
        foreach (var (root, match) in officialOf)
        {
            officialByRoot.TryAdd(clusters.Find(root), match);
        }
        // an official still matched by several persons (a split kept them apart) belongs to those the editor left whole
        foreach (var same in officialByRoot.GroupBy(kv => kv.Value.Official.Id).Where(g => g.Count() > 1).ToList())
        {
            var split = same.Where(kv => clusters.HoldsSplit(kv.Key)).Select(kv => kv.Key).ToList();
            if (split.Count < same.Count())
            {
                split.ForEach(root => officialByRoot.Remove(root));
            }
        }

        // people from clusters; ids from POCOM or the name
        var people = new List<PersonBuilder>();
        var byRoot = new Dictionary<int, PersonBuilder>();
        var byListing = new Dictionary<(string Volume, string Id), PersonBuilder>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in clusters.Roots().OrderBy(r => r))
        {
            var members = clusters.Members(root);
            officialByRoot.TryGetValue(root, out var official);
            var person = new PersonBuilder(members, official.Official, clusters.EvidenceOf(root));
            if (official.Official is not null)
            {
                person.Evidence.Add(official.Evidence);
            }
            person.Id = UniqueId(official.Official?.Id ?? Slug(person.BestName), usedIds);
            people.Add(person);
            byRoot[root] = person;
            foreach (var m in members)
            {
                byListing.TryAdd((m.Volume, m.PersonId), person);
            }
        }
        var byOfficial = people.Where(p => p.Official is not null).GroupBy(p => p.Official!.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var listingsByVolume = listings.GroupBy(l => l.Volume).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var rows = new List<PersonDocumentRow>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var d in documents)
        {
            foreach (var p in d.Persons)
            {
                if (p.Id is null || !byListing.TryGetValue((VolumeOf(p.Id, d.Volume), PersonIdOf(p.Id)), out var person))
                {
                    continue;
                }
                if (seen.Add((person.Id, d.Id, "mentioned")))
                {
                    rows.Add(new PersonDocumentRow(person.Id, d.Id, "mentioned", $"named as “{p.Name}” ({PersonIdOf(p.Id)})"));
                }
            }
            foreach (var (role, party) in new[] { ("sent", d.From), ("received", d.To) })
            {
                var found = Parties.NamesIn(party)
                    .Select(name => FindParty(name, party!, d, listingsByVolume, byListing, officials, byOfficial, people, usedIds))
                    .Where(f => f is not null).ToList();
                // "to the Secretary of State" is how every post addressed the Department; only a sender is the Secretary himself
                if (found.Count == 0 && role == "sent" && OfficeHolder(party, d, officials, byOfficial, people, usedIds) is { } holder)
                {
                    found.Add(holder);
                }
                foreach (var f in found)
                {
                    if (seen.Add((f!.Value.Person.Id, d.Id, role)))
                    {
                        rows.Add(new PersonDocumentRow(f.Value.Person.Id, d.Id, role, f.Value.Evidence));
                    }
                }
            }
        }
        return new PeopleIndex(people.Select(p => p.Build()).ToList(), rows);
    }

    // Heads say "The Secretary of State to …" when the Secretary himself signed ("The Acting Secretary" otherwise):
    // POCOM says who was Secretary that day.
    private static (PersonBuilder Person, string Evidence)? OfficeHolder(
        string? party, LinkDocument d, OfficialsIndex officials, Dictionary<string, PersonBuilder> byOfficial, List<PersonBuilder> people, HashSet<string> usedIds)
    {
        if (party is null || d.DateMin is not { Length: >= 10 } date)
        {
            return null;
        }
        var text = Parties.Normalise(party);
        if (text is not ("the secretary of state" or "secretary of state"))
        {
            return null;
        }
        var day = date[..10];
        if (officials.HolderOf("Secretary of State", day) is not { } holder)
        {
            return null;
        }
        var person = PersonOf(holder.Official, byOfficial, people, usedIds);
        return (person, $"“{party}” on {day}: POCOM {holder.Official.Name}, {holder.Post.Summary}");
    }

    private static PersonBuilder PersonOf(Official official, Dictionary<string, PersonBuilder> byOfficial, List<PersonBuilder> people, HashSet<string> usedIds)
    {
        if (!byOfficial.TryGetValue(official.Id, out var person))
        {
            person = new PersonBuilder([], official, []) { Id = UniqueId(official.Id, usedIds) };
            person.Evidence.Add($"known from POCOM only: {official.Name}");
            people.Add(person);
            byOfficial[official.Id] = person;
        }
        return person;
    }

    private static (PersonBuilder Person, string Evidence)? FindParty(
        string name, string party, LinkDocument d,
        Dictionary<string, List<Listing>> listingsByVolume, Dictionary<(string, string), PersonBuilder> byListing,
        OfficialsIndex officialsIndex,
        Dictionary<string, PersonBuilder> byOfficial, List<PersonBuilder> people, HashSet<string> usedIds)
    {
        if (PersonName.Parse(name) is not { } parsed)
        {
            return null;
        }
        var role = Words(party);
        if (listingsByVolume.TryGetValue(d.Volume, out var inVolume))
        {
            var candidates = inVolume.Where(l => l.Name.CompatibleWith(parsed)).ToList();
            if (candidates.Count > 1)
            {
                var described = candidates.Where(l => l.Words.Overlaps(role)).ToList();
                if (described.Count > 0)
                {
                    candidates = described;
                }
            }
            var persons = candidates.Select(c => byListing[(c.Volume, c.PersonId)]).Distinct().ToList();
            if (persons.Count == 1)
            {
                var l = candidates[0];
                return (persons[0], $"“{party}” names {name}: {l.Text} in the persons list of {l.Volume} ({l.PersonId})");
            }
            if (persons.Count > 1)
            {
                return null;
            }
        }
        // no persons list names them: an official in post that day
        if (d.DateMin is not { Length: >= 10 } date)
        {
            return null;
        }
        var day = date[..10];
        var inPost = officialsIndex.Compatible(parsed)
            .Select(o => (o.Official, Post: o.Official.Posts.FirstOrDefault(p => OfficialsIndex.Holds(p, day) && (p.Where is null || role.Overlaps(Words(p.Where))))))
            .Where(o => o.Post is not null)
            .DistinctBy(o => o.Official.Id)
            .ToList();
        if (inPost.Count != 1)
        {
            return null;
        }
        var (official, post) = inPost[0];
        var person = PersonOf(official, byOfficial, people, usedIds);
        return (person, $"“{party}” names {name}: POCOM {official.Name}, {post!.Summary}, in post on {day}");
    }

    private static (Official Official, string Evidence)? MatchOfficial(IReadOnlyList<Listing> members, OfficialsIndex officials)
    {
        var best = members.OrderByDescending(m => m.Name.Given.Sum(g => g.Length)).First();
        var candidates = officials.WithSurname(best.Name.Surname);
        if (best.Name.Given.Count == 0 || candidates.Count == 0)
        {
            return null;
        }
        var year = members.Select(m => m.Year).Where(y => y is not null).Min();
        var words = new HashSet<string>(members.SelectMany(m => m.Words), StringComparer.Ordinal);
        var scored = new List<(Official Official, int Score, string Why)>();
        foreach (var (official, names) in candidates.DistinctBy(c => c.Official.Id))
        {
            var compatible = names.FirstOrDefault(n => members.All(m => m.Name.CompatibleWith(n)));
            if (compatible is null || !Alive(official, year))
            {
                continue;
            }
            var full = names.Any(n => n.SameInFull(best.Name));
            var posts = official.Posts.Where(p => p.Where is not null && words.Overlaps(Words(p.Where))
                || Words(p.ShortTitle).Count(words.Contains) >= 2).ToList();
            if (!full && posts.Count == 0)
            {
                continue;
            }
            var why = full ? $"name “{official.Name}” agrees in full" : $"name “{official.Name}” agrees";
            if (posts.Count > 0)
            {
                why += $"; the description speaks of {posts[0].Summary}";
            }
            scored.Add((official, (full ? 2 : 1) + (posts.Count > 0 ? 2 : 0), why));
        }
        if (scored.Count == 0)
        {
            return null;
        }
        var top = scored.Max(s => s.Score);
        var tops = scored.Where(s => s.Score == top).ToList();
        if (tops.Count != 1)
        {
            return null;
        }
        var life = $"{tops[0].Official.Birth ?? "?"}–{tops[0].Official.Death ?? ""}";
        return (tops[0].Official, $"POCOM {tops[0].Official.Id} ({life}): {tops[0].Why}");
    }

    // Someone listed in a volume whose documents start in `year` was born well before it and had not died long before.
    private static bool Alive(Official o, int? year)
    {
        if (year is not { } y)
        {
            return true;
        }
        if (int.TryParse(o.Birth, NumberStyles.None, CultureInfo.InvariantCulture, out var born) && born > y - 15)
        {
            return false;
        }
        if (int.TryParse(o.Death, NumberStyles.None, CultureInfo.InvariantCulture, out var died) && died < y - 1)
        {
            return false;
        }
        return true;
    }

    internal static HashSet<string> Words(string? text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (text is null)
        {
            return set;
        }
        var folded = Parties.Normalise(text);
        var sb = new StringBuilder();
        foreach (var c in folded + " ")
        {
            if (char.IsLetter(c))
            {
                sb.Append(c);
                continue;
            }
            if (sb.Length >= 3 && !StopWords.Contains(sb.ToString()))
            {
                set.Add(sb.ToString());
            }
            sb.Clear();
        }
        return set;
    }

    /// <summary>"#p_HWA1", "frus1945Berlinv01#p_HWA1" and "p_HWA1" all name listing <c>p_HWA1</c>.</summary>
    internal static string PersonIdOf(string id)
    {
        var hash = id.IndexOf('#');
        return hash >= 0 ? id[(hash + 1)..] : id;
    }

    private static string VolumeOf(string id, string volume)
    {
        var hash = id.IndexOf('#');
        return hash > 0 ? id[..hash] : volume;
    }

    internal static string Slug(string name)
    {
        var parsed = PersonName.Parse(name);
        var text = parsed is null ? name.ToLowerInvariant() : parsed.Surname + " " + string.Join(' ', parsed.Given) + (parsed.Suffix is null ? "" : " " + parsed.Suffix);
        var sb = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if ((c == ' ' || c == '-') && sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "person" : slug;
    }

    private static string UniqueId(string id, HashSet<string> used)
    {
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = id + "-" + n.ToString(CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    private sealed record Listing(int Index, string Volume, string PersonId, string Text, string Description, PersonName Name, int? Year, HashSet<string> Words);

    /// <summary>Union-find over listings that refuses to join clusters holding names that cannot be one person.</summary>
    private sealed class Clusters
    {
        private readonly List<Listing> _listings;
        private readonly HashSet<int> _split;
        private readonly int[] _parent;
        private readonly Dictionary<int, List<Listing>> _members = [];
        private readonly Dictionary<int, List<string>> _evidence = [];

        public Clusters(List<Listing> listings, HashSet<int> split)
        {
            _listings = listings;
            _split = split;
            _parent = Enumerable.Range(0, listings.Count).ToArray();
            foreach (var l in listings)
            {
                _members[l.Index] = [l];
            }
        }

        public int Find(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }
            return i;
        }

        public bool Union(int a, int b, string evidence)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                return false;
            }
            var ma = _members[ra];
            var mb = _members[rb];
            // an editor split these listings off: no rule joins them again
            if (HoldsSplit(ra) || HoldsSplit(rb))
            {
                return false;
            }
            foreach (var x in ma.Select(m => m.Name).DistinctBy(n => n.Key))
            {
                if (mb.Any(y => !x.CompatibleWith(y.Name)))
                {
                    return false;
                }
            }
            // the same volume lists a person once: two listings of one volume are two people
            if (ma.Any(x => mb.Any(y => y.Volume == x.Volume && y.PersonId != x.PersonId)))
            {
                return false;
            }
            Link(ra, rb, evidence);
            return true;
        }

        /// <summary>An editor's merge: joins whatever the names say; the evidence is kept even when already joined.</summary>
        public void Join(int a, int b, string evidence)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                Note(a, evidence);
                return;
            }
            Link(ra, rb, evidence);
        }

        /// <summary>Adds evidence to the cluster of listing <paramref name="i"/>.</summary>
        public void Note(int i, string evidence)
        {
            var root = Find(i);
            var ev = _evidence.GetValueOrDefault(root) ?? [];
            ev.Add(evidence);
            _evidence[root] = ev;
        }

        public bool HoldsSplit(int root) => _split.Count > 0 && _members[Find(root)].Any(m => _split.Contains(m.Index));

        private void Link(int ra, int rb, string evidence)
        {
            var ma = _members[ra];
            var mb = _members[rb];
            if (ra > rb)
            {
                (ra, rb) = (rb, ra);
                (ma, mb) = (mb, ma);
            }
            _parent[rb] = ra;
            ma.AddRange(mb);
            _members.Remove(rb);
            var ev = _evidence.GetValueOrDefault(ra) ?? [];
            ev.AddRange(_evidence.GetValueOrDefault(rb) ?? []);
            ev.Add(evidence);
            _evidence[ra] = ev;
            _evidence.Remove(rb);
        }

        public IEnumerable<int> Roots() => _members.Keys.ToList();

        public IReadOnlyList<Listing> Members(int root) => _members[Find(root)];

        public List<string> EvidenceOf(int root) => _evidence.GetValueOrDefault(Find(root)) ?? [];
    }

    private sealed class PersonBuilder(IReadOnlyList<Listing> members, Official? official, List<string> evidence)
    {
        public string Id { get; set; } = "";
        public Official? Official { get; } = official;
        public List<string> Evidence { get; } = [.. evidence];

        /// <summary>The fullest listed form (most given-name letters, then the most common), else the official's.</summary>
        public string BestName => members.Count == 0
            ? (Official!.Forenames.Length == 0 ? Official.Surname : Official.Surname + ", " + Official.Forenames)
            : members.GroupBy(m => m.Text).OrderByDescending(g => g.First().Name.Given.Sum(n => n.Length)).ThenByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

        public IndexedPerson Build()
        {
            var names = members.Select(m => m.Text).Distinct(StringComparer.Ordinal).ToList();
            if (Official is not null)
            {
                names.Add(Official.Name);
                names.AddRange(Official.AltNames);
            }
            names = names.Distinct(StringComparer.Ordinal).ToList();
            var forms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var n in names.Select(PersonName.Parse).OfType<PersonName>())
            {
                forms.Add(n.Key);
                forms.Add(n.Surname);
            }
            foreach (var m in members)
            {
                forms.Add(m.Volume + "#" + m.PersonId);
            }
            return new IndexedPerson(
                Id,
                BestName,
                names,
                members.OrderBy(m => m.Volume, StringComparer.Ordinal).Select(m => new PersonListing(m.Volume, m.PersonId, m.Text, m.Description)).ToList(),
                Official?.Id,
                Evidence,
                forms.Order(StringComparer.Ordinal).ToList());
        }
    }
}
