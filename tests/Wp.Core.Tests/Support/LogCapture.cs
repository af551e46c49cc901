using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Wp.Core.Tests.Support;

/// <summary>A Serilog logger that keeps every event so tests can assert on log lines.</summary>
internal sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public LogCapture() =>
        Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public ILogger Logger { get; }

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Rendered messages at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<string> Messages(LogEventLevel level = LogEventLevel.Verbose) =>
        _events.Where(e => e.Level >= level).Select(e => e.RenderMessage()).ToList();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
