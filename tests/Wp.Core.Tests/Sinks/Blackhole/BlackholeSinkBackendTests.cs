using Wp.Core.Records;
using Wp.Core.Sinks.Blackhole;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks.Blackhole;

public sealed class BlackholeSinkBackendTests
{
    private static Record[] Batch(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var record = new Record();
            record.Add("i", Value.Int(i));
            return record;
        }).ToArray();

    [Fact]
    public async Task It_counts_every_record_and_non_empty_batch_it_discards()
    {
        await using var sink = new BlackholeSinkBackend();

        await sink.WriteAsync(Batch(3), CancellationToken.None);
        await sink.WriteAsync(Batch(0), CancellationToken.None);
        await sink.WriteAsync([Record.FromRaw("raw line")], CancellationToken.None);

        sink.RecordsDiscarded.Should().Be(4);
        sink.BatchesDiscarded.Should().Be(2);
    }

    [Fact]
    public async Task Flush_and_probe_always_succeed()
    {
        await using var sink = new BlackholeSinkBackend();

        await sink.Invoking(s => s.FlushAsync(CancellationToken.None).AsTask()).Should().NotThrowAsync();
        await sink.Invoking(s => s.ProbeAsync(CancellationToken.None).AsTask()).Should().NotThrowAsync();
    }

    [Fact]
    public async Task Counting_is_exact_when_several_threads_write_at_once()
    {
        await using var sink = new BlackholeSinkBackend();
        var batch = Batch(10);

        await Parallel.ForAsync(0, 100, async (_, ct) => await sink.WriteAsync(batch, ct));

        sink.RecordsDiscarded.Should().Be(1000);
    }
}
