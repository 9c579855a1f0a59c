using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Walks a volume file once: header, persons and terms lists, the table of contents, and one document div at a
/// time (handed to <see cref="TeiDocumentReader"/>). Only the current document is held in memory.
/// </summary>
internal sealed partial class TeiVolumeParser : IDisposable
{
    private readonly string _path;
    private readonly long _bytes;
    private readonly XmlReader _r;
    private readonly TeiNames _n;
    private readonly VolumeContext _context;
    private readonly TeiDocumentReader _documents;

    private bool _rootSeen;
    private string? _rootId;
    private string? _idno;
    private string? _title;
    private string? _series;
    private string? _publicationDate;
    private readonly List<string> _editors = [];
    private readonly List<PersonEntry> _persons = [];
    private readonly List<TermEntry> _terms = [];
    private readonly List<TocSlot> _toc = [];
    private readonly Stack<(int Slot, int Depth)> _divs = new();
    private int _tocDepth;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private sealed class TocSlot(int depth, string kind, string localId, string? number)
    {
        public int Depth { get; } = depth;
        public string Kind { get; } = kind;
        public string LocalId { get; } = localId;
        public string? Number { get; } = number;
        public string? Title { get; set; }
        public string? DocumentId { get; init; }
        public string? Date { get; init; }
    }

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex LineSuffix();

    public TeiVolumeParser(string path, string sha256)
    {
        _path = path;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _bytes = stream.Length;
        var settings = new XmlReaderSettings
        {
            // untrusted input: no DTD (no entity expansion, no outside files), no resolver
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = false,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
            CloseInput = true,
        };
        _r = XmlReader.Create(stream, settings);
        _n = new TeiNames(_r.NameTable);
        _context = new VolumeContext(path, sha256);
        _documents = new TeiDocumentReader(_r, _n, _context);
    }

    /// <summary>True once the file has been read to the end.</summary>
    public bool Finished { get; private set; }

    /// <summary>The next document (with any documents nested in it), or null at the end of the file.</summary>
    public List<Document>? Next()
    {
        try
        {
            return NextCore();
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Reads only as far as the header, for a volume asked for before its documents.</summary>
    public void ReadHeaderOnly()
    {
        try
        {
            while (!Finished && _r.Read())
            {
                if (_r.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                if (!_rootSeen)
                {
                    Root();
                }
                else if (ReferenceEquals(_r.LocalName, _n.TeiHeader))
                {
                    ReadHeader();
                    return;
                }
                else
                {
                    return;
                }
            }
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
    }

    private List<Document>? NextCore()
    {
        while (!Finished && _r.Read())
        {
            switch (_r.NodeType)
            {
                case XmlNodeType.Element:
                    if (!_rootSeen)
                    {
                        Root();
                        continue;
                    }
                    var name = _r.LocalName;
                    if (ReferenceEquals(name, _n.Div))
                    {
                        if (Div() is { } documents)
                        {
                            return documents;
                        }
                    }
                    else if (ReferenceEquals(name, _n.Head))
                    {
                        if (_divs.Count > 0 && _divs.Peek() is { Slot: >= 0 } open && _r.Depth == open.Depth + 1 && _toc[open.Slot].Title is null)
                        {
                            _toc[open.Slot].Title = TitleText(Load());
                        }
                    }
                    else if (ReferenceEquals(name, _n.Pb))
                    {
                        _context.CurrentPage = _r.GetAttribute("n") ?? "";
                    }
                    else if (ReferenceEquals(name, _n.TeiHeader))
                    {
                        ReadHeader();
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (ReferenceEquals(_r.LocalName, _n.Div) && _divs.Count > 0)
                    {
                        var (slot, _) = _divs.Pop();
                        if (slot >= 0)
                        {
                            _tocDepth--;
                        }
                    }
                    break;
            }
        }
        Finished = true;
        return null;
    }

    private void Root()
    {
        _rootSeen = true;
        var ns = _r.NamespaceURI;
        if (!ReferenceEquals(_r.LocalName, _n.Tei) || (ns.Length > 0 && ns != TeiNames.TeiNamespace))
        {
            var li = (IXmlLineInfo)_r;
            throw new SourceFormatException(_path, li.LineNumber, li.LinePosition,
                $"not a TEI volume: the root element is <{_r.Name}> (a FRUS volume starts with <TEI xmlns=\"{TeiNames.TeiNamespace}\">)");
        }
        _rootId = NullIfBlank(_r.GetAttribute("id", TeiNames.XmlNamespace));
    }

    private List<Document>? Div()
    {
        var type = _r.GetAttribute("type");
        var id = _r.GetAttribute("id", TeiNames.XmlNamespace);
        if (type is "document" or "document-pending")
        {
            _context.VolumeId = VolumeId;
            var li = (IXmlLineInfo)_r;
            var line = li.LineNumber;
            var column = li.LinePosition;
            var documents = new List<Document>(1);
            _documents.Read(documents);
            foreach (var d in documents)
            {
                var local = d.LocalId;
                if (!_ids.TryAdd(local, line))
                {
                    throw new SourceFormatException(_path, line, column,
                        $"duplicate document id {local} (first used at line {_ids[local]}; every document div needs its own xml:id)");
                }
                _toc.Add(new TocSlot(_tocDepth, d.Pending ? "document-pending" : "document", local, d.Number)
                {
                    Title = d.Title,
                    DocumentId = d.Id,
                    Date = d.Date?.ToString(),
                });
            }
            return documents;
        }
        if (id == "persons")
        {
            ReadPersons(Load());
            return null;
        }
        if (id == "terms")
        {
            ReadTerms(Load());
            return null;
        }
        var toc = type is "compilation" or "chapter" or "subchapter" or "compilation-pending" or "chapter-pending" or "subchapter-pending";
        if (toc)
        {
            _toc.Add(new TocSlot(_tocDepth, type!, id ?? "", NullIfBlank(_r.GetAttribute("n"))));
        }
        if (!_r.IsEmptyElement)
        {
            _divs.Push((toc ? _toc.Count - 1 : -1, _r.Depth));
            if (toc)
            {
                _tocDepth++;
            }
        }
        return null;
    }

    private string VolumeId => _rootId ?? _idno ?? System.IO.Path.GetFileNameWithoutExtension(_path);

    // Small parts (header, persons and terms lists, chapter heads) are read as trees; documents never are.
    private XElement Load()
    {
        using var sub = _r.ReadSubtree();
        return XElement.Load(sub);
    }

    private void ReadHeader()
    {
        var header = Load();
        foreach (var e in header.Descendants())
        {
            switch (e.Name.LocalName)
            {
                case "title" when e.Parent?.Name.LocalName == "titleStmt":
                    var text = Fold(e.Value);
                    if (text.Length == 0)
                    {
                        break;
                    }
                    switch ((string?)e.Attribute("type"))
                    {
                        case "complete":
                            _title = text;
                            break;
                        case "volume":
                            _title ??= text;
                            break;
                        case "series":
                            _series ??= text;
                            break;
                    }
                    break;
                case "editor" when e.Parent?.Name.LocalName == "titleStmt":
                    var editor = Fold(e.Value);
                    if (editor.Length > 0)
                    {
                        _editors.Add(editor);
                    }
                    break;
                case "date" when e.Parent?.Name.LocalName == "publicationStmt":
                    var type = (string?)e.Attribute("type");
                    if (_publicationDate is null || type == "publication-date")
                    {
                        _publicationDate = NullIfBlank((string?)e.Attribute("when") ?? Fold(e.Value)) ?? _publicationDate;
                    }
                    break;
                case "idno" when (string?)e.Attribute("type") == "frus":
                    _idno ??= NullIfBlank(e.Value.Trim());
                    break;
            }
        }
    }

    private void ReadPersons(XElement div)
    {
        foreach (var p in div.Descendants())
        {
            if (p.Name.LocalName != "persName" || p.Attribute(XNamespace.Xml + "id") is not { } id)
            {
                continue;
            }
            var name = Fold(p.Value);
            _persons.Add(new PersonEntry(id.Value, name, Description(p, name)));
            _context.PersonNames.TryAdd(id.Value, name);
        }
    }

    private void ReadTerms(XElement div)
    {
        foreach (var t in div.Descendants())
        {
            if (t.Name.LocalName != "term" || t.Attribute(XNamespace.Xml + "id") is not { } id)
            {
                continue;
            }
            var term = Fold(t.Value);
            _terms.Add(new TermEntry(id.Value, term, Description(t, term)));
        }
    }

    // "<persName>Aldrich, George H.</persName>, Acting Deputy Legal Adviser …": what follows the name in its entry.
    private static string Description(XElement name, string printed)
    {
        var entry = name.Ancestors().FirstOrDefault(a => a.Name.LocalName is "item" or "p" or "li") ?? name.Parent ?? name;
        var full = Fold(entry.Value);
        var at = full.IndexOf(printed, StringComparison.Ordinal);
        var rest = at < 0 ? "" : full[(at + printed.Length)..];
        return rest.TrimStart(DescriptionLead).Trim();
    }

    private static readonly char[] DescriptionLead = [',', ';', ':', ' ', '—'];

    // A chapter head's words, without its footnotes.
    private static string TitleText(XElement head)
    {
        var sb = new StringBuilder();
        foreach (var node in head.DescendantNodes())
        {
            if (node is XText t && !t.Ancestors().Any(a => a.Name.LocalName == "note"))
            {
                sb.Append(t.Value);
            }
            else if (node is XElement { Name.LocalName: "lb" })
            {
                sb.Append(' ');
            }
        }
        return Fold(sb.ToString());
    }

    private static string Fold(string s) => PlainText.Fold(s);

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The volume as read so far; complete once <see cref="Finished"/>.</summary>
    public Volume BuildVolume()
    {
        var id = VolumeId;
        return new Volume
        {
            Id = id,
            Title = _title ?? id,
            Series = _series,
            PublicationDate = _publicationDate,
            Editors = [.. _editors],
            Persons = [.. _persons],
            Terms = [.. _terms],
            Contents = [.. _toc.Select(s => new TocEntry(s.Depth, s.Kind, s.LocalId, s.Number, s.Title ?? "", s.DocumentId, s.Date))],
            SourceKind = "tei",
            SourceSha256 = _context.Sha256,
            SourceBytes = _bytes,
        };
    }

    private SourceFormatException Translate(XmlException ex)
    {
        var message = LineSuffix().Replace(ex.Message, "");
        string problem;
        var line = ex.LineNumber;
        var column = ex.LinePosition;
        if (message.Contains("DTD", StringComparison.Ordinal))
        {
            problem = "DOCTYPE declarations are not allowed (they can pull in outside files or expand entities); remove the DOCTYPE";
            (line, column) = DoctypePosition() ?? (line, column);
        }
        else if (message.StartsWith("Invalid character in the given encoding", StringComparison.Ordinal) && InvalidUtf8Position() is { } bad)
        {
            // XmlReader decodes ahead and reports where its buffer stood, lines away; this is the bad byte itself
            problem = $"invalid UTF-8 byte 0x{bad.Byte:X2} (save the file as UTF-8 text)";
            (line, column) = (bad.Line, bad.Column);
        }
        else if (message.Contains("undeclared entity", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"{message.TrimEnd('.')} (only the five XML entities exist without a DTD; write the character itself or a numeric reference such as &#160;)";
        }
        else
        {
            problem = $"malformed XML: {message.TrimEnd('.')} (fix the markup at this point; a volume must be well-formed XML)";
        }
        return new SourceFormatException(_path, Math.Max(line, 1), Math.Max(column, 1), problem);
    }

    // XmlReader refuses a DTD without saying where it is; the declaration sits before the root, near the start.
    private (int Line, int Column)? DoctypePosition()
    {
        using var text = new StreamReader(_path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[64 * 1024];
        var head = new string(buffer, 0, text.ReadBlock(buffer, 0, buffer.Length));
        var at = head.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (head[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, at - lineStart + 1);
    }

    // Line and column (in UTF-16 characters, as XmlReader counts) of the first byte that is not UTF-8; null if none is.
    private (int Line, int Column, byte Byte)? InvalidUtf8Position()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        var (filled, line, column, first, afterCr) = (0, 1, 1, true, false);
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            var span = buffer.AsSpan(0, filled + read);
            if (first)
            {
                if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
                {
                    return null;
                }
                span = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? span[3..] : span;
                first = false;
            }
            while (span.Length > 0)
            {
                var status = Rune.DecodeFromUtf8(span, out var rune, out var used);
                if (status == System.Buffers.OperationStatus.NeedMoreData && read > 0)
                {
                    break;
                }
                if (status != System.Buffers.OperationStatus.Done)
                {
                    return (line, column, span[0]);
                }
                // \r\n, \r and \n each end a line, as XML normalises them
                if (rune.Value == '\n' && afterCr)
                {
                    afterCr = false;
                }
                else if (rune.Value is '\n' or '\r')
                {
                    (line, column, afterCr) = (line + 1, 1, rune.Value == '\r');
                }
                else
                {
                    (column, afterCr) = (column + rune.Utf16SequenceLength, false);
                }
                span = span[used..];
            }
            if (read == 0)
            {
                return null;
            }
            span.CopyTo(buffer);
            filled = span.Length;
        }
    }

    public void Dispose() => _r.Dispose();
}
