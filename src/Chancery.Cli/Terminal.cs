using Spectre.Console;

namespace Chancery.Cli;

/// <summary>
/// Where a command reads and writes. The real console when run as <c>chancery</c>; plain writers in tests,
/// where there is no terminal and so no colour, no progress bar and a width of 100.
/// </summary>
public sealed class Terminal
{
    /// <summary>The width used when standard output is not a terminal.</summary>
    public const int DefaultWidth = 100;

    private IAnsiConsole? ansi;

    public Terminal(TextWriter output, TextWriter error, TextReader input, bool isTerminal = false, int width = DefaultWidth, IReadOnlyDictionary<string, string>? environment = null)
    {
        Out = output;
        Err = error;
        In = input;
        IsTerminal = isTerminal;
        Width = width > 0 ? width : DefaultWidth;
        Environment = environment ?? new Dictionary<string, string>();
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public TextReader In { get; }

    /// <summary>True when standard output is an interactive terminal (progress bars, bold, no-echo prompts).</summary>
    public bool IsTerminal { get; }

    public int Width { get; }

    /// <summary>The environment variables the CLI reads (CHANCERY_ARCHIVE, CHANCERY_DEBUG).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Spectre's console over <see cref="Out"/>, for the progress bar and highlighting on a terminal.</summary>
    public IAnsiConsole Ansi => ansi ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    });

    /// <summary>The process's own console.</summary>
    public static Terminal FromConsole()
    {
        var isTerminal = !Console.IsOutputRedirected;
        var width = DefaultWidth;
        if (isTerminal)
        {
            try
            {
                width = Console.WindowWidth;
            }
            catch (IOException)
            {
                // no window size available (e.g. some CI pseudo-terminals): keep the default
            }
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "CHANCERY_ARCHIVE", "CHANCERY_DEBUG" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                env[name] = value;
            }
        }
        return new Terminal(Console.Out, Console.Error, Console.In, isTerminal, width, env);
    }

    /// <summary>Reads a password: without echo on a terminal, else one line of standard input.</summary>
    public string? ReadPassword(string prompt)
    {
        if (!IsTerminal || Console.IsInputRedirected || !ReferenceEquals(In, Console.In))
        {
            return In.ReadLine();
        }
        Err.Write(prompt);
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Count > 0)
                {
                    chars.RemoveAt(chars.Count - 1);
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                chars.Add(key.KeyChar);
            }
        }
        Err.WriteLine();
        return new string([.. chars]);
    }
}
