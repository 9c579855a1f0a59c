using Chancery.Archive.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chancery.Archive.Tests;

/// <summary>
/// Tests of an embedded archive in a temp folder of their own: the folder, and its removal with the index the
/// process still holds for it and the pooled connections that would keep its files open.
/// </summary>
public abstract class ArchiveFolderTests(string prefix) : IDisposable
{
    private readonly DirectoryInfo _folder = System.IO.Directory.CreateTempSubdirectory(prefix);

    protected string Folder => _folder.FullName;

    public void Dispose()
    {
        LuceneSearchIndex.Forget(Folder);
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
