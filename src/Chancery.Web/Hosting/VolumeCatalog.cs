using System.Collections.Concurrent;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Web.Hosting;

/// <summary>
/// Volume metadata that is the same for every reader, kept so that a document page or a search page does not
/// re-read and re-parse a whole volume record on every request: titles, editors, publication date and the persons
/// and terms lists. Only what the public may see is kept (read as the public), and never the table of contents,
/// which is trimmed per reader. Entries hold while the archive's change marker stays the same; an archive without
/// one is asked again after <see cref="Lifetime"/>.
/// </summary>
internal sealed class VolumeCatalog(IArchive archive)
{
    /// <summary>How long an entry is used before an archive without a change marker is asked again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    // a volume id asked for but missing from the titles may be newly ingested: ask again, but at most this often
    private static readonly TimeSpan RefreshFloor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (Volume? Header, long Expires, long? Marker)> _headers = new(StringComparer.Ordinal);
    private (IReadOnlyDictionary<string, string> Titles, long Read, long? Marker)? _titles;

    /// <summary>The volume without its contents, or null when there is no such volume.</summary>
    /// <remarks>Ask only for volumes known to exist (a document's), so the cache stays as small as the archive.</remarks>
    public Volume? Header(string volumeId)
    {
        var now = Environment.TickCount64;
        var marker = archive.ChangeMarker();
        if (_headers.TryGetValue(volumeId, out var entry) && Fresh(entry.Marker, entry.Expires, marker, now))
        {
            return entry.Header;
        }
        var header = archive.GetVolume(volumeId, ReaderIdentity.Public) is { } v ? v with { Contents = [] } : null;
        _headers[volumeId] = (header, now + (long)Lifetime.TotalMilliseconds, marker);
        return header;
    }

    /// <summary>Volume titles by id (ids compared case-insensitively, as search facets give them).</summary>
    public IReadOnlyDictionary<string, string> Titles(IEnumerable<string> needed)
    {
        var now = Environment.TickCount64;
        var marker = archive.ChangeMarker();
        var current = _titles;
        var stale = current is null || !Fresh(current.Value.Marker, current.Value.Read + (long)Lifetime.TotalMilliseconds, marker, now)
            || (marker is null && now - current.Value.Read > (long)RefreshFloor.TotalMilliseconds && needed.Any(id => !current.Value.Titles.ContainsKey(id)));
        if (!stale)
        {
            return current!.Value.Titles;
        }
        var titles = archive.ListVolumes(ReaderIdentity.Public)
            .GroupBy(v => v.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Title, StringComparer.OrdinalIgnoreCase);
        _titles = (titles, now, marker);
        return titles;
    }

    // with a marker, an entry holds exactly as long as the archive is unchanged; without one, for a while
    private static bool Fresh(long? kept, long expires, long? now, long tick) =>
        now is not null ? kept == now : kept is null && expires > tick;
}
