using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Cables;

/// <summary>A member of a post as distribution sees them: the user, their role there and who they are.</summary>
public sealed record PostReader(string User, CableRole Role, ReaderIdentity Identity);

/// <summary>
/// Who sees a telegram. The rules are pure (no storage) so they are tested on their own and applied the same way
/// at the sending and at every receiving post.
/// </summary>
public static class CableDistribution
{
    /// <summary>
    /// True when the reader is cleared for the marking: clearance at least the level and every control held,
    /// except the named-principal captions (PERSONAL-FOR, NODIS, …) where the names, not a control, decide.
    /// </summary>
    public static bool ClearedFor(ReaderIdentity reader, Marking marking)
    {
        if (reader.IsPublic)
        {
            return false;
        }
        if (reader.Controls.Contains("*"))
        {
            return true;
        }
        return reader.Clearance >= marking.Level
            && marking.Controls.Where(c => !CableCaptions.NamedPrincipalCaptions.Contains(c)).All(reader.Controls.Contains);
    }

    /// <summary>
    /// The named principals of a telegram whose captions restrict it to names: its PERSONAL-FOR list, else its
    /// individual addressees; empty when it names nobody (a NODIS telegram to a post goes to that post's principals).
    /// </summary>
    public static IReadOnlyList<string> NamedPrincipals(IReadOnlyList<string> personalFor, IEnumerable<Recipient> recipients) =>
        personalFor.Count > 0
            ? personalFor
            : recipients.Where(r => r.Addressee.Kind == AddresseeKind.Individual).Select(r => r.Addressee.Target).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The users at a receiving post who see a telegram. Without a named-principal caption: every member cleared
    /// for the marking. With one: only the named principals serving at this post (or, when the telegram names
    /// nobody, the post's principals) and the users they designated, each cleared for the level; everyone else at
    /// the post does not learn that it exists.
    /// </summary>
    /// <param name="marking">The telegram's marking.</param>
    /// <param name="named">Its named principals (<see cref="NamedPrincipals"/>).</param>
    /// <param name="members">The members of the receiving post.</param>
    /// <param name="designees">Who each principal designated, with their identities.</param>
    public static IReadOnlyList<string> ReadersAtPost(
        Marking marking,
        IReadOnlyList<string> named,
        IReadOnlyList<PostReader> members,
        IReadOnlyDictionary<string, IReadOnlyList<ReaderIdentity>> designees)
    {
        var readers = new List<string>();
        void Add(ReaderIdentity r)
        {
            if (!readers.Contains(r.Name) && ClearedFor(r, marking))
            {
                readers.Add(r.Name);
            }
        }
        if (!marking.Controls.Any(CableCaptions.NamedPrincipalCaptions.Contains))
        {
            foreach (var m in members)
            {
                Add(m.Identity);
            }
            return readers;
        }
        var principals = named.Count > 0
            ? members.Where(m => named.Contains(m.User, StringComparer.Ordinal)).ToList()
            : members.Where(m => m.Role == CableRole.Principal).ToList();
        foreach (var p in principals)
        {
            Add(p.Identity);
            if (designees.TryGetValue(p.User, out var ds))
            {
                foreach (var d in ds)
                {
                    Add(d);
                }
            }
        }
        return readers;
    }

    /// <summary>
    /// The users at the sending post who see a telegram: those who drafted, cleared, released and transmitted it,
    /// and, without a named-principal caption, every member of the post cleared for the marking.
    /// </summary>
    public static IReadOnlyList<string> ReadersAtSender(Telegram telegram, IReadOnlyList<PostReader> members)
    {
        var readers = new List<string>();
        void Add(string user)
        {
            if (!readers.Contains(user))
            {
                readers.Add(user);
            }
        }
        Add(telegram.Drafter);
        foreach (var c in telegram.Clearances)
        {
            if (c.ClearedBy is { } u)
            {
                Add(u);
            }
        }
        Add(telegram.Approver);
        Add(telegram.TransmittedBy);
        if (!CableCaptions.IsNamedOnly(telegram.Captions))
        {
            foreach (var m in members.Where(m => ClearedFor(m.Identity, telegram.Marking)))
            {
                Add(m.User);
            }
        }
        return readers;
    }
}
