using System.Text;

namespace Chancery.Ingest.Telegrams;

/// <summary>One line of a telegram text with its 1-based line number.</summary>
internal readonly record struct SourceLine(int Number, string Text)
{
    /// <summary>The line without leading and trailing white space.</summary>
    public string Trimmed => Text.Trim();

    /// <summary>True when the line starts with white space (a footnote, a signature set to the right).</summary>
    public bool Indented => Text.Length > 0 && char.IsWhiteSpace(Text[0]);
}

/// <summary>Decodes telegram text and splits it into lines and blank-line separated blocks.</summary>
internal static class TextSource
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 bytes strictly; a bad byte is reported with its line and column.</summary>
    public static string Decode(byte[] bytes, string path)
    {
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var nul = bytes.AsSpan(start).IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, col) = Locate(bytes, start, start + nul);
            throw new SourceFormatException(path, line, col, "binary data (a NUL byte), not telegram text (give the telegram as UTF-8 text)");
        }
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = start + Math.Max(0, e.Index);
            var bad = offset < bytes.Length ? bytes[offset] : (byte)0;
            var (line, col) = Locate(bytes, start, offset);
            throw new SourceFormatException(path, line, col, $"invalid UTF-8 byte 0x{bad:X2} (save the file as UTF-8 text)");
        }
    }

    // Line and column (in characters) of a byte offset, counting only the valid prefix.
    private static (int Line, int Column) Locate(byte[] bytes, int start, int offset)
    {
        var prefix = Encoding.UTF8.GetString(bytes, start, offset - start);
        var line = 1;
        var lastBreak = -1;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (prefix[i] == '\n')
            {
                line++;
                lastBreak = i;
            }
        }
        return (line, prefix.Length - lastBreak);
    }

    /// <summary>Splits text into lines (any newline convention), trailing white space removed.</summary>
    public static List<SourceLine> Lines(string text)
    {
        var lines = new List<SourceLine>();
        var n = 1;
        var i = 0;
        while (i <= text.Length)
        {
            var j = text.IndexOfAny(['\r', '\n'], i);
            if (j < 0)
            {
                j = text.Length;
            }
            lines.Add(new SourceLine(n++, text[i..j].TrimEnd()));
            if (j == text.Length)
            {
                break;
            }
            i = j + (text[j] == '\r' && j + 1 < text.Length && text[j + 1] == '\n' ? 2 : 1);
        }
        return lines;
    }

    /// <summary>Groups lines into blocks separated by blank lines.</summary>
    public static List<List<SourceLine>> Blocks(IEnumerable<SourceLine> lines)
    {
        var blocks = new List<List<SourceLine>>();
        List<SourceLine>? current = null;
        foreach (var line in lines)
        {
            if (line.Text.Length == 0)
            {
                current = null;
                continue;
            }
            if (current is null)
            {
                current = [];
                blocks.Add(current);
            }
            current.Add(line);
        }
        return blocks;
    }
}
