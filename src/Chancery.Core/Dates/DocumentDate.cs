using System.Globalization;
using System.Text.Json.Serialization;

namespace Chancery.Core.Dates;

/// <summary>How finely a date is known.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatePrecision>))]
public enum DatePrecision
{
    [JsonStringEnumMemberName("year")] Year,
    [JsonStringEnumMemberName("month")] Month,
    [JsonStringEnumMemberName("day")] Day,
    [JsonStringEnumMemberName("minute")] Minute,
}

/// <summary>Where a date came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DateSource>))]
public enum DateSource
{
    [JsonStringEnumMemberName("dateline")] Dateline,
    [JsonStringEnumMemberName("file number")] FileNumber,
    [JsonStringEnumMemberName("editor")] Editor,
    [JsonStringEnumMemberName("sent")] Sent,
}

/// <summary>
/// A partial, ranged date: <see cref="From"/> and <see cref="To"/> are ISO-8601 prefixes as precise as known
/// (<c>1945</c>, <c>1945-07</c>, <c>1945-07-13</c>, <c>1948-12-30T16:00</c>); a single date has From == To.
/// </summary>
public sealed record DocumentDate(string From, string To, DatePrecision Precision, DateSource Source, string? TimeZone = null)
{
    /// <summary>The earliest minute the date can mean, as a sortable key <c>yyyy-MM-ddTHH:mm</c>.</summary>
    [JsonIgnore]
    public string MinKey => LowerBound(From);

    /// <summary>The latest minute the date can mean, as a sortable key <c>yyyy-MM-ddTHH:mm</c>.</summary>
    [JsonIgnore]
    public string MaxKey => UpperBound(To);

    /// <summary>
    /// Parses a TEI/ISO value (<c>YYYY</c>, <c>YYYY-MM</c>, <c>YYYY-MM-DD</c>, a dateTime with or without zone).
    /// Returns the normalised prefix and its precision, or null when it is not a date.
    /// </summary>
    public static (string Value, DatePrecision Precision, string? Zone)? ParseIso(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var s = text.Trim();
        if (s.Length == 4 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y > 0)
        {
            return (s, DatePrecision.Year, null);
        }
        if (s.Length == 7 && DateTime.TryParseExact(s + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return (s, DatePrecision.Month, null);
        }
        if (s.Length == 10 && DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return (s, DatePrecision.Day, null);
        }
        if (s.Length > 10 && s[10] == 'T' && DateTime.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            var time = s[11..];
            string? zone = null;
            var zi = time.IndexOfAny(['+', '-', 'Z']);
            if (zi >= 0)
            {
                zone = time[zi..] == "Z" ? "+00:00" : time[zi..];
                time = time[..zi];
            }
            var parts = time.Split(':');
            if (parts.Length >= 2 && int.TryParse(parts[0], out var hh) && int.TryParse(parts[1], out var mm) && hh is >= 0 and < 24 && mm is >= 0 and < 60)
            {
                return ($"{s[..10]}T{hh:00}:{mm:00}", DatePrecision.Minute, zone);
            }
            return (s[..10], DatePrecision.Day, zone);
        }
        return null;
    }

    /// <summary>A single date from one ISO value.</summary>
    public static DocumentDate? FromIso(string? text, DateSource source)
    {
        var p = ParseIso(text);
        return p is null ? null : new DocumentDate(p.Value.Value, p.Value.Value, p.Value.Precision, source, p.Value.Zone);
    }

    /// <summary>A range from two ISO values; the coarser precision wins.</summary>
    public static DocumentDate? Range(string? from, string? to, DateSource source)
    {
        var f = ParseIso(from);
        var t = ParseIso(to);
        if (f is null && t is null)
        {
            return null;
        }
        var a = f ?? t!.Value;
        var b = t ?? f!.Value;
        if (string.CompareOrdinal(LowerBound(a.Value), LowerBound(b.Value)) > 0)
        {
            (a, b) = (b, a);
        }
        var precision = (DatePrecision)Math.Min((int)a.Precision, (int)b.Precision);
        return new DocumentDate(a.Value, b.Value, precision, source, a.Zone ?? b.Zone);
    }

    /// <summary>Lower bound key of an ISO prefix.</summary>
    public static string LowerBound(string prefix) => prefix.Length switch
    {
        4 => prefix + "-01-01T00:00",
        7 => prefix + "-01T00:00",
        10 => prefix + "T00:00",
        _ => prefix.Length >= 16 ? prefix[..16] : prefix,
    };

    /// <summary>Upper bound key of an ISO prefix.</summary>
    public static string UpperBound(string prefix)
    {
        switch (prefix.Length)
        {
            case 4:
                return prefix + "-12-31T23:59";
            case 7:
                var y = int.Parse(prefix[..4], CultureInfo.InvariantCulture);
                var m = int.Parse(prefix[5..7], CultureInfo.InvariantCulture);
                return $"{prefix}-{DateTime.DaysInMonth(y, m):00}T23:59";
            case 10:
                return prefix + "T23:59";
            default:
                return prefix.Length >= 16 ? prefix[..16] : prefix;
        }
    }

    /// <summary>True when this date's range overlaps [<paramref name="minKey"/>, <paramref name="maxKey"/>].</summary>
    public bool Overlaps(string minKey, string maxKey) =>
        string.CompareOrdinal(MinKey, maxKey) <= 0 && string.CompareOrdinal(MaxKey, minKey) >= 0;

    /// <summary>The date as a reader would write it: one value, or "from – to".</summary>
    public override string ToString() => From == To ? From : $"{From} – {To}";
}
