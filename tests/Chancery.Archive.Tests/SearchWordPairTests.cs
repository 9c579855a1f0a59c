using Chancery.Archive.Search;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using CsCheck;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Data.Sqlite;
using static Chancery.Archive.Tests.TestDocuments;

namespace Chancery.Archive.Tests;

/// <summary>
/// The pairs of adjacent common words the full-text index holds besides the words (<see cref="CommonWordPairs"/>):
/// where they sit, how a phrase is matched on them, that prefixes never take them for words, and that an index
/// written before them is rebuilt.
/// </summary>
public sealed class SearchWordPairTests() : ArchiveFolderTests("chancery-pairs-test-")
{

    private static List<(string Term, int Increment)> Indexed(string text)
    {
        var tokens = new List<(string, int)>();
        using var analyzer = LuceneSearchIndex.NewIndexAnalyzer();
        using var stream = analyzer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), increment.PositionIncrement));
        }
        stream.End();
        return tokens;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        using var analyzer = LuceneSearchIndex.NewAnalyzer();
        using var stream = analyzer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            words.Add(term.ToString());
        }
        stream.End();
        return words;
    }

    [Fact]
    public void Adjacent_common_words_add_their_pair_at_the_first_words_position()
    {
        Assert.Equal(
            [("the", 1), ("the secretary", 0), ("secretary", 1), ("secretary of", 0), ("of", 1), ("of state", 0), ("state", 1), ("dulles", 1), ("of", 1)],
            Indexed("The Secretary of State, Dulles, of"));
    }

    [Fact]
    public void The_index_holds_every_word_in_place_and_a_pair_only_between_two_adjacent_common_words()
    {
        // common words (the, of, State, Secretary, a) and others, between separators of any kind
        var text = Gen.Select(Gen.OneOf("the", "of", "State", "Secretary", "a", "Dairen", "x", "é", ""), Gen.OneOf(" ", ", ", ".\n", "-", "—"))
            .List[0, 16].Select(parts => string.Concat(parts.Select(p => p.Item1 + p.Item2)));
        text.Sample(t =>
        {
            var words = Words(t);
            var indexed = Indexed(t);
            Assert.Equal(words, indexed.Where(x => x.Increment == 1).Select(x => x.Term));
            var expectedPairs = new List<(int, string)>();
            for (var i = 0; i + 1 < words.Count; i++)
            {
                if (CommonWordPairs.IsCommon(words[i]) && CommonWordPairs.IsCommon(words[i + 1]))
                {
                    expectedPairs.Add((i, words[i] + " " + words[i + 1]));
                }
            }
            var pairs = new List<(int, string)>();
            var position = -1;
            foreach (var (term, increment) in indexed)
            {
                position += increment;
                if (increment == 0)
                {
                    pairs.Add((position, term));
                }
            }
            Assert.Equal(expectedPairs, pairs);
        });
    }

    [Fact]
    public void A_phrase_is_matched_on_its_pairs_and_on_the_words_no_pair_covers()
    {
        Assert.Equal([("secretary of", 0), ("of state", 1), ("dulles", 3)], CommonWordPairs.Terms(["secretary", "of", "state", "dulles"]));
    }

    /// <summary>A document whose sender and recipient hold none of the common words the tests look for.</summary>
    private static Core.Documents.Document Plain(string volume, int n, string body) => Make(volume, n, "Note " + n, body) with { From = "Harriman", To = "Molotov" };

    [Fact]
    public void A_phrase_of_common_words_finds_the_rows_holding_it_and_no_other()
    {
        using var archive = SqliteArchive.Open(Folder);
        Store(archive, "volP",
            Plain("volP", 1, "The Secretary of State spoke."),
            Plain("volP", 2, "The State Secretary of Defense spoke of State."),
            Plain("volP", 3, "Secretary of the State."));
        Assert.Equal(["volP#d1"], archive.Search(new SearchRequest("\"secretary of state\""), ReaderIdentity.Public, "test").Hits.Select(h => h.Id));
    }

    [Fact]
    public void A_prefix_never_counts_a_pair_as_a_word()
    {
        using var archive = SqliteArchive.Open(Folder);
        // rows without the word, so that it weighs something (BM25's IDF is nil for a word in half the rows)
        Store(archive, "volP", [Plain("volP", 1, "The Secretary of State spoke."), .. Enumerable.Range(2, 5).Select(n => Plain("volP", n, "Nothing."))]);
        // the only word starting with "secretar" is "secretary", once: the prefix scores as the word does
        var prefix = archive.Search(new SearchRequest("secretar*"), ReaderIdentity.Public, "test").Hits.Single().Score;
        var word = archive.Search(new SearchRequest("secretary"), ReaderIdentity.Public, "test").Hits.Single().Score;
        Assert.Equal(word, prefix);
    }

    [Fact]
    public void An_index_written_before_the_pairs_is_rebuilt_with_them()
    {
        using (var archive = SqliteArchive.Open(Folder))
        {
            Store(archive, "volA", Plain("volA", 1, "Soviet forces will enter Dairen."), Plain("volA", 2, "Forces of the Soviet Union."));
        }
        LuceneSearchIndex.Forget(Folder);
        // what a Chancery before the pairs left: the same rows' words only, and no format in the commit
        var index = Path.Combine(Folder, "search");
        System.IO.Directory.Delete(index, recursive: true);
        using (var c = new SqliteConnection($"Data Source={Path.Combine(Folder, "archive.db")}"))
        using (var directory = FSDirectory.Open(index))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, LuceneSearchIndex.NewAnalyzer())))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM search_rows";
            var rows = new List<long>();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    rows.Add(r.GetInt64(0));
                }
            }
            foreach (var (row, text) in SqliteSearchIndex.StoredTexts(c, null, rows))
            {
                LuceneSearchIndex.Add(writer, row, text);
            }
            writer.Commit();
        }
        using var reopened = SqliteArchive.Open(Folder);
        var found = reopened.Search(new SearchRequest("\"Soviet forces\""), ReaderIdentity.Public, "test");
        Assert.Equal((true, "volA#d1"), (found.Complete, string.Join(' ', found.Hits.Select(h => h.Id))));
    }
}
