using System.Globalization;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Core.Dates;
using Chancery.Core.Documents;

namespace Chancery.Archive.Cables;

/// <summary>
/// Turns a sent telegram into the archive document it is filed as: volume <c>cables{year}</c>, id
/// <c>cables1945#moscow-120015</c>, type Telegram, withheld until a review releases it.
/// </summary>
public static class CableFiling
{
    /// <summary>Paragraph styles of the telegram's heading lines in the filed document.</summary>
    public const string ReceivedStyle = "received";
    public const string SubjectStyle = "subject";
    public const string ReferenceStyle = "reference";

    /// <summary>The per-year volume telegrams sent in <paramref name="year"/> are filed in: <c>cables1945</c>.</summary>
    public static string VolumeId(int year) => "cables" + year.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>cables1945#moscow-120015</c>: the year the telegram was sent (post clock), the post id and the serial.</summary>
    public static string DocumentId(string postId, long serial, int year) =>
        DocumentIds.Make(VolumeId(year), postId + "-" + serial.ToString(CultureInfo.InvariantCulture));

    /// <summary>The volume row a filing batch writes (contents are rebuilt from what is stored).</summary>
    public static Volume VolumeFor(int year, string batchSha256, long bytes) => new()
    {
        Id = VolumeId(year),
        Title = "Telegrams of the cable office, " + year.ToString(CultureInfo.InvariantCulture),
        Series = "Cable office",
        SourceKind = "telegram",
        SourceSha256 = batchSha256,
        SourceBytes = bytes,
    };

    /// <summary>
    /// The filed document. <paramref name="received"/> is the note for the first action addressee's receipt
    /// ("[Received 9 p.m.]"), printed first as FRUS does; <paramref name="citedDocuments"/> maps cited numbers to the
    /// documents they were filed as, so references are exact.
    /// </summary>
    public static Document ToDocument(Telegram t, string sha256, string? received, IReadOnlyDictionary<CableNumber, string> citedDocuments)
    {
        var body = new List<Block>();
        if (received is not null)
        {
            body.Add(new Paragraph([new TextRun(received)], ReceivedStyle));
        }
        if (t.Subject.Length > 0)
        {
            body.Add(new Paragraph([new TextRun("SUBJECT: " + t.Subject)], SubjectStyle));
        }
        if (t.References.Count > 0)
        {
            body.Add(new Paragraph([new TextRun("REF: " + string.Join(", ", t.References))], ReferenceStyle));
        }
        body.AddRange(t.Body.Select(p => (Block)new Paragraph([new TextRun(p)])));

        var references = new List<Reference>();
        foreach (var r in t.References)
        {
            references.Add(new Reference(ReferenceKind.Telegram, r.Serial.ToString(CultureInfo.InvariantCulture), r.ToString(), "reference"));
            if (citedDocuments.TryGetValue(r, out var id))
            {
                references.Add(new Reference(ReferenceKind.Document, id, r.ToString(), "reference"));
            }
        }

        var title = t.Subject.Length > 0 ? $"{t.Number}: {t.Subject}" : t.Number.ToString();
        var minute = t.Sent.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var zone = t.Sent.ToString("zzz", CultureInfo.InvariantCulture);
        return new Document
        {
            Id = t.DocumentId,
            Volume = t.DocumentId[..t.DocumentId.IndexOf('#')],
            Type = "Telegram",
            Title = title,
            Head = [new TextRun(title), new FootnoteMark("1")],
            From = t.FromName,
            To = t.ActionLine,
            Date = new DocumentDate(minute, minute, DatePrecision.Minute, DateSource.Sent, zone),
            Place = t.Place,
            FileNumbers = t.FileNumber is null ? [] : [t.FileNumber],
            Classification = Markings.Printed(t.Classification),
            Captions = t.PrintedCaptions,
            Channel = t.Route.ChannelName,
            Body = body,
            Footnotes = [new Footnote("1", [new TextRun(t.Route.SentBy)])],
            References = references,
            Signed = t.Signature,
            TelegramNumber = t.Number.Serial.ToString(CultureInfo.InvariantCulture),
            SourceSha256 = sha256,
            Marking = t.Marking,
            Release = ReleaseState.Withheld,
        };
    }
}
