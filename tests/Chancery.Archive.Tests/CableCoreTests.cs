using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Files;

namespace Chancery.Archive.Tests;

/// <summary>The cable domain types: numbers, dates, precedences, addressees, captions, posts and filing ids.</summary>
public sealed class CableCoreTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public void A_number_prints_prefix_and_serial()
    {
        Assert.Equal("MOSCOW 120015", new CableNumber("MOSCOW", 120015).ToString());
    }

    [Fact]
    public void A_reference_line_parses_to_the_number()
    {
        Assert.Equal(new CableNumber("MOSCOW", 120015), CableNumber.Parse("REF: MOSCOW 120015"));
    }

    [Fact]
    public void A_two_word_prefix_parses_in_capitals()
    {
        Assert.Equal(new CableNumber("MAP ROOM", 12), CableNumber.Parse("map room 12"));
    }

    [Fact]
    public void A_bare_serial_is_not_a_number()
    {
        Assert.False(CableNumber.TryParse("120015", out _));
    }

    [Fact]
    public void A_number_is_written_to_json_as_printed()
    {
        Assert.Equal("\"MOSCOW 120015\"", System.Text.Json.JsonSerializer.Serialize(new CableNumber("MOSCOW", 120015)));
    }

    [Fact]
    public void The_date_time_group_is_in_Greenwich_time()
    {
        Assert.Equal("131100Z JUL 45", CableDates.DateTimeGroup(new DateTimeOffset(1945, 7, 13, 14, 0, 0, Moscow)));
    }

    [Fact]
    public void The_file_number_joins_subject_code_and_dated_suffix_with_an_en_dash()
    {
        Assert.Equal("761.93/7–1345", CableDates.FileNumber("761.93", new DateOnly(1945, 7, 13)));
    }

    [Fact]
    public void The_file_number_reads_back_as_the_send_date()
    {
        Assert.True(FileNumber.TryParse(CableDates.FileNumber("761.93", new DateOnly(1945, 7, 13))!, out var f));
        Assert.Equal(("761.93", new DateOnly(1945, 7, 13)), (f.Subject, f.SuffixDate));
    }

    [Fact]
    public void A_telegram_without_subject_code_has_no_file_number()
    {
        Assert.Null(CableDates.FileNumber(null, new DateOnly(1945, 7, 13)));
    }

    [Fact]
    public void A_subject_code_is_a_decimal_file_subject()
    {
        Assert.Equal([true, true, false, false], new[] { "761.93", "740.0011", "761.93/7–1345", "Moscow" }.Select(CableDates.IsSubjectCode).ToList());
    }

    [Fact]
    public void A_same_day_receipt_prints_the_hour()
    {
        var sent = new DateTimeOffset(1945, 7, 13, 14, 0, 0, Moscow);
        Assert.Equal("[Received 9 p.m.]", CableDates.ReceivedNote(sent, new DateTimeOffset(1945, 7, 13, 21, 0, 0, TimeSpan.FromHours(-4))));
    }

    [Fact]
    public void A_later_receipt_prints_the_day_and_minutes()
    {
        var sent = new DateTimeOffset(1945, 7, 13, 14, 0, 0, Moscow);
        Assert.Equal("[Received July 14, 9:42 a.m.]", CableDates.ReceivedNote(sent, new DateTimeOffset(1945, 7, 14, 9, 42, 0, TimeSpan.FromHours(-4))));
    }

    [Fact]
    public void Noon_and_midnight_are_words()
    {
        Assert.Equal(("noon", "midnight"),
            (CableDates.ClockTime(new DateTimeOffset(1945, 7, 13, 12, 0, 0, Moscow)), CableDates.ClockTime(new DateTimeOffset(1945, 7, 13, 0, 0, 0, Moscow))));
    }

    [Fact]
    public void Precedences_parse_in_any_spelling()
    {
        Assert.Equal([Precedence.Flash, Precedence.NiactImmediate, Precedence.Routine],
            new[] { "flash", "Niact-Immediate", "ROUTINE" }.Select(p => Precedences.Parse(p)!.Value).ToList());
    }

    [Fact]
    public void FLASH_sorts_before_ROUTINE()
    {
        Assert.True(Precedence.Flash < Precedence.Immediate && Precedence.Immediate < Precedence.Routine);
    }

    [Fact]
    public void Addressees_parse_posts_users_and_lists()
    {
        Assert.Equal(["post:moscow", "user:truman", "list:eur", "post:state"],
            new[] { "post:moscow", "user:truman", "list:eur", "state" }.Select(a => Addressee.TryParse(a, out var x) ? x.ToString() : "?").ToList());
    }

    [Fact]
    public void PERSONAL_FOR_prints_its_principals()
    {
        Assert.Equal(["Personal for the President and the Secretary of State", "NODIS"],
            CableCaptions.Printed(["personal for", "nodis"], ["the President", "the Secretary of State"]));
    }

    [Fact]
    public void The_printed_caption_reads_back_as_the_control_the_ingest_finds()
    {
        Assert.Equal(["PERSONAL-FOR"], Markings.ControlsFromCaption("Personal for the President and the Secretary of State"));
    }

    [Fact]
    public void A_post_id_must_be_a_lower_case_key()
    {
        Assert.Equal("post id 'Moscow' must be lower-case letters, digits and hyphens (e.g. moscow)",
            new Post("Moscow", "Embassy Moscow", "Moscow", "MOSCOW", Moscow).Problem());
    }

    [Fact]
    public void A_route_prints_the_FRUS_channel_note()
    {
        Assert.Equal("Sent by the United States Naval Attaché, Moscow, via Navy channels.",
            new ChannelRoute("moscow", CableChannel.Navy, "the United States Naval Attaché, Moscow").SentBy);
    }

    [Fact]
    public void A_filed_telegram_id_is_volume_post_and_serial()
    {
        Assert.Equal("cables1945#moscow-120015", CableFiling.DocumentId("moscow", 120015, 1945));
    }
}
