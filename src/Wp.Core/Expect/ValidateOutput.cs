using System.Globalization;
using System.Text.Json;
using Wp.Core.Hosting.Cli;

namespace Wp.Core.Expect;

/// <summary>Renders a <see cref="ValidationReport"/>: headline, optional evidence table (-v), findings; or the <c>--json</c> document.</summary>
internal static class ValidateOutput
{
    /// <summary>A share or limit as written in messages: up to 4 decimals, no trailing zeros (0.66, 0.0123, 1).</summary>
    public static string Share(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static void WriteText(ValidationReport report, bool verbose, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine(style.Paint(report.Headline, report.Result switch
        {
            "FAIL" => Tone.Bad,
            "WARN" => Tone.Warn,
            _ => Tone.Good,
        }));
        output.WriteLine(report.TotalInputFromOption
            ? $"total_input: {report.TotalInput} lines (--input-cnt)"
            : $"total_input: {report.TotalInput} lines (enabled sources)");

        if (verbose)
        {
            output.WriteLine();
            WriteEvidence(report, output, style);
        }

        var ignored = report.Groups.Where(g => g.Status == GroupStatus.Ignored).ToList();
        if (report.Findings.Count > 0 || ignored.Count > 0)
        {
            output.WriteLine();
        }

        foreach (var finding in report.Findings)
        {
            var (word, tone) = finding.Severity == Severity.Error ? ("FAIL", Tone.Bad) : ("WARN", Tone.Warn);
            var where = finding.Sink is null ? $"group {finding.Group}" : $"{finding.Sink} ({finding.Group})";
            WriteWrapped(output, style, word, tone, $"{where}: {finding.Message}");
        }

        foreach (var note in PendingRescueNotes(report))
        {
            WriteWrapped(output, style, "note", Tone.Warn, note);
        }

        foreach (var group in ignored)
        {
            var why = group.Denominator == 0
                ? $"denominator ({group.Settings.Basis}) is 0"
                : $"denominator {group.Denominator} ({group.Settings.Basis}) below min_samples {group.Settings.MinSamples}";
            WriteWrapped(output, style, "skip", Tone.Dim, $"group {group.Group.Name} ignored: {why}");
        }
    }

    /// <summary>
    /// For each failed sink with records still in rescue files: whether counting them would pass —
    /// a FAIL that is only data not yet replayed says so (issue 11), so nobody hunts a lost record.
    /// </summary>
    public static IEnumerable<string> PendingRescueNotes(ValidationReport report)
    {
        foreach (var group in report.Groups)
        {
            foreach (var sink in group.Sinks.Where(s => s.Verdict is Verdict.Fail or Verdict.Warn && s.Lines.PendingRescue > 0))
            {
                var pending = sink.Lines.PendingRescue;
                var denominator = group.Denominator + (group.Settings.Basis == EffectiveExpect.GroupInput ? pending : 0);
                var share = denominator == 0 ? 0 : (double)(sink.Lines.Lines + pending) / denominator;
                var e = sink.Expect;
                var within = (e.Ratio is not { } ratio || Math.Abs(share - ratio) <= (e.Tol ?? 0) + 1e-12)
                    && (e.Min is not { } min || share >= min)
                    && (e.Max is not { } max || share <= max);
                yield return within
                    ? $"{sink.Lines.Sink.Name} ({group.Group.Name}): explained by pending rescue data: {pending} records are still in rescue files; with them the share is {Share(share)}, within the expectation. Run wprescue, then validate again."
                    : $"{sink.Lines.Sink.Name} ({group.Group.Name}): {pending} records are still in rescue files; even with them the share would be {Share(share)}, so the failure is not only pending rescue data.";
            }
        }
    }

    public static void WriteJson(ValidationReport report, TextWriter output) => JsonOutput.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteString("work_root", report.Lines.Root.FullPath);
        json.WriteString("result", report.Result);
        json.WriteNumber("errors", report.Errors);
        json.WriteNumber("warnings", report.Warnings);
        json.WriteStartArray("notes");
        foreach (var note in PendingRescueNotes(report))
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteNumber("total_input", report.TotalInput);
        json.WriteString("total_input_from", report.TotalInputFromOption ? "input_cnt" : "sources");
        json.WriteStartArray("groups");
        foreach (var group in report.Groups)
        {
            WriteGroup(json, report, group);
        }

        json.WriteEndArray();
        json.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("group", f.Group);
            json.StringOrNull("sink", f.Sink);
            json.WriteString("check", f.Check);
            json.WriteString("severity", f.Severity == Severity.Error ? "error" : "warn");
            json.WriteString("message", f.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>The verdict as the JSON and the evidence table spell it.</summary>
    public static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Warn => "warn",
        Verdict.Fail => "fail",
        Verdict.Ignored => "ignored",
        Verdict.NotMeasured => "not_measured",
        _ => "none",
    };

    private static void WriteGroup(Utf8JsonWriter json, ValidationReport report, GroupVerdict group)
    {
        json.WriteStartObject();
        json.WriteString("scope", group.Scope);
        json.WriteString("group", group.Group.Name);
        json.WriteString("status", group.Status switch
        {
            GroupStatus.Checked => "checked",
            GroupStatus.Ignored => "ignored",
            _ => "no_expectations",
        });
        json.WriteString("basis", group.Settings.Basis);
        json.WriteNumber("denominator", group.Denominator);
        json.WriteNumber("min_samples", group.Settings.MinSamples);
        json.WriteString("mode", group.Settings.Mode == Severity.Error ? "error" : "warn");
        json.NumberOrNull("sum_tol", group.Settings.SumTol);
        json.NumberOrNull("others_max", group.Settings.OthersMax);
        json.WriteStartArray("checks");
        foreach (var check in group.Checks)
        {
            json.WriteStartObject();
            json.WriteString("check", check.Check);
            json.WriteNumber("limit", check.Limit);
            json.WriteNumber("actual", check.Actual);
            json.WriteString("verdict", Word(check.Verdict));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("sinks");
        foreach (var sink in group.Sinks)
        {
            json.WriteStartObject();
            StatOutput.WriteSinkFields(json, report.Lines, sink.Lines);
            json.NumberOrNull("ratio", sink.Ratio);
            if (sink.Expect.HasSinkExpectation)
            {
                json.WriteStartObject("expect");
                json.NumberOrNull("ratio", sink.Expect.Ratio);
                json.NumberOrNull("tol", sink.Expect.Ratio is null ? null : sink.Expect.Tol ?? 0);
                json.NumberOrNull("min", sink.Expect.Min);
                json.NumberOrNull("max", sink.Expect.Max);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("expect");
            }

            json.WriteString("verdict", Word(sink.Verdict));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteEvidence(ValidationReport report, TextWriter output, ConsoleStyle style)
    {
        var table = new TextTable(
            new TableColumn("group", Fit: Fit.Right, MinWidth: 9),
            new TableColumn("sink", Fit: Fit.Right, MinWidth: 16),
            new TableColumn("lines", AlignRight: true),
            new TableColumn("denom", AlignRight: true),
            new TableColumn("ratio", AlignRight: true),
            new TableColumn("expected", Fit: Fit.Right, MinWidth: 9),
            new TableColumn("verdict"));
        var anyMissing = false;
        foreach (var group in report.Groups)
        {
            var denominator = StatOutput.Number(group.Denominator);
            foreach (var sink in group.Sinks)
            {
                anyMissing |= sink.Lines.Count is { Exists: false };
                table.Add(
                    group.Group.Name,
                    sink.Lines.Sink.Name,
                    StatOutput.LinesCell(sink.Lines),
                    denominator,
                    sink.Ratio is { } r ? r.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
                    sink.Expect.Describe(),
                    Cell(sink.Verdict));
            }

            foreach (var check in group.Checks)
            {
                table.Add(
                    group.Group.Name,
                    check.Check == "sum_tol" ? "(sum of ratios)" : "(others)",
                    string.Empty,
                    denominator,
                    check.Actual.ToString("0.0000", CultureInfo.InvariantCulture),
                    check.Check == "sum_tol" ? $"1±{Share(check.Limit)}" : $"[0,{Share(check.Limit)}]",
                    Cell(check.Verdict));
            }
        }

        table.Write(output, style);
        if (anyMissing)
        {
            output.WriteLine("missing: the output file does not exist; it counts as 0 lines");
        }
    }

    private static TableCell Cell(Verdict verdict) => verdict switch
    {
        Verdict.Pass => new TableCell("pass", Tone.Good),
        Verdict.Warn => new TableCell("warn", Tone.Warn),
        Verdict.Fail => new TableCell("fail", Tone.Bad),
        Verdict.Ignored => new TableCell("ignored", Tone.Dim),
        Verdict.NotMeasured => new TableCell("n/a", Tone.Dim),
        _ => new TableCell("-", Tone.Dim),
    };

    /// <summary>"FAIL  message…" wrapped to the style's width, continuation lines indented under the message.</summary>
    private static void WriteWrapped(TextWriter output, ConsoleStyle style, string word, Tone tone, string message)
    {
        const int indent = 6;
        var lines = TextTable.Wrap(message, Math.Max(20, style.Width - indent));
        for (var i = 0; i < lines.Count; i++)
        {
            output.WriteLine(i == 0 ? style.Paint(word.PadRight(indent - 2), tone) + "  " + lines[i] : new string(' ', indent) + lines[i]);
        }
    }
}
