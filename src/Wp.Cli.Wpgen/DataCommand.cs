using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;

namespace Wp.Cli.Wpgen;

/// <summary><c>wpgen data clean</c>: delete the generator's output file.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var clean = new Command("clean", "Delete the generator output file") { workRoot };
        clean.SetAction((result, _) => CliHost.RunAsync("wpgen", () =>
        {
            var options = GeneratorConfigLoader.Load(new WorkRoot(result.GetValue(workRoot)!));
            var existed = File.Exists(options.OutputPath);
            File.Delete(options.OutputPath);
            Console.Out.WriteLine(existed ? $"deleted {options.OutputPath}" : $"nothing to delete: {options.OutputPath}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return new Command("data", "Generator data") { clean };
    }
}
