namespace Chancery.Ingest;

/// <summary>
/// Input that cannot be read, with where it went wrong. <see cref="ToString"/> gives the one line users see:
/// <c>FILE:LINE:COL: what is wrong (what to do)</c>.
/// </summary>
public sealed class SourceFormatException(string file, int line, int column, string problem) : Exception($"{file}:{line}:{column}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Problem { get; } = problem;

    public override string ToString() => Message;
}
