using System.Text;
using System.Text.Unicode;
using System.Threading.Channels;
using Wp.Core.Records;
using Wp.Core.Sources.Syslog;

namespace Wp.Core.Sources.Net;

/// <summary>
/// Turns one reader's messages into <see cref="LineBatch"/>es: decodes UTF-8 (invalid bytes replaced
/// and counted), applies the header mode, takes the speed limit and the <c>--max-line</c> budget, and
/// hands batches over. Handing over waits while the pipeline is full — the caller stops reading, which
/// is how a TCP source pushes back on its sender. One batcher per reader (not thread-safe).
/// </summary>
internal sealed class MessageBatcher
{
    private const int BatchLines = LineBatch.DefaultLines;
    private const int LimiterChunk = 256;

    private readonly SourceCounters _counters;
    private readonly SourceRun _run;
    private readonly HeaderMode _mode;
    private readonly ChannelWriter<LineBatch> _output;
    private readonly NetActivity _activity;
    private LineBatch _batch;
    private int _credits;

    public MessageBatcher(SourceCounters counters, SourceRun run, HeaderMode mode, ChannelWriter<LineBatch> output, NetActivity activity)
    {
        _counters = counters;
        _run = run;
        _mode = mode;
        _output = output;
        _activity = activity;
        _batch = new LineBatch(counters.Key, BatchLines);
    }

    public int Pending => _batch.Count;

    /// <summary>Decodes one message's bytes (a trailing <c>\r</c> dropped).</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (!Utf8.IsValid(bytes))
        {
            _counters.AddInvalidUtf8(1);
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Adds a message; returns false when the <c>--max-line</c> budget is spent (the message is not taken).
    /// Waits for the speed limit until <paramref name="stop"/>; once stopping, messages pass at once. Does not throw.
    /// </summary>
    public async ValueTask<bool> AddAsync(string message, CancellationToken stop)
    {
        if (_credits == 0)
        {
            var granted = _run.Limiter.Grant(LimiterChunk);
            if (granted == 0)
            {
                // The speed limit makes us wait: hand over what was read, then stop reading until allowed.
                await FlushAsync();
                _activity.BeginWait();
                try
                {
                    granted = await _run.Limiter.AcquireAsync(LimiterChunk, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    granted = LimiterChunk; // stopping: what was already received is handed over, not lost
                }
                finally
                {
                    _activity.EndWait();
                }
            }

            _credits = granted;
        }

        if (_run.Budget.Take(1) == 0)
        {
            return false;
        }

        _credits--;
        Field[]? extra = null;
        var line = message;
        if (_mode != HeaderMode.Keep && SyslogHeader.TryParse(message, _run.Time.GetUtcNow().UtcDateTime, out var fields, out var body))
        {
            line = body;
            extra = _mode == HeaderMode.Parse ? fields : null;
        }

        _batch.Add(line, extra);
        if (_batch.IsFull)
        {
            await FlushAsync();
        }

        return true;
    }

    /// <summary>Hands over the lines taken so far (never cancelled: lines already read are never dropped).</summary>
    public async ValueTask FlushAsync()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var batch = _batch;
        _batch = new LineBatch(_counters.Key, BatchLines);
        _counters.AddLines(batch.Count);
        if (!_output.TryWrite(batch))
        {
            _activity.BeginWait();
            try
            {
                await _output.WriteAsync(batch, CancellationToken.None);
            }
            finally
            {
                _activity.EndWait();
            }
        }
    }
}
