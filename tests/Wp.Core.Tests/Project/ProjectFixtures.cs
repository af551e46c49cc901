using Wp.Core.Hosting.Cli;
using Wp.Core.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Project;

internal static class ProjectFixtures
{
    /// <summary>Runs <c>wproj init</c> (full) into the root: the starting point that must pass check.</summary>
    public static TempWorkRoot Initialised(this TempWorkRoot root)
    {
        ProjectInit.Run(root.WorkRoot, InitMode.Full, TextWriter.Null).Should().Be(0);
        return root;
    }

    public static (int Code, string Out, string Err) Check(this TempWorkRoot root)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ProjectCheck.Run(root.WorkRoot, output, error, ConsoleStyle.Plain);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>The FAIL rows of a check, as (item, detail).</summary>
    public static IReadOnlyList<(string Item, string Detail)> Problems(this TempWorkRoot root) =>
        ProjectCheck.Check(root.WorkRoot).Items.Where(i => i.Result == CheckResult.Fail).Select(i => (i.Item, i.Detail)).ToList();
}
