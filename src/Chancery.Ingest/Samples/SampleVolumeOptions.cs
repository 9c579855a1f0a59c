using System.Text.RegularExpressions;

namespace Chancery.Ingest.Samples;

/// <summary>
/// What <see cref="SampleVolumeWriter"/> generates: one synthetic FRUS-like volume. The same options always
/// produce the same bytes.
/// </summary>
public sealed partial record SampleVolumeOptions
{
    /// <summary>The TEI <c>xml:id</c> of the volume (an XML name: letters, digits, '.', '-', '_').</summary>
    public string VolumeId { get; init; } = "frus-synthetic-1";

    /// <summary>How many document divisions to write, including the rare withheld (<c>document-pending</c>) ones.</summary>
    public int Documents { get; init; } = 500;

    /// <summary>Seeds every random choice; a different seed gives a different volume.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First year of the documents' dates.</summary>
    public int StartYear { get; init; } = 1945;

    /// <summary>Last year of the documents' dates (inclusive).</summary>
    public int EndYear { get; init; } = 1947;

    /// <summary>The volume title; a descriptive default is used when null.</summary>
    public string? Title { get; init; }

    /// <summary>Other volumes that footnotes may cite (<c>{id}#d{n}</c>), e.g. the earlier volumes of a corpus.</summary>
    public IReadOnlyList<SampleRelatedVolume> RelatedVolumes { get; init; } = [];

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9._\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex XmlNamePattern();

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot produce a valid volume.</summary>
    public void Validate()
    {
        if (!XmlNamePattern().IsMatch(VolumeId))
        {
            throw new ArgumentException($"volume id '{VolumeId}' is not an XML name (letters, digits, '.', '-', '_'; not starting with a digit)");
        }
        if (Documents < 1)
        {
            throw new ArgumentException($"document count must be at least 1, not {Documents}");
        }
        if (StartYear < 1861 || EndYear > 2030 || StartYear > EndYear)
        {
            throw new ArgumentException($"years {StartYear}–{EndYear} must be an ascending range within 1861–2030");
        }
        foreach (var related in RelatedVolumes)
        {
            if (!XmlNamePattern().IsMatch(related.Id) || related.Documents < 1)
            {
                throw new ArgumentException($"related volume '{related.Id}' needs an XML-name id and at least 1 document");
            }
        }
    }
}

/// <summary>A volume that generated footnotes may point into: its id and how many documents it holds.</summary>
public sealed record SampleRelatedVolume(string Id, int Documents);
