using System.Diagnostics;
using Wp.Core.Records;
using Wp.Core.Records.Formatting;
using Wp.Core.Rescue;

namespace Wp.Bench;

/// <summary>
/// A plain stopwatch loop for quick before/after checks on a busy machine: runs the work for ~1 s,
/// seven times, and prints the fastest run per line (the minimum is what noise cannot lower).
/// <c>Wp.Bench --loop match|matchkv|decode</c>.
/// </summary>
internal static class QuickLoop
{
    public static void Run(string what)
    {
        var rules = Corpus.Rules("nginx");
        var lines = Corpus.LinesFor("nginx", rules);
        using var text = new TextBuffer(1 << 20);
        using var bytes = new PooledByteBuffer(1 << 20);
        var entries = Corpus.RecordsFor("nginx").Select(r =>
        {
            bytes.Clear();
            RescueEntryCodec.Encode(r, bytes);
            return bytes.WrittenSpan.ToArray();
        }).ToArray();
        Func<int> work = what switch
        {
            "match" => () =>
            {
                var n = 0;
                foreach (var line in lines)
                {
                    n += rules.Match(line).Record!.Count;
                }

                return n;
            }
            ,
            "matchkv" => () =>
            {
                text.Clear();
                foreach (var line in lines)
                {
                    KvFormatter.Instance.Format(rules.Match(line).Record!, text);
                }

                return text.Length;
            }
            ,
            "decode" => () =>
            {
                var n = 0;
                foreach (var entry in entries)
                {
                    RescueEntryCodec.TryDecode(entry, out var record, out _);
                    n += record!.Count;
                }

                return n;
            }
            ,
            _ => throw new ArgumentException("unknown loop " + what, nameof(what)),
        };

        var best = double.MaxValue;
        var bestCall = long.MaxValue;
        for (var run = 0; run < 8; run++)
        {
            var sw = Stopwatch.StartNew();
            var iterations = 0L;
            while (sw.ElapsedMilliseconds < 1000)
            {
                var start = Stopwatch.GetTimestamp();
                work();
                var took = Stopwatch.GetTimestamp() - start;
                iterations++;
                if (run > 0)
                {
                    bestCall = Math.Min(bestCall, took);
                }
            }

            var perLine = sw.Elapsed.TotalNanoseconds / (iterations * lines.Length);
            if (run > 0)
            {
                best = Math.Min(best, perLine); // run 0 is warm-up
            }
        }

        // The fastest single pass over the lines is what a busy machine's noise cannot lower (GC pauses
        // land in other passes), so it compares code on a shared machine; the run figure includes them.
        var fastest = bestCall * (1e9 / Stopwatch.Frequency) / lines.Length;
        Console.WriteLine($"{what}: {best:F1} ns/line (best of 7 runs), {fastest:F1} ns/line (fastest pass)");
    }
}
