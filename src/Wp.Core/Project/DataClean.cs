using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;

namespace Wp.Core.Project;

/// <summary>
/// <c>wproj data clean [--rescue]</c> (SPEC §11): deletes every file sink's output (all groups,
/// business and infra), the generator output of conf/wpgen.toml and the file sources' read
/// positions in <c>pos_root</c> (SPEC §4.1), reporting each file deleted.
/// Rescue files are undelivered data: <c>*.dat</c>, <c>*.dat.lock</c>, recover.lock and bad/ are
/// kept unless <paramref name="rescue"/> is set, and even then a <c>.dat.lock</c> held by a live
/// writer is kept.
/// </summary>
internal static class DataClean
{
    /// <returns>0, or 1 when a file could not be deleted (each such file is named on <paramref name="error"/>).</returns>
    /// <exception cref="ConfigException">The configuration does not load.</exception>
    public static int Run(WorkRoot root, bool rescue, TextWriter output, TextWriter error)
    {
        var config = ProjectLoader.Load(root);
        var generator = GeneratorConfigLoader.Load(root);
        var instanceLock = Path.Combine(config.Engine.RescueRoot, Recovery.InstanceLock.FileName);
        if (rescue && RescueFolder.IsHeld(instanceLock))
        {
            // wprescue is replaying: deleting its files and checkpoint under it loses or duplicates records.
            error.WriteLine($"wproj data clean: a wprescue is running on {DisplayPath.Of(root, config.Engine.RescueRoot)} (it holds {DisplayPath.Of(root, instanceLock)}); stop it first, nothing was deleted");
            return ExitCodes.RuntimeFailure;
        }

        var targets = config.AllSinks.Select(s => s.OutputPath).OfType<string>()
            .Append(generator.OutputPath)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        int deleted = 0, failed = 0;
        void Delete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    deleted++;
                    output.WriteLine($"deleted  {DisplayPath.Of(root, path)}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failed++;
                error.WriteLine($"wproj data clean: cannot delete {DisplayPath.Of(root, path)}: {ex.Message}");
            }
        }

        foreach (var path in targets)
        {
            Delete(path);
        }

        // Read positions describe the outputs just deleted: keeping them would skip the input next run.
        if (config.Engine.PosRoot is { } posRoot)
        {
            foreach (var path in new Sources.Files.PositionStore(posRoot).Files().ToList())
            {
                Delete(path);
            }
        }

        var rescueRoot = config.Engine.RescueRoot;
        var rescueFiles = RescueFiles(rescueRoot);
        if (rescue)
        {
            foreach (var path in rescueFiles)
            {
                if (path.EndsWith(Rescue.RescueFileName.OpenSuffix, StringComparison.Ordinal) && RescueFolder.IsHeld(path))
                {
                    output.WriteLine($"kept     {DisplayPath.Of(root, path)} (a running writer holds it)");
                    continue;
                }

                Delete(path);
            }
        }
        else if (rescueFiles.Count > 0)
        {
            output.WriteLine(
                $"kept     {rescueFiles.Count} rescue file{(rescueFiles.Count == 1 ? "" : "s")} in {DisplayPath.Of(root, rescueRoot)} (undelivered data; --rescue deletes them)");
        }

        output.WriteLine($"data clean: {deleted} file{(deleted == 1 ? "" : "s")} deleted");
        return failed == 0 ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }

    /// <summary>Rescue data: the rescue files, the checkpoint, and quarantined bad entries.</summary>
    private static List<string> RescueFiles(string rescueRoot)
    {
        var files = RescueFolder.DataFiles(rescueRoot).ToList();
        var checkpoint = Path.Combine(rescueRoot, RescueFolder.CheckpointFileName);
        if (File.Exists(checkpoint))
        {
            files.Add(checkpoint);
        }

        var bad = Path.Combine(rescueRoot, RescueFolder.BadFolderName);
        if (Directory.Exists(bad))
        {
            files.AddRange(Directory.EnumerateFiles(bad, "*.bad").Order(StringComparer.Ordinal));
        }

        return files;
    }
}
