using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Chancery.Archive.Links;

/// <summary>
/// Who sends and receives, reduced to a key that survives the ways FRUS words it: the Department
/// ("the Secretary of State", "the Acting Secretary of State", "the Department of State") is one party; a post is
/// its place ("The Ambassador in the Soviet Union (Harriman)" and "the Embassy in the Soviet Union" are both
/// <c>post:soviet union</c>), because telegram numbers run per post and per Department channel, not per person.
/// </summary>
internal static partial class Parties
{
    public const string Department = "department";

    // Words that make a party an office rather than a person's name.
    private static readonly string[] NameBreakers =
    [
        "embassy", "department", "secretary", "ambassador", "minister", "legation", "consul", "mission", "delegation",
        "president", "chargé", "charge", "commissioner", "representative", "office", "government", "council", "committee",
        "staff", "adviser", "director", "embassies", "posts", "chief", "commander", "division", "bureau",
    ];

    [GeneratedRegex(@"\b(?:acting\s+|under\s+)?secretary\s+of\s+state\b(?!\s+for\b)|\bdepartment\s+of\s+state\b|^department$", RegexOptions.CultureInvariant)]
    private static partial Regex DepartmentPattern();

    [GeneratedRegex(
        @"\b(?:embassy|ambassador(?:-designate)?|legation|minister|charge|charge d'affaires(?: ad interim)?|consul(?:ate)?(?: general)?|consulate general|mission|delegation|high commissioner|representative|political adviser|office)\b.*?\b(?:in|at|to)\s+(?:the\s+)?(?<place>[a-z][a-z .'-]+?)\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex PostPattern();

    [GeneratedRegex(@"\([^)]*\)|\[[^\]]*\]")]
    private static partial Regex Brackets();

    /// <summary>The party key of a sender or recipient as printed; null when none is printed.</summary>
    public static string? Key(string? party)
    {
        if (string.IsNullOrWhiteSpace(party))
        {
            return null;
        }
        var s = Normalise(Brackets().Replace(party, " "));
        if (s.Length == 0)
        {
            return null;
        }
        if (DepartmentPattern().IsMatch(s))
        {
            return Department;
        }
        if (PostPattern().Match(s) is { Success: true } m)
        {
            return "post:" + m.Groups["place"].Value.Trim();
        }
        if (s.StartsWith("the ", StringComparison.Ordinal))
        {
            s = s[4..];
        }
        return s;
    }

    /// <summary>Names a head gives for a party: "(Harriman)" in "The Ambassador in the Soviet Union (Harriman)", or the party itself when it is a name.</summary>
    public static IEnumerable<string> NamesIn(string? party)
    {
        if (string.IsNullOrWhiteSpace(party))
        {
            yield break;
        }
        var found = false;
        var i = 0;
        while ((i = party.IndexOf('(', i)) >= 0)
        {
            var j = party.IndexOf(')', i);
            if (j < 0)
            {
                break;
            }
            var inner = party[(i + 1)..j].Trim();
            i = j;
            if (LooksLikeName(inner))
            {
                found = true;
                yield return inner;
            }
        }
        if (!found && LooksLikeName(party.Trim()))
        {
            yield return party.Trim();
        }
    }

    private static bool LooksLikeName(string s)
    {
        if (s.Length < 2 || s.Length > 60 || s.Any(char.IsDigit))
        {
            return false;
        }
        var words = s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 5)
        {
            return false;
        }
        foreach (var w in words)
        {
            var lower = w.ToLowerInvariant();
            if (NameBreakers.Any(r => lower.StartsWith(r, StringComparison.Ordinal)) || lower is "the" or "of" or "to" or "in" or "at" or "and")
            {
                return false;
            }
        }
        return char.IsUpper(s[0]);
    }

    /// <summary>Lower case, accents folded, curly quotes straightened, white space folded.</summary>
    public static string Normalise(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var ch = c is '’' or '‘' ? '\'' : char.ToLowerInvariant(c);
            if (char.IsWhiteSpace(ch) || ch == ',')
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
