namespace Chancery.Ingest.Samples;

/// <summary>
/// Draws indexes 0…n−1 with Zipf–Mandelbrot weights 1/(rank+1+q)^s, the shape word frequencies have in real
/// text; the offset q flattens the head so the first few words do not crowd out the rest.
/// </summary>
internal sealed class ZipfSampler
{
    private const int GuideSize = 1024;
    private readonly double[] _cumulative;
    private readonly int[] _guide;

    public ZipfSampler(int count, double exponent = 1.0, double offset = 0.0)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }
        _cumulative = new double[count];
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            total += 1.0 / Math.Pow(i + 1 + offset, exponent);
            _cumulative[i] = total;
        }
        for (var i = 0; i < count; i++)
        {
            _cumulative[i] /= total;
        }
        _cumulative[count - 1] = 1.0;
        // A guide table: the first index whose cumulative weight reaches each 1/GuideSize step, so a draw
        // scans a few entries instead of binary-searching the whole table.
        _guide = new int[GuideSize];
        var j = 0;
        for (var g = 0; g < GuideSize; g++)
        {
            var threshold = (double)g / GuideSize;
            while (_cumulative[j] < threshold)
            {
                j++;
            }
            _guide[g] = j;
        }
    }

    public int Count => _cumulative.Length;

    public int Next(SampleRandom random)
    {
        var u = random.NextDouble();
        var i = _guide[(int)(u * GuideSize)];
        while (_cumulative[i] < u)
        {
            i++;
        }
        return i;
    }
}

/// <summary>Words of one part of speech, without repeats, with their Zipf sampler.</summary>
internal sealed class WordClass
{
    private readonly ZipfSampler _sampler;

    public WordClass(IEnumerable<string> words, double offset = SampleVocabulary.ZipfOffset)
    {
        Words = words.Distinct(StringComparer.Ordinal).ToArray();
        _sampler = new ZipfSampler(Words.Length, 1.0, offset);
    }

    public string[] Words { get; }

    public int NextIndex(SampleRandom random) => _sampler.Next(random);

    public string Next(SampleRandom random) => Words[_sampler.Next(random)];
}

/// <summary>
/// The generator's built-in vocabulary: the hand-written stems of <see cref="SampleLexicon"/>, inflected by
/// rule, plus the pool of people. Immutable once built and shared by all generators.
/// </summary>
internal sealed class SampleVocabulary
{
    /// <summary>The Mandelbrot offset used for open word classes (nouns, verbs, adjectives, adverbs).</summary>
    public const double ZipfOffset = 2.7;

    public static SampleVocabulary Instance { get; } = new();

    private SampleVocabulary()
    {
        var nouns = FirstByStem(SampleLexicon.Split(SampleLexicon.Nouns));
        NounSingular = new string[nouns.Length];
        NounPlural = new string[nouns.Length];
        for (var i = 0; i < nouns.Length; i++)
        {
            var parts = nouns[i].Split(':');
            NounSingular[i] = parts[0];
            NounPlural[i] = parts.Length > 1 ? parts[1] : SuffixS(parts[0]);
        }
        Nouns = new ZipfSampler(nouns.Length, 1.0, ZipfOffset);

        var verbs = FirstByStem(SampleLexicon.Split(SampleLexicon.Verbs));
        VerbBase = new string[verbs.Length];
        VerbPast = new string[verbs.Length];
        VerbParticiple = new string[verbs.Length];
        VerbPresentParticiple = new string[verbs.Length];
        VerbThirdPerson = new string[verbs.Length];
        for (var i = 0; i < verbs.Length; i++)
        {
            var parts = verbs[i].Split(':');
            var stem = parts[0];
            VerbBase[i] = stem;
            VerbPast[i] = parts.Length > 1 ? parts[1] : SuffixEd(stem);
            VerbParticiple[i] = parts.Length > 2 ? parts[2] : VerbPast[i];
            VerbPresentParticiple[i] = parts.Length > 3 ? parts[3] : SuffixIng(stem);
            VerbThirdPerson[i] = SuffixS(stem);
        }
        Verbs = new ZipfSampler(verbs.Length, 1.0, ZipfOffset);

        Adjectives = new WordClass(SampleLexicon.Split(SampleLexicon.Adjectives));
        // Hand-written adverbs first (they keep the frequent ranks), then ones derived from adjectives by rule.
        var noAdverb = SampleLexicon.Split(SampleLexicon.NoAdverb).ToHashSet(StringComparer.Ordinal);
        Adverbs = new WordClass(SampleLexicon.Split(SampleLexicon.Adverbs)
            .Concat(Adjectives.Words.Where(a => !noAdverb.Contains(a)).Select(AdverbOf).OfType<string>()));
        SingularDeterminers = SampleLexicon.Split(SampleLexicon.SingularDeterminers);
        PluralDeterminers = SampleLexicon.Split(SampleLexicon.PluralDeterminers);
        Prepositions = new WordClass(SampleLexicon.Split(SampleLexicon.Prepositions), offset: 0);
        Conjunctions = SampleLexicon.Split(SampleLexicon.Conjunctions);
        Openers = SampleLexicon.SplitPhrases(SampleLexicon.Openers);
        Modals = SampleLexicon.SplitPhrases(SampleLexicon.Modals);
        ReportingVerbs = new WordClass(SampleLexicon.Split(SampleLexicon.ReportingVerbs));
        IntransitiveVerbs = new WordClass(SampleLexicon.Split(SampleLexicon.IntransitiveVerbs));
        DiplomaticPhrases = new WordClass(SampleLexicon.SplitPhrases(SampleLexicon.DiplomaticPhrases));
        People = BuildPeople();
        DistinctWords = CountDistinctWords();
    }

    public string[] NounSingular { get; }
    public string[] NounPlural { get; }
    public ZipfSampler Nouns { get; }
    public string[] VerbBase { get; }
    public string[] VerbPast { get; }
    public string[] VerbParticiple { get; }
    public string[] VerbPresentParticiple { get; }
    public string[] VerbThirdPerson { get; }
    public ZipfSampler Verbs { get; }
    public WordClass Adjectives { get; }
    public WordClass Adverbs { get; }
    public string[] SingularDeterminers { get; }
    public string[] PluralDeterminers { get; }
    public WordClass Prepositions { get; }
    public string[] Conjunctions { get; }
    public string[] Openers { get; }
    public string[] Modals { get; }
    public WordClass ReportingVerbs { get; }
    public WordClass IntransitiveVerbs { get; }
    public WordClass DiplomaticPhrases { get; }

    /// <summary>The pool of about 300 people: American officials first, then foreign ones.</summary>
    public IReadOnlyList<SampleName> People { get; }

    /// <summary>How many distinct word forms the generator can print (words, names and places).</summary>
    public int DistinctWords { get; }

    // The first entry for a stem wins, so an irregular entry is not overridden by a later plain repeat.
    private static string[] FirstByStem(string[] entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return entries.Where(e => seen.Add(e.Split(':')[0])).ToArray();
    }

    private static string SuffixS(string word)
    {
        if (word.EndsWith('s') || word.EndsWith('x') || word.EndsWith('z') || word.EndsWith("ch", StringComparison.Ordinal)
            || word.EndsWith("sh", StringComparison.Ordinal))
        {
            return word + "es";
        }
        if (word.Length > 1 && word[^1] == 'y' && !IsVowel(word[^2]))
        {
            return word[..^1] + "ies";
        }
        if (word.Length > 1 && word[^1] == 'o' && !IsVowel(word[^2]))
        {
            return word + "es";
        }
        return word + "s";
    }

    private static string SuffixEd(string word)
    {
        if (word.EndsWith('e'))
        {
            return word + "d";
        }
        if (word.Length > 1 && word[^1] == 'y' && !IsVowel(word[^2]))
        {
            return word[..^1] + "ied";
        }
        return word + "ed";
    }

    private static string SuffixIng(string word)
    {
        if (word.EndsWith("ie", StringComparison.Ordinal))
        {
            return word[..^2] + "ying";
        }
        if (word.EndsWith('e') && !word.EndsWith("ee", StringComparison.Ordinal) && !word.EndsWith("ye", StringComparison.Ordinal)
            && !word.EndsWith("oe", StringComparison.Ordinal))
        {
            return word[..^1] + "ing";
        }
        return word + "ing";
    }

    // "political" → "politically", "vigorous" → "vigorously"; only endings whose -ly form is regular.
    private static string? AdverbOf(string adjective)
    {
        if (adjective is "public")
        {
            return "publicly";
        }
        if (adjective.EndsWith("ic", StringComparison.Ordinal))
        {
            return adjective + "ally";
        }
        if (adjective.EndsWith("ble", StringComparison.Ordinal))
        {
            return adjective[..^1] + "y";
        }
        if (adjective.EndsWith("ary", StringComparison.Ordinal))
        {
            return adjective[..^1] + "ily";
        }
        string[] endings = ["al", "ous", "ful", "ent", "ant", "ive", "ate", "ar", "less", "ite", "ure", "ct", "rm", "ise", "nt"];
        return endings.Any(e => adjective.EndsWith(e, StringComparison.Ordinal)) ? adjective + "ly" : null;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static List<SampleName> BuildPeople()
    {
        // A fixed stream, independent of any volume's seed: the pool is part of the vocabulary.
        var random = new SampleRandom(0x5EED_0FF1_CE00_1945UL);
        var given = SampleLexicon.Split(SampleLexicon.GivenNames);
        var surnames = SampleLexicon.Split(SampleLexicon.Surnames);
        var foreignGiven = SampleLexicon.Split(SampleLexicon.ForeignGivenNames);
        var foreignSurnames = SampleLexicon.Split(SampleLexicon.ForeignSurnames);
        const string initials = "ABCDEFGHJKLMNPRSTW";
        var people = new List<SampleName>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Every surname once, then second holders of the commonest ones, up to 230 Americans.
        var order = surnames.Concat(surnames).Take(230).ToArray();
        foreach (var surname in order)
        {
            SampleName name;
            do
            {
                var middle = random.Chance(0.8) ? initials[random.Next(initials.Length)].ToString() : "";
                name = new SampleName(random.Pick(given), middle, surname, Foreign: false);
            }
            while (!seen.Add(name.Full));
            people.Add(name);
        }
        for (var i = 0; people.Count < 300; i++)
        {
            var surname = foreignSurnames[i % foreignSurnames.Length];
            SampleName name;
            do
            {
                name = new SampleName(random.Pick(foreignGiven), "", surname, Foreign: true);
            }
            while (!seen.Add(name.Full));
            people.Add(name);
        }
        return people;
    }

    private int CountDistinctWords()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        void AddAll(IEnumerable<string> items)
        {
            foreach (var item in items)
            {
                foreach (var w in item.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    words.Add(w.TrimEnd(',').ToLowerInvariant());
                }
            }
        }
        AddAll(NounSingular);
        AddAll(NounPlural);
        AddAll(VerbBase);
        AddAll(VerbPast);
        AddAll(VerbParticiple);
        AddAll(VerbPresentParticiple);
        AddAll(VerbThirdPerson);
        AddAll(Adjectives.Words);
        AddAll(Adverbs.Words);
        AddAll(SingularDeterminers);
        AddAll(PluralDeterminers);
        AddAll(Prepositions.Words);
        AddAll(Conjunctions);
        AddAll(Openers);
        AddAll(Modals);
        AddAll(ReportingVerbs.Words);
        AddAll(IntransitiveVerbs.Words);
        AddAll(DiplomaticPhrases.Words);
        AddAll(SampleLexicon.Countries.SelectMany(c => new[] { c.Name, c.Adjective, c.Capital }));
        AddAll(SampleLexicon.Areas);
        AddAll(People.SelectMany(p => new[] { p.Given, p.Surname }));
        return words.Count;
    }
}
