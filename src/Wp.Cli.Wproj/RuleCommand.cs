using System.CommandLine;
using Wp.Core.Config;
using Wp.Core.Hosting.Cli;
using Wp.Core.Project;

namespace Wp.Cli.Wproj;

/// <summary><c>wproj rule test [-w ROOT] [--rule PATH] (LINE... | --file F) [--json]</c>: exit 0 all matched, 4 any missed, 3 rules do not load.</summary>
internal static class RuleCommand
{
    public static Command Create()
    {
        var workRoot = CommonOptions.WorkRoot();
        var rule = new Option<string?>("--rule") { Description = "A .wpl file or a folder of parse*.wpl (default: the work root's models.wpl folder)" };
        var file = new Option<string?>("--file") { Description = "Read the lines from this file ('-' = standard input)" };
        var json = WprojOptions.Json();
        var lines = new Argument<string[]>("LINE") { Description = "Lines to try (or use --file)", Arity = ArgumentArity.ZeroOrMore };
        var test = new Command("test", "Try lines against the WPL rules: the rule that matched and the typed record, or the closest rule and why it missed")
        {
            workRoot, rule, file, json, lines,
        };
        test.Validators.Add(r =>
        {
            var given = r.GetValue(lines) ?? [];
            var fromFile = r.GetValue(file);
            if (given.Length == 0 && fromFile is null)
            {
                r.AddError("give one or more LINE arguments or --file F");
            }
            else if (given.Length > 0 && fromFile is not null)
            {
                r.AddError("give LINE arguments or --file F, not both");
            }
        });
        test.SetAction((result, _) => CliHost.RunAsync(WprojCommands.Tool, () =>
        {
            var root = result.GetValue(workRoot) is { } w ? new WorkRoot(w) : null;
            var rules = RuleTest.LoadRules(root, result.GetValue(rule));
            var input = result.GetValue(file) is { } path
                ? (path == "-" ? ReadAll(Console.In) : File.ReadAllLines(path)).Select((t, i) => (i + 1, t)).ToList()
                : (result.GetValue(lines) ?? []).Select((t, i) => (i + 1, t)).ToList();
            return Task.FromResult(RuleTest.Run(rules, input, result.GetValue(json), Console.Out));
        }));
        return new Command("rule", "WPL rules: test lines against them") { test };
    }

    private static string[] ReadAll(TextReader reader)
    {
        var list = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            list.Add(line);
        }

        return [.. list];
    }
}
