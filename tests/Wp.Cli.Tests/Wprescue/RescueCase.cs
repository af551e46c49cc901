using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Wp.Cli.Tests.Support;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Rescue;
using Record = Wp.Core.Records.Record;

namespace Wp.Cli.Tests.Wprescue;

/// <summary>
/// A private copy of the sink_recovery usecase set up for wprescue: the benchmark sink's connector is
/// written by the test (not taken from the shipped file), engine keys are set one by one, and rescue
/// files are made with the real <see cref="RescueWriter"/>.
/// </summary>
internal sealed partial class RescueCase : IDisposable
{
    public const string Sink = "benchmark_file_sink";

    /// <param name="test">Names the temp folder; cut short so that the copy's random suffix survives (two cases in one test get different tags).</param>
    public RescueCase([CallerMemberName] string test = "", string tag = "")
    {
        Root = new UsecaseCopy(test: test[..Math.Min(test.Length, 40)] + tag);
        UseSink("file_kv_sink");
        SetEngineKey("idle_exit_sec", "1");
    }

    public UsecaseCopy Root { get; }

    public string RescueDir => Root.PathOf("data/rescue");

    public string TargetPath => Root.PathOf("data/out_dat/benchmark.dat");

    public string LogPath => Root.PathOf("logs/wprescue.log");

    public string CheckpointPath => Path.Combine(RescueDir, "recover.lock");

    /// <summary>The wprescue log so far (empty when there is none), read without disturbing the writer.</summary>
    public string Log => LogPath.ReadShared();

    /// <summary>Rewrites sink/business.d/benchmark.toml with the benchmark sink on <paramref name="connect"/>.</summary>
    public void UseSink(string connect, string extraParams = "", string file = "benchmark.dat") =>
        Root.Write("sink/business.d/benchmark.toml", $$"""
            version = "2.0"

            [sink_group]
            name     = "benchmark"
            oml      = ["sys"]
            on_error = "fix_retry"

            [[sink_group.sinks]]
            name    = "{{Sink}}"
            connect = "{{connect}}"
            params  = { file = "{{file}}"{{(extraParams.Length > 0 ? ", " + extraParams : string.Empty)}} }
            """ + "\n");

    /// <summary>Sets one <c>key = value</c> line of conf/wparse.toml; fails loudly if the key is not there.</summary>
    public void SetEngineKey(string key, string value)
    {
        var path = Root.PathOf("conf/wparse.toml");
        var text = File.ReadAllText(path);
        var pattern = new Regex($@"^(\s*){Regex.Escape(key)}(\s*)=.*$", RegexOptions.Multiline);
        if (!pattern.IsMatch(text))
        {
            throw new InvalidOperationException($"{key} not found in conf/wparse.toml");
        }

        File.WriteAllText(path, pattern.Replace(text, $"$1{key}$2= {value}", 1));
    }

    /// <summary>Writes and seals one rescue file named for <paramref name="time"/>; returns its path.</summary>
    public string WriteRescueFile(DateTimeOffset time, IEnumerable<Record> records, string sink = Sink)
    {
        using var writer = new RescueWriter(RescueDir, sink, long.MaxValue, new FixedTime(time));
        foreach (var chunk in records.Chunk(1000))
        {
            writer.Write(chunk);
        }

        return writer.Seal() ?? throw new InvalidOperationException("no records");
    }

    /// <summary>Records numbered by <c>n</c>, each with a text field that needs kv quoting.</summary>
    public static IEnumerable<Record> Records(long from, int count)
    {
        for (var n = from; n < from + count; n++)
        {
            var record = new Record(3);
            record.Add("n", Value.Int(n));
            record.Add("msg", Value.String($"record \"{n}\" ok"));
            record.Add("sip", Value.Ip("10.0.0." + (n % 250)));
            yield return record;
        }
    }

    /// <summary>The kv lines the target must hold for <paramref name="records"/>.</summary>
    public static List<string> KvLines(IEnumerable<Record> records)
    {
        var formatter = RecordFormatters.ForName(RecordFormatters.Kv);
        using var text = new TextBuffer();
        foreach (var record in records)
        {
            formatter.Format(record, text);
        }

        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>The lines of the target, read while a writer may hold it.</summary>
    public string[] TargetLines() => TargetPath.ReadShared().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Bare names of the rescue data files (<c>.dat</c> and <c>.dat.lock</c>) in the rescue folder.</summary>
    public string[] RescueFiles() =>
        Directory.Exists(RescueDir)
            ? Directory.GetFiles(RescueDir)
                .Select(f => Path.GetFileName(f))
                .Where(f => f.EndsWith(".dat", StringComparison.Ordinal) || f.EndsWith(".dat.lock", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

    /// <summary>The checkpoint's single entry, or null when there is no checkpoint.</summary>
    public (long Offset, long Lines, bool Clean)? Checkpoint()
    {
        var text = CheckpointPath.ReadShared();
        if (text.Length == 0)
        {
            return null;
        }

        var m = CheckpointEntry().Match(text);
        return m.Success ? (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), m.Groups[3].Value == "true") : null;
    }

    public Task<ToolResult> WprescueAsync(string[] args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null) =>
        ToolProcess.RunAsync("wprescue", Root.Root, args, timeout, env);

    public ToolProcess StartWprescue(string[] args, IReadOnlyDictionary<string, string>? env = null) =>
        ToolProcess.Start("wprescue", Root.Root, args, env);

    public void Dispose() => Root.Dispose();

    /// <summary>Counts each line; for multiset comparisons.</summary>
    public static Dictionary<string, int> Multiset(IEnumerable<string> lines) =>
        lines.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    [GeneratedRegex("\"offset\":(\\d+),\"lines\":(\\d+),\"size\":\\d+,\"clean\":(true|false)")]
    private static partial Regex CheckpointEntry();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
