namespace Chancery.Core.People;

/// <summary>
/// A U.S. official as the Office of the Historian's "Principal Officers and Chiefs of Mission" (POCOM) lists them,
/// with every post held. <see cref="Id"/> is POCOM's person id (<c>harriman-william-averell</c>).
/// </summary>
/// <param name="Id">POCOM's person id.</param>
/// <param name="Surname">The surname as POCOM spells it.</param>
/// <param name="Forenames">The forenames, possibly empty.</param>
/// <param name="AltNames">Other forms POCOM records ("W. Averell Harriman").</param>
/// <param name="Birth">Year of birth when known.</param>
/// <param name="Death">Year of death when known.</param>
/// <param name="Posts">The posts held, earliest first.</param>
public sealed record Official(
    string Id,
    string Surname,
    string Forenames,
    IReadOnlyList<string> AltNames,
    string? Birth,
    string? Death,
    IReadOnlyList<OfficialPost> Posts)
{
    /// <summary>The name in direct order: "William Averell Harriman".</summary>
    public string Name => Forenames.Length == 0 ? Surname : Forenames + " " + Surname;
}

/// <summary>
/// One post: a chief of mission in a country or at an organisation, or a principal officer of the Department.
/// Dates are ISO (<c>1943-10-23</c>) as POCOM gives them.
/// </summary>
/// <param name="Id">POCOM's id of the appointment (<c>ru-1943-harr-01</c>).</param>
/// <param name="Title">The full title ("Ambassador Extraordinary and Plenipotentiary").</param>
/// <param name="ShortTitle">The title as a reader says it ("Ambassador").</param>
/// <param name="Where">The country or organisation in words of the time ("the Soviet Union"); null for posts in Washington.</param>
/// <param name="TerritoryId">POCOM's territory or organisation id (<c>russia</c>); null for principal officers.</param>
/// <param name="Appointed">Date of appointment.</param>
/// <param name="Started">Date the post was taken up (presentation of credentials, entry on duty).</param>
/// <param name="Ended">Date the post was left.</param>
/// <param name="Note">POCOM's note, e.g. "Commissioned to the Union of Soviet Socialist Republics."</param>
public sealed record OfficialPost(
    string Id,
    string Title,
    string ShortTitle,
    string? Where,
    string? TerritoryId,
    string? Appointed,
    string? Started,
    string? Ended,
    string? Note)
{
    /// <summary>Years in post: "1943–1946", "1961", "1977–" when still open.</summary>
    public string Years
    {
        get
        {
            var from = Year(Started) ?? Year(Appointed);
            var to = Year(Ended);
            return (from, to) switch
            {
                (null, null) => "dates unknown",
                (null, _) => "–" + to,
                (_, null) => from + "–",
                _ when from == to => from!,
                _ => from + "–" + to,
            };
        }
    }

    /// <summary>One line for a reader: "Ambassador to the Soviet Union (1943–1946)".</summary>
    public string Summary => (Where is null ? ShortTitle : ShortTitle + " to " + Where) + " (" + Years + ")";

    private static string? Year(string? date) => date is { Length: >= 4 } ? date[..4] : null;
}
