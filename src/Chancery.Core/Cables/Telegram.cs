using System.Text.Json.Serialization;
using Chancery.Core.Access;

namespace Chancery.Core.Cables;

/// <summary>
/// A sent telegram, stored once and never changed: its number, date-time group, channel, recipients, marking,
/// text, and who drafted, cleared, released and transmitted it. <see cref="MessageId"/> is its identity for
/// transport (receipt is idempotent by message id); <see cref="Number"/> is how people cite it.
/// </summary>
public sealed record Telegram
{
    public required string MessageId { get; init; }
    public required CableNumber Number { get; init; }
    public required string FromPost { get; init; }
    /// <summary>The originating post as printed ("Embassy Moscow").</summary>
    public required string FromName { get; init; }
    /// <summary>The dateline place ("Moscow").</summary>
    public required string Place { get; init; }
    /// <summary>Every recipient after list expansion, action addressees first.</summary>
    public required IReadOnlyList<Recipient> Recipients { get; init; }
    public required ClassificationLevel Classification { get; init; }
    public IReadOnlyList<string> Captions { get; init; } = [];
    public IReadOnlyList<string> PersonalFor { get; init; } = [];
    /// <summary>The captions as printed ("Personal for the President and the Secretary of State").</summary>
    public IReadOnlyList<string> PrintedCaptions { get; init; } = [];
    public required Precedence Precedence { get; init; }
    public required string Subject { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? SubjectCode { get; init; }
    /// <summary>The decimal file number it is filed under ("761.93/7–1345"), when it has a subject code.</summary>
    public string? FileNumber { get; init; }
    public IReadOnlyList<CableNumber> References { get; init; } = [];
    public required IReadOnlyList<string> Body { get; init; }
    public string? Signature { get; init; }
    /// <summary>When it was sent, in the originating post's clock.</summary>
    public required DateTimeOffset Sent { get; init; }
    /// <summary>The date-time group ("131000Z JUL 45").</summary>
    public required string DateTimeGroup { get; init; }
    public required ChannelRoute Route { get; init; }
    public required string Drafter { get; init; }
    public IReadOnlyList<DraftClearance> Clearances { get; init; } = [];
    public required string Approver { get; init; }
    /// <summary>The communications clerk (or approver) who transmitted it.</summary>
    public required string TransmittedBy { get; init; }
    public required long DraftId { get; init; }
    public CableNumber? InReplyTo { get; init; }
    /// <summary>The archive document it is filed as: <c>cables1945#moscow-120015</c>.</summary>
    public required string DocumentId { get; init; }

    /// <summary>The access marking: classification and captions.</summary>
    [JsonIgnore]
    public Marking Marking => CableCaptions.MarkingOf(Classification, Captions);

    /// <summary>The action addressees as printed, joined ("the President and the Secretary of State").</summary>
    [JsonIgnore]
    public string ActionLine => CableCaptions.JoinTitles(Recipients.Where(r => r.Action).Select(r => r.Display).Distinct().ToList());
}

/// <summary>A telegram received at a post: when it arrived, in the post's clock, and the note FRUS would print.</summary>
public sealed record Receipt(string Post, DateTimeOffset Received, string Note);

/// <summary>A telegram as a reader may see it, with its receipts at the posts it went to.</summary>
public sealed record TelegramView(Telegram Telegram, IReadOnlyList<Receipt> Receipts);

/// <summary>Which box of a reader's telegrams a line belongs to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CableBox>))]
public enum CableBox
{
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("sent")] Sent,
}

/// <summary>A line of an inbox (or sent box): enough to list it without opening it.</summary>
public sealed record InboxEntry(
    CableNumber Number,
    string MessageId,
    Precedence Precedence,
    ClassificationLevel Classification,
    IReadOnlyList<string> Captions,
    string From,
    string Subject,
    DateTimeOffset Sent,
    DateTimeOffset? Received,
    CableBox Box);

/// <summary>A telegram in a thread: its number, sender, subject, time and the numbers it cites.</summary>
public sealed record CableThreadEntry(CableNumber Number, string From, string Subject, DateTimeOffset Sent, IReadOnlyList<CableNumber> Cites);

/// <summary>A search a user keeps: new telegrams they may read that match it raise a notification.</summary>
public sealed record SavedSearch(long Id, string User, string Name, string Query, DateTimeOffset Created);

/// <summary>A new telegram that matched one of the user's saved searches.</summary>
public sealed record CableNotification(long Id, string Search, CableNumber Number, string Subject, Precedence Precedence, DateTimeOffset At, bool Seen);
