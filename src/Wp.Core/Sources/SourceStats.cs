using System.Globalization;
using Wp.Core.Stats;

namespace Wp.Core.Sources;

/// <summary>
/// The pick-stage rows: lines read per source; success excludes lines that held invalid UTF-8.
/// A network source's total also counts the messages it dropped (so the rate shows the loss), and
/// it has a second row, stage <c>net</c>: bytes received (its speed is bytes/s), with the
/// connections, drops, cut frames and redeliveries in the target column.
/// </summary>
internal sealed class SourceStats(IReadOnlyList<SourceCounters> sources) : IStatSource
{
    public IEnumerable<StatRow> Snapshot()
    {
        foreach (var s in sources)
        {
            var lines = s.Lines;
            yield return new StatRow("pick", s.Key, s.Path, lines + s.Dropped, lines - s.InvalidUtf8);
            if (s.IsNetwork)
            {
                var bytes = s.Bytes;
                yield return new StatRow("net", s.Key, Detail(s), bytes, bytes);
            }
        }
    }

    /// <summary>"conn 3 drop 0 cut 1 redeliv 0": what the net row's target column shows.</summary>
    public static string Detail(SourceCounters s) =>
        string.Create(CultureInfo.InvariantCulture, $"conn {s.Connections} drop {s.Dropped} cut {s.Cut} redeliv {s.Redelivered}");
}
