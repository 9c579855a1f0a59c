namespace Chancery.Ingest;

/// <summary>What kind of source a file is, decided by its content, not its name.</summary>
public enum SourceKind { Unknown, TeiVolume, TelegramText }

/// <summary>Detects a source's kind from its first bytes.</summary>
public static class SourceDetector
{
    /// <summary>
    /// TEI when the file starts (after a BOM, white space, an XML declaration, comments or processing
    /// instructions) with an element; telegram text when it is UTF-8 text that is not markup.
    /// </summary>
    public static SourceKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[4096];
        int n;
        using (var f = File.OpenRead(path))
        {
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        var span = head[..n];
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }
        var i = 0;
        while (i < span.Length && (span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            i++;
        }
        if (i == span.Length)
        {
            return SourceKind.Unknown;
        }
        if (span[i] == (byte)'<')
        {
            return SourceKind.TeiVolume;
        }
        return span[..n].Contains((byte)0) ? SourceKind.Unknown : SourceKind.TelegramText;
    }
}
