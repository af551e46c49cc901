using System.Text;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Recovery;
using Wp.Core.Rescue;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Recovery;

/// <summary>Builds rescue file content line by line: entries numbered by <c>n</c>, blank and garbage lines.</summary>
internal sealed class RescueFileBuilder
{
    private readonly List<byte> _bytes = [];

    /// <summary>Number of lines added so far.</summary>
    public int Lines { get; private set; }

    public static Record Entry(long n)
    {
        var record = new Record();
        record.Add("n", Value.Int(n));
        record.Add("msg", Value.String($"line \"{n}\" é"));
        return record;
    }

    public static Record PlainEntry(long n)
    {
        var record = new Record();
        record.Add("n", Value.Int(n));
        record.Add("msg", Value.String($"line {n}"));
        return record;
    }

    public static byte[] Encode(Record record)
    {
        using var buffer = new PooledByteBuffer();
        RescueEntryCodec.Encode(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Entries with n = <paramref name="from"/> … <paramref name="from"/>+<paramref name="count"/>-1; <paramref name="plain"/>
    /// entries (ASCII text, no escapes) take the decoder's fast path, the others its JSON reader.
    /// </summary>
    public RescueFileBuilder Entries(long from, int count, bool plain = false)
    {
        for (var i = 0; i < count; i++)
        {
            _bytes.AddRange(Encode(plain ? PlainEntry(from + i) : Entry(from + i)));
            Lines++;
        }

        return this;
    }

    public RescueFileBuilder Raw(string text)
    {
        _bytes.AddRange(Encoding.UTF8.GetBytes(text));
        if (text.EndsWith('\n'))
        {
            Lines++;
        }

        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Writes the content as <c>&lt;folder&gt;/&lt;sink&gt;-&lt;time&gt;[-seq].dat</c> (or <c>.dat.lock</c>); returns the path.</summary>
    public string WriteTo(string folder, string sink, DateTime timeUtc, int seq = 0, bool isSealed = true)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, new RescueFileName(sink, timeUtc, seq, isSealed).ToString());
        File.WriteAllBytes(path, ToArray());
        return path;
    }
}

/// <summary>
/// An in-memory backend for replay tests: records what it got, remembers how much was flushed, and
/// fails on demand (a count of writes, a threshold of records, or the next flush). Hooks run on each
/// write and flush so a test can advance a fake clock or cancel a stop token at an exact point.
/// </summary>
internal sealed class RecordingBackend : ISinkBackend
{
    private readonly Lock _lock = new();
    private readonly List<Record> _written = [];

    /// <summary>While false, writes and flushes throw.</summary>
    public bool Up { get; set; } = true;

    /// <summary>Fail this many upcoming writes, then succeed.</summary>
    public int FailWrites { get; set; }

    /// <summary>Fail every write that would take <see cref="Written"/> past this count.</summary>
    public long? FailBeyond { get; set; }

    /// <summary>Fail the next flush only.</summary>
    public bool FailNextFlush { get; set; }

    /// <summary>Runs before each write is accepted.</summary>
    public Action<IReadOnlyList<Record>>? OnWrite { get; set; }

    /// <summary>Runs at each flush, before it succeeds or fails.</summary>
    public Action? OnFlush { get; set; }

    /// <summary>How many records had been written at the last successful flush.</summary>
    public int FlushedCount { get; private set; }

    public int Flushes { get; private set; }

    public int FailedCalls { get; private set; }

    /// <summary>What a failed write says about when the backend is back (<see cref="SinkUnavailableException.RetryAfter"/>).</summary>
    public TimeSpan? RetryAfter { get; set; }

    public IReadOnlyList<Record> Written
    {
        get
        {
            lock (_lock)
            {
                return [.. _written];
            }
        }
    }

    /// <summary>The <c>n</c> of every written record, in order.</summary>
    public IReadOnlyList<long> Ns => Written.Select(r => r.Find("n")!.Value.Value.AsInt).ToList();

    public ValueTask WriteAsync(IReadOnlyList<Record> batch, CancellationToken cancellationToken)
    {
        OnWrite?.Invoke(batch);
        if (!Up || FailWrites > 0 || (FailBeyond is { } limit && _written.Count + batch.Count > limit))
        {
            FailWrites = Math.Max(0, FailWrites - 1);
            FailedCalls++;
            throw new SinkUnavailableException("recording backend: down") { RetryAfter = RetryAfter };
        }

        lock (_lock)
        {
            _written.AddRange(batch);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        OnFlush?.Invoke();
        if (!Up || FailNextFlush)
        {
            FailNextFlush = false;
            FailedCalls++;
            throw new SinkUnavailableException("recording backend: flush failed");
        }

        Flushes++;
        FlushedCount = _written.Count;
        return ValueTask.CompletedTask;
    }

    public ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        Up ? ValueTask.CompletedTask : ValueTask.FromException(new SinkUnavailableException("recording backend: down"));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal static class RecoveryFixtures
{
    public static SinkOptions Sink(string name, string? outputPath = null) => new()
    {
        Name = name,
        Group = "g",
        Connect = "test",
        Type = "test",
        Params = new Dictionary<string, object>(),
        Settings = outputPath is null ? null : new Wp.Core.Sinks.Files.FileSinkOptions { Path = outputPath },
        SourceFile = "test.toml",
    };

    /// <summary>A sink runtime in replay mode over <paramref name="backend"/>, wrapped as a replay target.</summary>
    public static ReplayTarget Target(string sinkName, ISinkBackend backend, string rescueRoot, TimeProvider time, Serilog.ILogger log, int batchSize = 1024)
    {
        var runtime = new SinkRuntime(
            new SinkRuntimeOptions { SinkName = sinkName, RescueRoot = rescueRoot, DivertOnFailure = false },
            backend,
            time,
            log);
        return new ReplayTarget(Sink(sinkName), runtime, batchSize);
    }
}
