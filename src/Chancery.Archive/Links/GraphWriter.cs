using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace Chancery.Archive.Links;

/// <summary>A node of the exported graph: a party (who writes and receives) or a document.</summary>
internal sealed record GraphNode(string Id, string Kind, string Label, string? Date);

/// <summary>
/// A directed edge: <c>wrote-to</c> between parties (with how many documents and which), or <c>cites</c> from a
/// document to the document it cites (with the evidence as printed).
/// </summary>
internal sealed record GraphEdge(string Source, string Target, string Kind, int Count, IReadOnlyList<string> Documents, string? Evidence);

/// <summary>Writes the graph as GraphML (for Gephi, yEd, NetworkX) or as JSON.</summary>
internal static class GraphWriter
{
    public const string GraphMlNamespace = "http://graphml.graphdrawing.org/xmlns";

    public static string Write(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, string format) =>
        format.Trim().ToLowerInvariant() switch
        {
            "graphml" or "xml" => GraphMl(nodes, edges),
            "json" => Json(nodes, edges),
            _ => throw new ArgumentException($"unknown graph format “{format}” (use graphml or json)", nameof(format)),
        };

    private static string GraphMl(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var w = XmlWriter.Create(new Utf8StringWriter(sb), settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("graphml", GraphMlNamespace);
            Key(w, "label", "node", "label");
            Key(w, "kind", "node", "kind");
            Key(w, "date", "node", "date");
            Key(w, "ekind", "edge", "kind");
            Key(w, "count", "edge", "count", "int");
            Key(w, "documents", "edge", "documents");
            Key(w, "evidence", "edge", "evidence");
            w.WriteStartElement("graph", GraphMlNamespace);
            w.WriteAttributeString("id", "chancery");
            w.WriteAttributeString("edgedefault", "directed");
            foreach (var n in nodes)
            {
                w.WriteStartElement("node", GraphMlNamespace);
                w.WriteAttributeString("id", n.Id);
                Data(w, "label", n.Label);
                Data(w, "kind", n.Kind);
                Data(w, "date", n.Date);
                w.WriteEndElement();
            }
            var i = 0;
            foreach (var e in edges)
            {
                w.WriteStartElement("edge", GraphMlNamespace);
                w.WriteAttributeString("id", "e" + (i++).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("source", e.Source);
                w.WriteAttributeString("target", e.Target);
                Data(w, "ekind", e.Kind);
                Data(w, "count", e.Count.ToString(CultureInfo.InvariantCulture));
                Data(w, "documents", string.Join(' ', e.Documents));
                Data(w, "evidence", e.Evidence);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return sb.ToString();
    }

    private static void Key(XmlWriter w, string id, string domain, string name, string type = "string")
    {
        w.WriteStartElement("key", GraphMlNamespace);
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("for", domain);
        w.WriteAttributeString("attr.name", name);
        w.WriteAttributeString("attr.type", type);
        w.WriteEndElement();
    }

    private static void Data(XmlWriter w, string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        w.WriteStartElement("data", GraphMlNamespace);
        w.WriteAttributeString("key", key);
        w.WriteString(value);
        w.WriteEndElement();
    }

    private static string Json(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("nodes");
            foreach (var n in nodes)
            {
                w.WriteStartObject();
                w.WriteString("id", n.Id);
                w.WriteString("kind", n.Kind);
                w.WriteString("label", n.Label);
                if (n.Date is not null)
                {
                    w.WriteString("date", n.Date);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("edges");
            foreach (var e in edges)
            {
                w.WriteStartObject();
                w.WriteString("source", e.Source);
                w.WriteString("target", e.Target);
                w.WriteString("kind", e.Kind);
                w.WriteNumber("count", e.Count);
                w.WriteStartArray("documents");
                foreach (var d in e.Documents)
                {
                    w.WriteStringValue(d);
                }
                w.WriteEndArray();
                if (e.Evidence is not null)
                {
                    w.WriteString("evidence", e.Evidence);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>A string writer that declares UTF-8: the text is written out as UTF-8, so the XML declaration must say so.</summary>
internal sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => new UTF8Encoding(false);
}
