namespace Wp.Core.Hosting.Cli;

/// <summary>How a command's human-readable output is laid out: colour on or off, and the line width tables fit in.</summary>
/// <param name="Color">ANSI colours; only for a terminal, never with <c>NO_COLOR</c>, never in redirected output.</param>
/// <param name="Width">Columns tables must fit in. 80 when output is redirected, so files and CI logs are stable.</param>
internal sealed record ConsoleStyle(bool Color, int Width)
{
    /// <summary>The width of a redirected stream and the least a table is laid out for.</summary>
    public const int DefaultWidth = 80;

    /// <summary>No colour, 80 columns: redirected output and golden tests.</summary>
    public static ConsoleStyle Plain { get; } = new(false, DefaultWidth);

    /// <summary>
    /// The style for the process's stdout: colour only when stdout is a terminal and <c>NO_COLOR</c>
    /// is unset or empty (no-color.org); the terminal's width (at least 80, at most 200) on a terminal.
    /// </summary>
    public static ConsoleStyle ForStdout()
    {
        if (Console.IsOutputRedirected)
        {
            return Plain;
        }

        var noColor = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        var width = DefaultWidth;
        try
        {
            width = Math.Clamp(Console.WindowWidth, DefaultWidth, 200);
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            // No usable terminal size: keep 80.
        }

        return new ConsoleStyle(!noColor, width);
    }

    /// <summary>Wraps already padded text in the tone's colour (nothing when colour is off).</summary>
    public string Paint(string text, Tone tone)
    {
        if (!Color || tone == Tone.None || text.Length == 0)
        {
            return text;
        }

        var code = tone switch
        {
            Tone.Good => "32",
            Tone.Bad => "31",
            Tone.Warn => "33",
            Tone.Dim => "2",
            _ => "0",
        };
        return $"\u001b[{code}m{text}\u001b[0m";
    }
}

/// <summary>What a piece of output means, which decides its colour on a terminal.</summary>
internal enum Tone
{
    None,

    /// <summary>Green: pass, ok.</summary>
    Good,

    /// <summary>Red: fail.</summary>
    Bad,

    /// <summary>Yellow: warn.</summary>
    Warn,

    /// <summary>Dim: ignored, not applicable.</summary>
    Dim,
}
