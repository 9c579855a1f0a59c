using System.Text.Json.Serialization;

namespace Chancery.Core.Documents;

/// <summary>A run of a paragraph, footnote, head or dateline: text, or a mark the edition prints inside text.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TextRun), "text")]
[JsonDerivedType(typeof(FootnoteMark), "footnoteMark")]
[JsonDerivedType(typeof(PageBreakMark), "pageBreak")]
[JsonDerivedType(typeof(EditorialMark), "editorial")]
[JsonDerivedType(typeof(ExcisionMark), "excision")]
[JsonDerivedType(typeof(PersonMention), "person")]
[JsonDerivedType(typeof(TermMention), "term")]
[JsonDerivedType(typeof(ReferenceMark), "ref")]
[JsonDerivedType(typeof(LineBreak), "lineBreak")]
[JsonDerivedType(typeof(ExcisedText), "excised")]
public abstract record Inline
{
    /// <summary>The characters this run contributes to the plain text of its block.</summary>
    public abstract string PlainText { get; }
}

/// <summary>Plain text as printed.</summary>
public sealed record TextRun(string Text) : Inline
{
    public override string PlainText => Text;
}

/// <summary>Where footnote <see cref="N"/> is anchored; it prints nothing in the text itself.</summary>
public sealed record FootnoteMark(string N) : Inline
{
    public override string PlainText => "";
}

/// <summary>A page break inside a block (the printed page <see cref="Page"/> begins here).</summary>
public sealed record PageBreakMark(string Page) : Inline
{
    public override string PlainText => " ";
}

/// <summary>An editor's insertion such as <c>[be?]</c> or <c>[.]</c>, kept as printed.</summary>
public sealed record EditorialMark(string Text) : Inline
{
    public override string PlainText => Text;
}

/// <summary>Text withheld from the edition, printed as a bracketed marker.</summary>
public sealed record ExcisionMark(Excision Excision) : Inline
{
    public override string PlainText => Excision.Text;
}

/// <summary>A person named in the text, linked to the volume's persons list when the source says so.</summary>
public sealed record PersonMention(string Text, string? PersonId) : Inline
{
    public override string PlainText => Text;
}

/// <summary>A term or abbreviation, linked to the volume's terms list.</summary>
public sealed record TermMention(string Text, string? TermId) : Inline
{
    public override string PlainText => Text;
}

/// <summary>An explicit cross-reference in the source (TEI <c>ref/@target</c>).</summary>
public sealed record ReferenceMark(string Text, string Target) : Inline
{
    public override string PlainText => Text;
}

/// <summary>A forced line break (TEI <c>lb</c>).</summary>
public sealed record LineBreak : Inline
{
    public override string PlainText => " ";
}

/// <summary>Helpers over runs of inlines.</summary>
public static class Inlines
{
    /// <summary>The plain text of runs, with white space folded to single spaces and trimmed.</summary>
    public static string ToPlainText(IEnumerable<Inline> runs)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var run in runs)
        {
            sb.Append(run.PlainText);
        }
        return PlainText.Fold(sb.ToString());
    }
}

/// <summary>
/// Text a declassification review cut. Only readers cleared for the original ever receive it; they see it marked.
/// </summary>
public sealed record ExcisedText(string Text) : Inline
{
    public override string PlainText => Text;
}
