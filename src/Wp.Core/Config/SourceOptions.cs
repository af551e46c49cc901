using Wp.Core.Sources;

namespace Wp.Core.Config;

/// <summary>One <c>[[sources]]</c> entry of conf/wpsrc.toml (SPEC §4), resolved.</summary>
internal sealed class SourceOptions
{
    public required string Key { get; init; }

    public bool Enable { get; init; } = true;

    /// <summary>Connector id, e.g. <c>file_src</c>.</summary>
    public required string Connect { get; init; }

    /// <summary>The provider that read the params and creates the running source.</summary>
    public required ISourceProvider Provider { get; init; }

    /// <summary>The typed params, validated at load.</summary>
    public required SourceSettings Settings { get; init; }

    /// <summary>For file sources: the absolute path of the file read (base + file); null for network sources.</summary>
    public string? Path => Settings.FilePath;

    /// <summary>conf/wpsrc.toml and the line of this entry.</summary>
    public string SourceFile { get; init; } = string.Empty;

    public int SourceLine { get; init; }
}
