namespace Chancery.Ingest;

/// <summary>
/// Input that cannot be read, with where it went wrong. <see cref="ToString"/> gives the one line users see:
/// <c>FILE:LINE:COL: what is wrong (what to do)</c>.
/// </summary>
public sealed class SourceFormatException(string file, int line, int column, string problem)
    : Exception($"{Printable(file)}:{line}:{column}: {Printable(problem)}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Problem { get; } = Printable(problem);

    public override string ToString() => Message;

    // One line on a terminal even when the problem quotes the input: a NUL, an escape or a line break becomes '?'.
    private static string Printable(string s) =>
        s.AsSpan().ContainsAnyInRange('\0', '\u001F') || s.Contains('\u007F') || s.AsSpan().ContainsAnyInRange('\u0080', '\u009F')
            ? string.Create(s.Length, s, static (span, text) =>
            {
                for (var i = 0; i < text.Length; i++)
                {
                    span[i] = char.IsControl(text[i]) ? '?' : text[i];
                }
            })
            : s;
}
