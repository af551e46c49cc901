using Wp.Core.Config;

namespace Wp.Core.Sources;

/// <summary>
/// A source connector (<c>connect = "..."</c> in conf/wpsrc.toml): reads and validates its params
/// once at load, with every problem at its file:line (the same path <c>wproj check</c> runs),
/// and creates the running source. A new source kind is one folder with one provider.
/// </summary>
internal interface ISourceProvider
{
    /// <summary>The connector id, e.g. <c>file_src</c>.</summary>
    string Id { get; }

    /// <summary>
    /// Reads the source's <c>params</c> table (null when the source has none) into typed settings.
    /// Adds every problem to the reader's problems and returns null when the params are unusable.
    /// Unknown keys are problems too.
    /// </summary>
    SourceSettings? Read(WorkRoot root, string key, TableReader? parameters, TableReader source);

    /// <summary>Creates the running source from settings this provider read.</summary>
    ISource Create(string key, SourceSettings settings, SourceRun run);
}

/// <summary>The typed params of one source; each provider derives its own.</summary>
internal abstract record SourceSettings
{
    /// <summary>What the stat table and logs show as the source's target: a path or an address.</summary>
    public abstract string Target { get; }

    /// <summary>The file read, for file sources (wproj stat counts its lines); null for network sources.</summary>
    public virtual string? FilePath => null;
}

/// <summary>Checks shared by the source providers.</summary>
internal static class SourceParams
{
    /// <summary>Reports every param of <paramref name="parameters"/> that is not in <paramref name="known"/>, at its line.</summary>
    public static void RejectUnknown(TableReader? parameters, string key, string connector, params string[] known)
    {
        foreach (var entry in parameters?.Table.Entries ?? [])
        {
            if (!known.Contains(entry.Key, StringComparer.Ordinal))
            {
                parameters!.Problem(entry, $"param '{entry.Key}' of source '{key}' is not known to connector '{connector}' (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>A non-empty string param with <c>${NAME}</c> expanded, or <paramref name="fallback"/> when unset.</summary>
    public static string? Text(TableReader? parameters, string name, string fallback)
    {
        if (parameters?.Table.Get(name) is not { } entry)
        {
            return fallback;
        }

        var value = parameters.String(name);
        if (value is { Length: 0 })
        {
            parameters.Problem(entry, $"{parameters.Name(name)} must be a non-empty string");
            return null;
        }

        if (value is null)
        {
            return null;
        }

        if (!ParamExpansion.TryExpand(value, Environment.GetEnvironmentVariable, out var expanded, out var unset))
        {
            // Names the variable, never a value (docs/configuration.md).
            parameters.Problem(entry, $"{parameters.Name(name)}: environment variable '{unset}' is not set");
            return null;
        }

        return (string)expanded;
    }
}
