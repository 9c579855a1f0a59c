using Chancery.Archive.Access;
using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Archive.Links;

/// <summary>
/// For documents released with excisions, the body text this reader may see: evidence (a citation, a name) that
/// only stands in a cut paragraph must not show through a link. Documents released whole, and readers cleared for
/// the original, need no check. The backend supplies the ids released with excisions, a stored document and its
/// latest excisions.
/// </summary>
internal sealed class ReleasedTexts(
    ReaderIdentity reader,
    Func<HashSet<string>> excisedIds,
    Func<string, Document?> stored,
    Func<string, IReadOnlyList<ExciseSpan>> excisions)
{
    private readonly Dictionary<string, string?> _cache = new(StringComparer.Ordinal);
    private HashSet<string>? _excised;

    /// <summary>True when evidence found at <paramref name="where"/> of <paramref name="id"/> is in the reader's view.</summary>
    public bool Shows(string id, string where, string evidence) =>
        !where.Equals("body", StringComparison.Ordinal) || VisibleBody(id) is not { } text || text.Contains(PlainText.Fold(evidence), StringComparison.Ordinal);

    /// <summary>True when one of <paramref name="names"/> appears in what the reader may see of the document's body.</summary>
    public bool ShowsName(string id, IEnumerable<string> names) =>
        VisibleBody(id) is not { } text || names.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    // null: the reader sees the whole body
    private string? VisibleBody(string id)
    {
        _excised ??= excisedIds();
        if (!_excised.Contains(id))
        {
            return null;
        }
        if (!_cache.TryGetValue(id, out var text))
        {
            _cache[id] = text = BodyText(id);
        }
        return text;
    }

    private string? BodyText(string id)
    {
        if (stored(id) is not { } document)
        {
            return "";
        }
        if (reader.MayReadOriginal(document.Marking))
        {
            return null;
        }
        var view = AccessView.For(document, ReleaseState.ReleasedWithExcisions, excisions(id), reader);
        return view is null ? "" : PlainText.Fold(string.Join(" ", view.Document.ParagraphTexts));
    }
}
