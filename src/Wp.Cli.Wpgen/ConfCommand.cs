using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wpgen;

/// <summary><c>wpgen conf init</c>: write a default conf/wpgen.toml (never overwrites).</summary>
internal static class ConfCommand
{
    private const string DefaultConfig = """
        [generator]
        mode  = "sample"   # sample | rule
        count = 10000
        speed = 0          # lines per second, 0 = unlimited

        [output]
        connect = "file_raw_sink"
        params  = { base = "./data/in_dat", file = "gen.dat" }

        """;

    public static Command Create() =>
        new Command("conf", "Generator configuration (conf/wpgen.toml)") { Init(), Clean(), Check() };

    private static Command Init()
    {
        var workRoot = CommonOptions.WorkRoot();
        var init = new Command("init", "Write a default conf/wpgen.toml if there is none") { workRoot };
        init.SetAction((result, _) => CliHost.RunAsync("wpgen", () =>
        {
            var path = new WorkRoot(result.GetValue(workRoot)!).Conf(GeneratorConfigLoader.FileName);
            if (File.Exists(path))
            {
                Console.Out.WriteLine($"kept existing {path}");
                return Task.FromResult(ExitCodes.Success);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, DefaultConfig);
            Console.Out.WriteLine($"wrote {path}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return init;
    }

    /// <summary>WarpParse's <c>wpgen conf clean</c>: delete conf/wpgen.toml (the generator defaults apply until <c>conf init</c>).</summary>
    private static Command Clean()
    {
        var workRoot = CommonOptions.WorkRoot();
        var clean = new Command("clean", "Delete conf/wpgen.toml (the generator defaults apply until 'wpgen conf init')") { workRoot };
        clean.SetAction((result, _) => CliHost.RunAsync("wpgen", () =>
        {
            var path = new WorkRoot(result.GetValue(workRoot)!).Conf(GeneratorConfigLoader.FileName);
            var existed = File.Exists(path);
            File.Delete(path);
            Console.Out.WriteLine(existed ? $"deleted {path}" : $"nothing to delete: {path}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return clean;
    }

    /// <summary><c>wpgen conf check</c>: load conf/wpgen.toml; exit 3 with every problem when it does not load.</summary>
    private static Command Check()
    {
        var workRoot = CommonOptions.WorkRoot();
        var check = new Command("check", "Load conf/wpgen.toml and print what it configures (exit 3 on a configuration error)") { workRoot };
        check.SetAction((result, _) => CliHost.RunAsync("wpgen", () =>
        {
            var root = new WorkRoot(result.GetValue(workRoot)!);
            var options = GeneratorConfigLoader.Load(root);
            var path = root.Conf(GeneratorConfigLoader.FileName);
            Console.Out.WriteLine(File.Exists(path) ? $"ok: {path}" : $"ok: {path} is absent; the defaults apply");
            Console.Out.WriteLine($"  mode {options.Mode.ToString().ToLowerInvariant()}, count {options.Count}, speed {(options.Speed == 0 ? "unlimited" : options.Speed + " lines/s")}");
            Console.Out.WriteLine($"  output {options.Connect}{(options.OutputName is { } n ? $" ({n})" : "")} -> {options.OutputPath}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return check;
    }
}
