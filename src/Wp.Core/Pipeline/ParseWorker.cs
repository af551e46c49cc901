using System.Threading.Channels;
using Wp.Core.Oml;
using Wp.Core.Records;
using Wp.Core.Sources;
using Wp.Core.Wpl;

namespace Wp.Core.Pipeline;

/// <summary>
/// One parse worker: takes line batches, matches each line against the WPL rules, applies the rule
/// path's OML model, and posts per-group chunks to the outlets (docs/wpl.md, docs/oml.md). Several workers
/// run at once; everything they share is read-only or counted with Interlocked.
/// </summary>
internal sealed class ParseWorker
{
    private const string SourceKeyField = "wp_src_key";
    private const string ErrorField = "wp_error";

    private readonly WplRuleSet _rules;
    private readonly RoutePlan _plan;
    private readonly ParseCounters _counters;
    private readonly RecordPool _records;

    /// <param name="records">The records' pool, shared by the run's parse workers (a batch's records are reused once its sinks stored them).</param>
    public ParseWorker(WplRuleSet rules, RoutePlan plan, ParseCounters counters, RecordPool records)
    {
        _rules = rules;
        _plan = plan;
        _counters = counters;
        _records = records;
    }

    public async Task RunAsync(ChannelReader<LineBatch> input)
    {
        await foreach (var batch in input.ReadAllAsync())
        {
            var chunks = new List<Record>?[_plan.OutletCount];
            var lease = batch.Lease ?? _records.Take(); // either way this worker holds the lease's first hold
            var tally = Parse(batch, chunks, lease);
            _counters.Add(tally);
            for (var i = 0; i < chunks.Length; i++)
            {
                if (chunks[i] is { } chunk)
                {
                    await _plan.Outlet(i).PostAsync(chunk, batch.Ack, lease, CancellationToken.None);
                }
            }

            // Every sink that took records of this batch holds its ticket and the records' lease now;
            // a batch that made no record (blank lines only) is complete here.
            batch.Ack?.Release();
            lease.Release();
        }
    }

    private ParseTally Parse(LineBatch batch, List<Record>?[] chunks, RecordLease lease)
    {
        var tally = new ParseTally(_plan.RuleCount) { Lines = batch.Count };
        var sourceKey = Value.String(batch.SourceKey);
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch.TryGetChars(i, out var chars, out var length))
            {
                (chars, length) = TextOf(batch.Lines[i], lease);
            }

            if (chars.AsSpan(0, length).IsWhiteSpace())
            {
                tally.Blank++;
                continue;
            }

            var match = _rules.Match(chars, length, lease);
            if (match.Rule is not { } rule || match.Record is not { } record)
            {
                // The miss record keeps the raw line and says which rule came closest and why (docs/wpl.md).
                tally.Miss++;
                if (match.Closest is { } closest)
                {
                    tally.MissPerRule[_plan.For(closest).RuleIndex]++;
                }

                var line = new string(chars, 0, length);
                Add(chunks, _plan.Miss, Record.FromRaw(match.MissReason is { } reason ? line + " wp_miss: " + reason : line));
                continue;
            }

            var route = _plan.For(rule);
            tally.PerRule[route.RuleIndex]++;
            if (match.Residue is { Length: > 0 } residue)
            {
                tally.Residue++;
                Add(chunks, _plan.Residue, Record.FromRaw($"wpl:{rule.Path},residue:{residue}"));
            }

            var output = route.Model is { } model ? model.Apply(record, lease) : record;
            if (output.Count == 0)
            {
                tally.TransformErrors++;
                record.Add(ErrorField, Value.String($"oml {route.Model!.Name}: empty output for {rule.Path}"));
                record.Add(SourceKeyField, sourceKey);
                AddExtra(record, batch.ExtraAt(i));
                Add(chunks, _plan.Error, record);
                continue;
            }

            output.Add(SourceKeyField, sourceKey);
            AddExtra(output, batch.ExtraAt(i));
            // A rule's outlet usually takes most of the batch: its chunk is sized for the rest of it at
            // once (one array per batch instead of five doublings from 64).
            (chunks[route.Outlet] ??= new List<Record>(batch.Count - i)).Add(output);
        }

        return tally;
    }

    /// <summary>
    /// A string line (from a source that makes strings) copied into a char array of the batch's lease,
    /// as the file source decodes its lines: the records' text then never refers to a young string
    /// that a sink's waiting batch would keep alive into the GC's older generations.
    /// </summary>
    private static (char[] Chars, int Length) TextOf(string line, RecordLease lease)
    {
        var chars = lease.RentLine(line.Length);
        line.CopyTo(chars);
        return (chars, line.Length);
    }

    /// <summary>Fields the source attached to the line (a syslog header's) go on every record made from it.</summary>
    private static void AddExtra(Record record, Field[]? extra)
    {
        foreach (var field in extra ?? [])
        {
            record.Add(field);
        }
    }

    private static void Add(List<Record>?[] chunks, int outlet, Record record) =>
        (chunks[outlet] ??= new List<Record>(64)).Add(record);
}
