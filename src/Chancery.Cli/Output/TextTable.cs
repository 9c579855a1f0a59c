namespace Chancery.Cli.Output;

/// <summary>
/// Plain aligned columns for listings. Plain text on purpose: the same bytes on a terminal and in a pipe,
/// so listings can be grepped and tested exactly. The last column is never padded.
/// </summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];
    private readonly HashSet<int> rightAligned = [];

    /// <summary>Right-aligns a column (counts).</summary>
    public TextTable AlignRight(int column)
    {
        rightAligned.Add(column);
        return this;
    }

    public void Add(params string[] cells) => rows.Add(cells);

    public void Write(TextWriter output)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = new int[headers.Length];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        foreach (var row in all)
        {
            var cells = new string[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                var last = i == row.Length - 1;
                cells[i] = rightAligned.Contains(i) ? row[i].PadLeft(widths[i]) : last ? row[i] : row[i].PadRight(widths[i]);
            }
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
