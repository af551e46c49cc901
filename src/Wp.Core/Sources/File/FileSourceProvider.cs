using System.Threading.Channels;
using Wp.Core.Config;

// Namespace "Files", not "File": a namespace named File would shadow System.IO.File.
namespace Wp.Core.Sources.Files;

/// <summary>The params of a <c>file_src</c> source (docs/sources.md).</summary>
/// <param name="Path">Absolute path of the file read: <c>base</c> (default <c>./data/in_dat</c>, relative to the work root) + <c>file</c> (default <c>gen.dat</c>).</param>
internal sealed record FileSourceSettings(string Path) : SourceSettings
{
    public override string Target => Path;

    public override string? FilePath => Path;
}

/// <summary><c>file_src</c>: reads a file line by line; stops at its end in batch mode, follows it in daemon mode.</summary>
internal sealed class FileSourceProvider : ISourceProvider
{
    public const string ConnectorId = "file_src";

    public string Id => ConnectorId;

    public SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source)
    {
        SourceParams.RejectUnknown(parameters, key, Id, "base", "file");
        var baseDir = SourceParams.Text(parameters, "base", "./data/in_dat");
        var file = SourceParams.Text(parameters, "file", "gen.dat");
        return baseDir is null || file is null ? null : new FileSourceSettings(System.IO.Path.Combine(root.Resolve(baseDir), file));
    }

    public ISource Create(string key, SourceSettings settings, SourceRun run) =>
        new FileSourceRun(
            new FileSource(key, ((FileSourceSettings)settings).Path, run.Limiter, run.Budget, run.Time, run.Positions, run.FromStart, run.Log, run.Records),
            run.Follow);
}

/// <summary>A running <c>file_src</c>: the <see cref="FileSource"/> (whose positions the engine's keeper saves) in batch or follow mode.</summary>
internal sealed class FileSourceRun(FileSource source, bool follow) : ISource
{
    public FileSource Source => source;

    public SourceCounters Counters => source.Counters;

    public Task RunAsync(ChannelWriter<LineBatch> output, CancellationToken stop) => source.RunAsync(output, follow, stop);
}
