using System.Globalization;
using System.Text.Json;
using Wp.Core.Hosting.Cli;

namespace Wp.Core.Expect;

/// <summary>Renders a <see cref="LineReport"/> as tables (80 columns) or as the documented <c>--json</c> document.</summary>
internal static class StatOutput
{
    public static void WriteTables(LineReport report, TextWriter output, ConsoleStyle style)
    {
        var first = true;
        if (report.Scope != StatScope.Sinks)
        {
            WriteSources(report, output, style);
            first = false;
        }

        if (report.Scope != StatScope.Sources)
        {
            if (!first)
            {
                output.WriteLine();
            }

            WriteSinks(report, output, style);
        }
    }

    public static void WriteJson(LineReport report, TextWriter output) => JsonOutput.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteString("work_root", report.Root.FullPath);
        if (report.Scope != StatScope.Sinks)
        {
            json.WriteStartArray("sources");
            foreach (var s in report.Sources)
            {
                json.WriteStartObject();
                json.WriteString("key", s.Source.Key);
                json.WriteBoolean("enabled", s.Source.Enable);
                json.WriteString("path", DisplayPath.Of(report.Root, s.Source.Path));
                json.WriteBoolean("exists", s.Count.Exists);
                json.WriteNumber("lines", s.Count.Lines);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (report.Scope != StatScope.Sources)
        {
            json.WriteStartArray("sinks");
            foreach (var s in report.Sinks)
            {
                WriteSink(json, report, s);
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("totals");
        if (report.Scope != StatScope.Sinks)
        {
            json.WriteNumber("source_lines", report.EnabledSourceLines);
        }

        if (report.Scope != StatScope.Sources)
        {
            json.WriteNumber("business_lines", report.BusinessLines);
            json.WriteNumber("infra_lines", report.InfraLines);
            json.WriteNumber("sink_lines", report.SinkLines);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>One sink's stat object, shared with <c>validate --json</c>.</summary>
    internal static void WriteSinkFields(Utf8JsonWriter json, LineReport report, SinkLines s)
    {
        json.WriteString("scope", s.Scope);
        json.WriteString("group", s.Group.Name);
        json.WriteString("sink", s.Sink.Name);
        json.StringOrNull("path", s.Sink.OutputPath is { } p ? DisplayPath.Of(report.Root, p) : null);
        json.WriteBoolean("exists", s.Count?.Exists ?? false);
        json.NumberOrNull("lines", s.Count?.Lines);
        json.WriteNumber("rescue_pending", s.PendingRescue);
    }

    /// <summary>In the LINES column: the output file does not exist (it counts as 0 lines).</summary>
    internal const string MissingWord = "missing";

    /// <summary>"data/out_dat/x.dat", or "(no file: blackhole)" for a sink that writes none.</summary>
    internal static string PathCell(LineReport report, SinkLines s) =>
        s.Sink.OutputPath is { } p ? DisplayPath.Of(report.Root, p) : $"(no file: {s.Sink.Type})";

    /// <summary>The line count, "missing" (counts as 0), or "-" for a sink without a file.</summary>
    internal static TableCell LinesCell(SinkLines s) => s.Count switch
    {
        null => new TableCell("-", Tone.Dim),
        { Exists: false } => new TableCell(MissingWord, Tone.Dim),
        { } c => Number(c.Lines),
    };

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteSink(Utf8JsonWriter json, LineReport report, SinkLines s)
    {
        json.WriteStartObject();
        WriteSinkFields(json, report, s);
        json.WriteEndObject();
    }

    private static void WriteSources(LineReport report, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine("sources");
        var table = new TextTable(
            new TableColumn("key", Fit: Fit.Right, MinWidth: 10),
            new TableColumn("enabled"),
            new TableColumn("lines", AlignRight: true),
            new TableColumn("path", Fit: Fit.PathLeft, MinWidth: 20));
        foreach (var s in report.Sources)
        {
            table.Add(
                s.Source.Key,
                s.Source.Enable ? "yes" : new TableCell("no", Tone.Dim),
                s.Count.Exists ? Number(s.Count.Lines) : new TableCell(MissingWord, Tone.Warn),
                DisplayPath.Of(report.Root, s.Source.Path));
        }

        table.AddRule();
        table.Add("total", "enabled", Number(report.EnabledSourceLines));
        table.Write(output, style);
        if (report.Sources.Any(x => !x.Count.Exists))
        {
            output.WriteLine("missing: the source file does not exist; it counts as 0 lines");
        }
    }

    private static void WriteSinks(LineReport report, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine("sinks");
        var pending = report.Sinks.Any(s => s.PendingRescue > 0);
        TableColumn[] columns =
        [
            new TableColumn("scope"),
            new TableColumn("group", Fit: Fit.Right, MinWidth: 9),
            new TableColumn("sink", Fit: Fit.Right, MinWidth: 12),
            new TableColumn("lines", AlignRight: true),
            .. pending ? [new TableColumn("rescue", AlignRight: true)] : Array.Empty<TableColumn>(),
            new TableColumn("path", Fit: Fit.PathLeft, MinWidth: 20),
        ];
        var table = new TextTable(columns);
        foreach (var s in report.Sinks)
        {
            TableCell[] cells = pending
                ? [s.Scope, s.Group.Name, s.Sink.Name, LinesCell(s), s.PendingRescue > 0 ? new TableCell(Number(s.PendingRescue), Tone.Warn) : new TableCell("0", Tone.Dim), PathCell(report, s)]
                : [s.Scope, s.Group.Name, s.Sink.Name, LinesCell(s), PathCell(report, s)];
            table.Add(cells);
        }

        table.AddRule();
        table.Add("total", "business", string.Empty, Number(report.BusinessLines));
        table.Add("total", "infra", string.Empty, Number(report.InfraLines));
        table.Add("total", "all", string.Empty, Number(report.SinkLines));
        table.Write(output, style);
        if (report.Sinks.Any(x => x.Count is { Exists: false }))
        {
            output.WriteLine("missing: the output file does not exist; it counts as 0 lines");
        }

        if (pending)
        {
            output.WriteLine("rescue: records still in rescue files (sealed or orphaned), not yet in the sink; wprescue replays them");
        }
    }
}
