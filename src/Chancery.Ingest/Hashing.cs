using System.Security.Cryptography;

namespace Chancery.Ingest;

/// <summary>Content hashes of sources.</summary>
public static class Hashing
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256OfFile(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    /// <summary>Lower-case hex SHA-256 of bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
