using System.Buffers;
using System.Text.RegularExpressions;
using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// What FRUS prints in words rather than markup: document types, senders and recipients in heads,
/// classification markings and captions, channels, and references to documents and telegrams in running text.
/// All functions are pure; the reader calls them once per document or per text run.
/// </summary>
internal static partial class TeiText
{
    // Printed markings, longest first so "top secret" wins over "secret".
    private static readonly (string Printed, ClassificationLevel Level)[] MarkingWords =
    [
        ("top secret", ClassificationLevel.TopSecret),
        ("strictly confidential", ClassificationLevel.Confidential),
        ("limited official use", ClassificationLevel.LimitedOfficialUse),
        ("official use only", ClassificationLevel.LimitedOfficialUse),
        ("confidential", ClassificationLevel.Confidential),
        ("restricted", ClassificationLevel.Restricted),
        ("unclassified", ClassificationLevel.Unclassified),
        ("secret", ClassificationLevel.Secret),
    ];

    private static readonly string[] CaptionWords =
    [
        "priority", "niact", "urgent", "immediate", "flash", "routine", "eyes only", "personal", "nodis", "exdis",
        "limdis", "noforn", "specat", "roger channel", "official–informal", "official-informal", "rybat",
    ];

    // Head openings and the document type they name; longer openings first.
    private static readonly (string Opening, string Type)[] HeadTypes =
    [
        ("Editorial Note", "Editorial Note"),
        ("Memorandum of Telephone Conversation", "Memorandum of Conversation"),
        ("Memorandum of a Telephone Conversation", "Memorandum of Conversation"),
        ("Conversation Between", "Memorandum of Conversation"),
        ("Conversation Among", "Memorandum of Conversation"),
        ("Memorandum of a Conversation", "Memorandum of Conversation"),
        ("Memorandum of Conversation", "Memorandum of Conversation"),
        ("Memorandum of Conference", "Memorandum of Conversation"),
        ("Memorandum of Discussion", "Minutes"),
        ("Memorandum of Meeting", "Minutes"),
        ("National Security Action Memorandum", "Memorandum"),
        ("National Security Study Memorandum", "Memorandum"),
        ("National Security Decision Memorandum", "Memorandum"),
        ("Special National Intelligence Estimate", "National Intelligence Estimate"),
        ("National Intelligence Estimate", "National Intelligence Estimate"),
        ("Action Memorandum", "Memorandum"),
        ("Information Memorandum", "Memorandum"),
        ("Briefing Memorandum", "Memorandum"),
        ("Intelligence Memorandum", "Memorandum"),
        ("Current Intelligence Memorandum", "Memorandum"),
        ("Research Memorandum", "Memorandum"),
        ("Draft Memorandum", "Memorandum"),
        ("Memorandum", "Memorandum"),
        ("Circular Telegram", "Telegram"),
        ("Telegram", "Telegram"),
        ("Cablegram", "Telegram"),
        ("Draft Telegram", "Telegram"),
        ("Intelligence Information Cable", "Telegram"),
        ("Backchannel Message", "Message"),
        ("Message", "Message"),
        ("Oral Message", "Message"),
        ("Circular Airgram", "Airgram"),
        ("Airgram", "Airgram"),
        ("Despatch", "Despatch"),
        ("Dispatch", "Despatch"),
        ("Circular Instruction", "Instruction"),
        ("Instruction", "Instruction"),
        ("Letter", "Letter"),
        ("Summary Notes", "Notes"),
        ("Preliminary Notes", "Notes"),
        ("Personal Notes", "Notes"),
        ("Intelligence Note", "Note"),
        ("Notes", "Notes"),
        ("Note", "Note"),
        ("Minutes", "Minutes"),
        ("Summary Record", "Minutes"),
        ("Summary Minutes", "Minutes"),
        ("Summary of Discussion", "Minutes"),
        ("Summary of Conclusions", "Minutes"),
        ("Summary of Meeting", "Minutes"),
        ("Summary of Actions", "Minutes"),
        ("Delegation Record", "Minutes"),
        ("Record of", "Minutes"),
        ("Position Paper", "Paper"),
        ("Briefing Paper", "Paper"),
        ("Background Paper", "Paper"),
        ("Discussion Paper", "Paper"),
        ("Draft Paper", "Paper"),
        ("Talking Paper", "Paper"),
        ("Study", "Study"),
        ("Paper", "Paper"),
        ("Special Report", "Report"),
        ("Situation Report", "Report"),
        ("Intelligence Report", "Report"),
        ("Contact Report", "Report"),
        ("Progress Report", "Report"),
        ("National Security Council Report", "Report"),
        ("Current Economic Developments", "Report"),
        ("Current Intelligence Weekly", "Report"),
        ("Report", "Report"),
        ("Transcript", "Transcript"),
        ("Telephone Conversation", "Transcript"),
        ("Diary Entry", "Diary Entry"),
        ("Address", "Statement"),
        ("Remarks", "Statement"),
        ("Statement", "Statement"),
        ("Aide-Mémoire", "Aide-Mémoire"),
        ("Aide-Memoire", "Aide-Mémoire"),
    ];

    private static readonly HashSet<string> TelegramWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "telegram", "telegrams", "tel", "tels", "cable", "cables", "cablegram", "cablegrams",
        "deptel", "deptels", "embtel", "embtels", "legtel", "legtels", "contel", "contels", "mytel", "mytels",
        "urtel", "urtels", "reftel", "reftels", "depcirtel", "depcirtels", "circtel", "circtels", "niact",
    };

    // Telegram series cited by name and number: the number alone would be ambiguous.
    private static readonly HashSet<string> SeriesWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "secto", "tosec", "dulte", "tedul", "polto", "topol", "delga", "gadel",
    };

    private static readonly HashSet<string> PronounWords = new(StringComparer.OrdinalIgnoreCase) { "my", "your", "our", "his" };

    private static readonly string[] Months =
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ];

    private static readonly string[] NameAbbreviations = ["Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Adm", "Col", "Sen", "Rep", "Amb", "Gov", "Lt", "Capt", "Maj", "Sgt"];

    [GeneratedRegex(@"^(?:No\.\s*\d+[A-Za-z]?\.?\s+|\[?\d+[A-Za-z]?\]?\.\s+)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPrefix();

    [GeneratedRegex(@"\b(?:via|through)\s+(?:the\s+)?(?<name>(?:[\p{L}\-]+\s+){0,2}?[\p{L}\-]+)\s+(?<word>channels?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();

    [GeneratedRegex(@"^(?:Circular\s+)?Telegram\s+(?:No\.\s*)?(?<n>\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex HeadTelegramNumber();

    [GeneratedRegex(@"^(?<n>\d{1,6})\.(?:\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex BodyTelegramNumber();

    // Every character PlainText.Fold treats as white space, except the plain space.
    private static readonly SearchValues<char> OtherWhiteSpace =
        SearchValues.Create("\t\n\v\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000");

    /// <summary><see cref="PlainText.Fold"/>, returning already folded text (the usual case) without copying it.</summary>
    public static string Fold(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }
        if (s[0] != ' ' && s[^1] != ' ' && s.AsSpan().IndexOfAny(OtherWhiteSpace) < 0 && !s.Contains("  ", StringComparison.Ordinal))
        {
            return s;
        }
        return PlainText.Fold(s);
    }

    /// <summary>The head without its printed document number ("No. 12." / "202.").</summary>
    public static string StripNumber(string head)
    {
        if (head.Length == 0 || !(char.IsAsciiDigit(head[0]) || head[0] is 'N' or '['))
        {
            return head;
        }
        var m = NumberPrefix().Match(head);
        return m.Success ? head[m.Length..] : head;
    }

    /// <summary>The type a source note names: "890F.7962/12–1848: Telegram", "[Telegram—Extract]".</summary>
    public static string? TypeFromSourceNote(string note)
    {
        var t = note.Trim();
        string candidate;
        if (t.StartsWith('[') && t.EndsWith(']'))
        {
            candidate = t[1..^1];
        }
        else
        {
            var colon = t.LastIndexOf(':');
            if (colon < 0)
            {
                return null;
            }
            candidate = t[(colon + 1)..];
        }
        candidate = candidate.Trim().TrimEnd('.');
        if (candidate.Length == 0 || candidate.Length > 40)
        {
            return null;
        }
        var lower = candidate.ToLowerInvariant();
        if (lower.StartsWith("circular ", StringComparison.Ordinal))
        {
            lower = lower["circular ".Length..];
        }
        return lower switch
        {
            _ when lower.StartsWith("telegram", StringComparison.Ordinal) || lower.StartsWith("cablegram", StringComparison.Ordinal) => "Telegram",
            _ when lower.StartsWith("airgram", StringComparison.Ordinal) => "Airgram",
            _ when lower.StartsWith("despatch", StringComparison.Ordinal) || lower.StartsWith("dispatch", StringComparison.Ordinal) => "Despatch",
            _ when lower.StartsWith("instruction", StringComparison.Ordinal) => "Instruction",
            _ when lower.StartsWith("memorandum", StringComparison.Ordinal) => "Memorandum",
            _ when lower.StartsWith("letter", StringComparison.Ordinal) => "Letter",
            _ => null,
        };
    }

    /// <summary>The type a head's opening names ("Memorandum From …", "Editorial Note"), or null.</summary>
    public static string? TypeFromHead(string headWithoutNumber)
    {
        foreach (var (opening, type) in HeadTypes)
        {
            if (headWithoutNumber.StartsWith(opening, StringComparison.OrdinalIgnoreCase)
                && (headWithoutNumber.Length == opening.Length || !char.IsLetter(headWithoutNumber[opening.Length])))
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>
    /// Sender and recipient from a head's wording: "Telegram From the Embassy in Japan to the Department of State",
    /// "The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State".
    /// </summary>
    public static (string? From, string? To) FromToOfHead(string headWithoutNumber)
    {
        var h = headWithoutNumber;
        var fromAt = FindWord(h, "From", 6);
        var byAt = fromAt < 0 ? FindWord(h, "by", 6) : -1;
        if (fromAt >= 0 || byAt >= 0)
        {
            var rest = fromAt >= 0 ? h[(fromAt + 5)..] : h[(byAt + 3)..];
            var (f, t) = SplitTo(rest);
            return (CleanParty(f), t is null ? null : CleanParty(t));
        }
        if (TypeFromHead(h) is not null)
        {
            return (null, null);
        }
        var (from, to) = SplitTo(h);
        if (to is null || from.Length > 200)
        {
            return (null, null);
        }
        return (CleanParty(from), CleanParty(to));
    }

    // " From " as a word among the first few words of a head (the type phrase is short).
    private static int FindWord(string h, string word, int maxWordsBefore)
    {
        var words = 0;
        for (var i = 0; i < h.Length; i++)
        {
            if (h[i] != ' ')
            {
                continue;
            }
            words++;
            if (words > maxWordsBefore)
            {
                return -1;
            }
            if (string.Compare(h, i + 1, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
                && i + 1 + word.Length < h.Length && h[i + 1 + word.Length] == ' ')
            {
                return i + 1;
            }
        }
        return -1;
    }

    // FRUS puts the name in parentheses after an office ("the Special Assistant to the President (Rostow) to …"),
    // so ") to " is the reliable split; otherwise the first " to ".
    private static (string From, string? To) SplitTo(string s)
    {
        var at = s.IndexOf(") to ", StringComparison.Ordinal);
        if (at >= 0)
        {
            return (s[..(at + 1)], s[(at + 5)..]);
        }
        at = s.IndexOf(" to ", StringComparison.Ordinal);
        return at < 0 ? (s, null) : (s[..at], s[(at + 4)..]);
    }

    private static string? CleanParty(string s)
    {
        s = s.Trim();
        // Supplement heads run on: "Letter from Fisk to McCloy, March 2. Transmits …"
        var cut = s.Length;
        for (var i = 0; i < s.Length - 2; i++)
        {
            if (s[i] == ',' && s[i + 1] == ' ' && StartsWithMonth(s, i + 2))
            {
                cut = i;
                break;
            }
            if (s[i] == '.' && s[i + 1] == ' ' && char.IsUpper(s[i + 2]) && EndsWithPlainWord(s, i))
            {
                cut = i;
                break;
            }
        }
        s = s[..cut].Trim();
        if (s.EndsWith('.') && EndsWithPlainWord(s, s.Length - 1))
        {
            s = s[..^1];
        }
        s = s.TrimEnd(PartyTrail).Trim();
        // "Memorandum from Kaysen for the record": the record is not a recipient
        if (s.EndsWith(" for the record", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^" for the record".Length];
        }
        return s.Length == 0 ? null : s;
    }

    // True when the word ending just before s[dot] is an ordinary word, not an initial or abbreviation.
    private static bool EndsWithPlainWord(string s, int dot)
    {
        var start = dot;
        while (start > 0 && char.IsLetter(s[start - 1]))
        {
            start--;
        }
        var length = dot - start;
        if (length < 3)
        {
            return false;
        }
        var word = s.AsSpan(start, length);
        foreach (var a in NameAbbreviations)
        {
            if (word.SequenceEqual(a))
            {
                return false;
            }
        }
        return start == 0 || s[start - 1] is ' ' or '(';
    }

    private static bool StartsWithMonth(string s, int at)
    {
        foreach (var m in Months)
        {
            if (string.Compare(s, at, m, 0, m.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return true;
            }
        }
        return false;
    }

    private static readonly char[] PartyTrail = [',', ';', ':'];
    private static readonly char[] MarkingTrail = [' ', '.', ';', ',', '—', '-'];
    private static readonly char[] ListTrail = [' ', ','];

    /// <summary>A printed marking at the start of <paramref name="text"/> ("secret us urgent" → secret, "us urgent").</summary>
    public static (string Printed, ClassificationLevel Level, string Remainder)? MarkingPrefix(string text)
    {
        var t = text.Trim();
        // every marking starts with one of these letters: most texts are ruled out by their first one
        if (t.Length < 6 || "tTsScClLoOrRuU".IndexOf(t[0]) < 0)
        {
            return null;
        }
        foreach (var (printed, level) in MarkingWords)
        {
            if (t.StartsWith(printed, StringComparison.OrdinalIgnoreCase)
                && (t.Length == printed.Length || !char.IsLetter(t[printed.Length])))
            {
                var rest = t[printed.Length..].Trim(MarkingTrail);
                return (printed, level, rest);
            }
        }
        return null;
    }

    /// <summary>The level of a printed marking ("top secret").</summary>
    public static ClassificationLevel LevelOf(string printed)
    {
        foreach (var (p, level) in MarkingWords)
        {
            if (p == printed)
            {
                return level;
            }
        }
        return Markings.ParseLevel(printed) ?? ClassificationLevel.Unclassified;
    }

    /// <summary>The printed marking of a <c>frus:classification/@level</c> code.</summary>
    public static string? MarkingOfCode(string? code) => code switch
    {
        "ts" => "top secret",
        "s" => "secret",
        "c" => "confidential",
        "u" => "unclassified",
        "sbu" => "limited official use",
        "sci" => "top secret",
        _ => null,
    };

    /// <summary>True for a short handling caption ("niact", "us urgent", "Personal and confidential").</summary>
    public static bool IsCaption(string text)
    {
        if (text.Length == 0 || text.Length > 80 || text[0] == '[')
        {
            return false;
        }
        foreach (var w in CaptionWords)
        {
            if (text.Contains(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The marking sentence of a modern source note: "… Top Secret; Priority; Nodis. Drafted by …" → top secret,
    /// captions [Priority, Nodis]. A note saying "No classification marking" has no marking.
    /// </summary>
    public static (string? Printed, List<string> Captions) SourceNoteMarking(string note)
    {
        var captions = new List<string>();
        string? printed = null;
        var end = 0;
        // only sentence starts are candidates: jump from one sentence end to the next
        var at = 0;
        var candidate = true;
        while (at < note.Length)
        {
            if (candidate && char.IsUpper(note[at]) && MarkingAt(note, at) is { } word)
            {
                printed = word;
                end = at + word.Length;
                break;
            }
            var stop = note.AsSpan(at).IndexOfAny(SentenceEnds);
            if (stop < 0)
            {
                break;
            }
            at += stop + 1;
            var spaces = 0;
            while (at < note.Length && note[at] == ' ')
            {
                at++;
                spaces++;
            }
            candidate = spaces > 0;
        }
        if (printed is null)
        {
            return (null, captions);
        }
        var i = end;
        while (i < note.Length && note[i] == ';')
        {
            i++;
            var start = i;
            while (i < note.Length && note[i] != ';' && !(note[i] == '.' && (i + 1 == note.Length || note[i + 1] == ' ')))
            {
                i++;
            }
            var caption = note[start..i].Trim();
            if (caption.Length > 0)
            {
                captions.Add(caption);
            }
        }
        return (printed, captions);
    }

    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create(".])”\"");

    // A marking word at a sentence start, followed by the end of its sentence or a caption list.
    private static string? MarkingAt(string note, int at)
    {
        foreach (var (word, _) in MarkingWords)
        {
            var after = at + word.Length;
            if (after <= note.Length && string.Compare(note, at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after == note.Length || note[after] is '.' or ';'))
            {
                return word;
            }
        }
        return null;
    }

    /// <summary>"via Navy channels" → "Navy channels".</summary>
    public static string? Channel(string text)
    {
        if (!text.Contains("channel", StringComparison.Ordinal))
        {
            return null;
        }
        var m = ChannelPattern().Match(text);
        return m.Success ? m.Groups["name"].Value + " " + m.Groups["word"].Value : null;
    }

    /// <summary>The telegram's own number from a head such as "Telegram 2050 From USUN".</summary>
    public static string? TelegramNumberOfHead(string headWithoutNumber)
    {
        var m = HeadTelegramNumber().Match(headWithoutNumber);
        return m.Success ? m.Groups["n"].Value : null;
    }

    /// <summary>"482." opening a telegram's text; null when it is a paragraph number ("1." followed by "2.").</summary>
    public static string? TelegramNumberOfBody(string? first, string? second)
    {
        if (first is null)
        {
            return null;
        }
        var m = BodyTelegramNumber().Match(first);
        if (!m.Success)
        {
            return null;
        }
        var n = m.Groups["n"].Value;
        if (n == "1" && second is not null && second.StartsWith("2.", StringComparison.Ordinal))
        {
            return null;
        }
        return n;
    }

    /// <summary>
    /// Normalises a <c>ref/@target</c> into a reference: documents and pages as <c>{vol}#d1</c> / <c>{vol}#pg_5</c>.
    /// </summary>
    public static Reference? TargetReference(string target, string volumeId, string text, string where)
    {
        var t = target.Trim();
        if (t.Length == 0)
        {
            return null;
        }
        if (t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || t.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return new Reference(ReferenceKind.External, t, text, where);
        }
        string volume;
        string fragment;
        var hash = t.IndexOf('#');
        if (hash == 0)
        {
            volume = volumeId;
            fragment = t[1..];
        }
        else if (hash > 0)
        {
            volume = t[..hash];
            fragment = t[(hash + 1)..];
        }
        else if (t.StartsWith("frus", StringComparison.Ordinal))
        {
            return new Reference(ReferenceKind.Volume, t, text, where);
        }
        else
        {
            volume = volumeId;
            fragment = t;
        }
        if (fragment.Length == 0)
        {
            return new Reference(ReferenceKind.Volume, volume, text, where);
        }
        var kind = fragment.StartsWith("pg_", StringComparison.Ordinal) ? ReferenceKind.Page
            : IsFootnoteId(fragment) ? ReferenceKind.Footnote
            : ReferenceKind.Document;
        return new Reference(kind, volume + "#" + fragment, text, where);
    }

    private static bool IsFootnoteId(string fragment)
    {
        var fn = fragment.LastIndexOf("fn", StringComparison.Ordinal);
        return fn > 0 && fn + 2 < fragment.Length && char.IsAsciiDigit(fragment[fn + 2]);
    }

    /// <summary>
    /// Finds references written in words: "Document 31", "Documents 12–14", "document No. 577" (same volume) and
    /// telegram numbers ("telegram 1234", "Deptel 666", "Legtels 647, 648", "my 482", "numbers 120015 and 120755").
    /// </summary>
    public static void ScanText(string s, string volumeId, string where, List<Reference> found)
    {
        var i = 0;
        while (i < s.Length)
        {
            var k = s.AsSpan(i).IndexOfAnyInRange('0', '9');
            if (k < 0)
            {
                return;
            }
            k += i;
            var end = DigitsEnd(s, k);
            i = end;
            if (k == 0 || !IsSpace(s[k - 1]) || (end < s.Length && char.IsLetter(s[end])))
            {
                continue;
            }
            var (word, wordStart) = PreviousWord(s, k);
            if (word.Length == 0)
            {
                continue;
            }
            if (word.Equals("document", StringComparison.OrdinalIgnoreCase) || word.Equals("documents", StringComparison.OrdinalIgnoreCase))
            {
                if (!CitesOtherVolume(s, wordStart))
                {
                    i = ReadDocumentList(s, k, end, wordStart, volumeId, where, found);
                }
                continue;
            }
            var series = SeriesWords.Contains(word);
            var pronoun = !series && PronounWords.Contains(word);
            var numbers = !series && !pronoun && (word.Equals("numbers", StringComparison.OrdinalIgnoreCase));
            if (!series && !pronoun && !numbers && !TelegramWords.Contains(word))
            {
                continue;
            }
            if ((pronoun && end - k < 2) || (numbers && end - k < 4) || IsTimeOrAmount(s, end))
            {
                continue;
            }
            i = ReadTelegramList(s, k, end, wordStart, series ? word + " " : "", where, found);
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\u00a0' or '(';

    private static int DigitsEnd(string s, int k)
    {
        var e = k;
        while (e < s.Length && char.IsAsciiDigit(s[e]))
        {
            e++;
        }
        return e;
    }

    // The word before a number, stepping over "No." / "Nos.".
    private static (string Word, int Start) PreviousWord(string s, int k)
    {
        var j = k - 1;
        while (j >= 0 && IsSpace(s[j]))
        {
            j--;
        }
        if (j >= 2 && s[j] == '.')
        {
            var e = j;
            var b = e;
            while (b > 0 && char.IsLetter(s[b - 1]))
            {
                b--;
            }
            var w = s.AsSpan(b, e - b);
            if (w.Equals("No", StringComparison.OrdinalIgnoreCase) || w.Equals("Nos", StringComparison.OrdinalIgnoreCase))
            {
                j = b - 1;
                while (j >= 0 && IsSpace(s[j]))
                {
                    j--;
                }
            }
            else
            {
                return ("", 0);
            }
        }
        var end = j + 1;
        var start = end;
        while (start > 0 && char.IsLetter(s[start - 1]))
        {
            start--;
        }
        // "Department's telegram" has the keyword last; "Embassy’s 482" does not count
        return start == end ? ("", 0) : (s[start..end], start);
    }

    // "Foreign Relations, 1961–1963, vol. XXII, Document 383" is another volume's document.
    private static bool CitesOtherVolume(string s, int wordStart)
    {
        var from = Math.Max(0, wordStart - 100);
        var window = s.AsSpan(from, wordStart - from);
        return window.Contains("vol.", StringComparison.OrdinalIgnoreCase)
            || window.Contains("volume", StringComparison.OrdinalIgnoreCase)
            || window.Contains("Foreign Relations", StringComparison.Ordinal);
    }

    private static bool IsTimeOrAmount(string s, int end)
    {
        var i = end;
        if (i < s.Length && s[i] is ':' or '%')
        {
            return true;
        }
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        var rest = s.AsSpan(i);
        return rest.StartsWith("a.m", StringComparison.Ordinal) || rest.StartsWith("p.m", StringComparison.Ordinal)
            || rest.StartsWith("a. m", StringComparison.Ordinal) || rest.StartsWith("p. m", StringComparison.Ordinal)
            || rest.StartsWith("noon", StringComparison.Ordinal) || rest.StartsWith("midnight", StringComparison.Ordinal)
            || rest.StartsWith("percent", StringComparison.Ordinal) || rest.StartsWith("per cent", StringComparison.Ordinal);
    }

    private static int ReadDocumentList(string s, int k, int end, int wordStart, string volumeId, string where, List<Reference> found)
    {
        var numbers = new List<int>();
        Add(numbers, s, k, end);
        var pos = end;
        while (true)
        {
            if (pos + 1 < s.Length && s[pos] is '–' or '-' && char.IsAsciiDigit(s[pos + 1]))
            {
                var e = DigitsEnd(s, pos + 1);
                if (int.TryParse(s.AsSpan(pos + 1, e - pos - 1), out var hi) && numbers.Count > 0 && hi > numbers[^1] && hi - numbers[^1] <= 100)
                {
                    for (var n = numbers[^1] + 1; n <= hi; n++)
                    {
                        numbers.Add(n);
                    }
                }
                pos = e;
                continue;
            }
            var next = Separator(s, pos);
            if (next < 0 || next >= s.Length || !char.IsAsciiDigit(s[next]))
            {
                break;
            }
            var e2 = DigitsEnd(s, next);
            if (e2 < s.Length && char.IsLetter(s[e2]))
            {
                break;
            }
            Add(numbers, s, next, e2);
            pos = e2;
        }
        var text = s[wordStart..pos];
        foreach (var n in numbers)
        {
            found.Add(new Reference(ReferenceKind.Document, volumeId + "#d" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), text, where));
        }
        return pos;

        static void Add(List<int> list, string s, int from, int to)
        {
            if (int.TryParse(s.AsSpan(from, to - from), out var n))
            {
                list.Add(n);
            }
        }
    }

    private static int ReadTelegramList(string s, int k, int end, int wordStart, string prefix, string where, List<Reference> found)
    {
        var spans = new List<(int Start, int End)> { (k, end) };
        var pos = end;
        while (true)
        {
            var afterDate = SkipDate(s, pos);
            var next = Separator(s, afterDate);
            if (next < 0 || next >= s.Length || !char.IsAsciiDigit(s[next]))
            {
                pos = afterDate;
                break;
            }
            var e = DigitsEnd(s, next);
            if ((e < s.Length && char.IsLetter(s[e])) || IsTimeOrAmount(s, e) || (e - next == 4 && s[next] is '1' && s[next + 1] is '9'))
            {
                pos = afterDate;
                break;
            }
            spans.Add((next, e));
            pos = e;
        }
        var text = s[wordStart..pos].TrimEnd(ListTrail);
        foreach (var (a, b) in spans)
        {
            found.Add(new Reference(ReferenceKind.Telegram, prefix + s[a..b], text, where));
        }
        return pos;
    }

    // ", and " / " and " / ", " / " & " between listed numbers; -1 when none.
    private static int Separator(string s, int pos)
    {
        var i = pos;
        var comma = false;
        if (i < s.Length && s[i] == ',')
        {
            comma = true;
            i++;
        }
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        foreach (var w in (ReadOnlySpan<string>)["and ", "or ", "& "])
        {
            if (string.CompareOrdinal(s, i, w, 0, w.Length) == 0)
            {
                i += w.Length;
                while (i < s.Length && s[i] == ' ')
                {
                    i++;
                }
                return i;
            }
        }
        return comma ? i : -1;
    }

    // ", Dec 18" / " of December 18, 1948" after a telegram number.
    private static int SkipDate(string s, int pos)
    {
        var i = pos;
        if (i < s.Length && s[i] == ',')
        {
            i++;
        }
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        if (string.CompareOrdinal(s, i, "of ", 0, 3) == 0)
        {
            i += 3;
        }
        var wordStart = i;
        while (i < s.Length && char.IsLetter(s[i]))
        {
            i++;
        }
        var length = i - wordStart;
        if (length < 3 || !IsMonth(s.AsSpan(wordStart, length)))
        {
            return pos;
        }
        if (i < s.Length && s[i] == '.')
        {
            i++;
        }
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        var d = DigitsEnd(s, i);
        if (d == i || d - i > 2)
        {
            return pos;
        }
        i = d;
        if (i + 6 <= s.Length && s[i] == ',' && s[i + 1] == ' ' && char.IsAsciiDigit(s[i + 2]) && DigitsEnd(s, i + 2) == i + 6)
        {
            i += 6;
        }
        return i;
    }

    private static bool IsMonth(ReadOnlySpan<char> word)
    {
        foreach (var m in Months)
        {
            if (word.Length <= m.Length && m.AsSpan().StartsWith(word, StringComparison.OrdinalIgnoreCase)
                && (word.Length == m.Length || word.Length == 3 || (word.Length == 4 && m == "september")))
            {
                return true;
            }
        }
        return false;
    }
}
