using System.Globalization;
using System.Text;

namespace Chancery.Archive.Links;

/// <summary>
/// A person's name reduced to comparable parts: "Harriman, W. Averell" and "W. Averell Harriman" are both surname
/// <c>harriman</c> with given names <c>w averell</c>. Accents, periods and titles are dropped; particles stay with
/// the surname ("de Gaulle"); "Jr." and "III" are kept apart as the suffix.
/// </summary>
internal sealed record PersonName(string Surname, IReadOnlyList<string> Given, string? Suffix)
{
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "general", "gen", "admiral", "adm", "colonel", "col",
        "major", "maj", "captain", "capt", "lieutenant", "lt", "senator", "sen", "ambassador", "amb", "president",
        "secretary", "governor", "gov", "judge", "justice", "father", "rev", "reverend", "prince", "princess", "king",
        "queen", "marshal", "generalissimo", "premier", "prime", "minister", "count", "baron", "dame", "hon",
    };

    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal) { "jr", "sr", "ii", "iii", "iv" };

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "la", "le", "dos", "das", "ter", "ten", "al", "el", "bin", "ibn",
    };

    /// <summary>The key two listings must share to be taken for the same name form.</summary>
    public string Key => Surname + "|" + string.Join(' ', Given) + (Suffix is null ? "" : "|" + Suffix);

    /// <summary>Given names then surname, as read: "w averell harriman".</summary>
    public string Direct => (Given.Count == 0 ? "" : string.Join(' ', Given) + " ") + Surname;

    /// <summary>
    /// Parses a name as printed. A comma means the inverted form of persons lists ("Harriman, W. Averell, Jr.");
    /// without one the last word (with any particle before it) is the surname. Null when nothing is left.
    /// </summary>
    public static PersonName? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var cleaned = Fold(StripBrackets(text));
        var parts = cleaned.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }
        string? suffix = null;
        List<string> surname;
        List<string> given;
        if (parts.Length >= 2)
        {
            surname = Words(parts[0]);
            given = Words(parts[1]);
            foreach (var extra in parts.Skip(2))
            {
                if (Suffixes.Contains(extra.Replace(".", "", StringComparison.Ordinal).Trim()))
                {
                    suffix = extra.Replace(".", "", StringComparison.Ordinal).Trim();
                }
            }
        }
        else
        {
            var words = Words(parts[0]);
            given = [];
            surname = words;
            if (words.Count > 1)
            {
                var cut = words.Count - 1;
                while (cut > 0 && Particles.Contains(words[cut - 1]))
                {
                    cut--;
                }
                given = words.Take(cut).ToList();
                surname = words.Skip(cut).ToList();
            }
        }
        TakeSuffix(given, ref suffix);
        TakeSuffix(surname, ref suffix);
        while (given.Count > 0 && Titles.Contains(given[0]))
        {
            given.RemoveAt(0);
        }
        while (surname.Count > 1 && Titles.Contains(surname[0]))
        {
            surname.RemoveAt(0);
        }
        if (surname.Count == 0)
        {
            return null;
        }
        return new PersonName(string.Join(' ', surname), given, suffix);
    }

    /// <summary>
    /// True when both names can be the same person: same surname and suffix, and each given name of the shorter form
    /// matches one of the longer form in order, in full or by its initial ("W." = "William"). A bare surname is
    /// compatible with any name of that surname.
    /// </summary>
    public bool CompatibleWith(PersonName other)
    {
        if (Surname != other.Surname || (Suffix is not null && other.Suffix is not null && Suffix != other.Suffix))
        {
            return false;
        }
        var (shorter, longer) = Given.Count <= other.Given.Count ? (Given, other.Given) : (other.Given, Given);
        var j = 0;
        foreach (var g in shorter)
        {
            while (j < longer.Count && !SameGiven(g, longer[j]))
            {
                j++;
            }
            if (j == longer.Count)
            {
                return false;
            }
            j++;
        }
        // the first given names must agree: "Smith, John" is not "Smith, Walter John"
        return shorter.Count == 0 || SameGiven(shorter[0], longer[0]);
    }

    /// <summary>True when every given name is written out (no initials) on both sides and they are the same.</summary>
    public bool SameInFull(PersonName other) =>
        Surname == other.Surname && Given.Count > 0 && Given.SequenceEqual(other.Given) && Given.All(g => g.Length > 1);

    private static bool SameGiven(string a, string b) =>
        a == b || (a.Length == 1 && b.StartsWith(a, StringComparison.Ordinal)) || (b.Length == 1 && a.StartsWith(b, StringComparison.Ordinal));

    private static void TakeSuffix(List<string> words, ref string? suffix)
    {
        if (words.Count > 1 && Suffixes.Contains(words[^1]))
        {
            suffix ??= words[^1];
            words.RemoveAt(words.Count - 1);
        }
    }

    private static List<string> Words(string part) =>
        part.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string StripBrackets(string s)
    {
        var sb = new StringBuilder(s.Length);
        var depth = 0;
        foreach (var c in s)
        {
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    // Lower case without accents; periods become spaces so "W.Averell" splits; apostrophes go ("O'Brien" = "obrien").
    private static string Fold(string s)
    {
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’' or '‘')
            {
                continue;
            }
            if (c == ',')
            {
                sb.Append(',');
            }
            else if (char.IsLetter(c) || c == '-')
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(' ');
            }
        }
        return sb.ToString();
    }
}
