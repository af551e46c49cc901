using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Wpl;

/// <summary>Builds one-rule sets from a rule body and matches lines against them.</summary>
internal static class WplTestRules
{
    public static WplRuleSet Compile(string body, string package = "/t", string rule = "r") =>
        WplRuleSet.Parse([("parse.wpl", $"package {package} {{\n  rule {rule} {{ {body} }}\n}}\n")]);

    public static WplMatch Match(string body, string line) => Compile(body).Match(line);

    /// <summary>Matches and returns the record, failing the test with the miss reason otherwise.</summary>
    public static Record Parsed(string body, string line)
    {
        var match = Match(body, line);
        match.MissReason.Should().BeNull();
        match.IsMatch.Should().BeTrue();
        return match.Record!;
    }

    public static (string Name, ValueKind Kind, string Text)[] Describe(this Record record) =>
        record.Fields.Select(f => (f.Name, f.Value.Kind, f.Value.ToString())).ToArray();
}
