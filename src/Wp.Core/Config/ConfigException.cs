namespace Wp.Core.Config;

/// <summary>One configuration problem, located as precisely as the input allows.</summary>
internal sealed record ConfigProblem(string File, int? Line, int? Column, string Message)
{
    public override string ToString() =>
        Line is null ? $"{File}: {Message}"
        : Column is null ? $"{File}:{Line}: {Message}"
        : $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>
/// Thrown when configuration (TOML, WPL, OML, connectors) is invalid. Carries every problem
/// found, so an operator fixes them all in one pass. Maps to exit code 3.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public ConfigException(string file, int? line, int? column, string message)
        : this([new ConfigProblem(file, line, column, message)])
    {
    }

    public ConfigException(string file, string message)
        : this(file, null, null, message)
    {
    }

    public IReadOnlyList<ConfigProblem> Problems { get; }
}
