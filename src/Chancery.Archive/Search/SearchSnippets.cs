namespace Chancery.Archive.Search;

/// <summary>
/// The snippet of a search hit, as SQLite FTS5's snippet() made it when the embedded archive searched with FTS5, so
/// both stores answer alike: worked out from the row's own text for the hits of one page only.
/// </summary>
internal static class SearchSnippets
{
    /// <summary>Words in a snippet.</summary>
    private const int SnippetWords = 30;

    /// <summary>
    /// The embedded archive's choice: a body snippet with a match, else a footnote one, else the opening words; lines
    /// (paragraphs, notes) run together with spaces.
    /// </summary>
    public static (string Snippet, bool InFootnote) For(SearchText text, IReadOnlyList<FtsPhrase>? highlight) =>
        For(column => text.Texts[column], highlight);

    /// <summary>
    /// The same from the row's column texts as <paramref name="column"/> gives them: the body first, the other columns
    /// only when the body holds no match (a store reading them on demand reads no more than needed).
    /// </summary>
    public static (string Snippet, bool InFootnote) For(Func<int, string> column, IReadOnlyList<FtsPhrase>? highlight)
    {
        var body = column((int)TextColumn.Body);
        if (highlight is not null)
        {
            // the body first: when it holds a match, the other columns need not be read
            var tokens = new List<TextToken>[5];
            tokens[(int)TextColumn.Body] = SearchText.Tokenize(body);
            var bodyOnly = new List<TextToken>[] { [], [], [], tokens[(int)TextColumn.Body], [] };
            var bodyText = new[] { "", "", "", body, "" };
            var instances = Fts5Snippet.Instances(highlight, bodyOnly, bodyText);
            string[]? texts = null;
            if (instances.Count == 0)
            {
                texts = [.. Enumerable.Range(0, 5).Select(column)];
                foreach (var c in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                {
                    tokens[(int)c] = SearchText.Tokenize(texts[(int)c]);
                }
                instances = Fts5Snippet.Instances(highlight, tokens, texts);
            }
            // the row matches the highlight terms somewhere: FTS5 builds both snippets and keeps one with a mark
            if (instances.Count > 0)
            {
                if (instances.Any(i => i.Column == (int)TextColumn.Body) || body.Contains('«'))
                {
                    var bodySnippet = Fts5Snippet.Snippet(body, tokens[(int)TextColumn.Body], (int)TextColumn.Body, instances, highlight, "«", "»", "…", SnippetWords);
                    if (bodySnippet.Contains('«'))
                    {
                        return (bodySnippet.Replace('\n', ' '), false);
                    }
                }
                if (texts is null)
                {
                    // a body match that left no mark in the window cannot happen, but if it did, read everything
                    texts = [.. Enumerable.Range(0, 5).Select(column)];
                    foreach (var c in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                    {
                        tokens[(int)c] = SearchText.Tokenize(texts[(int)c]);
                    }
                    instances = Fts5Snippet.Instances(highlight, tokens, texts);
                }
                var notes = texts[(int)TextColumn.Footnotes];
                if (instances.Any(i => i.Column == (int)TextColumn.Footnotes) || notes.Contains('«'))
                {
                    var notesSnippet = Fts5Snippet.Snippet(notes, tokens[(int)TextColumn.Footnotes], (int)TextColumn.Footnotes, instances, highlight, "«", "»", "…", SnippetWords);
                    if (notesSnippet.Contains('«'))
                    {
                        var inHead = instances.Any(i => i.Column <= (int)TextColumn.Recipient) || texts.Take(3).Any(s => s.Contains('«'));
                        return (notesSnippet.Replace('\n', ' '), !inHead);
                    }
                }
            }
        }
        return (Lead((body.Length > 0 ? body : column((int)TextColumn.Footnotes)).Replace('\n', ' ')), false);
    }

    /// <summary>The first words of a text, cut between words.</summary>
    private static string Lead(string text)
    {
        var words = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (inWord && ++words == SnippetWords)
                {
                    return text[..i] + "…";
                }
                inWord = false;
            }
            else
            {
                inWord = true;
            }
        }
        return text;
    }
}
