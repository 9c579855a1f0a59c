namespace Chancery.Core.Access;

/// <summary>
/// Who is asking: the anonymous public, or a named user with a clearance level and dissemination controls.
/// Every archive call takes one; the archive decides access with it inside its queries.
/// </summary>
public sealed record ReaderIdentity(string Name, bool IsPublic, ClassificationLevel Clearance, IReadOnlySet<string> Controls)
{
    /// <summary>The anonymous public: released text only.</summary>
    public static readonly ReaderIdentity Public = new("public", true, ClassificationLevel.Unclassified, new HashSet<string>());

    /// <summary>A system reader that sees everything (used by maintenance commands such as check, copy and backup).</summary>
    public static readonly ReaderIdentity System = new("system", false, ClassificationLevel.TopSecret, new HashSet<string>(Markings.KnownControls) { "*" });

    /// <summary>True when this reader may read the original of a document with <paramref name="marking"/>.</summary>
    public bool MayReadOriginal(Marking marking)
    {
        if (IsPublic)
        {
            return false;
        }
        if (Controls.Contains("*"))
        {
            return true;
        }
        return Clearance >= marking.Level && marking.Controls.All(Controls.Contains);
    }

    /// <summary>True when this reader may read a document in <paramref name="state"/> with <paramref name="marking"/> at all.</summary>
    public bool MayRead(ReleaseState state, Marking marking) =>
        state is ReleaseState.Released or ReleaseState.ReleasedWithExcisions || MayReadOriginal(marking);
}
