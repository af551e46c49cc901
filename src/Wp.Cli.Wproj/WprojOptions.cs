using System.CommandLine;

namespace Wp.Cli.Wproj;

/// <summary>Options shared by several wproj commands. Each call returns a new instance: an option belongs to one command.</summary>
internal static class WprojOptions
{
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print a JSON document instead of tables (shape documented in the README)",
    };
}
