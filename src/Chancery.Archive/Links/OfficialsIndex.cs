using Chancery.Core.People;

namespace Chancery.Archive.Links;

/// <summary>POCOM officials by surname, with the name forms each is known by.</summary>
internal sealed class OfficialsIndex
{
    private static readonly string[] DepartmentTitles = ["Secretary of State", "Under Secretary", "Deputy Secretary", "Counselor of the Department"];

    private readonly Dictionary<string, List<(Official Official, List<PersonName> Names)>> _bySurname = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(Official Official, OfficialPost Post)>> _byTitle = new(StringComparer.Ordinal);

    public OfficialsIndex(IReadOnlyList<Official> officials)
    {
        foreach (var o in officials)
        {
            var names = new List<PersonName>();
            if (PersonName.Parse(o.Forenames.Length == 0 ? o.Surname : o.Surname + ", " + o.Forenames) is { } main)
            {
                names.Add(main);
            }
            names.AddRange(o.AltNames.Select(PersonName.Parse).OfType<PersonName>());
            foreach (var post in o.Posts.Where(p => p.TerritoryId is null))
            {
                if (!_byTitle.TryGetValue(post.Title, out var holders))
                {
                    _byTitle[post.Title] = holders = [];
                }
                holders.Add((o, post));
            }
            foreach (var surname in names.Select(n => n.Surname).Distinct())
            {
                if (!_bySurname.TryGetValue(surname, out var list))
                {
                    _bySurname[surname] = list = [];
                }
                list.Add((o, names));
            }
        }
    }

    public bool IsEmpty => _bySurname.Count == 0;

    /// <summary>Officials whose surname is <paramref name="surname"/>, each with its name forms.</summary>
    public IReadOnlyList<(Official Official, List<PersonName> Names)> WithSurname(string surname) =>
        _bySurname.TryGetValue(surname, out var list) ? list : [];

    /// <summary>Officials one of whose names can be <paramref name="name"/>.</summary>
    public IEnumerable<(Official Official, List<PersonName> Names)> Compatible(PersonName name) =>
        WithSurname(name.Surname).Where(o => o.Names.Any(n => n.CompatibleWith(name)));

    /// <summary>Who held the Department office <paramref name="title"/> ("Secretary of State") on <paramref name="day"/> (ISO), when one person did.</summary>
    public (Official Official, OfficialPost Post)? HolderOf(string title, string day)
    {
        if (!_byTitle.TryGetValue(title, out var holders))
        {
            return null;
        }
        var now = holders.Where(h => Holds(h.Post, day)).ToList();
        return now.Count == 1 ? now[0] : null;
    }

    /// <summary>True when the official held <paramref name="post"/> on <paramref name="day"/> (ISO).</summary>
    public static bool Holds(OfficialPost post, string day)
    {
        var from = post.Started ?? post.Appointed;
        return from is not null && string.CompareOrdinal(from, day) <= 0 && (post.Ended is null || string.CompareOrdinal(day, post.Ended) <= 0);
    }

    /// <summary>
    /// The party keys of someone named in a head ("Francis", "Childs") on a day: the posts they then held abroad
    /// (<c>post:russia</c>; a minister accredited to two countries has both) or the Department for the Secretary and
    /// Under Secretaries. Empty when POCOM does not know them, or several officials answer to the name.
    /// </summary>
    public IReadOnlyList<string> PartyKeys(string name, DateOnly day)
    {
        if (PersonName.Parse(name) is not { } parsed)
        {
            return [];
        }
        var iso = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var inPost = Compatible(parsed)
            .Select(o => (o.Official, Posts: o.Official.Posts.Where(p => Holds(p, iso)).ToList()))
            .Where(o => o.Posts.Count > 0)
            .DistinctBy(o => o.Official.Id)
            .ToList();
        return inPost.Count == 1
            ? inPost[0].Posts.Select(PostKey).OfType<string>().Distinct().ToList()
            : [];
    }

    /// <summary>The party key a post sends telegrams under: <c>post:soviet union</c>, or the Department.</summary>
    public static string? PostKey(OfficialPost post)
    {
        if (post.TerritoryId is not null && post.Where is not null)
        {
            var where = Parties.Normalise(post.Where);
            return "post:" + (where.StartsWith("the ", StringComparison.Ordinal) ? where[4..] : where);
        }
        if (DepartmentTitles.Any(t => post.Title.StartsWith(t, StringComparison.Ordinal)))
        {
            return Parties.Department;
        }
        // missions to organisations: "Representative of the U.S.A. to the United Nations"
        var to = post.Title.IndexOf(" to the ", StringComparison.Ordinal);
        if (post.TerritoryId is not null && to > 0)
        {
            var org = post.Title[(to + 8)..];
            var paren = org.IndexOf(" (", StringComparison.Ordinal);
            return "post:" + Parties.Normalise(paren > 0 ? org[..paren] : org);
        }
        return null;
    }
}
