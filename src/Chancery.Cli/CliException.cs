namespace Chancery.Cli;

/// <summary>
/// A failure the user can act on: its message is printed as <c>chancery: MESSAGE</c> (plus any
/// <see cref="Detail"/> lines) and the process exits with <see cref="ExitCode"/>. Never a stack trace.
/// </summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Error, IReadOnlyList<string>? detail = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Further lines printed after the message, as they are (e.g. a query with a caret under it).</summary>
    public IReadOnlyList<string> Detail { get; } = detail ?? [];
}

/// <summary>The process exit codes, the same for every command.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;
    /// <summary>Ran, but some input was bad or a check failed (a malformed file, a broken audit trail).</summary>
    public const int Failed = 1;
    /// <summary>Did not run: a usage error, a bad query, an archive problem or a bug.</summary>
    public const int Error = 2;
    /// <summary>The document, volume or user asked for does not exist or may not be read.</summary>
    public const int NotFound = 3;
}
