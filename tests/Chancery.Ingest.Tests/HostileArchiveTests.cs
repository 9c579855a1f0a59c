using System.Text;
using Chancery.Archive;
using Chancery.Archive.Sqlite;
using Chancery.Core.Access;
using Chancery.Ingest.Samples;
using Chancery.Ingest.Tei;
using CsCheck;
using Microsoft.Data.Sqlite;

namespace Chancery.Ingest.Tests;

/// <summary>An archive holding one good real volume, ingested once for the class.</summary>
public sealed class IngestedVolume : IDisposable
{
    public IngestedVolume()
    {
        Folder = Directory.CreateTempSubdirectory("chancery-hostile-archive-").FullName;
        Source = File.ReadAllBytes(TeiCorpus.Volume(Id));
        using var archive = SqliteArchive.Open(Path.Combine(Folder, "archive"));
        using var reader = TeiVolumeReader.Open(TeiCorpus.Volume(Id));
        Documents = archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
        Before = HostileArchiveTests.Fingerprint(archive);
    }

    public const string Id = "frus1894Nicaragua";

    public string Folder { get; }

    public byte[] Source { get; }

    public int Documents { get; }

    /// <summary>The stored volume rows right after the good ingest.</summary>
    public string Before { get; }

    public SqliteArchive Open() => SqliteArchive.Open(Path.Combine(Folder, "archive"));

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// A failed ingest changes nothing: after a good volume is stored, corrupted versions of it (broken late, after
/// most of their documents were already added to the transaction) are refused with a <see cref="SourceFormatException"/>
/// and the archive checks clean with the old document count, content hash, source hash and ingest time.
/// </summary>
public sealed class HostileArchiveTests(IngestedVolume good) : IClassFixture<IngestedVolume>
{
    /// <summary>Every volume's id, source SHA-256, ingest time, document count and content hash, as stored.</summary>
    public static string Fingerprint(SqliteArchive archive)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = archive.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, sha256, ingested, document_count, content_hash FROM volumes ORDER BY id";
        using var r = cmd.ExecuteReader();
        var rows = new StringBuilder();
        while (r.Read())
        {
            rows.Append($"{r.GetString(0)} {r.GetString(1)} {r.GetValue(2)} {r.GetInt32(3)} {r.GetString(4)}\n");
        }
        return rows.ToString();
    }

    private static byte[] Corrupt(byte[] source, string how)
    {
        var text = Encoding.UTF8.GetString(source);
        var last = text.LastIndexOf("<div type=\"document\"", StringComparison.Ordinal);
        var firstId = text[(text.IndexOf("xml:id=\"d", StringComparison.Ordinal) + 8)..];
        firstId = firstId[..firstId.IndexOf('"')];
        var lastTagEnd = text.IndexOf('>', last) + 1;
        string corrupted = how switch
        {
            "truncated" => text[..(text.Length * 9 / 10)],
            "stray end tag" => text.Insert(last, "</hi>"),
            "duplicate id" => text[..last] + System.Text.RegularExpressions.Regex.Replace(text[last..lastTagEnd], "xml:id=\"[^\"]*\"", $"xml:id=\"{firstId}\"") + text[lastTagEnd..],
            "deep nesting" => text.Insert(lastTagEnd, $"<p>{string.Concat(Enumerable.Repeat("<hi>", 10_000))}x{string.Concat(Enumerable.Repeat("</hi>", 10_000))}</p>"),
            "undeclared entity" => text.Insert(lastTagEnd, "<p>&xxe;</p>"),
            _ => "",
        };
        var bytes = Encoding.UTF8.GetBytes(corrupted);
        if (how == "invalid utf-8")
        {
            var at = Encoding.UTF8.GetByteCount(text[..lastTagEnd]);
            bytes = [.. source[..at], 0xFF, .. source[at..]];
        }
        return bytes;
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("stray end tag")]
    [InlineData("duplicate id")]
    [InlineData("deep nesting")]
    [InlineData("undeclared entity")]
    [InlineData("invalid utf-8")]
    public void A_corrupted_reingest_is_refused_and_leaves_the_volume_as_it_was(string how)
    {
        var path = Path.Combine(good.Folder, IngestedVolume.Id + ".xml");
        File.WriteAllBytes(path, Corrupt(good.Source, how));
        using var archive = good.Open();
        using (var reader = TeiVolumeReader.Open(path))
        {
            Assert.Throws<SourceFormatException>(() => archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume));
        }
        var check = archive.Check();
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Equal((1, good.Documents), (check.Volumes, check.Documents));
        Assert.Equal(good.Before, Fingerprint(archive));
    }

    [Fact]
    public void A_corrupted_first_ingest_stores_nothing()
    {
        var folder = Path.Combine(good.Folder, "empty-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(good.Folder, "first.xml");
        File.WriteAllBytes(path, Corrupt(good.Source, "truncated"));
        using var archive = SqliteArchive.Open(folder);
        using (var reader = TeiVolumeReader.Open(path))
        {
            Assert.Throws<SourceFormatException>(() => archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume));
        }
        Assert.Empty(archive.ListVolumes(ReaderIdentity.System));
        var check = archive.Check();
        Assert.Equal((true, 0, 0), (check.Ok, check.Volumes, check.Documents));
    }

    [Fact]
    public void Any_mutated_reingest_either_replaces_the_volume_whole_or_changes_nothing()
    {
        var folder = Path.Combine(good.Folder, "generated-" + Guid.NewGuid().ToString("N"));
        var source = Path.Combine(good.Folder, "generated.xml");
        using (var writer = new StreamWriter(source, false, new UTF8Encoding(false)))
        {
            SampleVolumeWriter.Write(writer, new SampleVolumeOptions { VolumeId = "frus-hostile-archive", Documents = 40, Seed = 40 });
        }
        var original = File.ReadAllBytes(source);
        using var archive = SqliteArchive.Open(folder);
        using (var reader = TeiVolumeReader.Open(source))
        {
            archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
        }
        var mutated = Path.Combine(good.Folder, "mutated.xml");
        Hostile.Mutations.Sample(mutations =>
        {
            var before = Fingerprint(archive);
            File.WriteAllBytes(mutated, Hostile.Mutate(original, mutations));
            using var reader = TeiVolumeReader.Open(mutated);
            int? stored = null;
            try
            {
                stored = archive.IngestVolume(reader.ReadDocuments(), () => reader.Volume);
            }
            catch (SourceFormatException)
            {
                Assert.Equal(before, Fingerprint(archive));
            }
            var check = archive.Check();
            Assert.True(check.Ok, string.Join("; ", check.Problems));
            if (stored is { } n)
            {
                // a mutation may rename the volume: then there are two
                Assert.Contains(archive.ListVolumes(ReaderIdentity.System), v => v.Id == reader.Volume.Id && v.DocumentCount == n);
            }
        }, iter: 25, threads: 1);
    }
}
