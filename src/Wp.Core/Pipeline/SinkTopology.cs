using Serilog;
using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.Runtime;
using Wp.Core.Sources.Acks;

namespace Wp.Core.Pipeline;

/// <summary>
/// Every configured sink, built once: a backend wrapped in a <see cref="SinkRuntime"/> driven by a
/// <see cref="SinkWorker"/>, grouped into outlets. Infra groups are built first so that business
/// groups with <c>on_error = "tolerant"</c> can forward failed batches to <c>error</c>.
/// </summary>
internal sealed class SinkTopology
{
    private SinkTopology(IReadOnlyList<GroupOutlet> business, IReadOnlyDictionary<string, GroupOutlet> infra, IReadOnlyList<SinkWorker> workers, Action<SinkWorker> onFatal)
    {
        Business = business;
        Infra = infra;
        Workers = workers;
        OnFatal = onFatal;
    }

    public IReadOnlyList<GroupOutlet> Business { get; }

    public IReadOnlyDictionary<string, GroupOutlet> Infra { get; }

    public IReadOnlyList<SinkWorker> Workers { get; }

    /// <summary>Called by a worker whose sink failed fatally (strategy <c>throw</c>, or rescue impossible).</summary>
    public Action<SinkWorker> OnFatal { get; }

    public static SinkTopology Build(ProjectConfig config, TimeProvider time, ILogger logger, Action<SinkWorker> onFatal)
    {
        var workers = new List<SinkWorker>();
        var sinkLog = logger.ForContext("SourceContext", "sink");
        var infra = new Dictionary<string, GroupOutlet>(StringComparer.Ordinal);
        foreach (var group in config.InfraGroups.Values)
        {
            infra[group.Name] = BuildGroup(group, error: null);
        }

        // An infra group with no file counts and drops what it gets (docs/configuration.md); one outlet per name, so
        // its count is one number in the final table. The monitor group only gets stat records.
        foreach (var name in InfraGroups.All.Where(n => n != InfraGroups.Monitor && !infra.ContainsKey(n)))
        {
            infra[name] = new GroupOutlet(name, []);
        }

        var error = infra[InfraGroups.Error];
        var business = config.BusinessGroups.Select(g => BuildGroup(g, error)).ToList();
        return new SinkTopology(business, infra, workers, onFatal);

        GroupOutlet BuildGroup(SinkGroupOptions group, GroupOutlet? error)
        {
            var sinks = group.Sinks.Select(sink =>
            {
                // One forwarder per sink: it relays the acknowledgement of the worker's current batch.
                var forwarder = error is null ? null : new ErrorGroupForwarder(error);
                var runtime = new SinkRuntime(
                    new SinkRuntimeOptions
                    {
                        SinkName = sink.Name,
                        OnError = group.OnError,
                        RescueRoot = config.Engine.RescueRoot,
                        MaxFileBytes = config.Engine.Rescue.MaxFileBytes,
                    },
                    SinkBackendFactory.Create(sink, time),
                    time,
                    sinkLog,
                    forwarder);
                var worker = new SinkWorker(sink, group, runtime, time, sinkLog);
                if (forwarder is not null)
                {
                    forwarder.Owner = worker;
                }

                workers.Add(worker);
                return worker;
            }).ToList();
            return new GroupOutlet(group.Name, sinks);
        }
    }

    /// <summary>Disposes every runtime (flush primaries, seal rescue files); returns how many failed, each logged.</summary>
    public async Task<int> DisposeAsync(ILogger log)
    {
        var failures = 0;
        foreach (var worker in Workers)
        {
            try
            {
                await worker.Runtime.DisposeAsync();
            }
            catch (Exception ex)
            {
                log.Error(ex, "sink {Sink}: closing failed", worker.Sink.Name);
                failures++;
            }
        }

        return failures;
    }

    /// <summary>
    /// Sends batches a tolerant group could not write to <c>error</c>, each record tagged with the
    /// reason. The forwarded chunk carries a relay of the owner's current batch tickets, so the input
    /// stays unacknowledged until the error group's sinks have stored the records too.
    /// </summary>
    internal sealed class ErrorGroupForwarder(GroupOutlet error) : IErrorGroupForwarder
    {
        public SinkWorker? Owner { get; set; }

        public async ValueTask ForwardAsync(IReadOnlyList<Record> batch, string reason, CancellationToken cancellationToken)
        {
            // Records are shared with sibling sinks, so the tagged copies are new records; their text is
            // copied too, since the error group may write them after the original records' lease is reused.
            var tagged = batch.Select(record => Tag(record, reason)).ToList();
            var relay = Owner is null ? null : AckTicket.Relay(Owner.CurrentBatchAcks);
            await error.PostAsync(tagged, relay, cancellationToken);
            relay?.Release(); // the error group's sinks hold it now
        }

        /// <summary>A copy of <paramref name="record"/> with <c>wp_error</c> = <paramref name="reason"/>, sharing no text with it.</summary>
        internal static Record Tag(Record record, string reason)
        {
            if (record.IsRaw)
            {
                return Record.FromRaw(record.Raw + " wp_error: " + reason);
            }

            var copy = new Record(record.Count + 1);
            foreach (var field in record.Fields)
            {
                copy.Add(field.Name, field.Value.Detached());
            }

            copy.Add("wp_error", Value.String(reason));
            return copy;
        }
    }
}
