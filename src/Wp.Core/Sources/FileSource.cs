using System.Threading.Channels;
using Wp.Core.Pipeline;

namespace Wp.Core.Sources;

/// <summary>
/// The <c>file_src</c> source (SPEC §4): reads a file line by line into <see cref="LineBatch"/>es.
/// In batch mode it stops at end of file; when following it waits for appended lines like
/// <c>tail -F</c>, reopening the file when it is truncated or replaced.
/// </summary>
internal sealed class FileSource
{
    private const int BatchLines = 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _path;
    private readonly SpeedLimiter _limiter;
    private readonly LineBudget _budget;
    private readonly TimeProvider _time;
    private readonly Serilog.ILogger? _log;

    public FileSource(string key, string path, SpeedLimiter limiter, LineBudget budget, TimeProvider time, Serilog.ILogger? log = null)
    {
        _path = path;
        _limiter = limiter;
        _budget = budget;
        _time = time;
        _log = log;
        Counters = new SourceCounters(key, path);
    }

    public SourceCounters Counters { get; }

    /// <summary>
    /// Reads until end of file (or, when <paramref name="follow"/>, until <paramref name="stop"/> is
    /// cancelled), writing batches to <paramref name="output"/>. A missing file is an error in
    /// batch mode and awaited when following.
    /// </summary>
    public async Task RunAsync(ChannelWriter<LineBatch> output, bool follow, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !_budget.IsExhausted)
        {
            if (!File.Exists(_path))
            {
                if (!follow)
                {
                    throw new FileNotFoundException($"source {Counters.Key}: file not found: {_path}", _path);
                }

                await Delay(stop);
                continue;
            }

            var reopen = await ReadFileAsync(output, follow, stop);
            if (!reopen)
            {
                return;
            }
        }
    }

    /// <summary>Reads one opening of the file; returns true when it was truncated or replaced and must be reopened.</summary>
    private async Task<bool> ReadFileAsync(ChannelWriter<LineBatch> output, bool follow, CancellationToken stop)
    {
        await using var stream = new FileStream(
            _path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        using var reader = new LineReader(stream);
        var batch = new LineBatch(Counters.Key, BatchLines);
        long countedInvalid = 0;
        long countedSplit = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var wanted = batch.Lines.Length - batch.Count;
                var allowed = _limiter.Grant(wanted);
                if (allowed == 0 && batch.Count > 0)
                {
                    // The speed limit makes us wait: hand over what was read rather than holding it.
                    await output.WriteAsync(batch, stop);
                    batch = new LineBatch(Counters.Key, BatchLines);
                }

                if (allowed == 0)
                {
                    allowed = await _limiter.AcquireAsync(wanted, stop);
                }

                var granted = _budget.Take(allowed);
                if (granted == 0)
                {
                    return false; // -n reached
                }

                var read = 0;
                while (read < granted && reader.TryReadLine(takePartialAtEnd: !follow, out var line))
                {
                    batch.Add(line);
                    read++;
                }

                ReturnUnused(granted - read);
                Counters.AddLines(read);
                // Deltas, not totals: a followed file that is reopened starts a new reader, and the
                // counts of the earlier openings must stay.
                Counters.AddInvalidUtf8(reader.InvalidUtf8Lines - countedInvalid);
                countedInvalid = reader.InvalidUtf8Lines;
                if (reader.OversizedLines > countedSplit)
                {
                    if (Counters.AddSplit(reader.OversizedLines - countedSplit))
                    {
                        _log?.Warning(
                            "source {Key}: a line of {Path} is longer than {Max} bytes; it was split into pieces of that size (each parsed as a line; split lines are counted)",
                            Counters.Key,
                            _path,
                            LineReader.MaxLineBytes);
                    }

                    countedSplit = reader.OversizedLines;
                }
                if (batch.IsFull || (read < granted && batch.Count > 0))
                {
                    await output.WriteAsync(batch, stop);
                    batch = new LineBatch(Counters.Key, BatchLines);
                }

                if (read < granted)
                {
                    if (!follow)
                    {
                        return false;
                    }

                    await Delay(stop);
                    if (WasTruncatedOrReplaced(stream, reader.Position))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            if (batch.Count > 0)
            {
                // Lines already read are never dropped: hand over the partial batch even when stopping.
                await output.WriteAsync(batch, CancellationToken.None);
            }
        }
    }

    private void ReturnUnused(int unused)
    {
        // The budget is only an upper bound; lines granted but not read stay available to other sources.
        if (unused > 0)
        {
            _budget.Return(unused);
        }
    }

    private bool WasTruncatedOrReplaced(FileStream stream, long position)
    {
        try
        {
            var onDisk = new FileInfo(_path);
            return !onDisk.Exists || onDisk.Length < position || stream.Length < position;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private Task Delay(CancellationToken stop) =>
        Task.Delay(PollInterval, _time, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
}
