using System.Text.RegularExpressions;
using Wp.Core.Sinks;

namespace Wp.Core.Config;

/// <summary>One sink group file (SPEC §6.1), business or infra.</summary>
internal static partial class SinkGroupLoader
{
    public const string BusinessDir = "business.d";
    public const string InfraDir = "infra.d";

    /// <summary>Sink names as SPEC §6.2 allows them (they prefix rescue file names).</summary>
    [GeneratedRegex("^[A-Za-z0-9_.]+$")]
    public static partial Regex SinkNamePattern();

    /// <summary>The name of an unnamed sink: <c>&lt;group&gt;_&lt;index&gt;</c>, '/' in the group name replaced by '_'.</summary>
    public static string DefaultSinkName(string group, int index) => $"{group.Replace('/', '_')}_{index}";

    /// <summary>Reads a parsed group file; null if it is too broken to name a group. Problems are added.</summary>
    public static SinkGroupOptions? Read(
        WorkRoot root, TomlTableNode doc, string file, bool isInfra, IReadOnlyDictionary<string, ConnectorDefinition> connectors, ConfigProblems problems)
    {
        var top = new TableReader(doc, file, problems);
        top.String("version");
        var g = top.SubTable("sink_group");
        top.Done();
        if (g is null)
        {
            if (doc.Get("sink_group") is null)
            {
                problems.Add(file, 1, 1, "missing table [sink_group]");
            }

            return null;
        }

        var name = g.String("name");
        var rule = g.StringList("rule") ?? [];
        var oml = g.StringList("oml") ?? [];
        if (isInfra && g.Table.Get("on_error") is { Value: TomlScalarNode { Value: "tolerant" } } tolerantEntry)
        {
            // tolerant forwards failed batches to the error group: an infra group has none to forward to.
            g.Problem(tolerantEntry, "on_error = \"tolerant\" is for business groups only (an infra group has no error group to forward to); use fix_retry or throw");
        }

        var onError = g.OneOf("on_error", "fix_retry", "tolerant", "throw") switch
        {
            "tolerant" => OnError.Tolerant,
            "throw" => OnError.Throw,
            _ => OnError.FixRetry,
        };
        var batchSize = g.Int32("batch_size", min: 1) ?? 1024;
        var batchTimeoutMs = g.Int32("batch_timeout_ms", min: 0) ?? 300;
        ExpectOptions? expect = null;
        if (g.SubTable("expect") is { } e)
        {
            expect = ExpectLoader.ReadGroupLevel(e);
            e.Done();
        }

        var sinkTables = g.TableArray("sinks") ?? [];
        if (name is null)
        {
            if (g.Table.Get("name") is null)
            {
                g.Missing("name");
            }

            g.Done();
            return null;
        }

        CheckGroupName(g, name, isInfra, rule, oml, sinkTables.Count);
        var sinks = new List<SinkOptions>();
        for (var i = 0; i < sinkTables.Count; i++)
        {
            if (ReadSink(root, sinkTables[i], name, i, connectors) is { } sink)
            {
                sinks.Add(sink);
            }
        }

        g.Done();
        return new SinkGroupOptions
        {
            Name = name,
            IsInfra = isInfra,
            Rule = rule,
            Oml = oml,
            OnError = onError,
            BatchSize = batchSize,
            BatchTimeoutMs = batchTimeoutMs,
            Expect = expect,
            Sinks = sinks,
            SourceFile = file,
        };
    }

    private static void CheckGroupName(TableReader g, string name, bool isInfra, IReadOnlyList<string> rule, IReadOnlyList<string> oml, int sinkCount)
    {
        var nameEntry = g.Table.Get("name")!;
        var isInfraName = InfraGroups.All.Contains(name, StringComparer.Ordinal);
        if (isInfra)
        {
            if (!isInfraName)
            {
                g.Problem(nameEntry, $"'{name}' is not an infra group; infra.d holds only {string.Join(", ", InfraGroups.All)}");
            }

            if (rule.Count > 0 || oml.Count > 0)
            {
                g.Problem(g.Table.Get(rule.Count > 0 ? "rule" : "oml")!, $"infra group '{name}' cannot claim rule paths (rule/oml)");
            }

            return;
        }

        if (name.Length == 0)
        {
            g.Problem(nameEntry, "sink_group.name must not be empty");
        }
        else if (isInfraName)
        {
            g.Problem(nameEntry, $"business group name '{name}' is reserved for an infra group (put it in {InfraDir})");
        }

        // Only when absent: a present but mistyped rule/oml/sinks is already a problem of its own.
        if (rule.Count == 0 && oml.Count == 0 && g.Table.Get("rule") is null && g.Table.Get("oml") is null)
        {
            g.ProblemHere($"business group '{name}' claims nothing: set sink_group.rule and/or sink_group.oml");
        }

        if (sinkCount == 0 && g.Table.Get("sinks") is null)
        {
            g.ProblemHere($"business group '{name}' has no [[sink_group.sinks]]");
        }
    }

    private static SinkOptions? ReadSink(
        WorkRoot root, TableReader s, string group, int index, IReadOnlyDictionary<string, ConnectorDefinition> connectors)
    {
        var explicitName = s.String("name");
        var connect = s.String("connect");
        ExpectOptions? expect = null;
        if (s.SubTable("expect") is { } e)
        {
            expect = ExpectLoader.ReadSinkLevel(e);
            e.Done();
        }

        var name = explicitName ?? DefaultSinkName(group, index);
        if (!SinkNamePattern().IsMatch(name))
        {
            var what = explicitName is null ? $"default sink name '{name}' (from group '{group}')" : $"sink name '{name}'";
            var at = s.Table.Get("name");
            s.Problems.Add(s.File, at?.Line ?? s.Line, at?.Column ?? s.Table.Column, $"{what} must match [A-Za-z0-9_.]+");
        }

        if (connect is null)
        {
            if (s.Table.Get("connect") is null)
            {
                s.Missing("connect");
            }

            s.Entry("params");
            s.Done();
            return null;
        }

        if (connectors.GetValueOrDefault(connect) is not { } connector || SinkProviders.Find(connector.Type) is not { } provider)
        {
            var known = connectors.Values.Where(c => SinkProviders.Find(c.Type) is not null)
                .Select(c => c.Id).Order(StringComparer.Ordinal);
            s.Problem(s.Table.Get("connect")!, $"unknown connector '{connect}' for sink '{name}' (known: {string.Join(", ", known)}){Suggest.DidYouMean(connect, known)}");
            s.Entry("params");
            s.Done();
            return null;
        }

        var ownerName = $"sink '{name}'";
        var merged = ConnectorLoader.MergeParams(s, connector, ownerName);
        var settings = provider.Read(new SinkParams(root, s, connector, merged, ownerName));

        s.Done();
        return new SinkOptions
        {
            Name = name,
            Group = group,
            IsNamed = explicitName is not null,
            Connect = connect,
            Type = connector.Type,
            Params = merged,
            Expect = expect,
            Settings = settings,
            SourceFile = s.File,
            SourceLine = s.Line,
        };
    }
}
