using System.Text.Json.Serialization;
using Chancery.Core.Access;

namespace Chancery.Core.Cables;

/// <summary>
/// What a drafter writes: from-post, addressees, marking, precedence, subject and file code, references and body.
/// Clearances name the offices that must clear before an approver may release it.
/// </summary>
public sealed record DraftContent
{
    /// <summary>The originating post's id.</summary>
    public required string FromPost { get; init; }
    public IReadOnlyList<Addressee> Action { get; init; } = [];
    public IReadOnlyList<Addressee> Info { get; init; } = [];
    public ClassificationLevel Classification { get; init; } = ClassificationLevel.Unclassified;
    /// <summary>Handling captions in control form: NODIS, EXDIS, PERSONAL-FOR, …</summary>
    public IReadOnlyList<string> Captions { get; init; } = [];
    /// <summary>The named principals (user names) a PERSONAL-FOR or NODIS telegram is for.</summary>
    public IReadOnlyList<string> PersonalFor { get; init; } = [];
    public Precedence Precedence { get; init; } = Precedence.Routine;
    public string Subject { get; init; } = "";
    /// <summary>TAGS (PREL, PINT, …), the subject tags of later traffic.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The decimal subject code the telegram is filed under ("761.93").</summary>
    public string? SubjectCode { get; init; }
    /// <summary>Earlier telegrams cited ("REF: MOSCOW 120015").</summary>
    public IReadOnlyList<CableNumber> References { get; init; } = [];
    /// <summary>The text, one string per paragraph.</summary>
    public IReadOnlyList<string> Body { get; init; } = [];
    /// <summary>The signature line ("Harriman").</summary>
    public string? Signature { get; init; }
    /// <summary>Offices that must clear the draft ("POL", "EUR").</summary>
    public IReadOnlyList<string> RequiredClearances { get; init; } = [];
    /// <summary>The channel the drafter asks for; the post's State route when null.</summary>
    public CableChannel? Channel { get; init; }
    /// <summary>The telegram this one answers, when it was drafted as a reply.</summary>
    public CableNumber? InReplyTo { get; init; }

    /// <summary>The access marking: classification and captions.</summary>
    [JsonIgnore]
    public Marking Marking => CableCaptions.MarkingOf(Classification, Captions);
}

/// <summary>Where a draft stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DraftStatus>))]
public enum DraftStatus
{
    /// <summary>Being written and cleared.</summary>
    [JsonStringEnumMemberName("draft")] Draft,
    /// <summary>Released by an approver, waiting for the communications clerk.</summary>
    [JsonStringEnumMemberName("released")] Released,
    /// <summary>Transmitted: it is now a numbered telegram.</summary>
    [JsonStringEnumMemberName("sent")] Sent,
}

/// <summary>A required clearance: the office, and who cleared it and when (null until cleared).</summary>
public sealed record DraftClearance(string Office, string? ClearedBy = null, DateTimeOffset? Cleared = null, string? Comment = null);

/// <summary>A draft as stored: its content, drafter, clearances, release and, once sent, its number.</summary>
public sealed record CableDraft(
    long Id,
    DraftContent Content,
    string Drafter,
    DraftStatus Status,
    IReadOnlyList<DraftClearance> Clearances,
    DateTimeOffset Created,
    string? ReleasedBy = null,
    DateTimeOffset? Released = null,
    CableNumber? SentAs = null)
{
    /// <summary>True when every required office has cleared.</summary>
    [JsonIgnore]
    public bool FullyCleared => Clearances.All(c => c.ClearedBy is not null);
}
