using Chancery.Core.Access;

namespace Chancery.Core.Cables;

/// <summary>
/// Captions (handling controls) on telegrams and the marking they make. PERSONAL-FOR, NODIS, EYES-ONLY and
/// SPECAT restrict a telegram to named principals; the others (EXDIS, LIMDIS, NOFORN, …) are controls a reader
/// must hold, as everywhere in the archive.
/// </summary>
public static class CableCaptions
{
    public const string PersonalFor = "PERSONAL-FOR";
    public const string Nodis = "NODIS";

    /// <summary>Captions that limit a telegram to its named principals and the users they designate.</summary>
    public static readonly IReadOnlySet<string> NamedPrincipalCaptions =
        new HashSet<string>(StringComparer.Ordinal) { PersonalFor, Nodis, "EYES-ONLY", "SPECAT" };

    /// <summary>Normalises captions ("Personal for", "nodis") to control names, without duplicates, in order.</summary>
    public static IReadOnlyList<string> Normalise(IEnumerable<string> captions)
    {
        var list = new List<string>();
        foreach (var c in captions)
        {
            var n = Markings.NormaliseControl(c);
            if (n.Length > 0 && !list.Contains(n))
            {
                list.Add(n);
            }
        }
        return list;
    }

    /// <summary>The access marking of a telegram with this classification and these captions.</summary>
    public static Marking MarkingOf(ClassificationLevel level, IEnumerable<string> captions) => new(level, Normalise(captions));

    /// <summary>True when the captions limit distribution to named principals.</summary>
    public static bool IsNamedOnly(IEnumerable<string> captions) => Normalise(captions).Any(NamedPrincipalCaptions.Contains);

    /// <summary>
    /// The captions as printed on the telegram: "NODIS", and for PERSONAL-FOR the principals by title,
    /// "Personal for the President and the Secretary of State".
    /// </summary>
    public static IReadOnlyList<string> Printed(IEnumerable<string> captions, IReadOnlyList<string> principalTitles) =>
        Normalise(captions).Select(c => c == PersonalFor && principalTitles.Count > 0 ? "Personal for " + JoinTitles(principalTitles) : c).ToList();

    /// <summary>"the President", "the President and the Secretary of State", "A, B and C".</summary>
    public static string JoinTitles(IReadOnlyList<string> titles) => titles.Count switch
    {
        0 => "",
        1 => titles[0],
        _ => string.Join(", ", titles.Take(titles.Count - 1)) + " and " + titles[^1],
    };
}
