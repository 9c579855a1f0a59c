using Chancery.Cli;

namespace Chancery.Cli.Tests;

/// <summary>What one in-process run of <c>chancery</c> printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>
/// A temporary archive folder and a way to run <c>chancery --archive FOLDER …</c> against it in-process.
/// The folder (and any files the test wrote next to it) is deleted afterwards.
/// </summary>
public sealed class TempArchive : IDisposable
{
    public TempArchive()
    {
        Root = Path.Combine(Path.GetTempPath(), "chancery-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Folder = Path.Combine(Root, "archive");
    }

    /// <summary>A scratch folder for source files; the archive is <see cref="Folder"/> inside it.</summary>
    public string Root { get; }

    public string Folder { get; }

    /// <summary>Runs the command with <c>--archive</c> set to this archive.</summary>
    public CliResult Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs the command with <paramref name="stdin"/> as standard input.</summary>
    public CliResult RunWithInput(string? stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Program.Run([.. args, "--archive", Folder], stdout, stderr, stdin is null ? null : new StringReader(stdin));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes a source file into the scratch folder and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open on some platforms; the temp folder is cleaned up eventually anyway
        }
    }
}

/// <summary>Files shared by the repository's tests.</summary>
public static class Sources
{
    /// <summary>The seed telegram (FRUS 1945 Berlin vol. 1, document 578), from <c>&lt;repo&gt;/../shared/seed</c>.</summary>
    public static string SeedTelegram => Path.Combine(Shared, "seed", "000_6fedf52d67ff56bc.txt");

    /// <summary>The shared folder next to the repository (the one holding <c>corpus</c> and <c>seed</c>).</summary>
    public static string Shared
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "shared", "corpus")))
                {
                    return Path.Combine(dir.FullName, "shared");
                }
            }
            throw new DirectoryNotFoundException("no shared/corpus folder above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>Files of the repository itself.</summary>
public static class Repository
{
    /// <summary>The folder holding Chancery.slnx.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Chancery.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new DirectoryNotFoundException("no Chancery.slnx above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The bundled sample TEI volume (id frus-sample-1945).</summary>
    public static string SampleVolume => Path.Combine(Root, "samples", "frus-sample-volume.xml");
}
