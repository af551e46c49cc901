using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Wp.Core.Sources.Nats;

/// <summary>The stream both nats_src and nats_sink use: created (subjects = the configured subject) by whichever starts first (docs/sources.md).</summary>
internal static class NatsStreams
{
    private const int NotFound = 404;

    /// <summary>Gets the stream, creating it when missing (a concurrent creator is fine).</summary>
    public static async Task EnsureAsync(INatsJSContext js, string stream, string subject, CancellationToken cancellationToken)
    {
        try
        {
            await js.GetStreamAsync(stream, cancellationToken: cancellationToken);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == NotFound)
        {
            try
            {
                await js.CreateStreamAsync(new StreamConfig(stream, [subject]), cancellationToken);
            }
            catch (NatsJSApiException)
            {
                // Another process created it between our look and our create; look again.
                await js.GetStreamAsync(stream, cancellationToken: cancellationToken);
            }
        }
    }
}
