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

    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var init = new Command("init", "Write a default conf/wpgen.toml if there is none") { workRoot };
        init.SetAction((result, _) => CliHost.RunAsync("wpgen", () =>
        {
            var path = new WorkRoot(result.GetValue(workRoot)!).Conf("wpgen.toml");
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
        return new Command("conf", "Generator configuration") { init };
    }
}
