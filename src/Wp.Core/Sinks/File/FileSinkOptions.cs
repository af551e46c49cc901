using Wp.Core.Records.Formatting;

// Namespace "Files", not "File": a namespace named File would shadow System.IO.File for every
// type under Wp.Core.Sinks (CS0118 at each File.Exists/File.Open in Runtime/, TestRescue/ …).
namespace Wp.Core.Sinks.Files;

/// <summary>Settings of one file sink backend (SPEC §7.1 <c>type = file</c>).</summary>
internal sealed class FileSinkOptions : ISinkSettings
{
    /// <summary>The output file. Relative paths resolve against the current directory. Required.</summary>
    public required string Path { get; init; }

    /// <summary>Output format name (SPEC §7.2): kv, json, proto-text or raw. Default <c>kv</c>.</summary>
    public string Format { get; init; } = RecordFormatters.Kv;

    string? ISinkSettings.OutputPath => Path;

    public string Target => Path;

    public ISinkBackend Create(TimeProvider time) => new FileSinkBackend(this);
}
