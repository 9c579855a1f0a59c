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
    public static (string Snippet, bool InFootnote) For(SearchText text, IReadOnlyList<FtsPhrase>? highlight)
    {
        var body = text.Texts[(int)TextColumn.Body];
        var notes = text.Texts[(int)TextColumn.Footnotes];
        if (highlight is not null)
        {
            // the body first: when it holds a match, the other columns need not be read
            var tokens = new List<TextToken>[5];
            tokens[(int)TextColumn.Body] = SearchText.Tokenize(body);
            var bodyOnly = new List<TextToken>[] { [], [], [], tokens[(int)TextColumn.Body], [] };
            var instances = Fts5Snippet.Instances(highlight, bodyOnly, text.Texts);
            if (instances.Count == 0)
            {
                foreach (var column in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                {
                    tokens[(int)column] = SearchText.Tokenize(text.Texts[(int)column]);
                }
                instances = Fts5Snippet.Instances(highlight, tokens, text.Texts);
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
                if (tokens[(int)TextColumn.Footnotes] is null)
                {
                    // a body match that left no mark in the window cannot happen, but if it did, read everything
                    foreach (var column in (TextColumn[])[TextColumn.Title, TextColumn.Sender, TextColumn.Recipient, TextColumn.Footnotes])
                    {
                        tokens[(int)column] = SearchText.Tokenize(text.Texts[(int)column]);
                    }
                    instances = Fts5Snippet.Instances(highlight, tokens, text.Texts);
                }
                if (instances.Any(i => i.Column == (int)TextColumn.Footnotes) || notes.Contains('«'))
                {
                    var notesSnippet = Fts5Snippet.Snippet(notes, tokens[(int)TextColumn.Footnotes], (int)TextColumn.Footnotes, instances, highlight, "«", "»", "…", SnippetWords);
                    if (notesSnippet.Contains('«'))
                    {
                        var inHead = instances.Any(i => i.Column <= (int)TextColumn.Recipient) || text.Texts.Take(3).Any(s => s.Contains('«'));
                        return (notesSnippet.Replace('\n', ' '), !inHead);
                    }
                }
            }
        }
        return (Lead((body.Length > 0 ? body : notes).Replace('\n', ' ')), false);
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
