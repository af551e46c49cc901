using System.CommandLine;

namespace Wp.Cli.Wproj;

/// <summary>wproj: the operator's and CI's view of a work root (SPEC §11).</summary>
internal static class WprojCommands
{
    public const string Tool = "wproj";

    public static RootCommand Root() =>
        new("wproj — project tool: init, check, data clean, stat, validate, rescue stat, rule test")
        {
            InitCommand.Create(),
            CheckCommand.Create(),
            DataCommand.Create(),
            StatCommand.Create(),
            ValidateCommand.Create(),
            RescueCommand.Create(),
            RuleCommand.Create(),
        };
}
