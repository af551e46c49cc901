using System.Globalization;

namespace Wp.Core.Hosting;

/// <summary>
/// What the garbage collector did in this process so far, for a run's last log line: collections
/// per generation, time paused, bytes allocated. Tells a run that spent its time collecting (big
/// sink batches on a small young generation: docs/configuration.md, "Database sinks") from one that
/// did not, without a profiler.
/// </summary>
internal static class GcSummary
{
    public static string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"gc: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen0/1/2), " +
        $"{GC.GetTotalPauseDuration().TotalSeconds:0.000} s paused, {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB allocated");
}
