using System.Globalization;
using System.Text;

namespace Chancery.Archive.Search;

/// <summary>
/// Folds text the way the full-text tokenizer does (SQLite FTS5 <c>unicode61 remove_diacritics 2</c>): lower case,
/// accents removed, words are runs of letters and digits. Field comparisons use it so that
/// <c>from:attache</c> finds "Attaché" exactly as a text search does.
/// </summary>
public static class SearchFolding
{
    // Base letters of U+00C0..U+024F and U+1E00..U+1EFF by canonical decomposition (generated from Unicode 14).
    // The app runs with invariant globalization, where string.Normalize cannot decompose, so the table is ours.
    private const string Latin1AndExtended =
        "AAAAAAÆCEEEEIIIIÐNOOOOO×ØUUUUYÞßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþyAaAaAaCcCcCcCcDdĐđEeEeEeEeEeGgGgGgGgHhĦħIiIiIiIiIıĲĳJjKkĸLlLlLlĿŀŁłNnNnNnŉŊŋOoOoOoŒœRrRrRrSsSsSsSsTtTtŦŧUuUuUuUuUuUuWwYyYZzZzZzſƀƁƂƃƄƅƆƇƈƉƊƋƌƍƎƏƐƑƒƓƔƕƖƗƘƙƚƛƜƝƞƟOoƢƣƤƥƦƧƨƩƪƫƬƭƮUuƱƲƳƴƵƶƷƸƹƺƻƼƽƾƿǀǁǂǃǄǅǆǇǈǉǊǋǌAaIiOoUuUuUuUuUuǝAaAaÆæǤǥGgKkOoOoƷʒjǱǲǳGgǶǷNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtȜȝHhȠȡȢȣȤȥAaEeOoOoOoOoYyȴȵȶȷȸȹȺȻȼȽȾȿɀɁɂɃɄɅɆɇɈɉɊɋɌɍɎɏ";

    private const string LatinExtendedAdditional =
        "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyẚſẜẝẞẟAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyỺỻỼỽỾỿ";

    /// <summary>True for a character that belongs to a word (letters, digits, private use; as FTS5 unicode61).</summary>
    public static bool IsWordChar(Rune r) => IsWordChar(Rune.GetUnicodeCategory(r));

    /// <summary>True for the categories of word characters (<see cref="IsWordChar(Rune)"/>).</summary>
    internal static bool IsWordChar(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    /// <summary>True when <paramref name="text"/> holds at least one word character.</summary>
    public static bool HasWord(string text)
    {
        foreach (var r in text.EnumerateRunes())
        {
            if (IsWordChar(r))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The words of <paramref name="text"/>, folded, each followed by one space and the whole preceded by one:
    /// <c>"The Attaché, in Dairen"</c> → <c>" the attache in dairen "</c>; empty when there are no words.
    /// The padding lets "contains these whole words" be a plain substring test.
    /// </summary>
    public static string Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var sb = new StringBuilder(text.Length + 2);
        var inWord = false;
        foreach (var r in text.EnumerateRunes())
        {
            if (r.IsAscii)
            {
                // most text is ASCII: letters and digits are words, lower-cased; everything else separates
                var a = (char)r.Value;
                if (char.IsAsciiLetterOrDigit(a))
                {
                    if (!inWord)
                    {
                        sb.Append(' ');
                        inWord = true;
                    }
                    sb.Append(char.ToLowerInvariant(a));
                }
                else
                {
                    inWord = false;
                }
                continue;
            }
            if (Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                // a combining accent belongs to the letter before it, and is dropped with the other diacritics
                continue;
            }
            if (!IsWordChar(r))
            {
                inWord = false;
                continue;
            }
            if (!inWord)
            {
                sb.Append(' ');
                inWord = true;
            }
            AppendFolded(sb, r);
        }
        if (sb.Length == 0)
        {
            return "";
        }
        sb.Append(' ');
        return sb.ToString();
    }

    private static void AppendFolded(StringBuilder sb, Rune r)
    {
        Span<char> buffer = stackalloc char[2];
        var n = Fold(r, buffer);
        sb.Append(buffer[..n]);
    }

    /// <summary>A word character folded (accent removed, lower case) into <paramref name="buffer"/> (two chars); its length.</summary>
    internal static int Fold(Rune r, Span<char> buffer)
    {
        var v = r.Value;
        if (v >= 0xC0 && v < 0x250)
        {
            r = new Rune(Latin1AndExtended[v - 0xC0]);
        }
        else if (v >= 0x1E00 && v < 0x1F00)
        {
            r = new Rune(LatinExtendedAdditional[v - 0x1E00]);
        }
        return Rune.ToLowerInvariant(r).EncodeToUtf16(buffer);
    }

    /// <summary>How many words <see cref="Words"/> finds in <paramref name="text"/>, counted without making them.</summary>
    public static int CountWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        var n = 0;
        var inWord = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 0x80)
            {
                // the common case, by char rather than by rune
                if (char.IsAsciiLetterOrDigit(c))
                {
                    n += inWord ? 0 : 1;
                    inWord = true;
                }
                else
                {
                    inWord = false;
                }
                i++;
                continue;
            }
            var r = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) == System.Buffers.OperationStatus.Done
                ? rune : Rune.ReplacementChar;
            i += used;
            var category = Rune.GetUnicodeCategory(r);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }
            if (!IsWordChar(category))
            {
                inWord = false;
                continue;
            }
            n += inWord ? 0 : 1;
            inWord = true;
        }
        return n;
    }
}
