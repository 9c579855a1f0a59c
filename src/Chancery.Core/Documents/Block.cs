using System.Text.Json.Serialization;

namespace Chancery.Core.Documents;

/// <summary>One element of a document's body, in reading order.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Paragraph), "paragraph")]
[JsonDerivedType(typeof(PageBreak), "pageBreak")]
[JsonDerivedType(typeof(ExcisionBlock), "excision")]
public abstract record Block;

/// <summary>
/// A paragraph (or a block quote, list item, table row, closing line: <see cref="Style"/> says which).
/// Its <see cref="Text"/> is the plain text; <see cref="Content"/> keeps every mark in place.
/// <see cref="Excised"/> marks a paragraph a review withheld, shown only to readers cleared for the original.
/// </summary>
public sealed record Paragraph(IReadOnlyList<Inline> Content, string? Style = null, bool Excised = false) : Block
{
    /// <summary>The plain text with white space folded.</summary>
    public string Text => Inlines.ToPlainText(Content);
}

/// <summary>A page break between blocks: the printed page <see cref="Page"/> starts here.</summary>
public sealed record PageBreak(string Page) : Block;

/// <summary>A whole block withheld, printed only as its marker.</summary>
public sealed record ExcisionBlock(Excision Excision) : Block
{
    public string Text => Excision.Text;
}

/// <summary>A numbered note, with the text it carries (which may itself hold references and excisions).</summary>
public sealed record Footnote(string N, IReadOnlyList<Inline> Content)
{
    public string Text => Inlines.ToPlainText(Content);
}

/// <summary>What a <see cref="Reference"/> points at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReferenceKind>))]
public enum ReferenceKind
{
    [JsonStringEnumMemberName("document")] Document,
    [JsonStringEnumMemberName("telegram")] Telegram,
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("page")] Page,
    [JsonStringEnumMemberName("volume")] Volume,
    [JsonStringEnumMemberName("footnote")] Footnote,
    [JsonStringEnumMemberName("external")] External,
}

/// <summary>
/// A reference the source makes: an explicit target (<c>frus1945Berlinv01#d577</c>), a telegram number (<c>120015</c>),
/// a page (<c>frus1947v03#pg_179</c>) or a volume. <see cref="Text"/> is the evidence as printed;
/// <see cref="Where"/> says where it stands ("body", "footnote 2", "source note").
/// </summary>
public sealed record Reference(ReferenceKind Kind, string Target, string Text, string Where, string? Date = null);

/// <summary>A person named in a document (the volume's persons-list id where the source gives one).</summary>
public sealed record PersonRef(string? Id, string Name);
