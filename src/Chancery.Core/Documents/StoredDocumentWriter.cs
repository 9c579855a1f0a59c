using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chancery.Core.Access;
using Chancery.Core.Dates;
using Chancery.Core.Export;

namespace Chancery.Core.Documents;

/// <summary>
/// Writes a document in the archive's stored JSON form (<see cref="DocumentJson.Stored"/>) straight to UTF-8,
/// byte for byte what <see cref="JsonSerializer"/> writes with those options, without its reflection: ingest
/// serialises every document once, and the general serialiser was the largest cost of storing one. A run or block
/// of a kind this writer does not know goes through <see cref="JsonSerializer"/>, so a new kind is never lost.
/// </summary>
public static class StoredDocumentWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Kind = Name("kind");
    private static readonly JsonEncodedText Id = Name("id");
    private static readonly JsonEncodedText Volume = Name("volume");
    private static readonly JsonEncodedText Number = Name("number");
    private static readonly JsonEncodedText Type = Name("type");
    private static readonly JsonEncodedText Title = Name("title");
    private static readonly JsonEncodedText Head = Name("head");
    private static readonly JsonEncodedText From = Name("from");
    private static readonly JsonEncodedText To = Name("to");
    private static readonly JsonEncodedText Date = Name("date");
    private static readonly JsonEncodedText Precision = Name("precision");
    private static readonly JsonEncodedText Source = Name("source");
    private static readonly JsonEncodedText TimeZone = Name("timeZone");
    private static readonly JsonEncodedText Place = Name("place");
    private static readonly JsonEncodedText FileNumbers = Name("fileNumbers");
    private static readonly JsonEncodedText Classification = Name("classification");
    private static readonly JsonEncodedText Captions = Name("captions");
    private static readonly JsonEncodedText Channel = Name("channel");
    private static readonly JsonEncodedText SourceNote = Name("sourceNote");
    private static readonly JsonEncodedText Body = Name("body");
    private static readonly JsonEncodedText Footnotes = Name("footnotes");
    private static readonly JsonEncodedText References = Name("references");
    private static readonly JsonEncodedText Persons = Name("persons");
    private static readonly JsonEncodedText Terms = Name("terms");
    private static readonly JsonEncodedText Signed = Name("signed");
    private static readonly JsonEncodedText TelegramNumber = Name("telegramNumber");
    private static readonly JsonEncodedText Page = Name("page");
    private static readonly JsonEncodedText SourceSha256 = Name("sourceSha256");
    private static readonly JsonEncodedText MarkingName = Name("marking");
    private static readonly JsonEncodedText Level = Name("level");
    private static readonly JsonEncodedText Controls = Name("controls");
    private static readonly JsonEncodedText Release = Name("release");
    private static readonly JsonEncodedText Pending = Name("pending");
    private static readonly JsonEncodedText HeadExcisions = Name("headExcisions");
    private static readonly JsonEncodedText Content = Name("content");
    private static readonly JsonEncodedText Style = Name("style");
    private static readonly JsonEncodedText Excised = Name("excised");
    private static readonly JsonEncodedText ExcisionName = Name("excision");
    private static readonly JsonEncodedText Text = Name("text");
    private static readonly JsonEncodedText Unit = Name("unit");
    private static readonly JsonEncodedText Quantity = Name("quantity");
    private static readonly JsonEncodedText Lines = Name("lines");
    private static readonly JsonEncodedText LessThan = Name("lessThan");
    private static readonly JsonEncodedText N = Name("n");
    private static readonly JsonEncodedText PersonId = Name("personId");
    private static readonly JsonEncodedText TermId = Name("termId");
    private static readonly JsonEncodedText Target = Name("target");
    private static readonly JsonEncodedText Where = Name("where");
    private static readonly JsonEncodedText PersonName = Name("name");

    private static readonly JsonEncodedText TextKind = Name("text");
    private static readonly JsonEncodedText FootnoteMarkKind = Name("footnoteMark");
    private static readonly JsonEncodedText PageBreakKind = Name("pageBreak");
    private static readonly JsonEncodedText EditorialKind = Name("editorial");
    private static readonly JsonEncodedText ExcisionKind = Name("excision");
    private static readonly JsonEncodedText PersonKind = Name("person");
    private static readonly JsonEncodedText TermKind = Name("term");
    private static readonly JsonEncodedText RefKind = Name("ref");
    private static readonly JsonEncodedText LineBreakKind = Name("lineBreak");
    private static readonly JsonEncodedText ExcisedKind = Name("excised");
    private static readonly JsonEncodedText ParagraphKind = Name("paragraph");

    // enum names as the serialiser writes them (JsonStringEnumMemberName), taken from it so they cannot drift
    private static readonly EnumNames<ClassificationLevel> LevelNames = new();
    private static readonly EnumNames<ReleaseState> ReleaseNames = new();
    private static readonly EnumNames<DatePrecision> PrecisionNames = new();
    private static readonly EnumNames<DateSource> SourceNames = new();
    private static readonly EnumNames<ReferenceKind> ReferenceKindNames = new();

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    /// <summary>Appends the document's stored JSON, UTF-8, to <paramref name="output"/>.</summary>
    public static void Write(Document document, IBufferWriter<byte> output)
    {
        using var w = CreateWriter(output);
        Write(w, document);
    }

    /// <summary>
    /// A writer with the stored form's settings, for <see cref="Write(Utf8JsonWriter, Document)"/>; one writer can
    /// serve many documents (<see cref="Utf8JsonWriter.Reset(IBufferWriter{byte})"/> between them).
    /// </summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, Options);

    /// <summary>The document's stored JSON as UTF-8 bytes.</summary>
    public static byte[] ToUtf8(Document document)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(document, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the document's stored JSON to <paramref name="w"/> and flushes it; <paramref name="w"/> must come from
    /// <see cref="CreateWriter"/> (relaxed escaping, no indentation) or the bytes differ from the serialiser's.
    /// </summary>
    public static void Write(Utf8JsonWriter w, Document d)
    {
        w.WriteStartObject();
        String(w, Id, d.Id);
        String(w, Volume, d.Volume);
        String(w, Number, d.Number);
        String(w, Type, d.Type);
        String(w, Title, d.Title);
        w.WritePropertyName(Head);
        InlineList(w, d.Head);
        String(w, From, d.From);
        String(w, To, d.To);
        w.WritePropertyName(Date);
        DateValue(w, d.Date);
        String(w, Place, d.Place);
        w.WritePropertyName(FileNumbers);
        StringList(w, d.FileNumbers);
        String(w, Classification, d.Classification);
        w.WritePropertyName(Captions);
        StringList(w, d.Captions);
        String(w, Channel, d.Channel);
        String(w, SourceNote, d.SourceNote);
        w.WritePropertyName(Body);
        Array(w, d.Body, BlockValue);
        w.WritePropertyName(Footnotes);
        Array(w, d.Footnotes, FootnoteValue);
        w.WritePropertyName(References);
        Array(w, d.References, ReferenceValue);
        w.WritePropertyName(Persons);
        Array(w, d.Persons, PersonValue);
        w.WritePropertyName(Terms);
        StringList(w, d.Terms);
        String(w, Signed, d.Signed);
        String(w, TelegramNumber, d.TelegramNumber);
        String(w, Page, d.Page);
        String(w, SourceSha256, d.SourceSha256);
        w.WritePropertyName(MarkingName);
        MarkingValue(w, d.Marking);
        w.WritePropertyName(Release);
        ReleaseNames.Write(w, d.Release);
        w.WriteBoolean(Pending, d.Pending);
        w.WritePropertyName(HeadExcisions);
        Array(w, d.HeadExcisions, ExcisionValue);
        w.WriteEndObject();
        w.Flush();
    }

    private static void String(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void StringValue(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    private static void StringList(Utf8JsonWriter w, IReadOnlyList<string>? list) => Array(w, list, StringValue);

    /// <summary>A list as a JSON array, null as null; each item written by <paramref name="item"/>.</summary>
    private static void Array<T>(Utf8JsonWriter w, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> item)
    {
        if (items is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartArray();
        for (var i = 0; i < items.Count; i++)
        {
            item(w, items[i]);
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// Starts the object of <paramref name="value"/> and returns true, or writes null and returns false. A test, not a
    /// callback for the members: called for every date, marking and footnote, it stays as cheap as writing it inline.
    /// </summary>
    private static bool StartObject(Utf8JsonWriter w, [NotNullWhen(true)] object? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
            return false;
        }
        w.WriteStartObject();
        return true;
    }

    private static void Int(Utf8JsonWriter w, JsonEncodedText name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void DateValue(Utf8JsonWriter w, DocumentDate? date)
    {
        if (StartObject(w, date))
        {
            String(w, From, date.From);
            String(w, To, date.To);
            w.WritePropertyName(Precision);
            PrecisionNames.Write(w, date.Precision);
            w.WritePropertyName(Source);
            SourceNames.Write(w, date.Source);
            String(w, TimeZone, date.TimeZone);
            w.WriteEndObject();
        }
    }

    private static void MarkingValue(Utf8JsonWriter w, Marking? marking)
    {
        if (StartObject(w, marking))
        {
            w.WritePropertyName(Level);
            LevelNames.Write(w, marking.Level);
            w.WritePropertyName(Controls);
            StringList(w, marking.Controls);
            w.WriteEndObject();
        }
    }

    private static void ExcisionValue(Utf8JsonWriter w, Excision? excision)
    {
        if (StartObject(w, excision))
        {
            String(w, Text, excision.Text);
            String(w, Unit, excision.Unit);
            Int(w, Quantity, excision.Quantity);
            Int(w, Lines, excision.Lines);
            w.WriteBoolean(LessThan, excision.LessThan);
            w.WriteEndObject();
        }
    }

    /// <summary>An excision run or block: <c>{"kind":"excision","excision":…}</c>.</summary>
    private static void TaggedExcision(Utf8JsonWriter w, Excision? excision)
    {
        w.WriteStartObject();
        w.WriteString(Kind, ExcisionKind);
        w.WritePropertyName(ExcisionName);
        ExcisionValue(w, excision);
        w.WriteEndObject();
    }

    private static void InlineList(Utf8JsonWriter w, IReadOnlyList<Inline>? runs) => Array(w, runs, InlineValue);

    private static void InlineValue(Utf8JsonWriter w, Inline? run)
    {
        switch (run)
        {
            case TextRun t:
                Tagged(w, TextKind, Text, t.Text);
                break;
            case FootnoteMark f:
                Tagged(w, FootnoteMarkKind, N, f.N);
                break;
            case PageBreakMark p:
                Tagged(w, PageBreakKind, Page, p.Page);
                break;
            case EditorialMark e:
                Tagged(w, EditorialKind, Text, e.Text);
                break;
            case ExcisionMark x:
                TaggedExcision(w, x.Excision);
                break;
            case PersonMention p:
                Tagged(w, PersonKind, Text, p.Text, PersonId, p.PersonId);
                break;
            case TermMention m:
                Tagged(w, TermKind, Text, m.Text, TermId, m.TermId);
                break;
            case ReferenceMark r:
                Tagged(w, RefKind, Text, r.Text, Target, r.Target);
                break;
            case LineBreak:
                w.WriteStartObject();
                w.WriteString(Kind, LineBreakKind);
                w.WriteEndObject();
                break;
            case ExcisedText x:
                Tagged(w, ExcisedKind, Text, x.Text);
                break;
            case null:
                w.WriteNullValue();
                break;
            default:
                JsonSerializer.Serialize(w, run, DocumentJson.Stored);
                break;
        }
    }

    private static void Tagged(Utf8JsonWriter w, JsonEncodedText kind, JsonEncodedText name, string? value)
    {
        w.WriteStartObject();
        w.WriteString(Kind, kind);
        String(w, name, value);
        w.WriteEndObject();
    }

    private static void Tagged(Utf8JsonWriter w, JsonEncodedText kind, JsonEncodedText name1, string? value1, JsonEncodedText name2, string? value2)
    {
        w.WriteStartObject();
        w.WriteString(Kind, kind);
        String(w, name1, value1);
        String(w, name2, value2);
        w.WriteEndObject();
    }

    private static void BlockValue(Utf8JsonWriter w, Block? item)
    {
        switch (item)
        {
            case Paragraph p:
                w.WriteStartObject();
                w.WriteString(Kind, ParagraphKind);
                w.WritePropertyName(Content);
                InlineList(w, p.Content);
                String(w, Style, p.Style);
                w.WriteBoolean(Excised, p.Excised);
                w.WriteEndObject();
                break;
            case PageBreak b:
                Tagged(w, PageBreakKind, Page, b.Page);
                break;
            case ExcisionBlock x:
                TaggedExcision(w, x.Excision);
                break;
            case null:
                w.WriteNullValue();
                break;
            case var other:
                JsonSerializer.Serialize(w, other, DocumentJson.Stored);
                break;
        }
    }

    private static void FootnoteValue(Utf8JsonWriter w, Footnote? footnote)
    {
        if (StartObject(w, footnote))
        {
            String(w, N, footnote.N);
            w.WritePropertyName(Content);
            InlineList(w, footnote.Content);
            w.WriteEndObject();
        }
    }

    private static void ReferenceValue(Utf8JsonWriter w, Reference? reference)
    {
        if (StartObject(w, reference))
        {
            w.WritePropertyName(Kind);
            ReferenceKindNames.Write(w, reference.Kind);
            String(w, Target, reference.Target);
            String(w, Text, reference.Text);
            String(w, Where, reference.Where);
            String(w, Date, reference.Date);
            w.WriteEndObject();
        }
    }

    private static void PersonValue(Utf8JsonWriter w, PersonRef? person)
    {
        if (StartObject(w, person))
        {
            String(w, Id, person.Id);
            String(w, PersonName, person.Name);
            w.WriteEndObject();
        }
    }

    /// <summary>An enum's names as the serialiser writes them; a value outside the enum goes through the serialiser.</summary>
    private sealed class EnumNames<T> where T : struct, Enum
    {
        private readonly Dictionary<T, JsonEncodedText> _names = [];

        public EnumNames()
        {
            foreach (var value in Enum.GetValues<T>())
            {
                using var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, DocumentJson.Stored));
                if (doc.RootElement.ValueKind == JsonValueKind.String)
                {
                    _names[value] = JsonEncodedText.Encode(doc.RootElement.GetString()!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
                }
            }
        }

        public void Write(Utf8JsonWriter w, T value)
        {
            if (_names.TryGetValue(value, out var name))
            {
                w.WriteStringValue(name);
            }
            else
            {
                JsonSerializer.Serialize(w, value, DocumentJson.Stored);
            }
        }
    }
}
