using System.Text.Json.Serialization;

namespace Chancery.Core.Cables;

/// <summary>
/// How urgently a telegram must be handled, most urgent first: the numeric order is the delivery order, so a
/// FLASH overtakes a backlog of ROUTINE traffic.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precedence>))]
public enum Precedence
{
    [JsonStringEnumMemberName("FLASH")] Flash = 0,
    [JsonStringEnumMemberName("NIACT IMMEDIATE")] NiactImmediate = 1,
    [JsonStringEnumMemberName("IMMEDIATE")] Immediate = 2,
    [JsonStringEnumMemberName("PRIORITY")] Priority = 3,
    [JsonStringEnumMemberName("ROUTINE")] Routine = 4,
}

/// <summary>Names of precedences as printed on a telegram and typed on a command line.</summary>
public static class Precedences
{
    /// <summary>All precedences, most urgent first.</summary>
    public static readonly IReadOnlyList<Precedence> All =
        [Precedence.Flash, Precedence.NiactImmediate, Precedence.Immediate, Precedence.Priority, Precedence.Routine];

    /// <summary>The precedence as printed: "FLASH", "NIACT IMMEDIATE", "ROUTINE".</summary>
    public static string Printed(Precedence precedence) => precedence switch
    {
        Precedence.Flash => "FLASH",
        Precedence.NiactImmediate => "NIACT IMMEDIATE",
        Precedence.Immediate => "IMMEDIATE",
        Precedence.Priority => "PRIORITY",
        Precedence.Routine => "ROUTINE",
        _ => precedence.ToString(),
    };

    /// <summary>Parses "FLASH", "niact-immediate", "Niact Immediate", "routine" (case and separators do not matter).</summary>
    public static Precedence? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = new string(text.Trim().ToUpperInvariant().Where(char.IsAsciiLetter).ToArray());
        return t switch
        {
            "FLASH" or "Z" => Precedence.Flash,
            "NIACTIMMEDIATE" or "NIACT" => Precedence.NiactImmediate,
            "IMMEDIATE" or "O" => Precedence.Immediate,
            "PRIORITY" or "P" => Precedence.Priority,
            "ROUTINE" or "R" => Precedence.Routine,
            _ => null,
        };
    }
}
