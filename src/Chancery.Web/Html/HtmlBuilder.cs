using System.Text;

namespace Chancery.Web.Html;

/// <summary>
/// Writes HTML with every piece of text and every attribute value encoded. Markup itself only ever comes from
/// tag names and the constant snippets passed to <see cref="Markup"/>; nothing from a document or a request
/// reaches the page unencoded.
/// </summary>
internal sealed class HtmlBuilder
{
    private readonly StringBuilder _sb = new(16 * 1024);

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

    /// <summary>
    /// Escapes the five characters that can end text or an attribute value, and drops control characters HTML
    /// does not allow; everything else (en dashes, «», accented names) stays readable.
    /// </summary>
    private static void AppendEncoded(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\u007F': break;
                default: sb.Append(c); break;
            }
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
    public HtmlBuilder Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
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
        _sb.Append('>');
        return this;
    }

    /// <summary>Closes an element.</summary>
    public HtmlBuilder Close(string tag)
    {
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element with text content.</summary>
    public HtmlBuilder Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A link with text content.</summary>
    public HtmlBuilder Link(string href, string? text, params (string Name, string? Value)[] attributes) =>
        Open("a", [("href", href), .. attributes]).Text(text).Close("a");

    /// <summary>A void element (input, meta, link, br).</summary>
    public HtmlBuilder Void(string tag, params (string Name, string? Value)[] attributes) => Open(tag, attributes);

    public override string ToString() => _sb.ToString();
}
