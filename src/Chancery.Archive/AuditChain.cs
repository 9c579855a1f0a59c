using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chancery.Archive;

/// <summary>
/// The audit trail's hash chain: each line's hash covers the previous line's hash and every field of the line,
/// so an edited, deleted, inserted or reordered line breaks the chain at that point.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first line.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string Hash(string previous, long sequence, DateTimeOffset time, string user, string action, string? document, string surface, string detail)
    {
        // fields joined with a separator that cannot occur in them unescaped (\u001f), so shifting text between fields changes the hash
        var line = string.Join('\u001f', previous, sequence.ToString(CultureInfo.InvariantCulture), FormatTime(time), user, action, document ?? "", surface, detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));
    }

    /// <summary>Checks the chain in order of sequence numbers.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries)
    {
        var previous = Genesis;
        long expected = 1;
        foreach (var e in entries)
        {
            if (e.Sequence != expected)
            {
                return new AuditVerification(false, entries.Count, $"line {expected} is missing (found {e.Sequence} in its place): a line was deleted or reordered");
            }
            if (e.PreviousHash != previous)
            {
                return new AuditVerification(false, entries.Count, $"line {e.Sequence} does not follow line {e.Sequence - 1}: a line was deleted, inserted or reordered");
            }
            var hash = Hash(e.PreviousHash, e.Sequence, e.Time, e.User, e.Action, e.DocumentId, e.Surface, e.Detail);
            if (hash != e.Hash)
            {
                return new AuditVerification(false, entries.Count, $"line {e.Sequence} was changed after it was written");
            }
            previous = e.Hash;
            expected++;
        }
        return new AuditVerification(true, entries.Count, null);
    }
}
