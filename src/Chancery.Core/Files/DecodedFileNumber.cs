using System.Globalization;
using System.Text;

namespace Chancery.Core.Files;

/// <summary>Which edition of the decimal classification a file number belongs to.</summary>
public enum FileScheme
{
    /// <summary>The Central Decimal File of August 1910 – December 1949.</summary>
    CentralDecimalFile1910To1949,

    /// <summary>The revised scheme (Records Codification Manual) of January 1950 – January 1963.</summary>
    CentralDecimalFile1950To1963,
}

/// <summary>
/// What a decimal file number means, as far as the tables know it.
/// </summary>
/// <param name="Number">The file number decoded.</param>
/// <param name="Scheme">The classification scheme used to read it.</param>
/// <param name="ClassMeaning">The meaning of the class digit, e.g. "Political relations between states"; null when the class is unknown in this scheme.</param>
/// <param name="Countries">The countries or regions named, in file order (e.g. USSR then China for 761.93); only known codes.</param>
/// <param name="SubjectMeaning">The subject subdivision, e.g. "Political affairs" for 893.00 or the European War for 740.0011; null when there is none or it is unknown.</param>
/// <param name="Date">The date carried by the number's own suffix; null for undated numbers and enclosure serials.</param>
/// <param name="Unknown">The parts that could not be decoded, each said plainly, e.g. "unknown country code 99".</param>
public sealed record DecodedFileNumber(
    FileNumber Number,
    FileScheme Scheme,
    string? ClassMeaning,
    IReadOnlyList<string> Countries,
    string? SubjectMeaning,
    DateOnly? Date,
    IReadOnlyList<string> Unknown)
{
    /// <summary>
    /// One line for a reader, e.g. "Political relations between states: USSR – China, 13 July 1945",
    /// with any undecoded parts appended after a semicolon.
    /// </summary>
    public string Summary
    {
        get
        {
            var text = new StringBuilder(ClassMeaning ?? $"File {Number.Subject}");
            var separator = ": ";
            if (Countries.Count > 0)
            {
                text.Append(separator).Append(string.Join(" – ", Countries));
                separator = " — ";
            }

            if (SubjectMeaning is not null)
            {
                text.Append(separator).Append(SubjectMeaning);
            }

            if (Date is { } date)
            {
                text.Append(", ").Append(date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
            }

            if (Unknown.Count > 0)
            {
                text.Append("; ").Append(string.Join("; ", Unknown));
            }

            return text.ToString();
        }
    }
}
