using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Documents;

namespace Chancery.Cli;

/// <summary>
/// One command's view of the archive and of who is asking (<c>--archive</c>, <c>--as</c>; <c>--index-dir</c> for a
/// PostgreSQL archive's local search index). The archive is opened on first use, so commands that do not need it
/// (help, a usage error) never touch it.
/// </summary>
public sealed class Session(Terminal terminal, string? location, string? asName, string? indexDir = null) : IDisposable
{
    /// <summary>The surface name recorded in the audit trail for reads made by the CLI.</summary>
    public const string Surface = "cli";

    private IArchive? archive;

    public Terminal Terminal { get; } = terminal;

    /// <summary>The resolved archive location (option, CHANCERY_ARCHIVE, or the default folder).</summary>
    public string Location { get; } = ArchiveLocator.Resolve(location, terminal.Environment);

    /// <summary>The <c>--as</c> name, or null for the public.</summary>
    public string? UserName { get; } = string.IsNullOrWhiteSpace(asName) || asName.Equals("public", StringComparison.OrdinalIgnoreCase) ? null : asName.Trim();

    /// <summary>The archive, opened (or created) on first use.</summary>
    public IArchive Archive => archive ??= ArchiveLocator.Open(Location, indexDir: indexDir);

    /// <summary>The archive for a command that only reads: a missing folder is an error, not a new archive.</summary>
    public IArchive ExistingArchive => archive ??= ArchiveLocator.Open(Location, mustExist: true, indexDir);

    /// <summary>The named <c>--as</c> user, or null for the public. An unknown name is an error.</summary>
    public UserAccount? User(IArchive from)
    {
        if (UserName is null)
        {
            return null;
        }
        return from.GetUser(UserName) ?? throw new CliException($"no user {UserName} (add one with `chancery users add`)");
    }

    /// <summary>Who is asking: <see cref="ReaderIdentity.Public"/> unless <c>--as NAME</c> names a user.</summary>
    public ReaderIdentity Reader(IArchive from) => User(from)?.Identity ?? ReaderIdentity.Public;

    /// <summary>The message for a document that is missing or that the reader may not read: the same for both.</summary>
    public static CliException DocumentNotFound(string id) =>
        new($"no document {id} (see `chancery volumes` or search for it)", ExitCodes.NotFound);

    /// <summary>
    /// The canonical id (<c>vol#d1</c>) for what the user typed; <c>vol/d1</c> (the URL form) is accepted too.
    /// Anything else is returned as typed, so that it fails like any other missing id.
    /// </summary>
    public static string NormaliseDocumentId(string typed)
    {
        var t = typed.Trim();
        return DocumentIds.TrySplit(t, out var volume, out var local) ? DocumentIds.Make(volume, local) : t;
    }

    public void Dispose() => archive?.Dispose();
}
