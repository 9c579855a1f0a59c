using System.Runtime.CompilerServices;
using Chancery.Core.Documents;

namespace Chancery.Web.Html;

/// <summary>
/// A volume's persons and terms by id (the first entry of an id wins, as the volume lists them). Built once per
/// volume object: the volume catalog hands out the same object while the archive is unchanged, so a document page
/// looks its mentions up without rebuilding the lists on every request.
/// </summary>
internal sealed class Glossary
{
    private static readonly ConditionalWeakTable<Volume, Glossary> Built = new();

    /// <summary>The glossary of no volume.</summary>
    public static readonly Glossary Empty = new([], []);

    private Glossary(IReadOnlyList<PersonEntry> persons, IReadOnlyList<TermEntry> terms)
    {
        Persons = persons.GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Terms = terms.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, PersonEntry> Persons { get; }

    public IReadOnlyDictionary<string, TermEntry> Terms { get; }

    /// <summary>The glossary of <paramref name="volume"/>, built on the first request for this volume object.</summary>
    public static Glossary Of(Volume? volume) =>
        volume is null ? Empty : Built.GetValue(volume, static v => new Glossary(v.Persons, v.Terms));
}
