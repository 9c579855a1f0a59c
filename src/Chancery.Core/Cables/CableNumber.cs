using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Chancery.Core.Cables;

/// <summary>
/// A telegram's number: the originating post's prefix and its serial, printed "MOSCOW 120015" and cited in a
/// reference line as "REF: MOSCOW 120015". Serials run per post, without gaps or duplicates.
/// </summary>
[JsonConverter(typeof(CableNumberJsonConverter))]
public sealed partial record CableNumber(string Prefix, long Serial)
{
    /// <summary>"MOSCOW 120015".</summary>
    public override string ToString() => Prefix + " " + Serial.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses "MOSCOW 120015", "moscow 120015", "REF: MOSCOW 120015" or "MOSCOW-120015" (the id form).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CableNumber? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var m = Pattern().Match(text.Trim());
        if (!m.Success || !long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            return false;
        }
        var prefix = string.Join(' ', m.Groups["p"].Value.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        number = new CableNumber(prefix, serial);
        return true;
    }

    /// <summary>Parses a number or throws <see cref="FormatException"/> with a one-line message.</summary>
    public static CableNumber Parse(string text) =>
        TryParse(text, out var n) ? n : throw new FormatException($"'{text}' is not a telegram number (expected e.g. MOSCOW 120015)");

    [GeneratedRegex(@"^(?:REF\s*:\s*)?(?<p>[A-Za-z][A-Za-z ]*?)[ -]+(?<n>[0-9]{1,12})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Writes a <see cref="CableNumber"/> as its printed string.</summary>
public sealed class CableNumberJsonConverter : JsonConverter<CableNumber>
{
    public override CableNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CableNumber.TryParse(reader.GetString(), out var n) ? n : throw new JsonException("not a telegram number");

    public override void Write(Utf8JsonWriter writer, CableNumber value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
