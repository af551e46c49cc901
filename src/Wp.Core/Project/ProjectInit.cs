using Wp.Core.Config;
using Wp.Core.Hosting;

namespace Wp.Core.Project;

/// <summary>What <c>wproj init</c> creates.</summary>
internal enum InitMode
{
    /// <summary>Configuration and data folders.</summary>
    Full,

    /// <summary>Configuration only: conf/, sink/ (defaults, six infra groups, a sample business group), models/ (WPL + OML example).</summary>
    Conf,

    /// <summary>Only the data folders: data/in_dat, data/out_dat, data/rescue, logs.</summary>
    Data,

    /// <summary>Only the model files: models/ (WPL + OML example). WarpParse's <c>--mode model</c>.</summary>
    Model,
}

/// <summary>
/// <c>wproj init</c> (SPEC §2, §11): lays out a work root from the templates embedded in this
/// assembly. Never overwrites: an existing file is reported as kept. A freshly initialised root
/// passes <c>wproj check</c>.
/// </summary>
internal static class ProjectInit
{
    private const string ResourcePrefix = "wproj-template:";

    /// <summary>The data folders of SPEC §2, created by <see cref="InitMode.Full"/> and <see cref="InitMode.Data"/>.</summary>
    public static readonly IReadOnlyList<string> DataFolders = ["data/in_dat", "data/out_dat", "data/rescue", "logs"];

    /// <summary>Work-root-relative paths of the configuration files <see cref="InitMode.Conf"/> writes, in write order.</summary>
    public static IReadOnlyList<string> ConfigFiles { get; } = typeof(ProjectInit).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..].Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Creates what <paramref name="mode"/> asks for and reports each path as created or kept.</summary>
    /// <exception cref="IOException">A file or folder could not be created.</exception>
    public static int Run(WorkRoot root, InitMode mode, TextWriter output)
    {
        int created = 0, kept = 0;
        void Report(bool wasCreated, string path)
        {
            if (wasCreated)
            {
                created++;
                output.WriteLine($"created  {path}");
            }
            else
            {
                kept++;
                output.WriteLine($"kept     {path} (exists)");
            }
        }

        Directory.CreateDirectory(root.FullPath);
        if (mode != InitMode.Data)
        {
            foreach (var file in ConfigFiles.Where(f => mode != InitMode.Model || f.StartsWith("models/", StringComparison.Ordinal)))
            {
                Report(WriteTemplate(root, file), file);
            }
        }

        if (mode is InitMode.Full or InitMode.Data)
        {
            foreach (var folder in DataFolders)
            {
                var path = root.Resolve(folder);
                var existed = Directory.Exists(path);
                Directory.CreateDirectory(path);
                Report(!existed, folder + "/");
            }
        }

        output.WriteLine($"init ({mode.ToString().ToLowerInvariant()}): {created} created, {kept} kept in {root.FullPath}");
        return ExitCodes.Success;
    }

    /// <summary>Writes one template unless the file exists (CreateNew: no check-then-write race). True when written.</summary>
    private static bool WriteTemplate(WorkRoot root, string relative)
    {
        var path = root.Resolve(relative);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var template = Open(relative);
        try
        {
            using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            template.CopyTo(target);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // created by someone else between the check and the write: keep theirs
        }
    }

    private static Stream Open(string relative) =>
        typeof(ProjectInit).Assembly.GetManifestResourceStream(ResourcePrefix + relative)
        ?? typeof(ProjectInit).Assembly.GetManifestResourceStream(ResourcePrefix + relative.Replace('/', '\\'))
        ?? throw new InvalidOperationException($"template {relative} is not embedded");

    /// <summary>The text of one template (tests and docs).</summary>
    internal static string TemplateText(string relative)
    {
        using var reader = new StreamReader(Open(relative));
        return reader.ReadToEnd();
    }
}
