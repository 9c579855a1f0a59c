using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// Pairs of common words indexed as one term (the "common grams" technique), so that a phrase of common words
/// (<c>"Secretary of State"</c>, <c>"Soviet Union"</c>) is matched on the postings of its pairs instead of the
/// positions of its words, which occur in most documents. Where two adjacent words are both among
/// <see cref="Words"/>, the index holds the term <c>"w1 w2"</c> at the first word's position besides the two words.
/// </summary>
/// <remarks>
/// Only matching uses the pairs: the rows holding a phrase and its occurrences per column are exactly those of the
/// words (each pair term sits where its two words are adjacent), so BM25, computed from those counts and the rows'
/// word counts, is unchanged. A space never occurs inside a word, so a pair is never taken for a word.
/// Changing <see cref="Words"/> changes what the index must hold: bump <see cref="LuceneSearchIndex.Format"/>.
/// </remarks>
internal static class CommonWordPairs
{
    /// <summary>What separates the two words of a pair term (never part of a word).</summary>
    public const char Separator = ' ';

    /// <summary>
    /// The 256 most frequent folded words of a third of the FRUS corpus (38 volumes). Both words of a pair must be
    /// among them: the phrases that are slow to match are those of words found in most documents, and pairs of two
    /// common words add about 0.3 terms per word to the index where pairs with one add 0.8.
    /// </summary>
    public static readonly string[] Words =
    [
        "the", "of", "to", "and", "in", "that", "a", "for", "be", "on", "with", "s", "is", "this", "we", "would", "as", "it",
        "not", "he", "by", "was", "from", "have", "which", "i", "had", "at", "will", "our", "are", "u", "state", "secretary",
        "president", "but", "an", "or", "if", "should", "said", "us", "has", "united", "department", "been", "states", "they",
        "his", "government", "mr", "no", "soviet", "there", "were", "military", "could", "their", "you", "other", "1", "any",
        "all", "such", "its", "may", "these", "general", "some", "policy", "security", "also", "2", "foreign", "more", "time",
        "national", "out", "see", "defense", "files", "can", "might", "source", "3", "under", "one", "forces", "ambassador",
        "meeting", "about", "position", "do", "economic", "made", "what", "than", "now", "only", "action", "new", "political",
        "washington", "countries", "telegram", "memorandum", "situation", "minister", "so", "present", "problem", "support",
        "4", "n", "between", "m", "make", "however", "relations", "5", "two", "agreement", "them", "central", "over",
        "program", "question", "him", "into", "french", "possible", "must", "world", "your", "p", "up", "very", "against",
        "american", "council", "israel", "war", "subject", "both", "nsc", "when", "d", "then", "b", "take", "affairs", "6",
        "british", "east", "embassy", "further", "communist", "text", "aid", "force", "international", "did", "view",
        "first", "who", "japan", "people", "vietnam", "point", "most", "after", "through", "nato", "assistance", "secret",
        "well", "report", "my", "document", "since", "use", "because", "part", "being", "development", "7", "south",
        "country", "june", "asked", "c", "10", "agreed", "whether", "while", "even", "nations", "soviets", "believe", "me",
        "west", "trade", "before", "without", "following", "conversation", "during", "public", "problems", "area",
        "discussion", "kissinger", "statement", "matter", "much", "air", "nuclear", "union", "staff", "8", "far",
        "important", "ibid", "course", "committee", "year", "own", "july", "here", "office", "long", "continue", "those",
        "basis", "9", "control", "necessary", "berlin", "way", "china", "december", "treaty", "toward", "march", "until",
        "same", "11", "korea", "major", "thought", "give", "fact", "april", "european", "january", "western",
    ];

    private const int TableBits = 10;
    private static readonly int LongestWord = Words.Max(w => w.Length);
    // open addressing on a hash of the length and three letters: the index asks this of every word it holds, and a
    // set's lookup (which hashes every letter) was a tenth of the index thread (bench ingest, BENCHMARKS.md)
    private static readonly string?[] Table = BuildTable();

    private static string?[] BuildTable()
    {
        var table = new string?[1 << TableBits];
        foreach (var word in Words)
        {
            var slot = Slot(word);
            while (table[slot] is not null)
            {
                slot = (slot + 1) & (table.Length - 1);
            }
            table[slot] = word;
        }
        return table;
    }

    private static int Slot(ReadOnlySpan<char> word)
    {
        var key = (uint)word[0] | (uint)word[^1] << 8 | (uint)word[word.Length >> 1] << 16 | (uint)word.Length << 24;
        return (int)((key * 0x9E3779B1u) >> (32 - TableBits));
    }

    /// <summary>Whether a folded word is one of <see cref="Words"/>.</summary>
    public static bool IsCommon(ReadOnlySpan<char> word)
    {
        if (word.Length == 0 || word.Length > LongestWord)
        {
            return false;
        }
        var table = Table;
        for (var slot = Slot(word); table[slot] is { } candidate; slot = (slot + 1) & (table.Length - 1))
        {
            if (word.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The term of two adjacent folded words.</summary>
    public static string Pair(string first, string second) => first + Separator + second;

    /// <summary>Whether an indexed term is a pair, not a word.</summary>
    public static bool IsPair(ReadOnlySpan<byte> utf8Term) => utf8Term.Contains((byte)Separator);

    /// <summary>
    /// The terms that match a phrase of folded <paramref name="words"/>, each with its position in the phrase: the pair
    /// of every two adjacent common words, and each word no pair covers. A phrase matches at a position exactly where
    /// these terms all do.
    /// </summary>
    public static List<(string Term, int Position)> Terms(IReadOnlyList<string> words)
    {
        var terms = new List<(string, int)>(words.Count);
        var covered = new bool[words.Count];
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (IsCommon(words[i]) && IsCommon(words[i + 1]))
            {
                terms.Add((Pair(words[i], words[i + 1]), i));
                covered[i] = covered[i + 1] = true;
            }
        }
        for (var i = 0; i < words.Count; i++)
        {
            if (!covered[i])
            {
                terms.Add((words[i], i));
            }
        }
        return terms;
    }
}
