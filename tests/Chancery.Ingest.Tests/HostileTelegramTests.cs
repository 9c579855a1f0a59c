using System.Text;
using Chancery.Ingest.Telegrams;
using CsCheck;

namespace Chancery.Ingest.Tests;

/// <summary>
/// Hostile telegram text: mutations of the seed telegram, bytes that are not UTF-8, characters that are not text,
/// and sizes far past any real telegram are either read or refused with one <c>FILE:LINE:COL: problem</c> line.
/// </summary>
public sealed class HostileTelegramTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-hostile-telegram-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_folder, "telegram.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Seed => File.ReadAllText(Hostile.TelegramSeedPath);

    [Fact]
    public void Mutated_seed_bytes_are_read_or_refused_in_one_located_line()
    {
        Hostile.MutatedTelegram.Sample(c =>
        {
            var bytes = Hostile.ApplyTelegram(c);
            var result = Hostile.ReadTelegramFile(Write(bytes), bytes);
            Assert.True(result.Outcome != HostileOutcome.Escaped, result.Detail);
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Mutated_seed_text_with_any_characters_is_read_or_refused_in_one_located_line()
    {
        Hostile.MutatedTelegramText.Sample(c =>
        {
            var result = Hostile.ReadTelegramText(Hostile.ApplyTelegramText(c), "telegram.txt");
            Assert.True(result.Outcome != HostileOutcome.Escaped, result.Detail);
        }, iter: 1000, threads: 1);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "0xFF")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "0xC0")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "0xC3")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "0xED")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "0xF4")]
    public void Invalid_utf8_is_refused_at_its_line_and_column(byte[] bad, string shown)
    {
        var seed = Encoding.UTF8.GetBytes(Seed);
        // "Soong saw Stalin" opens line 10
        var at = Encoding.UTF8.GetBytes(Seed[..Seed.IndexOf("saw Stalin", StringComparison.Ordinal)]).Length;
        var path = Write([.. seed[..at], .. bad, .. seed[at..]]);
        var e = Assert.Throws<SourceFormatException>(() => TelegramTextReader.ReadFile(path, Hostile.TelegramVolume));
        Assert.Equal($"{path}:10:7: invalid UTF-8 byte {shown} (save the file as UTF-8 text)", e.Message);
    }

    [Fact]
    public void An_excision_marker_wrapped_over_two_lines_is_one_marker()
    {
        // found by `bench -- fuzz`: the line end inside the marker was marked too, and cutting the overlap threw
        var document = TelegramTextReader.Read("761.93/7–1345: Telegram\n\nThe Ambassador to the Secretary\n\nSoong saw [1 paragraph\nnot declassified] Stalin.",
            "wrapped.txt", Hostile.TelegramVolume, new string('0', 64));
        var paragraph = Assert.IsType<Chancery.Core.Documents.Paragraph>(Assert.Single(document.Body));
        Assert.Equal(["Soong saw ", "[1 paragraph not declassified]", " Stalin."], paragraph.Content.Select(i => i.PlainText));
        Assert.IsType<Chancery.Core.Documents.ExcisionMark>(paragraph.Content[1]);
    }

    [Fact]
    public void A_nul_byte_is_refused_as_binary_data()
    {
        var seed = Encoding.UTF8.GetBytes(Seed);
        var path = Write([.. seed[..5], 0, .. seed[5..]]);
        var e = Assert.Throws<SourceFormatException>(() => TelegramTextReader.ReadFile(path, Hostile.TelegramVolume));
        Assert.Equal($"{path}:1:6: binary data (a NUL byte), not telegram text (give the telegram as UTF-8 text)", e.Message);
    }

    [Fact]
    public void A_lone_surrogate_in_text_is_read_or_refused_cleanly()
    {
        var text = Seed.Replace("Soong saw", "Soong \uD800saw", StringComparison.Ordinal);
        var result = Hostile.ReadTelegramText(text, "telegram.txt");
        Assert.NotEqual(HostileOutcome.Escaped, result.Outcome);
    }

    [Fact]
    public void A_fifty_megabyte_paragraph_is_refused_as_too_large()
    {
        var paragraph = new StringBuilder(50 << 20).Insert(0, "Soong saw Stalin and Molotov again last night. ", (50 << 20) / 47).ToString();
        var text = Seed.Replace("I am leaving for Berlin with General Deane and Admiral Maples this afternoon.", paragraph, StringComparison.Ordinal);
        var e = Assert.Throws<SourceFormatException>(() => TelegramTextReader.Read(text, "big.txt", Hostile.TelegramVolume, new string('0', 64)));
        Assert.Equal("big.txt:1:1: text too large for a telegram (over 16777216 characters; split the file)", e.Message);
    }

    [Fact]
    public void A_ten_megabyte_paragraph_is_read_whole()
    {
        var paragraph = new StringBuilder(10 << 20).Insert(0, "Soong saw Stalin and Molotov again last night. ", (10 << 20) / 47).ToString().TrimEnd();
        var text = Seed.Replace("I am leaving for Berlin with General Deane and Admiral Maples this afternoon.", paragraph, StringComparison.Ordinal);
        var document = TelegramTextReader.Read(text, "big.txt", Hostile.TelegramVolume, new string('0', 64));
        Assert.Contains(document.Body, b => b is Chancery.Core.Documents.Paragraph p && p.Text.Length == paragraph.Length);
    }

    [Fact]
    public void A_megabyte_line_of_captions_is_read_or_refused_cleanly()
    {
        var captions = string.Concat(Enumerable.Repeat("NIACT NODIS ", 1 << 16)) + "x";
        var text = Seed.Replace("top secret", "top secret\n" + captions, StringComparison.Ordinal);
        var result = Hostile.ReadTelegramText(text, "captions.txt");
        Assert.NotEqual(HostileOutcome.Escaped, result.Outcome);
    }
}
