using Chancery.Core.Documents;

namespace Chancery.Ingest.Telegrams;

/// <summary>
/// Reads a telegram in the plain-text form FRUS prints (the seed's form).
/// (API skeleton: the implementation is being written.)
/// </summary>
public static class TelegramTextReader
{
    /// <summary>Reads one telegram from a file into <paramref name="volumeId"/>.</summary>
    public static Document ReadFile(string path, string volumeId) => throw new NotImplementedException();

    /// <summary>Reads one telegram from text; <paramref name="path"/> is used in error messages.</summary>
    public static Document Read(string text, string path, string volumeId, string sourceSha256) => throw new NotImplementedException();
}
