using Chancery.Archive.Search;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Cables;

/// <summary>
/// The query language of cable searches and saved searches, matched against one telegram at a time (a saved
/// search is checked against each new telegram as it reaches a reader). All parts must match:
/// <list type="bullet">
/// <item>words (<c>Dairen</c>), prefixes (<c>railroad*</c>) and phrases (<c>"Port Arthur"</c>) in the number, subject, tags and text;</item>
/// <item><c>from:moscow</c> (post id or number prefix), <c>to:state</c> (receiving post or addressed user),
/// <c>tag:PREL</c>, <c>code:761.93</c> (subject code prefix), <c>precedence:flash</c>, <c>caption:nodis</c>,
/// <c>class:top-secret</c>;</item>
/// <item>a leading <c>-</c> negates a part.</item>
/// </list>
/// Case and accents do not matter.
/// </summary>
public sealed class CableQuery
{
    private static readonly string[] Fields = ["from", "to", "tag", "code", "precedence", "caption", "class"];

    private readonly List<Part> _parts;

    private CableQuery(List<Part> parts) => _parts = parts;

    /// <summary>The query text as given.</summary>
    public required string Text { get; init; }

    private sealed record Part(bool Negated, string? Field, string Value, bool Phrase, bool Prefix);

    /// <summary>Parses a query; throws <see cref="ArchiveException"/> saying where and what is wrong.</summary>
    public static CableQuery Parse(string text)
    {
        if (text.Length > 1000)
        {
            throw new ArchiveException("cable query: longer than 1000 characters");
        }
        var parts = new List<Part>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            var negated = false;
            if (text[i] == '-')
            {
                negated = true;
                i++;
            }
            string? field = null;
            var colon = FieldEnd(text, i);
            if (colon > i)
            {
                field = text[i..colon].ToLowerInvariant();
                if (!Fields.Contains(field))
                {
                    throw new ArchiveException($"cable query:{start + 1}: unknown field '{field}' (use {string.Join(", ", Fields)})");
                }
                i = colon + 1;
            }
            string value;
            var phrase = false;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    throw new ArchiveException($"cable query:{i + 1}: the quote is not closed");
                }
                value = text[(i + 1)..close];
                phrase = true;
                i = close + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
                value = text[i..end];
                i = end;
            }
            if (value.Trim().Length == 0 || value == "*")
            {
                throw new ArchiveException($"cable query:{start + 1}: nothing to search for");
            }
            var prefix = !phrase && value.EndsWith('*');
            if (prefix)
            {
                value = value[..^1];
            }
            if (field is "precedence" && Precedences.Parse(value) is null)
            {
                throw new ArchiveException($"cable query:{start + 1}: '{value}' is not a precedence (FLASH, NIACT IMMEDIATE, IMMEDIATE, PRIORITY, ROUTINE)");
            }
            if (field is "class" && Markings.ParseLevel(value) is null)
            {
                throw new ArchiveException($"cable query:{start + 1}: '{value}' is not a classification");
            }
            parts.Add(new Part(negated, field, value, phrase, prefix));
        }
        if (parts.Count == 0 || parts.All(p => p.Negated))
        {
            throw new ArchiveException("cable query:1: give at least one word or field to match");
        }
        return new CableQuery(parts) { Text = text };
    }

    // Index of the ':' ending a field name at i, or -1.
    private static int FieldEnd(string text, int i)
    {
        var j = i;
        while (j < text.Length && char.IsAsciiLetterLower(char.ToLowerInvariant(text[j])))
        {
            j++;
        }
        return j > i && j < text.Length && text[j] == ':' ? j : -1;
    }

    /// <summary>True when the telegram matches every part.</summary>
    public bool Matches(Telegram t)
    {
        string[]? words = null;
        foreach (var p in _parts)
        {
            var hit = p.Field switch
            {
                null => MatchesText(p, words ??= Words(t)),
                "from" => Same(t.FromPost, p.Value) || Same(t.Number.Prefix, p.Value),
                "to" => t.Recipients.Any(r => Same(r.Post, p.Value) || Same(r.Addressee.Target, p.Value)),
                "tag" => t.Tags.Any(x => Same(x, p.Value)),
                "code" => t.SubjectCode is { } code && code.StartsWith(p.Value, StringComparison.OrdinalIgnoreCase),
                "precedence" => t.Precedence == Precedences.Parse(p.Value),
                "caption" => t.Captions.Contains(Markings.NormaliseControl(p.Value)),
                "class" => t.Classification == Markings.ParseLevel(p.Value),
                _ => false,
            };
            if (hit == p.Negated)
            {
                return false;
            }
        }
        return true;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool MatchesText(Part p, string[] words)
    {
        var q = Fold(p.Value).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (q.Length == 0)
        {
            return false;
        }
        if (q.Length == 1)
        {
            return p.Prefix ? words.Any(w => w.StartsWith(q[0], StringComparison.Ordinal)) : words.Contains(q[0]);
        }
        for (var i = 0; i + q.Length <= words.Length; i++)
        {
            var all = true;
            for (var k = 0; k < q.Length && all; k++)
            {
                all = words[i + k] == q[k];
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    private static string[] Words(Telegram t) =>
        Fold(string.Join(' ', [t.Number.ToString(), t.Subject, .. t.Tags, .. t.Body])).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Lower case, accents removed, words separated by single spaces (as the full-text index folds them).</summary>
    private static string Fold(string text) => SearchFolding.Words(text);
}
