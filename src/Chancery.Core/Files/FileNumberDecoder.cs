using System.Text.RegularExpressions;

namespace Chancery.Core.Files;

/// <summary>Decodes decimal file numbers into class, countries, subject and date.</summary>
public static partial class FileNumberDecoder
{
    private static readonly DateOnly RevisionStart = new(1950, 1, 1);

    // Class digit, the two-digit code with an optional letter, then either ".rest" or a personnel-file name.
    [GeneratedRegex(@"^(?<class>[0-9])(?<head>[0-9]{2}[A-Za-z]?)(?:\.(?<rest>[0-9A-Za-z]+)|\s+(?<name>.+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();

    [GeneratedRegex(@"^(?<code>[0-9]{2}(?:[A-Z](?![0-9A-Z]))?)(?<tail>[0-9A-Z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SecondCountryPattern();

    /// <summary>
    /// Decodes a file number. The scheme comes from <paramref name="documentDate"/> when given, otherwise from the
    /// number's own dated suffix, otherwise the 1910–49 scheme is assumed: before 1950 the old classes apply, from
    /// 1950 the revised ones.
    /// </summary>
    /// <param name="number">The file number.</param>
    /// <param name="documentDate">The date of the document carrying the number, when known.</param>
    /// <returns>The decoding, with anything not understood listed in <see cref="DecodedFileNumber.Unknown"/>.</returns>
    public static DecodedFileNumber Decode(FileNumber number, DateOnly? documentDate = null)
    {
        ArgumentNullException.ThrowIfNull(number);

        var schemeDate = documentDate ?? number.SuffixDate;
        var scheme = schemeDate is { } d && d >= RevisionStart
            ? FileScheme.CentralDecimalFile1950To1963
            : FileScheme.CentralDecimalFile1910To1949;
        var tables = scheme == FileScheme.CentralDecimalFile1910To1949
            ? DecimalFileTables.CentralDecimalFile1910To1949
            : DecimalFileTables.CentralDecimalFile1950To1963;

        var decoding = new Decoding(tables);
        decoding.Run(number.Subject);

        return new DecodedFileNumber(
            number,
            scheme,
            decoding.ClassMeaning,
            decoding.Countries,
            decoding.SubjectMeaning,
            number.SuffixDate,
            decoding.Unknown);
    }

    /// <summary>The mutable state of one decode, kept out of the public records.</summary>
    private sealed class Decoding(SchemeTables tables)
    {
        public string? ClassMeaning { get; private set; }
        public List<string> Countries { get; } = [];
        public string? SubjectMeaning { get; private set; }
        public List<string> Unknown { get; } = [];

        public void Run(string subject)
        {
            var match = SubjectPattern().Match(subject.Trim());
            if (!match.Success)
            {
                Unknown.Add($"unrecognised file number {subject}");
                return;
            }

            var classDigit = match.Groups["class"].Value[0];
            var head = match.Groups["head"].Value.ToUpperInvariant();
            var rest = match.Groups["rest"].Success ? match.Groups["rest"].Value.ToUpperInvariant() : null;
            var name = match.Groups["name"].Success ? match.Groups["name"].Value.Trim() : null;

            if (!tables.Classes.TryGetValue(classDigit, out var classMeaning))
            {
                // Class 9 did not exist before 1950; nothing after it can be read with confidence.
                Unknown.Add($"unknown class {classDigit}");
                return;
            }

            ClassMeaning = classMeaning;
            var code = rest is null ? $"{classDigit}{head}" : $"{classDigit}{head}.{rest}";
            SubjectMeaning = LongestPrefix(tables.SpecialFiles, code);

            switch (tables.Arrangements[classDigit])
            {
                case Arrangement.Subject:
                    DecodeSubjectHead(classDigit, head, rest, name);
                    break;
                case Arrangement.Bilateral:
                    AddCountry(head);
                    DecodeBilateralRest(classDigit, rest);
                    break;
                case Arrangement.Internal:
                    AddCountry(head);
                    DecodeInternalRest(classDigit, rest);
                    break;
            }
        }

        private void DecodeSubjectHead(char classDigit, string head, string? rest, string? name)
        {
            var three = $"{classDigit}{head}";
            var meaning = SubjectMeaning
                ?? tables.SubjectHeads.GetValueOrDefault(three)
                ?? tables.SubjectHeads.GetValueOrDefault($"{classDigit}{head[0]}0");

            if (meaning is null && name is null)
            {
                Unknown.Add($"unknown subject {three}");
            }

            SubjectMeaning = (meaning, name) switch
            {
                (not null, not null) => $"{meaning}: {name}",
                (null, not null) => name,
                _ => meaning,
            };

            // 033.xxyy: visits by officials of country xx to country yy (00 = several or general).
            if (classDigit == '0' && head == "33" && rest is { Length: >= 2 })
            {
                AddCountry(rest[..2]);
                if (rest.Length >= 4)
                {
                    AddCountry(rest[2..4]);
                }
            }
        }

        private void DecodeBilateralRest(char classDigit, string? rest)
        {
            if (rest is null)
            {
                return;
            }

            var general = DecimalFileTables.BilateralGeneralFor(tables, classDigit);
            var second = SecondCountryPattern().Match(rest);
            if (!second.Success || second.Groups["code"].Value == "00")
            {
                // No second country: a general file of the first (740.00) or a named subdivision (740.0011).
                if (SubjectMeaning is null)
                {
                    SubjectMeaning = LongestPrefix(general, rest);
                    if (SubjectMeaning is null)
                    {
                        Unknown.Add($"unknown subdivision {rest}");
                    }
                }

                return;
            }

            AddCountry(second.Groups["code"].Value);
            var tail = second.Groups["tail"].Value;
            if (tail.Length > 0 && SubjectMeaning is null)
            {
                Unknown.Add($"unknown subdivision {tail}");
            }
        }

        private void DecodeInternalRest(char classDigit, string? rest)
        {
            if (rest is null || SubjectMeaning is not null)
            {
                return;
            }

            SubjectMeaning = LongestPrefix(DecimalFileTables.InternalSubjectsFor(tables, classDigit), rest)
                ?? DecimalFileTables.InternalGroupsFor(tables, classDigit).GetValueOrDefault(rest[0]);
            if (SubjectMeaning is null)
            {
                Unknown.Add($"unknown subject .{rest}");
            }
        }

        private void AddCountry(string code)
        {
            // 00 stands for "general" or "the world", not a country.
            if (code == "00")
            {
                return;
            }

            // An unlisted letter sub-code is not assumed to be its parent number's country: 90F was Saudi Arabia
            // while 90 itself was something else, so guessing would mislead.
            if (tables.Countries.TryGetValue(code, out var country))
            {
                Countries.Add(country);
            }
            else
            {
                Unknown.Add($"unknown country code {code}");
            }
        }

        private static string? LongestPrefix(IReadOnlyDictionary<string, string> table, string key)
        {
            for (var length = key.Length; length > 0; length--)
            {
                if (table.TryGetValue(key[..length], out var value))
                {
                    return value;
                }
            }

            return null;
        }
    }
}
