namespace Wp.Core.Config;

/// <summary>The folder every relative path in the configuration resolves against (SPEC §2).</summary>
internal sealed class WorkRoot
{
    public WorkRoot(string path) => FullPath = Path.GetFullPath(path);

    public string FullPath { get; }

    /// <summary>Resolves a configured path: absolute paths are kept, relative ones join the work root.</summary>
    public string Resolve(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(FullPath, path));

    public string Conf(string file) => Path.Combine(FullPath, "conf", file);

    public string LogsDir => Path.Combine(FullPath, "logs");

    public override string ToString() => FullPath;
}
