using Chancery.Core.Files;
using CsCheck;

namespace Chancery.Core.Tests;

public sealed class FileNumberTests
{
    private static FileNumber Parse(string text)
    {
        Assert.True(FileNumber.TryParse(text, out var number), $"expected '{text}' to parse");
        return number;
    }

    // ---- TryParse ----

    [Fact]
    public void TryParse_splits_subject_and_suffix()
    {
        var number = Parse("761.93/7–1345");

        Assert.Equal("761.93/7–1345", number.Text);
        Assert.Equal("761.93", number.Subject);
        Assert.Equal("7–1345", number.Suffix);
    }

    [Fact]
    public void TryParse_without_suffix_has_null_suffix()
    {
        var number = Parse("711.61");

        Assert.Equal("711.61", number.Subject);
        Assert.Null(number.Suffix);
        Assert.Null(number.SuffixDate);
    }

    [Theory]
    [InlineData("  761.93/7-1345  ", "761.93/7-1345", "7-1345")]
    [InlineData("\t761.93/7–1345\n", "761.93/7–1345", "7–1345")]
    [InlineData("761.93 / 7 – 1345", "761.93 / 7 – 1345", "7 – 1345")]
    public void TryParse_tolerates_spaces_and_either_dash(string text, string expectedText, string expectedSuffix)
    {
        var number = Parse(text);

        Assert.Equal(expectedText, number.Text);
        Assert.Equal("761.93", number.Subject);
        Assert.Equal(expectedSuffix, number.Suffix);
        Assert.Equal(new DateOnly(1945, 7, 13), number.SuffixDate);
    }

    [Theory]
    [InlineData("890F.7962/12–1848", "890F.7962")]
    [InlineData("890f.7962/12–1848", "890F.7962")]
    [InlineData("800.00B/1234", "800.00B")]
    [InlineData("033.1100/5–1045", "033.1100")]
    [InlineData("501.BB/2–147", "501.BB")]
    [InlineData("740.0011 EW/8–2045", "740.0011")]
    [InlineData("751G.5 MSP /10–553", "751G.5")]
    public void TryParse_accepts_letter_codes_and_office_infixes(string text, string subject)
    {
        Assert.Equal(subject, Parse(text).Subject);
    }

    [Fact]
    public void TryParse_accepts_a_personnel_file()
    {
        var number = Parse("123 Harriman, W. Averell");

        Assert.Equal("123 Harriman, W. Averell", number.Subject);
        Assert.Null(number.Suffix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("Telegram 482")]
    [InlineData("1945")]
    [InlineData("p. 482")]
    [InlineData("761.93/")]
    [InlineData("76.93")]
    [InlineData("7611.93")]
    [InlineData("761.")]
    [InlineData("761.93/7–1345: Telegram")]
    [InlineData("761.93/7–1345 761.93/7–1345")]
    public void TryParse_rejects_junk(string text)
    {
        Assert.False(FileNumber.TryParse(text, out var number));
        Assert.Null(number);
    }

    // ---- SuffixDate ----

    [Theory]
    [InlineData("761.93/7–1345", 1945, 7, 13)]
    [InlineData("890F.7962/12–1848", 1948, 12, 18)]
    [InlineData("462.11/3-2345", 1945, 3, 23)]
    [InlineData("611.61/3-855", 1955, 3, 8)]
    [InlineData("611.61/1–2652", 1952, 1, 26)]
    [InlineData("711.11/2–2155", 1955, 2, 21)]
    public void SuffixDate_reads_month_day_year(string text, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), Parse(text).SuffixDate);
    }

    [Theory]
    [InlineData("740.0011/1234")] // enclosure serial, not a date
    [InlineData("854.51/391")]
    [InlineData("761.93/11–3245")] // day 32
    [InlineData("761.93/2–3045")] // 30 February
    [InlineData("761.93/13–0145")] // month 13
    [InlineData("761.93/0–1045")] // month 0
    [InlineData("761.93/7–0045")] // day 0
    [InlineData("761.93/7–1399")] // 1999: after the decimal file ended
    public void SuffixDate_is_null_when_the_suffix_is_not_a_date(string text)
    {
        Assert.Null(Parse(text).SuffixDate);
    }

    [Fact]
    public void SuffixDate_round_trips_every_date_of_the_file()
    {
        Gen.Select(Gen.Int[1910, 1963], Gen.Int[1, 12], Gen.Int[1, 31], Gen.Bool)
            .Where(t => t.Item3 <= DateTime.DaysInMonth(t.Item1, t.Item2))
            .Sample(t =>
            {
                var (year, month, day, enDash) = t;
                var dash = enDash ? "–" : "-";
                var number = Parse($"761.93/{month}{dash}{day}{year % 100:00}");
                Assert.Equal(new DateOnly(year, month, day), number.SuffixDate);
            });
    }

    // ---- FindAll ----

    [Fact]
    public void FindAll_finds_the_number_before_a_document_type()
    {
        var found = FileNumber.FindAll("761.93/7–1345: Telegram");

        var number = Assert.Single(found);
        Assert.Equal("761.93/7–1345", number.Text);
        Assert.Equal("761.93", number.Subject);
        Assert.Equal("7–1345", number.Suffix);
    }

    [Fact]
    public void FindAll_stops_before_the_full_stop_of_a_source_note()
    {
        var found = FileNumber.FindAll("Source: Department of State, Central Files, 711.11/2–2155. Secret.");

        var number = Assert.Single(found);
        Assert.Equal("711.11/2–2155", number.Text);
        Assert.Equal(new DateOnly(1955, 2, 21), number.SuffixDate);
    }

    [Fact]
    public void FindAll_finds_every_number_in_a_list()
    {
        var found = FileNumber.FindAll("Department of State, Central Files, 320.5774/4–1255; 611.61/3-855");

        Assert.Equal(["320.5774/4–1255", "611.61/3-855"], found.Select(n => n.Text));
        Assert.Equal(["320.5774", "611.61"], found.Select(n => n.Subject));
        Assert.Equal(new DateOnly(1955, 4, 12), found[0].SuffixDate);
        Assert.Equal(new DateOnly(1955, 3, 8), found[1].SuffixDate);
    }

    [Theory]
    [InlineData("Telegram 482 from Moscow, July 13, 1945.")]
    [InlineData("Printed in Foreign Relations, 1945, vol. II, p. 482.")]
    [InlineData("See pp. 761–763 and Document 123.")]
    [InlineData("A loan of $123.45 million; 1,234.56 tons.")]
    [InlineData("Version 11945.25 of the draft")]
    [InlineData("")]
    public void FindAll_ignores_pages_years_and_telegram_numbers(string text)
    {
        Assert.Empty(FileNumber.FindAll(text));
    }

    [Fact]
    public void FindAll_keeps_an_office_code_but_not_a_spelled_out_subfile()
    {
        var found = FileNumber.FindAll("740.0011 EW/8–2045 and 740.0011 European War 1939/6363");

        Assert.Equal(2, found.Count);
        Assert.Equal("740.0011 EW/8–2045", found[0].Text);
        Assert.Equal("8–2045", found[0].Suffix);
        Assert.Equal("740.0011", found[1].Text);
        Assert.Null(found[1].Suffix);
    }

    [Fact]
    public void FindAll_finds_letter_codes()
    {
        var found = FileNumber.FindAll("Central Files, 890F.7962/12–1848 and 800.00B/4521.");

        Assert.Equal(["890F.7962", "800.00B"], found.Select(n => n.Subject));
        Assert.Equal("4521", found[1].Suffix);
        Assert.Null(found[1].SuffixDate);
    }

    // ---- Decode ----

    [Fact]
    public void Decode_political_relations_between_two_states_with_date()
    {
        var decoded = FileNumberDecoder.Decode(Parse("761.93/7–1345"));

        Assert.Equal(FileScheme.CentralDecimalFile1910To1949, decoded.Scheme);
        Assert.Equal("Political relations between states", decoded.ClassMeaning);
        Assert.Equal(["USSR", "China"], decoded.Countries);
        Assert.Null(decoded.SubjectMeaning);
        Assert.Equal(new DateOnly(1945, 7, 13), decoded.Date);
        Assert.Empty(decoded.Unknown);
        Assert.Equal("Political relations between states: USSR – China, 13 July 1945", decoded.Summary);
    }

    [Fact]
    public void Decode_united_states_relations_with_the_ussr()
    {
        var decoded = FileNumberDecoder.Decode(Parse("711.61"));

        Assert.Equal(["United States", "USSR"], decoded.Countries);
        Assert.Null(decoded.Date);
        Assert.Equal("Political relations between states: United States – USSR", decoded.Summary);
    }

    [Fact]
    public void Decode_the_european_war_file()
    {
        var decoded = FileNumberDecoder.Decode(Parse("740.0011"));

        Assert.Equal(["Europe"], decoded.Countries);
        Assert.Equal("European War, 1939 (World War II)", decoded.SubjectMeaning);
        Assert.Empty(decoded.Unknown);
        Assert.Equal("Political relations between states: Europe — European War, 1939 (World War II)", decoded.Summary);
    }

    [Fact]
    public void Decode_a_lettered_country_with_a_subject_and_date()
    {
        var decoded = FileNumberDecoder.Decode(Parse("890F.7962/12–1848"));

        Assert.Equal("Internal affairs of states", decoded.ClassMeaning);
        Assert.Equal(["Saudi Arabia"], decoded.Countries);
        Assert.Equal("Aviation", decoded.SubjectMeaning);
        Assert.Equal(new DateOnly(1948, 12, 18), decoded.Date);
        Assert.Equal("Internal affairs of states: Saudi Arabia — Aviation, 18 December 1948", decoded.Summary);
    }

    [Theory]
    [InlineData("893.00/1234", "China", "Political affairs")]
    [InlineData("854.51/391", "Switzerland", "Financial affairs")]
    [InlineData("862.20/5-145", "Germany", "Military affairs")]
    [InlineData("851.7/22", "France", "Communication and transportation")]
    public void Decode_internal_affairs_subjects(string text, string country, string subject)
    {
        var decoded = FileNumberDecoder.Decode(Parse(text));

        Assert.Equal([country], decoded.Countries);
        Assert.Equal(subject, decoded.SubjectMeaning);
        Assert.Empty(decoded.Unknown);
    }

    [Fact]
    public void Decode_a_claims_file_reads_against_whom_then_whose()
    {
        var decoded = FileNumberDecoder.Decode(Parse("462.11/3-2345"));

        Assert.Equal("Claims", decoded.ClassMeaning);
        Assert.Equal(["Germany", "United States"], decoded.Countries);
        Assert.Equal("Claims: Germany – United States, 23 March 1945", decoded.Summary);
    }

    [Fact]
    public void Decode_general_communist_file_has_no_country()
    {
        var decoded = FileNumberDecoder.Decode(Parse("800.00B/4521"));

        Assert.Empty(decoded.Countries);
        Assert.Equal("Communist activities", decoded.SubjectMeaning);
        Assert.Empty(decoded.Unknown);
        Assert.Equal("Internal affairs of states: Communist activities", decoded.Summary);
    }

    [Fact]
    public void Decode_a_personnel_file()
    {
        var decoded = FileNumberDecoder.Decode(Parse("123 Harriman, W. Averell"));

        Assert.Equal("Administration of the United States Government", decoded.ClassMeaning);
        Assert.Empty(decoded.Countries);
        Assert.NotNull(decoded.SubjectMeaning);
        Assert.EndsWith("Harriman, W. Averell", decoded.SubjectMeaning);
        Assert.Empty(decoded.Unknown);
    }

    [Fact]
    public void Decode_a_visit_file_names_the_visitors_country()
    {
        var decoded = FileNumberDecoder.Decode(Parse("033.1161/5–1045"));

        Assert.Equal(["United States", "USSR"], decoded.Countries);
        Assert.Equal("Expeditions, tours, visits", decoded.SubjectMeaning);
    }

    // ---- Scheme ----

    [Fact]
    public void Decode_takes_the_revised_scheme_from_a_1955_suffix()
    {
        var decoded = FileNumberDecoder.Decode(Parse("711.11/2–2155"));

        Assert.Equal(FileScheme.CentralDecimalFile1950To1963, decoded.Scheme);
        Assert.Equal("Internal political and national defense affairs", decoded.ClassMeaning);
        Assert.Equal(["United States"], decoded.Countries);
        Assert.Equal(new DateOnly(1955, 2, 21), decoded.Date);
    }

    [Fact]
    public void Decode_class_7_changes_meaning_with_a_1955_document_date()
    {
        var number = Parse("761.00");

        var old = FileNumberDecoder.Decode(number);
        var revised = FileNumberDecoder.Decode(number, new DateOnly(1955, 6, 1));

        Assert.Equal(FileScheme.CentralDecimalFile1910To1949, old.Scheme);
        Assert.Equal("Political relations between states", old.ClassMeaning);
        Assert.Equal(["USSR"], old.Countries);
        Assert.Equal("General political relations", old.SubjectMeaning);

        Assert.Equal(FileScheme.CentralDecimalFile1950To1963, revised.Scheme);
        Assert.Equal("Internal political and national defense affairs", revised.ClassMeaning);
        Assert.Equal(["USSR"], revised.Countries);
        Assert.Equal("Political affairs and conditions", revised.SubjectMeaning);
        Assert.Equal("Internal political and national defense affairs: USSR — Political affairs and conditions", revised.Summary);
    }

    [Fact]
    public void Decode_class_6_is_political_relations_after_1950()
    {
        var decoded = FileNumberDecoder.Decode(Parse("611.61/3-855"));

        Assert.Equal(FileScheme.CentralDecimalFile1950To1963, decoded.Scheme);
        Assert.Equal("International political relations: United States – USSR, 8 March 1955", decoded.Summary);
    }

    [Fact]
    public void Decode_document_date_wins_over_the_suffix()
    {
        var decoded = FileNumberDecoder.Decode(Parse("611.61/3-855"), new DateOnly(1948, 1, 1));

        Assert.Equal(FileScheme.CentralDecimalFile1910To1949, decoded.Scheme);
        Assert.Equal("Commerce, customs administration and commercial relations", decoded.ClassMeaning);
        Assert.Equal(new DateOnly(1955, 3, 8), decoded.Date);
    }

    [Fact]
    public void Decode_saudi_arabia_is_86A_after_1950()
    {
        var decoded = FileNumberDecoder.Decode(Parse("786A.00/1-1554"));

        Assert.Equal(["Saudi Arabia"], decoded.Countries);
        Assert.Empty(decoded.Unknown);
    }

    // ---- Unknown parts ----

    [Fact]
    public void Decode_an_unknown_second_country_keeps_the_first()
    {
        var decoded = FileNumberDecoder.Decode(Parse("761.99/1234"));

        Assert.Equal("Political relations between states", decoded.ClassMeaning);
        Assert.Equal(["USSR"], decoded.Countries);
        Assert.Null(decoded.Date);
        Assert.Equal(["unknown country code 99"], decoded.Unknown);
        Assert.Equal("Political relations between states: USSR; unknown country code 99", decoded.Summary);
    }

    [Fact]
    public void Decode_an_unknown_first_country_still_reads_the_subject()
    {
        var decoded = FileNumberDecoder.Decode(Parse("899.00"));

        Assert.Empty(decoded.Countries);
        Assert.Equal("Political affairs", decoded.SubjectMeaning);
        Assert.Equal(["unknown country code 99"], decoded.Unknown);
        Assert.Equal("Internal affairs of states: Political affairs; unknown country code 99", decoded.Summary);
    }

    [Fact]
    public void Decode_an_unknown_lettered_code_is_not_guessed_from_its_parent()
    {
        // 90F is the old scheme's Saudi Arabia; the revised scheme used 86A, so 90F in 1955 is unknown.
        var decoded = FileNumberDecoder.Decode(Parse("890F.00"), new DateOnly(1955, 1, 1));

        Assert.Empty(decoded.Countries);
        Assert.Contains("unknown country code 90F", decoded.Unknown);
    }

    [Fact]
    public void Decode_class_9_before_1950_is_unknown()
    {
        var decoded = FileNumberDecoder.Decode(Parse("961.00/1234"));

        Assert.Null(decoded.ClassMeaning);
        Assert.Equal(["unknown class 9"], decoded.Unknown);
        Assert.Equal("File 961.00; unknown class 9", decoded.Summary);
    }

    [Fact]
    public void Decode_an_unknown_subdivision_after_two_countries_is_listed()
    {
        var decoded = FileNumberDecoder.Decode(Parse("761.9399"));

        Assert.Equal(["USSR", "China"], decoded.Countries);
        Assert.Equal(["unknown subdivision 99"], decoded.Unknown);
    }

    [Fact]
    public void Decode_a_country_code_the_sources_do_not_confirm_is_unknown_rather_than_guessed()
    {
        // 60M was written from memory as Lithuania; no FRUS file number or guide page confirmed it
        var decoded = FileNumberDecoder.Decode(Parse("760M.00/1-1540"));

        Assert.Empty(decoded.Countries);
        Assert.Equal(["unknown country code 60M"], decoded.Unknown);
    }

    [Fact]
    public void Decode_vietnam_is_51K_in_the_revised_scheme()
    {
        var decoded = FileNumberDecoder.Decode(Parse("751K.5/2–1660"));

        Assert.Equal(["Vietnam"], decoded.Countries);
    }

    [Fact]
    public void Decode_90_in_the_revised_scheme_is_the_far_east()
    {
        var decoded = FileNumberDecoder.Decode(Parse("790.00/1–1152"));

        Assert.Equal(["Far East"], decoded.Countries);
    }
}
