using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Chancery.Core.Cables;

/// <summary>
/// A post that sends and receives telegrams: an embassy, the Department, the White House Map Room, an attaché.
/// </summary>
/// <param name="Id">Short lower-case key: <c>moscow</c>, <c>state</c>, <c>maproom</c>.</param>
/// <param name="Name">As printed in a heading: "Embassy Moscow", "Department of State".</param>
/// <param name="Place">Where it sits, for the dateline: "Moscow", "Washington".</param>
/// <param name="Prefix">What its telegram numbers start with: <c>MOSCOW</c> in "MOSCOW 120015".</param>
/// <param name="UtcOffset">The post's clock, for file-number dates and "[Received 9 p.m.]" (Moscow 1945: +03:00).</param>
public sealed partial record Post(string Id, string Name, string Place, string Prefix, TimeSpan UtcOffset)
{
    /// <summary>Null when the post is well formed, else what is wrong, in one line.</summary>
    public string? Problem()
    {
        if (!IdPattern().IsMatch(Id))
        {
            return $"post id '{Id}' must be lower-case letters, digits and hyphens (e.g. moscow)";
        }
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrWhiteSpace(Place))
        {
            return $"post {Id} needs a name and a place";
        }
        if (!PrefixPattern().IsMatch(Prefix))
        {
            return $"post {Id}: number prefix '{Prefix}' must be capital letters and spaces (e.g. MOSCOW)";
        }
        if (UtcOffset < TimeSpan.FromHours(-14) || UtcOffset > TimeSpan.FromHours(14) || UtcOffset.Seconds != 0)
        {
            return $"post {Id}: UTC offset {UtcOffset} is not a time zone";
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z][A-Z ]{0,29}[A-Z]$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}

/// <summary>What a user does at a post.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CableRole>))]
public enum CableRole
{
    /// <summary>Writes drafts.</summary>
    [JsonStringEnumMemberName("drafter")] Drafter,
    /// <summary>Clears drafts for an office (<see cref="PostMember.Office"/>).</summary>
    [JsonStringEnumMemberName("clearer")] Clearer,
    /// <summary>Releases cleared drafts for transmission.</summary>
    [JsonStringEnumMemberName("approver")] Approver,
    /// <summary>Transmits released telegrams: assigns the number and the channel.</summary>
    [JsonStringEnumMemberName("communications clerk")] CommunicationsClerk,
    /// <summary>A named principal: the President, the Secretary, the Ambassador; receives PERSONAL-FOR and NODIS traffic.</summary>
    [JsonStringEnumMemberName("principal")] Principal,
}

/// <summary>Names of roles for the command line.</summary>
public static class CableRoles
{
    /// <summary>"drafter", "clearer", "approver", "communications-clerk", "principal".</summary>
    public static string CommandName(CableRole role) => role switch
    {
        CableRole.CommunicationsClerk => "communications-clerk",
        _ => role.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses a role name ("clerk" and "communications clerk" are accepted too).</summary>
    public static CableRole? Parse(string? text) =>
        new string((text ?? "").ToLowerInvariant().Where(char.IsAsciiLetter).ToArray()) switch
        {
            "drafter" => CableRole.Drafter,
            "clearer" => CableRole.Clearer,
            "approver" => CableRole.Approver,
            "communicationsclerk" or "clerk" => CableRole.CommunicationsClerk,
            "principal" => CableRole.Principal,
            _ => null,
        };
}

/// <summary>
/// A user (an archive user name) in a role at a post. <paramref name="Office"/> is the office a clearer clears
/// for ("EUR", "POL"); <paramref name="Title"/> is how an addressee is printed ("the President").
/// </summary>
public sealed record PostMember(string Post, string User, CableRole Role, string? Office = null, string? Title = null);

/// <summary>The communications systems a telegram can travel by.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CableChannel>))]
public enum CableChannel
{
    [JsonStringEnumMemberName("State")] State,
    [JsonStringEnumMemberName("Navy")] Navy,
    [JsonStringEnumMemberName("Army")] Army,
}

/// <summary>
/// How a post sends by a channel: the relay point that puts the message on the circuit, printed as FRUS does
/// ("Sent by the United States Naval Attaché, Moscow, via Navy channels.").
/// </summary>
public sealed record ChannelRoute(string Post, CableChannel Channel, string RelayPoint)
{
    /// <summary>"Navy channels", as the archive's <c>Document.Channel</c> holds it.</summary>
    public string ChannelName => Channel + " channels";

    /// <summary>The FRUS note: "Sent by the United States Naval Attaché, Moscow, via Navy channels."</summary>
    public string SentBy => $"Sent by {RelayPoint}, via {ChannelName}.";

    /// <summary>Parses "state", "Navy", "ARMY".</summary>
    public static CableChannel? ParseChannel(string? text) =>
        (text ?? "").Trim().ToLowerInvariant() switch
        {
            "state" => CableChannel.State,
            "navy" => CableChannel.Navy,
            "army" => CableChannel.Army,
            _ => null,
        };
}
