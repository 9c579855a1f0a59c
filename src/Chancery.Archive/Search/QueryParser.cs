using System.Globalization;
using System.Text;
using Chancery.Core.Dates;

namespace Chancery.Archive.Search;

/// <summary>
/// Parses the Chancery query language into a <see cref="QueryNode"/> tree:
/// <list type="bullet">
/// <item>words, all required (<c>Dairen Soviet</c>); <c>AND</c> may be written;</item>
/// <item><c>"exact phrases"</c>; <c>prefix*</c> (at least two letters before the star);</item>
/// <item><c>OR</c>, <c>NOT x</c> or <c>-x</c>, grouping with parentheses; words bind tighter than <c>OR</c>;</item>
/// <item>fields <c>title: from: to: place: volume: type: classification: person: file: date:</c>, values bare or
/// quoted (<c>classification:"top secret"</c>); dates as <c>1945</c>, <c>1945-07</c>, <c>1945-07-13</c>, ranges
/// <c>1945-07..1945-08</c> (either end may be left open), decades <c>1940s</c>, or <c>none</c>; <c>file:761.93</c>
/// is a prefix of file numbers, <c>file:"761.93"</c> the whole subject (<c>761.93/…</c>, not <c>761.9311</c>).</item>
/// </list>
/// Every problem throws <see cref="QueryException"/> with a one-line message and the 0-based position.
/// </summary>
public static class QueryParser
{
    /// <summary>The longest query accepted, in characters.</summary>
    public const int MaxLength = 1000;

    /// <summary>How deep parentheses may nest.</summary>
    public const int MaxDepth = 16;

    /// <summary>The field names, as written before the colon.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
        ["title", "from", "to", "place", "volume", "type", "classification", "person", "file", "date"];

    /// <summary>Parses <paramref name="query"/>; throws <see cref="QueryException"/> when it is not a valid query.</summary>
    public static QueryNode Parse(string? query)
    {
        if (query is null || string.IsNullOrWhiteSpace(query))
        {
            throw new QueryException("the query is empty", 0);
        }
        if (query.Length > MaxLength)
        {
            throw new QueryException(
                $"the query is {query.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; the limit is {MaxLength.ToString("N0", CultureInfo.InvariantCulture)}",
                MaxLength);
        }
        var tokens = Lexer.Tokenize(query);
        var parser = new Parser(tokens);
        return parser.ParseQuery();
    }

    private enum TokenKind { Word, Phrase, Field, LParen, RParen, Or, And, Not, Minus, End }

    private sealed record Token(TokenKind Kind, int Position, string Text = "", bool Prefix = false, QueryNode? Node = null);

    /// <summary>User text quoted in a message: one line, no control characters, not too long.</summary>
    private static string Show(string text)
    {
        var shown = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length > 40 ? shown[..40] + "…" : shown;
    }

    /// <summary>A position as people count it in a message: the first character is character 1.</summary>
    /// <remarks>Why: <see cref="QueryException.Position"/> stays a 0-based offset for programs (the caret, the API's
    /// <c>position</c>), but a reader told "starts at 0" beside "At character 1" cannot tell which is right.</remarks>
    private static string At(int position) => "character " + (position + 1).ToString(CultureInfo.InvariantCulture);

    private static bool IsQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static bool EndsRun(char c) => char.IsWhiteSpace(c) || c is '(' or ')' || IsQuote(c);

    private sealed class Lexer(string s)
    {
        private readonly List<Token> _tokens = [];
        private int _i;

        public static List<Token> Tokenize(string s)
        {
            var lexer = new Lexer(s);
            lexer.Run();
            return lexer._tokens;
        }

        private void Run()
        {
            while (true)
            {
                while (_i < s.Length && char.IsWhiteSpace(s[_i]))
                {
                    _i++;
                }
                if (_i >= s.Length)
                {
                    _tokens.Add(new Token(TokenKind.End, s.Length));
                    return;
                }
                var c = s[_i];
                if (c == '(')
                {
                    _tokens.Add(new Token(TokenKind.LParen, _i++));
                }
                else if (c == ')')
                {
                    _tokens.Add(new Token(TokenKind.RParen, _i++));
                }
                else if (IsQuote(c))
                {
                    var start = _i;
                    var (text, prefix) = ReadQuoted();
                    _tokens.Add(new Token(TokenKind.Phrase, start, text, prefix, MakePhrase(text, prefix, start)));
                }
                else if (c == '-')
                {
                    if (_i + 1 >= s.Length || char.IsWhiteSpace(s[_i + 1]) || s[_i + 1] == ')')
                    {
                        throw new QueryException($"'-' at {At(_i)} has nothing after it to exclude", _i);
                    }
                    _tokens.Add(new Token(TokenKind.Minus, _i++));
                }
                else
                {
                    ReadRun();
                }
            }
        }

        /// <summary>Reads a quoted string at <see cref="_i"/> and a '*' right after it.</summary>
        private (string Text, bool Prefix) ReadQuoted()
        {
            var start = _i;
            var end = _i + 1;
            while (end < s.Length && !IsQuote(s[end]))
            {
                end++;
            }
            if (end >= s.Length)
            {
                throw new QueryException($"unbalanced quote: the phrase that starts at {At(start)} is never closed", start);
            }
            var text = s[(start + 1)..end];
            _i = end + 1;
            var prefix = false;
            if (_i < s.Length && s[_i] == '*')
            {
                prefix = true;
                _i++;
                if (_i < s.Length && !EndsRun(s[_i]))
                {
                    throw new QueryException($"the wildcard at {At(_i - 1)} must end the phrase", _i - 1);
                }
            }
            return (text, prefix);
        }

        private void ReadRun()
        {
            var start = _i;
            while (_i < s.Length && !EndsRun(s[_i]))
            {
                _i++;
            }
            var run = s[start.._i];
            switch (run)
            {
                case "OR":
                    _tokens.Add(new Token(TokenKind.Or, start));
                    return;
                case "AND":
                    _tokens.Add(new Token(TokenKind.And, start));
                    return;
                case "NOT":
                    _tokens.Add(new Token(TokenKind.Not, start));
                    return;
            }
            var colon = run.IndexOf(':');
            if (colon > 0 && run[..colon].All(char.IsAsciiLetter))
            {
                ReadField(start, run[..colon], colon);
                return;
            }
            var (text, prefix) = SplitWildcard(run, start, minLetters: 2);
            if (!SearchFolding.HasWord(text))
            {
                throw new QueryException($"\"{Show(run)}\" at {At(start)} is not a word: it has no letters or digits (put punctuation inside quotes)", start);
            }
            _tokens.Add(new Token(TokenKind.Word, start, text, prefix, new TermNode(text, prefix, start)));
        }

        private void ReadField(int start, string name, int colon)
        {
            var field = name.ToLowerInvariant();
            var valueStart = start + colon + 1;
            string value;
            bool quoted, prefix;
            if (valueStart == _i)
            {
                // nothing after the colon in this run: a quoted value, or no value at all
                if (_i < s.Length && IsQuote(s[_i]))
                {
                    (value, prefix) = ReadQuoted();
                    quoted = true;
                }
                else if (_i < s.Length && s[_i] == '(')
                {
                    throw new QueryException($"field values cannot be grouped at {At(_i)}: write ({field}:a OR {field}:b)", _i);
                }
                else
                {
                    throw new QueryException($"the field '{field}:' at {At(start)} has no value", start);
                }
            }
            else
            {
                (value, prefix) = SplitWildcard(s[valueStart.._i], valueStart, minLetters: field == "title" ? 2 : 1);
                quoted = false;
            }
            var node = MakeField(field, value, quoted, prefix, start, valueStart);
            _tokens.Add(new Token(TokenKind.Field, start, value, prefix, node));
        }

        /// <summary>Splits a trailing '*' off a word; a star anywhere else is an error.</summary>
        private static (string Text, bool Prefix) SplitWildcard(string run, int start, int minLetters)
        {
            var star = run.IndexOf('*');
            if (star < 0)
            {
                return (run, false);
            }
            if (star == 0 && run.Length > 1)
            {
                throw new QueryException($"the wildcard at {At(start)} cannot start a word (write treat*)", start);
            }
            if (star != run.Length - 1)
            {
                throw new QueryException($"the wildcard at {At(start + star)} must end a word (write treat*)", start + star);
            }
            var text = run[..^1];
            var letters = 0;
            foreach (var r in text.EnumerateRunes())
            {
                if (SearchFolding.IsWordChar(r))
                {
                    letters++;
                }
            }
            if (letters == 0)
            {
                throw new QueryException($"the wildcard at {At(start + star)} has no word before it", start + star);
            }
            if (letters < minLetters)
            {
                throw new QueryException($"the wildcard at {At(start + star)} needs at least {minLetters} letters before it", start + star);
            }
            return (text, true);
        }

        private static QueryNode MakePhrase(string text, bool prefix, int start)
        {
            if (!SearchFolding.HasWord(text))
            {
                throw new QueryException($"the phrase at {At(start)} has no words in it", start);
            }
            if (prefix)
            {
                CheckPrefixWord(text, start);
            }
            return new PhraseNode(text, prefix, start);
        }

        private static QueryNode MakeField(string field, string value, bool quoted, bool prefix, int start, int valueStart)
        {
            if (field == "date")
            {
                if (prefix)
                {
                    throw new QueryException($"a date cannot end in a wildcard at {At(valueStart)}: write a range such as date:1945-07..1945-08", valueStart);
                }
                return ParseDate(value.Trim(), start, valueStart);
            }
            var kind = field switch
            {
                "title" => QueryField.Title,
                "from" => QueryField.From,
                "to" => QueryField.To,
                "place" => QueryField.Place,
                "volume" => QueryField.Volume,
                "type" => QueryField.Type,
                "classification" => QueryField.Classification,
                "person" => QueryField.Person,
                "file" => QueryField.File,
                _ => throw new QueryException($"unknown field \"{Show(field)}\" at {At(start)}: use one of {string.Join(", ", FieldNames)}", start),
            };
            if (!SearchFolding.HasWord(value))
            {
                throw new QueryException($"the field '{field}:' at {At(start)} has no letters or digits in its value", valueStart);
            }
            if (prefix && quoted && kind == QueryField.Title)
            {
                CheckPrefixWord(value, valueStart);
            }
            return new FieldNode(kind, value, quoted, prefix, start);
        }

        /// <summary>A text wildcard expands over the whole vocabulary: one letter would match most of it.</summary>
        private static void CheckPrefixWord(string text, int start)
        {
            var last = SearchFolding.Words(text).TrimEnd();
            var word = last[(last.LastIndexOf(' ') + 1)..];
            if (word.Length < 2)
            {
                throw new QueryException($"the wildcard after the phrase at {At(start)} needs at least 2 letters before it", start);
            }
        }
    }

    /// <summary>Parses the value of <c>date:</c> into an overlap range.</summary>
    internal static DateNode ParseDate(string value, int start, int valueStart)
    {
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new DateNode(null, null, true, start);
        }
        var dots = value.IndexOf("..", StringComparison.Ordinal);
        string? min, max;
        if (dots < 0)
        {
            var bounds = Bounds(value) ?? throw BadDate(value, valueStart);
            (min, max) = bounds;
        }
        else
        {
            var left = value[..dots].Trim();
            var right = value[(dots + 2)..].Trim();
            if (left.Length == 0 && right.Length == 0)
            {
                throw BadDate(value, valueStart);
            }
            min = left.Length == 0 ? null : (Bounds(left) ?? throw BadDate(left, valueStart)).Min;
            max = right.Length == 0 ? null : (Bounds(right) ?? throw BadDate(right, valueStart + dots + 2)).Max;
            if (min is not null && max is not null && string.CompareOrdinal(min, max) > 0)
            {
                throw new QueryException($"the date range at {At(valueStart)} ends before it starts", valueStart);
            }
        }
        return new DateNode(min, max, false, start);
    }

    private static (string Min, string Max)? Bounds(string text)
    {
        // a decade: 1940s
        if (text.Length == 5 && (text[4] == 's' || text[4] == 'S') && text[3] == '0'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var decade) && decade > 0)
        {
            return (DocumentDate.LowerBound(text[..4]), DocumentDate.UpperBound((decade + 9).ToString("0000", CultureInfo.InvariantCulture)));
        }
        var iso = DocumentDate.ParseIso(text);
        if (iso is null || !text.All(c => char.IsAsciiDigit(c) || c is '-' or 'T' or ':' or '+' or 'Z'))
        {
            return null;
        }
        return (DocumentDate.LowerBound(iso.Value.Value), DocumentDate.UpperBound(iso.Value.Value));
    }

    private static QueryException BadDate(string value, int position) =>
        new($"\"{Show(value)}\" at {At(position)} is not a date: use date:1945, date:1945-07, date:1945-07-13, date:1945-07..1945-08, date:1940s or date:none", position);

    private sealed class Parser(List<Token> tokens)
    {
        private int _p;
        private int _depth;

        private Token Peek => tokens[_p];

        public QueryNode ParseQuery()
        {
            var node = ParseOr();
            if (Peek.Kind == TokenKind.RParen)
            {
                throw new QueryException($"unbalanced parenthesis: the ')' at {At(Peek.Position)} closes no group", Peek.Position);
            }
            return node;
        }

        private QueryNode ParseOr()
        {
            var first = ParseAnd();
            if (Peek.Kind != TokenKind.Or)
            {
                return first;
            }
            var children = new List<QueryNode>();
            AddFlat<OrNode>(children, first);
            while (Peek.Kind == TokenKind.Or)
            {
                var or = tokens[_p++];
                if (Peek.Kind is TokenKind.End or TokenKind.RParen or TokenKind.Or or TokenKind.And)
                {
                    throw new QueryException($"'OR' at {At(or.Position)} needs a term on each side", or.Position);
                }
                AddFlat<OrNode>(children, ParseAnd());
            }
            return new OrNode(children, first.Position);
        }

        private QueryNode ParseAnd()
        {
            if (Peek.Kind is TokenKind.Or or TokenKind.And)
            {
                var word = Peek.Kind == TokenKind.Or ? "OR" : "AND";
                throw new QueryException($"'{word}' at {At(Peek.Position)} needs a term on each side", Peek.Position);
            }
            var first = ParseUnary();
            var children = new List<QueryNode>();
            AddFlat<AndNode>(children, first);
            while (Peek.Kind is not (TokenKind.End or TokenKind.RParen or TokenKind.Or))
            {
                if (Peek.Kind == TokenKind.And)
                {
                    var and = tokens[_p++];
                    if (Peek.Kind is TokenKind.End or TokenKind.RParen or TokenKind.Or or TokenKind.And)
                    {
                        throw new QueryException($"'AND' at {At(and.Position)} needs a term on each side", and.Position);
                    }
                }
                AddFlat<AndNode>(children, ParseUnary());
            }
            return children.Count == 1 ? children[0] : new AndNode(children, first.Position);
        }

        private QueryNode ParseUnary()
        {
            var t = Peek;
            if (t.Kind is TokenKind.Not or TokenKind.Minus)
            {
                _p++;
                if (Peek.Kind is TokenKind.End or TokenKind.RParen or TokenKind.Or or TokenKind.And)
                {
                    var what = t.Kind == TokenKind.Not ? "'NOT'" : "'-'";
                    throw new QueryException($"{what} at {At(t.Position)} has nothing after it to exclude", t.Position);
                }
                var child = t.Kind == TokenKind.Not ? ParseUnary() : ParsePrimaryOrMinus();
                // NOT NOT x is x: keeps the tree (and the SQL made from it) shallow
                return child is NotNode inner ? inner.Child : new NotNode(child, t.Position);
            }
            return ParsePrimary();
        }

        private QueryNode ParsePrimaryOrMinus() => Peek.Kind is TokenKind.Minus or TokenKind.Not ? ParseUnary() : ParsePrimary();

        private QueryNode ParsePrimary()
        {
            var t = tokens[_p];
            switch (t.Kind)
            {
                case TokenKind.LParen:
                    _p++;
                    if (++_depth > MaxDepth)
                    {
                        throw new QueryException($"parentheses at {At(t.Position)} are nested more than {MaxDepth} deep", t.Position);
                    }
                    if (Peek.Kind == TokenKind.RParen)
                    {
                        throw new QueryException($"empty parentheses at {At(t.Position)}", t.Position);
                    }
                    if (Peek.Kind == TokenKind.End)
                    {
                        throw new QueryException($"unbalanced parenthesis: the group that opens at {At(t.Position)} is never closed", t.Position);
                    }
                    var inner = ParseOr();
                    if (Peek.Kind != TokenKind.RParen)
                    {
                        throw new QueryException($"unbalanced parenthesis: the group that opens at {At(t.Position)} is never closed", t.Position);
                    }
                    _p++;
                    _depth--;
                    return inner;
                case TokenKind.Word or TokenKind.Phrase or TokenKind.Field:
                    _p++;
                    return t.Node!;
                case TokenKind.RParen:
                    throw new QueryException($"unbalanced parenthesis: the ')' at {At(t.Position)} closes no group", t.Position);
                case TokenKind.End:
                    throw new QueryException($"the query ends where a term was expected, at {At(t.Position)}", t.Position);
                default:
                    var word = t.Kind switch { TokenKind.Or => "OR", TokenKind.And => "AND", _ => "NOT" };
                    throw new QueryException($"'{word}' at {At(t.Position)} needs a term on each side", t.Position);
            }
        }

        private static void AddFlat<T>(List<QueryNode> into, QueryNode node) where T : QueryNode
        {
            switch (node)
            {
                case AndNode a when typeof(T) == typeof(AndNode):
                    into.AddRange(a.Children);
                    break;
                case OrNode o when typeof(T) == typeof(OrNode):
                    into.AddRange(o.Children);
                    break;
                default:
                    into.Add(node);
                    break;
            }
        }
    }

    /// <summary>
    /// Writes a field filter the way the parser reads it back, quoting the value (quote marks inside it become
    /// spaces, which matching ignores): <c>Field("type", "Editorial Note")</c> → <c>type:"Editorial Note"</c>.
    /// </summary>
    public static string Field(string field, string value)
    {
        var sb = new StringBuilder(field.Length + value.Length + 3);
        sb.Append(field).Append(":\"");
        foreach (var c in value)
        {
            sb.Append(IsQuote(c) ? ' ' : c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Narrows a query to one facet value: <c>Narrow("Dairen OR Port Arthur", "year", "1945")</c> →
    /// <c>(Dairen OR Port Arthur) date:1945</c>. The facet's count is the total the narrowed query returns.
    /// </summary>
    public static string Narrow(string query, string facet, string value)
    {
        var filter = facet switch
        {
            SearchFacets.Decade or SearchFacets.Year => "date:" + value,
            _ => Field(facet, value),
        };
        return string.IsNullOrWhiteSpace(query) ? filter : $"({query}) {filter}";
    }
}

/// <summary>The facet names of <see cref="SearchResults.Facets"/>; each but decade and year is also a query field.</summary>
public static class SearchFacets
{
    public const string Volume = "volume";
    public const string Decade = "decade";
    public const string Year = "year";
    public const string Type = "type";
    public const string Classification = "classification";
    public const string From = "from";
    public const string To = "to";
    public const string Person = "person";

    /// <summary>Decimal file subjects (see <see cref="FileSubjects"/>); selecting one narrows with <c>file:</c>.</summary>
    public const string File = "file";

    /// <summary>All facets, in the order surfaces show them.</summary>
    public static readonly IReadOnlyList<string> All = [Volume, Decade, Year, Type, Classification, From, To, Person, File];

    /// <summary>How many values each facet lists at most.</summary>
    public const int Top = 20;
}
