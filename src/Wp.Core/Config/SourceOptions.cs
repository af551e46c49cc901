namespace Wp.Core.Config;

/// <summary>One <c>[[sources]]</c> entry of conf/wpsrc.toml (SPEC §4), resolved.</summary>
internal sealed class SourceOptions
{
    public required string Key { get; init; }

    public bool Enable { get; init; } = true;

    /// <summary>Connector id, e.g. <c>file_src</c>.</summary>
    public required string Connect { get; init; }

    /// <summary>Connector defaults merged with the source's own params.</summary>
    public required IReadOnlyDictionary<string, object> Params { get; init; }

    /// <summary>The file the source is declared in.</summary>
    public string? SourceFile { get; init; }

    /// <summary>For file sources: the absolute path of the file read (base + file).</summary>
    public required string Path { get; init; }
}
