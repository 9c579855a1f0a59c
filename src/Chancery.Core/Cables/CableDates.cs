using System.Globalization;

namespace Chancery.Core.Cables;

/// <summary>The ways a telegram's times are written: date-time group, file-number date and the received note.</summary>
public static class CableDates
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    /// <summary>The date-time group in Greenwich time: day, hour, minute, zone, month, year ("131000Z JUL 45").</summary>
    public static string DateTimeGroup(DateTimeOffset time)
    {
        var u = time.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture, $"{u.Day:00}{u.Hour:00}{u.Minute:00}Z {Months[u.Month - 1]} {u.Year % 100:00}");
    }

    /// <summary>The dated suffix of a decimal file number, month–day and two-digit year with an en dash: 13 July 1945 → "7–1345".</summary>
    public static string FileSuffix(DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{day.Month}–{day.Day}{day.Year % 100:00}");

    /// <summary>
    /// The decimal file number a telegram is filed under: its subject code and the date it was sent at the post
    /// ("761.93" sent 13 July 1945 → "761.93/7–1345"). Null when the telegram has no subject code.
    /// </summary>
    public static string? FileNumber(string? subjectCode, DateOnly day) =>
        string.IsNullOrWhiteSpace(subjectCode) ? null : subjectCode.Trim() + "/" + FileSuffix(day);

    /// <summary>True when <paramref name="code"/> is a decimal subject code such as <c>761.93</c> or <c>740.0011</c>.</summary>
    public static bool IsSubjectCode(string code) =>
        Files.FileNumber.TryParse(code, out var f) && f.Suffix is null && f.Subject == code.Trim();

    /// <summary>
    /// The note FRUS prints after the dateline for the time a telegram arrived, in the receiving post's clock:
    /// "[Received 9 p.m.]" on the day it was sent, "[Received July 14, 9:42 a.m.]" on a later day.
    /// </summary>
    public static string ReceivedNote(DateTimeOffset sentLocal, DateTimeOffset receivedLocal)
    {
        var clock = ClockTime(receivedLocal);
        // "p.m." already ends the sentence; "noon" needs its full stop
        var stop = clock.EndsWith('.') ? "" : ".";
        return receivedLocal.Date == sentLocal.Date
            ? $"[Received {clock}{stop}]"
            : string.Create(CultureInfo.InvariantCulture, $"[Received {receivedLocal:MMMM} {receivedLocal.Day}, {clock}{stop}]");
    }

    /// <summary>"9 p.m.", "9:42 a.m.", "noon", "midnight".</summary>
    public static string ClockTime(DateTimeOffset t)
    {
        if (t.Minute == 0 && t.Hour is 0 or 12)
        {
            return t.Hour == 0 ? "midnight" : "noon";
        }
        var hour = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        var half = t.Hour < 12 ? "a.m." : "p.m.";
        return t.Minute == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hour} {half}")
            : string.Create(CultureInfo.InvariantCulture, $"{hour}:{t.Minute:00} {half}");
    }
}
