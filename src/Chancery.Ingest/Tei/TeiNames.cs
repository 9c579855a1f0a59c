using System.Xml;

namespace Chancery.Ingest.Tei;

/// <summary>
/// Element and attribute names atomised in the reader's name table, so the hot loop compares names by reference
/// instead of by characters. Namespaces are ignored on purpose: FRUS files disagree on the <c>frus:</c> namespace URI.
/// </summary>
internal sealed class TeiNames
{
    public const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    public const string TeiNamespace = "http://www.tei-c.org/ns/1.0";

    public TeiNames(XmlNameTable table)
    {
        string A(string s) => table.Add(s);
        Tei = A("TEI");
        TeiHeader = A("teiHeader");
        Div = A("div");
        Head = A("head");
        P = A("p");
        Pb = A("pb");
        Lb = A("lb");
        Note = A("note");
        PersName = A("persName");
        Gloss = A("gloss");
        Ref = A("ref");
        Hi = A("hi");
        Dateline = A("dateline");
        Date = A("date");
        Time = A("time");
        PlaceName = A("placeName");
        Opener = A("opener");
        Closer = A("closer");
        Signed = A("signed");
        Salute = A("salute");
        Seg = A("seg");
        Quote = A("quote");
        List = A("list");
        Item = A("item");
        Label = A("label");
        Table = A("table");
        Row = A("row");
        Cell = A("cell");
        Attachment = A("attachment");
        Postscript = A("postscript");
        Figure = A("figure");
        Graphic = A("graphic");
        Gap = A("gap");
        Classification = A("classification");
        UhOh = A("uh-oh");
        Problem = A("problem");
        File = A("file");
        Pdf = A("pdf");
        PageCount = A("page-count-according-to-citation");
    }

    public string Tei { get; }
    public string TeiHeader { get; }
    public string Div { get; }
    public string Head { get; }
    public string P { get; }
    public string Pb { get; }
    public string Lb { get; }
    public string Note { get; }
    public string PersName { get; }
    public string Gloss { get; }
    public string Ref { get; }
    public string Hi { get; }
    public string Dateline { get; }
    public string Date { get; }
    public string Time { get; }
    public string PlaceName { get; }
    public string Opener { get; }
    public string Closer { get; }
    public string Signed { get; }
    public string Salute { get; }
    public string Seg { get; }
    public string Quote { get; }
    public string List { get; }
    public string Item { get; }
    public string Label { get; }
    public string Table { get; }
    public string Row { get; }
    public string Cell { get; }
    public string Attachment { get; }
    public string Postscript { get; }
    public string Figure { get; }
    public string Graphic { get; }
    public string Gap { get; }
    public string Classification { get; }
    public string UhOh { get; }
    public string Problem { get; }
    public string File { get; }
    public string Pdf { get; }
    public string PageCount { get; }

    /// <summary>Encoders' workflow notes and facsimile bookkeeping: never printed, so never read.</summary>
    public bool IsUnprinted(string name) =>
        ReferenceEquals(name, UhOh) || ReferenceEquals(name, Problem) || ReferenceEquals(name, File)
        || ReferenceEquals(name, Pdf) || ReferenceEquals(name, PageCount) || ReferenceEquals(name, Gap)
        || ReferenceEquals(name, Graphic);
}
