using System.Text;
using Chancery.Ingest.Telegrams;
using CsCheck;

namespace Chancery.Ingest.Tests;

/// <summary>Input that is not a telegram fails with one line: FILE:LINE:COL: what is wrong (what to do).</summary>
public sealed class TelegramErrorTests
{
    private static SourceFormatException ReadBad(string text) =>
        Assert.Throws<SourceFormatException>(() => TelegramTextReader.Read(text, "bad.txt", "frus1950v01", new string('0', 64)));

    private static SourceFormatException ReadBadFile(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "chancery-telegram-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllBytes(path, bytes);
        try
        {
            return Assert.Throws<SourceFormatException>(() => TelegramTextReader.ReadFile(path, "frus1950v01"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Empty_text_is_an_error_at_line_1() =>
        Assert.Equal("bad.txt:1:1: empty file (a telegram needs a source line such as \"761.93/7–1345: Telegram\", a head line and its text)",
            ReadBad("").Message);

    [Fact]
    public void White_space_only_is_empty() => Assert.StartsWith("bad.txt:1:1: empty file", ReadBad("  \n\n \t\n").Message);

    [Fact]
    public void Empty_file_is_an_error() => Assert.Contains(": empty file", ReadBadFile([]).Message);

    [Fact]
    public void Nul_byte_is_binary_data_where_it_stands()
    {
        var e = ReadBadFile([.. Encoding.UTF8.GetBytes("Telegram\n\nNo. 1\nA"), 0, .. Encoding.UTF8.GetBytes("B\n")]);
        Assert.Equal((4, 2, "binary data (a NUL byte), not telegram text (give the telegram as UTF-8 text)"), (e.Line, e.Column, e.Problem));
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_line_and_column()
    {
        var e = ReadBadFile([.. Encoding.UTF8.GetBytes("Telegram\n\nNo. 1\nThe Attach"), 0xE9, .. Encoding.UTF8.GetBytes(" to the Secretary\n")]);
        Assert.Equal((4, 11, "invalid UTF-8 byte 0xE9 (save the file as UTF-8 text)"), (e.Line, e.Column, e.Problem));
    }

    [Fact]
    public void Control_characters_in_text_are_binary_data()
    {
        var e = ReadBad("Telegram\n\nNo. 1\nThe Ambassador\u0001 to the Secretary\n");
        Assert.Equal((4, 15), (e.Line, e.Column));
    }

    [Fact]
    public void Running_text_without_a_source_line_or_number_is_an_error()
    {
        var e = ReadBad("Soong saw Stalin and Molotov again last night. He outlined the maximum concessions he was authorized to make along the lines of my last message.\n\nMore text.\n");
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.Contains("expected a source line such as \"761.93/7–1345: Telegram\" or a \"No. 578\" line", e.Problem);
    }

    [Fact]
    public void Source_line_alone_has_no_head()
    {
        var e = ReadBad("761.93/7–1345: Telegram\n");
        Assert.Equal("bad.txt:1:1: no head line after \"761.93/7–1345: Telegram\" (the next line names sender and recipient, e.g. \"The Ambassador in the Soviet Union (Harriman) to the Secretary of State\")", e.Message);
    }

    [Fact]
    public void Number_without_a_head_is_an_error()
    {
        var e = ReadBad("761.93/7–1345: Telegram\n\nNo. 578\n");
        Assert.Equal((3, "no head line after \"No. 578\""), (e.Line, e.Problem[..28]));
    }

    [Fact]
    public void No_without_a_number_is_an_error()
    {
        var e = ReadBad("Telegram\n\nNo.\nThe Ambassador to the Secretary\n");
        Assert.Equal("bad.txt:3:1: \"No.\" without a number (write the document number, e.g. \"No. 578\")", e.Message);
    }

    [Fact]
    public void Classification_where_the_head_belongs_is_an_error()
    {
        var e = ReadBad("Telegram\n\nNo. 4\ntop secret\n\nText.\n");
        Assert.Equal((4, "expected a head line naming sender and recipient, found \"top secret\" (write \"No. N\" and the head after the source line)"), (e.Line, e.Problem));
    }

    [Fact]
    public void Impossible_dateline_date_is_an_error()
    {
        var e = ReadBad("Telegram\n\nNo. 4\nThe Ambassador to the Secretary\n\nMoscow, February 30, 1945\n\nText.\n");
        Assert.Equal("bad.txt:6:1: February 30, 1945 is not a date in the dateline \"Moscow, February 30, 1945\" (correct the date)", e.Message);
    }

    [Fact]
    public void Text_beyond_the_size_limit_is_refused()
    {
        var e = ReadBad(new string('a', TelegramTextReader.MaxChars + 1));
        Assert.Equal("bad.txt:1:1: text too large for a telegram (over 16777216 characters; split the file)", e.Message);
    }

    [Fact]
    public void Error_message_is_one_line()
    {
        var e = ReadBad("");
        Assert.DoesNotContain('\n', e.ToString());
    }
}

/// <summary>Whatever text comes in, the reader gives a document or a located error, never anything else.</summary>
public sealed class TelegramRobustnessTests
{
    private static void ReadOrFailCleanly(string text)
    {
        try
        {
            TelegramTextReader.Read(text, "fuzz.txt", "frus1950v01", new string('0', 64));
        }
        catch (SourceFormatException)
        {
        }
    }

    [Fact]
    public void Arbitrary_text_reads_or_fails_with_a_located_error() =>
        Gen.String[Gen.Char["aZ1 .:;,\n\n()[]¹²⁽⁾*—–-/No.Page Received secret July 13, 1945 p.m.\t"], 0, 600]
            .Sample(ReadOrFailCleanly, iter: 1000);

    [Fact]
    public void Seed_with_lines_cut_out_reads_or_fails_with_a_located_error()
    {
        var lines = File.ReadAllLines(TelegramFixtures.SeedPath);
        Gen.Int[0, lines.Length].Select(Gen.Int[0, 6])
            .Sample((start, count) => ReadOrFailCleanly(string.Join("\n", lines.Take(start).Concat(lines.Skip(start + count)))), iter: 1000);
    }
}
