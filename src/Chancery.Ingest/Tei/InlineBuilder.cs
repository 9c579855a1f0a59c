using System.Buffers;
using System.Text;
using Chancery.Core.Documents;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Collects the runs of one paragraph, footnote, head or dateline. Adjacent text (including text inside
/// <c>hi</c>) is merged into one run, so a marker split by markup ("[<c>&lt;hi&gt;</c>name not declassified<c>&lt;/hi&gt;</c>]")
/// is still one piece of text when the brackets are resolved.
/// </summary>
internal sealed class InlineBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<Inline> _runs = [];
    // Text captured for a field (place, signer, classification seg) while it also flows into the runs.
    private readonly StringBuilder _capture = new();
    private readonly List<int> _captureStarts = [];

    private bool _hasContent;
    // whether the pending text ends in a space, so folding never doubles one
    private bool _endsWithSpace;

    public bool IsEmpty => _runs.Count == 0 && _text.Length == 0;

    /// <summary>True once anything but white space has been added.</summary>
    public bool HasContent => _hasContent;

    public void Append(string text) => Append(text.AsSpan());

    public void Append(char[] buffer, int count) => Append(buffer.AsSpan(0, count));

    /// <summary>
    /// Appends text with the file's line breaks and indentation folded to one space as it goes (a vectorised
    /// search for line breaks and tabs; ordinary single spaces are copied as they are).
    /// </summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (!_hasContent && !text.IsWhiteSpace())
        {
            _hasContent = true;
        }
        while (text.Length > 0)
        {
            var i = text.IndexOfAny(Breaks);
            if (i < 0)
            {
                AppendRaw(text);
                return;
            }
            var start = i;
            while (start > 0 && text[start - 1] == ' ')
            {
                start--;
            }
            AppendRaw(text[..start]);
            var end = i + 1;
            while (end < text.Length && text[end] is ' ' or '\n' or '\r' or '\t')
            {
                end++;
            }
            if (!_endsWithSpace)
            {
                _text.Append(' ');
                Capture(" ");
                _endsWithSpace = true;
            }
            text = text[end..];
        }
    }

    private static readonly SearchValues<char> Breaks = SearchValues.Create("\n\r\t");

    private void AppendRaw(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return;
        }
        if (_endsWithSpace && text[0] == ' ')
        {
            text = text.TrimStart(' ');
            if (text.Length == 0)
            {
                return;
            }
        }
        _text.Append(text);
        Capture(text);
        _endsWithSpace = text[^1] == ' ';
    }

    private void Capture(ReadOnlySpan<char> text)
    {
        if (_captureStarts.Count > 0)
        {
            _capture.Append(text);
        }
    }

    public void Add(Inline run)
    {
        Flush();
        _runs.Add(run);
        _hasContent = true;
        _endsWithSpace = false;
        if (_captureStarts.Count > 0)
        {
            // a line break is kept apart from spaces, so a signature can stop at its first line
            _capture.Append(run is LineBreak ? LineSeparator : run.PlainText);
        }
    }

    /// <summary>Stands for a <c>lb</c> in captured text (white space to <see cref="PlainText.Fold"/>).</summary>
    public const char LineSeparator = '\u2028';

    /// <summary>Starts capturing the text added from now on (captures nest).</summary>
    public void BeginCapture() => _captureStarts.Add(_capture.Length);

    /// <summary>Ends the innermost capture and returns its text, white space folded.</summary>
    public string EndCapture() => TeiText.Fold(EndCaptureRaw());

    /// <summary>Ends the innermost capture and returns its first printed line, white space folded.</summary>
    public string EndCaptureFirstLine()
    {
        foreach (var line in EndCaptureRaw().Split(LineSeparator))
        {
            var folded = TeiText.Fold(line);
            if (folded.Length > 0)
            {
                return folded;
            }
        }
        return "";
    }

    private string EndCaptureRaw()
    {
        var start = _captureStarts[^1];
        _captureStarts.RemoveAt(_captureStarts.Count - 1);
        var s = _capture.ToString(start, _capture.Length - start);
        if (_captureStarts.Count == 0)
        {
            _capture.Clear();
        }
        return s;
    }

    /// <summary>
    /// The runs so far, brackets resolved into editorial and excision marks, outer white space trimmed;
    /// the builder is empty afterwards.
    /// </summary>
    public List<Inline> Build()
    {
        Flush();
        var runs = new List<Inline>(_runs);
        _runs.Clear();
        _hasContent = false;
        _endsWithSpace = false;
        Brackets.Resolve(runs);
        Trim(runs);
        return runs;
    }

    /// <summary>Empties the builder for reuse.</summary>
    public void Reset()
    {
        _text.Clear();
        _runs.Clear();
        _capture.Clear();
        _captureStarts.Clear();
        _hasContent = false;
        _endsWithSpace = false;
    }

    private void Flush()
    {
        if (_text.Length == 0)
        {
            return;
        }
        _runs.Add(new TextRun(_text.ToString()));
        _text.Clear();
    }

    private static void Trim(List<Inline> runs)
    {
        if (runs.Count > 0 && runs[0] is TextRun first)
        {
            var t = first.Text.TrimStart();
            if (t.Length == 0)
            {
                runs.RemoveAt(0);
            }
            else if (t.Length != first.Text.Length)
            {
                runs[0] = new TextRun(t);
            }
        }
        if (runs.Count > 0 && runs[^1] is TextRun last)
        {
            var t = last.Text.TrimEnd();
            if (t.Length == 0)
            {
                runs.RemoveAt(runs.Count - 1);
            }
            else if (t.Length != last.Text.Length)
            {
                runs[^1] = new TextRun(t);
            }
        }
    }
}
