using System.CommandLine;

namespace Wp.Cli.Wpgen;

/// <summary>wpgen: test data for a work root (SPEC §12).</summary>
internal static class WpgenCommands
{
    public static RootCommand Root() =>
        new("wpgen — generate test log lines for a work root")
        {
            SampleCommand.Create(),
            RuleCommand.Create(),
            DataCommand.Create(),
            ConfCommand.Create(),
        };
}
