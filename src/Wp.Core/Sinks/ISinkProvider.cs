using Wp.Core.Config;

namespace Wp.Core.Sinks;

/// <summary>
/// One kind of sink backend (a connector <c>type</c>): its built-in connectors, the typed reading
/// of its params, and the backend it creates. One folder per provider under <c>Sinks/</c>, listed
/// once in <see cref="SinkProviders"/>; the config loaders know providers only through this
/// interface (ARCHITECTURE practice 8).
/// </summary>
internal interface ISinkProvider
{
    /// <summary>The connector <c>type</c> this provider serves (e.g. <c>file</c>, <c>postgres</c>).</summary>
    string Type { get; }

    /// <summary>The built-in connectors of this type (SPEC §7.1), with their defaults and <c>allow_override</c>.</summary>
    IReadOnlyList<ConnectorDefinition> Connectors { get; }

    /// <summary>True when sinks of this type write a file (<c>base</c> + <c>file</c>, <c>fmt</c>): the generator may write through them.</summary>
    bool WritesFile => false;

    /// <summary>
    /// Reads and validates a sink's merged params once, at load. Every problem is added to
    /// <paramref name="parameters"/> with the file and line it came from (so <c>wproj check</c>
    /// reports the same). Returns null when the params are unusable. Does not throw.
    /// </summary>
    ISinkSettings? Read(SinkParams parameters);
}

/// <summary>A sink's validated, typed settings: what its provider needs to create the backend.</summary>
internal interface ISinkSettings
{
    /// <summary>The absolute output file of a file-writing sink; otherwise null.</summary>
    string? OutputPath => null;

    /// <summary>The output format of a file-writing sink (SPEC §7.2); <c>kv</c> otherwise.</summary>
    string Format => SinkFormats.Kv;

    /// <summary>What the stat tables show as the sink's target: a path, or a server and table. Never a secret.</summary>
    string Target { get; }

    /// <summary>True when <c>wproj check --probe</c> should connect to this sink (a network or database sink).</summary>
    bool IsRemote => false;

    /// <summary>Creates the backend. It must not connect or touch files yet: the first write or probe does.</summary>
    ISinkBackend Create(TimeProvider time);
}
