using System.Buffers;
using System.Text;

namespace Chancery.Web.Html;

/// <summary>
/// Writes HTML with every piece of text and every attribute value encoded. Markup itself only ever comes from
/// tag names and the constant snippets passed to <see cref="Markup"/>; nothing from a document or a request
/// reaches the page unencoded.
/// </summary>
internal sealed class HtmlBuilder
{
    private readonly StringBuilder _sb;

    // one builder per thread, reused by whole pages: a page is written synchronously, start to end, on one thread
    [ThreadStatic]
    private static HtmlBuilder? t_spare;

    // a builder grown past this by an unusually long page is not kept
    private const int MaxKeptCapacity = 512 * 1024;

    public HtmlBuilder()
        : this(16 * 1024)
    {
    }

    private HtmlBuilder(int capacity) => _sb = new StringBuilder(capacity);

    /// <summary>An empty builder, reused from earlier pages on this thread when there is one; give it back with <see cref="Return"/>.</summary>
    public static HtmlBuilder Rent()
    {
        var h = t_spare ?? new HtmlBuilder(64 * 1024);
        t_spare = null;
        return h;
    }

    /// <summary>Gives a builder from <see cref="Rent"/> back for the next page on this thread.</summary>
    public void Return()
    {
        if (_sb.Capacity <= MaxKeptCapacity)
        {
            _sb.Clear();
            t_spare = this;
        }
    }

    /// <summary>The page as UTF-8 bytes, without an intermediate string.</summary>
    public byte[] ToUtf8()
    {
        var encoder = Encoding.UTF8.GetEncoder();
        var count = 0;
        foreach (var chunk in _sb.GetChunks())
        {
            count += encoder.GetByteCount(chunk.Span, flush: false);
        }
        count += encoder.GetByteCount(ReadOnlySpan<char>.Empty, flush: true);
        encoder.Reset();
        var bytes = new byte[count];
        var written = 0;
        foreach (var chunk in _sb.GetChunks())
        {
            written += encoder.GetBytes(chunk.Span, bytes.AsSpan(written), flush: false);
        }
        written += encoder.GetBytes(ReadOnlySpan<char>.Empty, bytes.AsSpan(written), flush: true);
        return written == bytes.Length ? bytes : bytes[..written];
    }

    /// <summary>Encodes text for an element's content or a double-quoted attribute value.</summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var sb = new StringBuilder(text.Length + 16);
        AppendEncoded(sb, text);
        return sb.ToString();
    }

    // the characters that are escaped or dropped; runs between them are appended whole
    private static readonly SearchValues<char> Special = SearchValues.Create(
        "&<>\"'\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    /// <summary>
    /// Escapes the five characters that can end text or an attribute value, and drops control characters HTML
    /// does not allow; everything else (en dashes, «», accented names, tabs and line breaks) stays readable.
    /// </summary>
    private static void AppendEncoded(StringBuilder sb, string text)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var i = rest.IndexOfAny(Special);
            if (i < 0)
            {
                sb.Append(rest);
                return;
            }
            sb.Append(rest[..i]);
            switch (rest[i])
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default: break;
            }
            rest = rest[(i + 1)..];
        }
    }

    /// <summary>Appends text, encoded.</summary>
    public HtmlBuilder Text(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            AppendEncoded(_sb, text);
        }
        return this;
    }

    /// <summary>Appends constant markup written in this assembly (never text from a document or a request).</summary>
    public HtmlBuilder Markup(string constantMarkup)
    {
        _sb.Append(constantMarkup);
        return this;
    }

    /// <summary>Opens an element; attributes with a null value are left out, an empty string writes a bare attribute.</summary>
    public HtmlBuilder Open(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _sb.Append('<').Append(tag);
        Attributes(attributes);
        _sb.Append('>');
        return this;
    }

    private void Attributes(ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }
            _sb.Append(' ').Append(name);
            if (value.Length > 0)
            {
                _sb.Append("=\"");
                AppendEncoded(_sb, value);
                _sb.Append('"');
            }
        }
    }

    /// <summary>Closes an element.</summary>
    public HtmlBuilder Close(string tag)
    {
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element with text content.</summary>
    public HtmlBuilder Element(string tag, string? text, params ReadOnlySpan<(string Name, string? Value)> attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A link with text content.</summary>
    public HtmlBuilder Link(string href, string? text, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _sb.Append("<a href=\"");
        AppendEncoded(_sb, href);
        _sb.Append('"');
        Attributes(attributes);
        _sb.Append('>');
        return Text(text).Close("a");
    }

    /// <summary>A void element (input, meta, link, br).</summary>
    public HtmlBuilder Void(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes) => Open(tag, attributes);

    public override string ToString() => _sb.ToString();
}
