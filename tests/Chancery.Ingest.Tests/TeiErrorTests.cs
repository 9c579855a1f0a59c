using Chancery.Ingest.Tei;

namespace Chancery.Ingest.Tests;

/// <summary>Bad volumes are refused with one line naming file, line, column and what to do; nothing else happens.</summary>
public sealed class TeiErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chancery-tei-errors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string xml, string name = "bad.xml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, xml);
        return path;
    }

    private static SourceFormatException Read(string path)
    {
        using var reader = TeiVolumeReader.Open(path);
        return Assert.Throws<SourceFormatException>(() => reader.ReadDocuments().ToList());
    }

    [Fact]
    public void Malformed_xml_is_reported_at_its_line_and_column()
    {
        var path = Write("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<text><body>\n<div type=\"document\" xml:id=\"d1\"><p>x</div>\n</body></text></TEI>");
        var e = Read(path);
        Assert.Equal(path, e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal(40, e.Column);
        Assert.Equal($"{path}:3:40: malformed XML: The 'p' start tag on line 3 position 35 does not match the end tag of 'div' (fix the markup at this point; a volume must be well-formed XML)", e.ToString());
    }

    [Fact]
    public void A_doctype_is_refused_before_any_entity_is_expanded()
    {
        // the "billion laughs": ten levels of ten-fold expansion
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var path = Write($"<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [\n<!ENTITY lol0 \"lol\">\n{entities}\n]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><div type=\"document\" xml:id=\"d1\"><p>&lol9;</p></div></body></text></TEI>");
        var e = Read(path);
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Equal("DOCTYPE declarations are not allowed (they can pull in outside files or expand entities); remove the DOCTYPE", e.Problem);
    }

    [Fact]
    public void An_external_entity_is_never_fetched()
    {
        var secret = Write("top secret contents", "outside.txt");
        var path = Write($"<!DOCTYPE TEI [<!ENTITY x SYSTEM \"file://{secret}\">]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><div type=\"document\" xml:id=\"d1\"><p>&x;</p></div></body></text></TEI>");
        var e = Read(path);
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.StartsWith("DOCTYPE declarations are not allowed", e.Problem);
        Assert.DoesNotContain("top secret contents", e.Message);
    }

    [Fact]
    public void A_file_whose_root_is_not_tei_is_refused()
    {
        var path = Write("<?xml version=\"1.0\"?>\n<html><body/></html>");
        var e = Read(path);
        Assert.Equal($"{path}:2:2: not a TEI volume: the root element is <html> (a FRUS volume starts with <TEI xmlns=\"http://www.tei-c.org/ns/1.0\">)", e.ToString());
    }

    [Fact]
    public void An_undeclared_entity_says_how_to_write_the_character()
    {
        var path = Write("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><div type=\"document\" xml:id=\"d1\"><p>a&nbsp;b</p></div></body></text></TEI>");
        var e = Read(path);
        Assert.Equal((1, 92), (e.Line, e.Column));
        Assert.Equal("Reference to undeclared entity 'nbsp' (only the five XML entities exist without a DTD; write the character itself or a numeric reference such as &#160;)", e.Problem);
    }

    [Fact]
    public void A_document_div_without_an_id_is_refused()
    {
        var path = Write("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n  <div type=\"document\" n=\"1\"><p>x</p></div></body></text></TEI>");
        var e = Read(path);
        Assert.Equal($"{path}:2:4: a document div has no xml:id (give every <div type=\"document\"> a unique xml:id such as d1)", e.ToString());
    }

    [Fact]
    public void Two_documents_with_one_id_are_refused()
    {
        var path = Write("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n<div type=\"document\" xml:id=\"d1\"><p>x</p></div>\n<div type=\"document\" xml:id=\"d1\"><p>y</p></div></body></text></TEI>");
        var e = Read(path);
        Assert.Equal($"{path}:3:2: duplicate document id d1 (first used at line 2; every document div needs its own xml:id)", e.ToString());
    }

    [Fact]
    public void An_empty_file_is_reported_not_thrown_as_a_stack_trace()
    {
        var path = Write("");
        var e = Read(path);
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.StartsWith("malformed XML: Root element is missing", e.Problem);
    }
}
