namespace Chancery.Archive;

/// <summary>A problem with the archive or a request to it, worded for the user who made the request.</summary>
public sealed class ArchiveException(string message, Exception? inner = null) : Exception(message, inner);
