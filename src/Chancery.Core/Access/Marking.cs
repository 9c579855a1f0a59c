using System.Text.Json.Serialization;

namespace Chancery.Core.Access;

/// <summary>
/// Classification levels in order. Limited official use is its own marking (an administrative control, not
/// national-security classification); for access it ranks just above unclassified.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClassificationLevel>))]
public enum ClassificationLevel
{
    [JsonStringEnumMemberName("unclassified")] Unclassified = 0,
    [JsonStringEnumMemberName("limited official use")] LimitedOfficialUse = 1,
    [JsonStringEnumMemberName("restricted")] Restricted = 2,
    [JsonStringEnumMemberName("confidential")] Confidential = 3,
    [JsonStringEnumMemberName("secret")] Secret = 4,
    [JsonStringEnumMemberName("top secret")] TopSecret = 5,
}

/// <summary>Where a document stands in declassification review.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReleaseState>))]
public enum ReleaseState
{
    [JsonStringEnumMemberName("released")] Released,
    [JsonStringEnumMemberName("released with excisions")] ReleasedWithExcisions,
    [JsonStringEnumMemberName("withheld")] Withheld,
    [JsonStringEnumMemberName("pending review")] PendingReview,
}

/// <summary>Names and parsing of classification levels and dissemination controls.</summary>
public static class Markings
{
    /// <summary>The marking as FRUS prints it, lower case: "top secret".</summary>
    public static string Printed(ClassificationLevel level) => level switch
    {
        ClassificationLevel.Unclassified => "unclassified",
        ClassificationLevel.LimitedOfficialUse => "limited official use",
        ClassificationLevel.Restricted => "restricted",
        ClassificationLevel.Confidential => "confidential",
        ClassificationLevel.Secret => "secret",
        ClassificationLevel.TopSecret => "top secret",
        _ => level.ToString(),
    };

    /// <summary>The command-line spelling: "top-secret".</summary>
    public static string CommandName(ClassificationLevel level) => Printed(level).Replace(' ', '-');

    /// <summary>Parses a printed or command-line marking ("TOP SECRET", "top-secret", "Secret", "ts").</summary>
    public static ClassificationLevel? ParseLevel(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = new string(text.Trim().ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());
        return t switch
        {
            "unclassified" or "u" or "unclas" => ClassificationLevel.Unclassified,
            "limitedofficialuse" or "lou" or "sbu" => ClassificationLevel.LimitedOfficialUse,
            "restricted" => ClassificationLevel.Restricted,
            "confidential" or "c" => ClassificationLevel.Confidential,
            "secret" or "s" => ClassificationLevel.Secret,
            "topsecret" or "ts" => ClassificationLevel.TopSecret,
            _ => null,
        };
    }

    /// <summary>Known dissemination controls, in their command-line form.</summary>
    public static readonly IReadOnlyList<string> KnownControls =
        ["NODIS", "EXDIS", "LIMDIS", "EYES-ONLY", "PERSONAL-FOR", "NOFORN", "SPECAT", "ROGER-CHANNEL"];

    /// <summary>Normalises a control name: upper case, words joined by hyphens ("Eyes only" → "EYES-ONLY").</summary>
    public static string NormaliseControl(string text) =>
        string.Join('-', text.Trim().ToUpperInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The dissemination controls a handling caption implies ("Personal and top secret for …" → PERSONAL-FOR).</summary>
    public static IReadOnlyList<string> ControlsFromCaption(string caption)
    {
        var c = caption.ToUpperInvariant();
        var found = new List<string>();
        void Add(string control)
        {
            if (!found.Contains(control))
            {
                found.Add(control);
            }
        }
        if (c.Contains("NODIS", StringComparison.Ordinal)) Add("NODIS");
        if (c.Contains("EXDIS", StringComparison.Ordinal)) Add("EXDIS");
        if (c.Contains("LIMDIS", StringComparison.Ordinal)) Add("LIMDIS");
        if (c.Contains("NOFORN", StringComparison.Ordinal)) Add("NOFORN");
        if (c.Contains("EYES ONLY", StringComparison.Ordinal) || c.Contains("EYES-ONLY", StringComparison.Ordinal)) Add("EYES-ONLY");
        if (c.Contains("PERSONAL FOR", StringComparison.Ordinal) || c.Contains("PERSONAL-FOR", StringComparison.Ordinal)
            || System.Text.RegularExpressions.Regex.IsMatch(c, @"\bPERSONAL\b[^.]{0,40}\bFOR\b"))
        {
            Add("PERSONAL-FOR");
        }
        if (c.Contains("SPECAT", StringComparison.Ordinal)) Add("SPECAT");
        return found;
    }
}

/// <summary>
/// A document's access marking: its classification level and the dissemination controls a reader must all hold.
/// </summary>
public sealed record Marking(ClassificationLevel Level, IReadOnlyList<string> Controls)
{
    public static readonly Marking Unclassified = new(ClassificationLevel.Unclassified, []);
}
