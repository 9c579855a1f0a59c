using System.Text;
using System.Text.Json;
using Chancery.Core.Documents;

namespace Chancery.Archive.Links;

/// <summary>
/// Pulls what link resolution needs out of a stored document's JSON in one forward pass, without building the
/// whole <see cref="Document"/>: the start page and page breaks, references, persons and (when asked) the text of
/// the head, body paragraphs and footnotes with their marks. This is what keeps a rebuild over the corpus fast.
/// </summary>
internal static class LinkDocumentReader
{
    /// <summary>True when the stored JSON holds a telegram reference (the only case that needs the text).</summary>
    public static bool CitesTelegrams(ReadOnlySpan<byte> json) => json.IndexOf("\"kind\":\"telegram\""u8) >= 0;

    /// <summary>Fills <paramref name="doc"/> from its stored JSON.</summary>
    public static void Read(ReadOnlySpan<byte> json, LinkDocument doc, bool withText)
    {
        var r = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("head"u8))
            {
                r.Read();
                var head = ReadInlines(ref r, doc, withText);
                if (head is not null && head.Value.Text.Length > 0)
                {
                    doc.Segments.Add(new TextSegment("head", head.Value.Text, head.Value.Marks));
                }
            }
            else if (r.ValueTextEquals("body"u8))
            {
                r.Read();
                ReadBody(ref r, doc, withText);
            }
            else if (r.ValueTextEquals("footnotes"u8))
            {
                r.Read();
                ReadFootnotes(ref r, doc, withText);
            }
            else if (r.ValueTextEquals("references"u8))
            {
                r.Read();
                ReadReferences(ref r, doc);
            }
            else if (r.ValueTextEquals("persons"u8))
            {
                r.Read();
                ReadPersons(ref r, doc);
            }
            else if (r.ValueTextEquals("page"u8))
            {
                r.Read();
                doc.Page = CleanPage(String(ref r));
            }
            else
            {
                SkipValue(ref r);
            }
        }
    }

    /// <summary>A printed page as the TEI ids spell it: brackets for unprinted numbers dropped ("[30]" → "30").</summary>
    public static string? CleanPage(string? page)
    {
        if (string.IsNullOrWhiteSpace(page))
        {
            return null;
        }
        return page.Trim().Trim('[', ']').Trim();
    }

    private static string? String(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? r.GetString() : null;

    // The objects' properties are read by the same few steps: these name them.

    /// <summary>On a value: true when it is an array; anything else is skipped.</summary>
    private static bool IsArray(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.StartArray)
        {
            return true;
        }
        r.Skip();
        return false;
    }

    /// <summary>Moves to the next object of an array; false at the array's end.</summary>
    private static bool NextObject(ref Utf8JsonReader r) => r.Read() && r.TokenType == JsonTokenType.StartObject;

    /// <summary>Moves to the next property name of an object; false at the object's end.</summary>
    private static bool NextProperty(ref Utf8JsonReader r) => r.Read() && r.TokenType == JsonTokenType.PropertyName;

    /// <summary>On a property name: true when it is <paramref name="name"/>, with its string value (or null) read into <paramref name="value"/>.</summary>
    private static bool StringProperty(ref Utf8JsonReader r, ReadOnlySpan<byte> name, ref string? value)
    {
        if (!r.ValueTextEquals(name))
        {
            return false;
        }
        r.Read();
        value = String(ref r);
        return true;
    }

    /// <summary>On a property name: skips its value.</summary>
    private static void SkipValue(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    private static void ReadBody(ref Utf8JsonReader r, LinkDocument doc, bool withText)
    {
        if (!IsArray(ref r))
        {
            return;
        }
        while (NextObject(ref r))
        {
            string? kind = null;
            string? page = null;
            while (NextProperty(ref r))
            {
                if (StringProperty(ref r, "kind"u8, ref kind) || StringProperty(ref r, "page"u8, ref page))
                {
                    continue;
                }
                if (r.ValueTextEquals("content"u8))
                {
                    r.Read();
                    var text = ReadInlines(ref r, doc, withText);
                    if (text is not null && text.Value.Text.Length > 0)
                    {
                        doc.Segments.Add(new TextSegment("body", text.Value.Text, text.Value.Marks));
                    }
                }
                else
                {
                    SkipValue(ref r);
                }
            }
            if (kind == "pageBreak" && CleanPage(page) is { } p)
            {
                doc.PageBreaks.Add(p);
            }
        }
    }

    private static void ReadFootnotes(ref Utf8JsonReader r, LinkDocument doc, bool withText)
    {
        if (!IsArray(ref r))
        {
            return;
        }
        while (NextObject(ref r))
        {
            string? n = null;
            (string Text, List<Mark> Marks)? content = null;
            while (NextProperty(ref r))
            {
                if (StringProperty(ref r, "n"u8, ref n))
                {
                    continue;
                }
                if (r.ValueTextEquals("content"u8))
                {
                    r.Read();
                    content = ReadInlines(ref r, doc, withText);
                }
                else
                {
                    SkipValue(ref r);
                }
            }
            if (content is not null && n is not null)
            {
                doc.Segments.Add(new TextSegment("footnote " + n, content.Value.Text, content.Value.Marks));
            }
        }
    }

    private static void ReadReferences(ref Utf8JsonReader r, LinkDocument doc)
    {
        if (!IsArray(ref r))
        {
            return;
        }
        while (NextObject(ref r))
        {
            string? kind = null, target = null, text = null, where = null, date = null;
            while (NextProperty(ref r))
            {
                if (!(StringProperty(ref r, "kind"u8, ref kind) || StringProperty(ref r, "target"u8, ref target) || StringProperty(ref r, "text"u8, ref text)
                    || StringProperty(ref r, "where"u8, ref where) || StringProperty(ref r, "date"u8, ref date)))
                {
                    SkipValue(ref r);
                }
            }
            if (target is not null && ParseKind(kind) is { } k)
            {
                doc.References.Add(new Reference(k, target, text ?? "", where ?? "", date));
            }
        }
    }

    /// <summary>The reference kind named <paramref name="kind"/> as the reader writes it, or null for an unknown name.</summary>
    internal static ReferenceKind? ParseKind(string? kind) => kind switch
    {
        "document" => ReferenceKind.Document,
        "telegram" => ReferenceKind.Telegram,
        "file" => ReferenceKind.File,
        "page" => ReferenceKind.Page,
        "volume" => ReferenceKind.Volume,
        "footnote" => ReferenceKind.Footnote,
        "external" => ReferenceKind.External,
        _ => null,
    };

    private static void ReadPersons(ref Utf8JsonReader r, LinkDocument doc)
    {
        if (!IsArray(ref r))
        {
            return;
        }
        while (NextObject(ref r))
        {
            string? id = null, name = null;
            while (NextProperty(ref r))
            {
                if (!(StringProperty(ref r, "id"u8, ref id) || StringProperty(ref r, "name"u8, ref name)))
                {
                    SkipValue(ref r);
                }
            }
            if (name is not null)
            {
                doc.Persons.Add(new PersonRef(id, name));
            }
        }
    }

    /// <summary>
    /// Reads an array of inlines. Page breaks are always collected; the folded text and its marks only when
    /// <paramref name="withText"/> (null otherwise).
    /// </summary>
    private static (string Text, List<Mark> Marks)? ReadInlines(ref Utf8JsonReader r, LinkDocument doc, bool withText)
    {
        if (!IsArray(ref r))
        {
            return null;
        }
        var text = withText ? new StringBuilder() : null;
        var marks = new List<Mark>();
        var pendingSpace = false;
        while (NextObject(ref r))
        {
            string? kind = null, plain = null, value = null, n = null, target = null, page = null;
            while (NextProperty(ref r))
            {
                // the texts are read only when asked for
                if (StringProperty(ref r, "kind"u8, ref kind)
                    || (withText && (StringProperty(ref r, "plainText"u8, ref plain) || StringProperty(ref r, "text"u8, ref value)))
                    || StringProperty(ref r, "n"u8, ref n) || StringProperty(ref r, "target"u8, ref target) || StringProperty(ref r, "page"u8, ref page))
                {
                    continue;
                }
                if (withText && r.ValueTextEquals("excision"u8))
                {
                    r.Read();
                    value ??= ExcisionText(ref r);
                }
                else
                {
                    SkipValue(ref r);
                }
            }
            if (kind == "pageBreak" && CleanPage(page) is { } p)
            {
                doc.PageBreaks.Add(p);
            }
            if (kind == "ref" && target is not null)
            {
                var t = target.Trim();
                doc.ExplicitTargets.Add(t.StartsWith('#') ? doc.Volume + t : t);
            }
            if (text is null)
            {
                continue;
            }
            if (kind == "footnoteMark" && n is not null)
            {
                marks.Add(new Mark(text.Length + (pendingSpace ? 1 : 0), n, null));
            }
            else if (kind == "ref" && target is not null)
            {
                marks.Add(new Mark(text.Length + (pendingSpace ? 1 : 0), null, target));
            }
            var piece = plain ?? (kind is "pageBreak" or "lineBreak" ? " " : kind == "footnoteMark" ? "" : value ?? "");
            foreach (var c in piece)
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = text.Length > 0;
                    continue;
                }
                if (pendingSpace)
                {
                    text.Append(' ');
                    pendingSpace = false;
                }
                text.Append(c);
            }
        }
        return text is null ? null : (text.ToString(), marks);
    }

    private static string? ExcisionText(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return null;
        }
        string? text = null;
        while (NextProperty(ref r))
        {
            if (!StringProperty(ref r, "text"u8, ref text))
            {
                SkipValue(ref r);
            }
        }
        return text;
    }
}
