using Chancery.Core.People;

namespace Chancery.Archive;

/// <summary>An editor's decision on the person index as kept: merge or split, of which entries, by whom, when and why.</summary>
/// <param name="Action"><c>merge</c> or <c>split</c>.</param>
/// <param name="A">For a merge the first persons-list entry; for a split the entry split off.</param>
/// <param name="B">For a merge the second entry; for a split the index person it is split from.</param>
/// <param name="Editor">Who decided.</param>
/// <param name="Time">When, as the audit trail writes times.</param>
/// <param name="Reason">Why.</param>
public sealed record PersonDecisionRecord(string Action, string A, string B, string Editor, string Time, string Reason);

/// <summary>
/// What of links and people an archive copy has to carry from one backend to another: the officials and the editors'
/// merge and split decisions. The link graph and the person index are derived from these and the documents, so the
/// destination rebuilds the same ones on its first read.
/// </summary>
public interface ILinkTransfer
{
    /// <summary>The officials (POCOM data) the person index links to, by id.</summary>
    IReadOnlyList<Official> ListOfficials();

    /// <summary>The editors' decisions in the order they were made.</summary>
    IReadOnlyList<PersonDecisionRecord> ListPersonDecisions();

    /// <summary>
    /// Replaces the decisions with <paramref name="decisions"/>, in order, as they were made elsewhere: no audit line
    /// is written (the copied audit trail holds the original ones); the next read rebuilds the index with them.
    /// </summary>
    void ReplacePersonDecisions(IReadOnlyList<PersonDecisionRecord> decisions);
}
