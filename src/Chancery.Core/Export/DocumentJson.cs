using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Chancery.Core.Documents;

namespace Chancery.Core.Export;

/// <summary>
/// The JSON form of documents and volumes: the export format, the API's document body and the archive's
/// stored form are the same, so a document reads back exactly as it was written.
/// </summary>
public static class DocumentJson
{
    /// <summary>Options for the public JSON form: camelCase, indented, non-ASCII kept readable (en dashes stay en dashes).</summary>
    public static readonly JsonSerializerOptions Indented = Make(indented: true);

    /// <summary>The same, compact: for storage and the API.</summary>
    public static readonly JsonSerializerOptions Compact = Make(indented: false);

    /// <summary>
    /// The archive's stored form: compact and without derived values (plain text of runs and paragraphs, which
    /// otherwise triple the size of every stored body); they are computed again when the document is read back.
    /// </summary>
    public static readonly JsonSerializerOptions Stored = Make(indented: false, withoutDerived: true);

    private static JsonSerializerOptions Make(bool indented, bool withoutDerived = false)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // bound the depth of what we read back: stored and exported JSON is shallow
            MaxDepth = 32,
        };
        if (withoutDerived)
        {
            o.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropDerived } };
        }
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Drops get-only properties that no constructor parameter sets: values computed from the others.</summary>
    private static void DropDerived(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (p.Set is null && p.AssociatedParameter is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>Serialises a document.</summary>
    public static string Serialize(Document document, bool indented = true) =>
        JsonSerializer.Serialize(document, indented ? Indented : Compact);

    /// <summary>Serialises a document to UTF-8 bytes (compact).</summary>
    public static byte[] SerializeToUtf8(Document document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Compact);

    /// <summary>Reads a document back.</summary>
    public static Document Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<Document>(utf8, Compact) ?? throw new JsonException("empty document");

    /// <summary>Reads a document back.</summary>
    public static Document Deserialize(string json) =>
        JsonSerializer.Deserialize<Document>(json, Compact) ?? throw new JsonException("empty document");
}
