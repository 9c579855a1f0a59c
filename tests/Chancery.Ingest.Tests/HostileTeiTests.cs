using System.Net;
using System.Net.Sockets;
using System.Text;
using Chancery.Core.Documents;
using Chancery.Ingest.Tei;
using CsCheck;

namespace Chancery.Ingest.Tests;

/// <summary>
/// Hostile TEI: whatever the bytes, the volume reader either reads them or refuses them with one
/// <c>FILE:LINE:COL: problem</c> line; nothing else escapes, nothing outside the file is read, and deep nesting is
/// refused at a limit instead of overflowing the stack. The long run of the same generators is <c>bench -- fuzz</c>.
/// </summary>
public sealed class HostileTeiTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-hostile-tei-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(byte[] bytes, string name = "hostile.xml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string xml, string name = "hostile.xml") => Write(Encoding.UTF8.GetBytes(xml), name);

    private static List<Document> ReadAll(string path)
    {
        using var reader = TeiVolumeReader.Open(path);
        return reader.ReadDocuments().ToList();
    }

    private static SourceFormatException Refused(string path)
    {
        using var reader = TeiVolumeReader.Open(path);
        return Assert.Throws<SourceFormatException>(() => reader.ReadDocuments().ToList());
    }

    // 1-based line and column of text[index], lines ended by \n as in every file written here
    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        return (line, index - text.LastIndexOf('\n', index - 1));
    }

    private static string Volume(string body) => Hostile.Frame(Hostile.PlainRoot, $"<div type=\"document\" xml:id=\"d1\"><head>Head</head>{body}</div>");

    [Fact]
    public void Mutated_corpus_documents_are_read_or_refused_in_one_located_line()
    {
        Hostile.MutatedTei.Sample(c =>
        {
            var bytes = Hostile.Apply(c);
            var result = Hostile.ReadTei(Write(bytes), bytes);
            Assert.True(result.Outcome != HostileOutcome.Escaped, result.Detail);
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Hand_built_attacks_are_read_or_refused_in_one_located_line()
    {
        Hostile.Structural(maxSize: 20_000).Sample(c =>
        {
            var bytes = Hostile.Build(c);
            var result = Hostile.ReadTei(Write(bytes), bytes);
            Assert.True(result.Outcome != HostileOutcome.Escaped, result.Detail);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void A_real_volume_cut_short_anywhere_is_refused_in_one_located_line()
    {
        var whole = File.ReadAllBytes(TeiCorpus.Volume("frus1894Nicaragua"));
        var end = Encoding.UTF8.GetString(whole).LastIndexOf("</TEI>", StringComparison.Ordinal);
        var random = new Random(1894);
        for (var i = 0; i < 12; i++)
        {
            var cut = whole[..random.Next(0, end)];
            var result = Hostile.ReadTei(Write(cut), cut);
            Assert.True(result.Outcome == HostileOutcome.CleanError, $"cut at {cut.Length}: {result.Outcome} {result.Detail}");
        }
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("persName")]
    [InlineData("note")]
    [InlineData("quote")]
    [InlineData("list")]
    [InlineData("table")]
    public void Ten_thousand_nested_elements_are_refused_at_the_first_one_past_the_depth_limit(string element)
    {
        var xml = Volume($"<p>{string.Concat(Enumerable.Repeat($"<{element}>", 10_000))}deep{string.Concat(Enumerable.Repeat($"</{element}>", 10_000))}</p>");
        var path = Write(xml);
        // TEI 0, text 1, body 2, chapter div 3, document div 4, p 5: the 252nd nested element is at depth 257
        var tag = $"<{element}>";
        var at = xml.IndexOf("<p>" + tag, StringComparison.Ordinal) + 3 + (251 * tag.Length);
        var (line, column) = Position(xml, at + 1);
        var e = Refused(path);
        Assert.Equal($"{path}:{line}:{column}: elements nested more than 256 deep (FRUS volumes nest fewer than 20; the file is damaged or not a FRUS volume)", e.Message);
    }

    [Fact]
    public void A_hundred_thousand_nested_document_divs_are_refused_at_the_depth_limit()
    {
        var divs = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            divs.Append("<div type=\"document\" xml:id=\"n").Append(i).Append("\"><p>x</p>");
        }
        divs.Insert(divs.Length, "</div>", 100_000);
        var xml = Hostile.Frame(Hostile.PlainRoot, divs.ToString());
        var path = Write(xml);
        var e = Refused(path);
        Assert.Equal("elements nested more than 256 deep (FRUS volumes nest fewer than 20; the file is damaged or not a FRUS volume)", e.Problem);
    }

    [Fact]
    public void Nesting_just_inside_the_depth_limit_is_read()
    {
        // the innermost hi is at depth 256, the deepest allowed
        var path = Write(Volume($"<p>{string.Concat(Enumerable.Repeat("<hi>", 251))}deep{string.Concat(Enumerable.Repeat("</hi>", 251))}</p>"));
        var document = Assert.Single(ReadAll(path));
        Assert.Equal("deep", Assert.IsType<Paragraph>(Assert.Single(document.Body)).Text);
    }

    [Fact]
    public void Ten_thousand_nested_chapter_divs_without_documents_are_read_without_recursion()
    {
        var chapters = string.Concat(Enumerable.Repeat("<div type=\"chapter\">", 10_000)) + string.Concat(Enumerable.Repeat("</div>", 10_000));
        var path = Write(Hostile.Frame(Hostile.PlainRoot, $"<div type=\"document\" xml:id=\"d1\"><p>x</p></div>{chapters}"));
        using var reader = TeiVolumeReader.Open(path);
        Assert.Single(reader.ReadDocuments());
        // the frame's chapter, the document, the 10,000 nested chapters
        Assert.Equal(10_002, reader.Volume.Contents.Count);
        Assert.Equal(10_000, reader.Volume.Contents[^1].Depth);
    }

    [Fact]
    public void A_document_below_ten_thousand_chapter_divs_is_refused_at_the_depth_limit()
    {
        var path = Write(Hostile.Frame(Hostile.PlainRoot,
            $"{string.Concat(Enumerable.Repeat("<div type=\"chapter\">", 10_000))}<div type=\"document\" xml:id=\"d1\"><p>x</p></div>{string.Concat(Enumerable.Repeat("</div>", 10_000))}"));
        var e = Refused(path);
        Assert.Equal("elements nested more than 256 deep (FRUS volumes nest fewer than 20; the file is damaged or not a FRUS volume)", e.Problem);
    }

    [Fact]
    public void A_title_nested_two_thousand_deep_in_the_header_is_read()
    {
        var xml = Hostile.Frame(Hostile.PlainRoot, "<div type=\"document\" xml:id=\"d1\"><p>x</p></div>")
            .Replace("Hostile Seed Volume", $"{string.Concat(Enumerable.Repeat("<hi>", 2000))}Deep Title{string.Concat(Enumerable.Repeat("</hi>", 2000))}", StringComparison.Ordinal);
        using var reader = TeiVolumeReader.Open(Write(xml));
        Assert.Single(reader.ReadDocuments());
        Assert.Equal("Deep Title", reader.Volume.Title);
    }

    [Fact]
    public void A_ten_megabyte_attribute_is_read_and_ignored()
    {
        var path = Write(Volume($"<p>before <hi rend=\"{new string('x', 10 << 20)}\">styled</hi> after</p>"));
        var document = Assert.Single(ReadAll(path));
        Assert.Equal("before styled after", Assert.IsType<Paragraph>(Assert.Single(document.Body)).Text);
    }

    [Fact]
    public void A_megabyte_reference_target_gives_one_reference()
    {
        var targets = string.Concat(Enumerable.Repeat("#d1 ", (1 << 20) / 4));
        var document = Assert.Single(ReadAll(Write(Volume($"<p>see <ref target=\"{targets}\">this</ref></p>"))));
        Assert.Equal("frus-hostile#d1", Assert.Single(document.References).Target);
    }

    [Fact]
    public void A_ten_megabyte_text_node_is_read_whole()
    {
        var document = Assert.Single(ReadAll(Write(Volume($"<p>{new string('y', 10 << 20)}</p>"))));
        Assert.Equal(10 << 20, Assert.IsType<Paragraph>(Assert.Single(document.Body)).Text.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "0xFF")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "0xC0")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "0xC3")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "0xED")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "0xF4")]
    [InlineData(new byte[] { 0xE2, 0x82 }, "0xE2")]
    public void Invalid_utf8_is_refused_at_the_bad_byte(byte[] bad, string shown)
    {
        var xml = Volume("<p>before\n  Молотов AFTER</p>");
        var bytes = Encoding.UTF8.GetBytes(xml);
        var after = xml.IndexOf("AFTER", StringComparison.Ordinal);
        var at = Encoding.UTF8.GetByteCount(xml[..after]);
        var path = Write([.. bytes[..at], .. bad, .. bytes[at..]]);
        var (line, column) = Position(xml, after);
        var e = Refused(path);
        Assert.Equal($"{path}:{line}:{column}: invalid UTF-8 byte {shown} (save the file as UTF-8 text)", e.Message);
    }

    [Fact]
    public void A_control_character_in_the_markup_is_refused_in_one_printable_line()
    {
        var xml = Volume("<p>bell \u0007 and escape \u001b[31m</p>");
        var path = Write(xml);
        var e = Refused(path);
        var (line, column) = Position(xml, xml.IndexOf('\u0007', StringComparison.Ordinal));
        Assert.Equal($"{path}:{line}:{column}: malformed XML: '?', hexadecimal value 0x07, is an invalid character (fix the markup at this point; a volume must be well-formed XML)", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Every_doctype_is_refused_at_its_start(int variant)
    {
        var xml = $"<?xml version=\"1.0\"?>\n{Hostile.Doctype(variant, 100_000)}\n{Volume("<p>&xxe;</p>")[(Volume("").IndexOf('\n', StringComparison.Ordinal) + 1)..]}";
        var path = Write(xml);
        var e = Refused(path);
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Equal("DOCTYPE declarations are not allowed (they can pull in outside files or expand entities); remove the DOCTYPE", e.Problem);
    }

    [Fact]
    public void An_outside_dtd_or_entity_is_never_fetched()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var body = Volume("<p>&remote;</p>")[(Volume("").IndexOf('\n', StringComparison.Ordinal) + 1)..];
            foreach (var doctype in new[]
            {
                $"<!DOCTYPE TEI SYSTEM \"http://127.0.0.1:{port}/tei.dtd\">",
                $"<!DOCTYPE TEI [<!ENTITY remote SYSTEM \"http://127.0.0.1:{port}/entity\">]>",
                $"<!DOCTYPE TEI [<!ENTITY % p SYSTEM \"http://127.0.0.1:{port}/p.dtd\"> %p;]>",
            })
            {
                Assert.Throws<SourceFormatException>(() => ReadAll(Write($"<?xml version=\"1.0\"?>\n{doctype}\n{body}")));
            }
            Assert.False(listener.Pending());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void An_xinclude_of_a_local_file_is_not_followed()
    {
        var path = Write(Volume("<p>before <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>after</p>"));
        var document = Assert.Single(ReadAll(path));
        Assert.Equal("before after", Assert.IsType<Paragraph>(Assert.Single(document.Body)).Text);
    }

    [Fact]
    public void An_undeclared_entity_is_refused_where_it_is_used()
    {
        var xml = Volume("<p>secret: &passwd;</p>");
        var path = Write(xml);
        var e = Refused(path);
        var (line, column) = Position(xml, xml.IndexOf("&passwd;", StringComparison.Ordinal) + 1);
        Assert.Equal($"{path}:{line}:{column}: Reference to undeclared entity 'passwd' (only the five XML entities exist without a DTD; write the character itself or a numeric reference such as &#160;)", e.Message);
    }
}
