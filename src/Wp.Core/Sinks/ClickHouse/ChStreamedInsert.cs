using System.IO.Pipelines;
using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Sinks.ClickHouse;

/// <summary>
/// One INSERT whose body is sent while it is written (chunked transfer encoding) and stored only
/// once <see cref="CompleteAsync"/> ends it: the body is a gzip stream (<see cref="GzipStoredFrame"/>)
/// whose trailer only the completion writes, so a request that breaks off stores nothing.
/// </summary>
/// <remarks>
/// The body goes through a pipe: <see cref="WriteAsync"/> copies the bytes in (the caller's buffer
/// may be reused at once) and waits only while more than <see cref="PauseBytes"/> are not sent yet.
/// A server that answers before the body ends (it refused the data, or failed) stops reading; the
/// answer releases a waiting write, and every later write returns false at once. A server that
/// neither reads nor answers for <c>stall</c> fails the write or the completion (an outage).
/// </remarks>
internal sealed class ChStreamedInsert : IAsyncDisposable
{
    private const int PauseBytes = 4 << 20;

    private readonly Pipe _body = new(new PipeOptions(pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));
    private readonly GzipStoredFrame _frame = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task<HttpResponseMessage> _response;
    private readonly TimeSpan _stall;
    private bool _completed;

    public ChStreamedInsert(HttpClient http, Uri url, TimeSpan stall)
    {
        _stall = stall;
        var content = new StreamContent(_body.Reader.AsStream());
        content.Headers.ContentEncoding.Add("gzip");
        _response = http.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, HttpCompletionOption.ResponseContentRead, _abort.Token);
        _ = _response.ContinueWith(_ => _body.Writer.CancelPendingFlush(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Sends <paramref name="bytes"/> on; false when the server has stopped reading (see <see cref="CompleteAsync"/> for why).</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_response.IsCompleted)
        {
            return false;
        }

        _frame.Append(bytes.Span, _body.Writer);
        var flush = _body.Writer.FlushAsync(cancellationToken);
        var result = flush.IsCompleted ? flush.Result : await Bounded(flush.AsTask(), "stopped reading the insert", cancellationToken);
        return !result.IsCanceled && !result.IsCompleted && !_response.IsCompleted;
    }

    /// <summary>Ends the body and returns the server's answer (the caller disposes it); throws when the request failed.</summary>
    public async Task<HttpResponseMessage> CompleteAsync()
    {
        _completed = true;
        if (!_response.IsCompleted)
        {
            _frame.Finish(_body.Writer);
            await _body.Writer.CompleteAsync();
        }

        return await Bounded(_response, "did not answer the insert", CancellationToken.None);
    }

    /// <summary>Aborts the request unless it was completed: the body breaks off without its trailer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _abort.CancelAsync();
            await _body.Writer.CompleteAsync(new OperationCanceledException("insert aborted"));
            try
            {
                (await _response).Dispose();
            }
            catch (Exception)
            {
                // Aborted on purpose: its failure is the expected outcome.
            }
        }

        _abort.Dispose();
    }

    private async Task<T> Bounded<T>(Task<T> step, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await step.WaitAsync(_stall, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new SinkUnavailableException($"clickhouse: the server {what} for {(long)_stall.TotalMilliseconds} ms", ex);
        }
    }
}
