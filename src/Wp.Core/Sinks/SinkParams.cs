using Wp.Core.Config;

namespace Wp.Core.Sinks;

/// <summary>
/// A sink's merged params (connector defaults overlaid by the sink's allowed overrides, <c>${VAR}</c>
/// already expanded) with typed getters that report a bad value at the line where it was written:
/// the sink's <c>params</c> entry, else the connector file, else the sink table. Getters add
/// problems and return null; they never throw. Values are never echoed in messages (they may be secrets).
/// </summary>
internal sealed class SinkParams
{
    private readonly TableReader _owner;
    private readonly int _problemsAtStart;

    public SinkParams(WorkRoot root, TableReader owner, ConnectorDefinition connector, IReadOnlyDictionary<string, object> values, string ownerName)
    {
        Root = root;
        _owner = owner;
        Connector = connector;
        Values = values;
        OwnerName = ownerName;
        _problemsAtStart = owner.Problems.Count;
    }

    public WorkRoot Root { get; }

    public ConnectorDefinition Connector { get; }

    /// <summary>The merged values: string, long, double, bool, lists.</summary>
    public IReadOnlyDictionary<string, object> Values { get; }

    /// <summary>"sink 'name'", for messages.</summary>
    public string OwnerName { get; }

    /// <summary>The sink table, for helpers that report on it.</summary>
    public TableReader Owner => _owner;

    /// <summary>True when a problem was added since these params were made.</summary>
    public bool HasProblems => _owner.Problems.Count > _problemsAtStart;

    /// <summary>Adds <paramref name="message"/> at the line where <paramref name="key"/> was set.</summary>
    public void Problem(string key, string message) => ConnectorLoader.ParamProblem(_owner, Connector, key, message);

    /// <summary>A string param; <paramref name="fallback"/> when absent; a problem when present but not a string (or empty and <paramref name="required"/>).</summary>
    public string? String(string key, string? fallback = null, bool required = false)
    {
        if (!Values.TryGetValue(key, out var value))
        {
            if (required && fallback is null)
            {
                Problem(key, $"{OwnerName} needs param '{key}' (connector '{Connector.Id}' gives none)");
            }

            return fallback;
        }

        if (value is string s && (s.Length > 0 || !required))
        {
            return s;
        }

        Problem(key, $"param '{key}' of {OwnerName} must be a{(required ? " non-empty" : "")} string");
        return null;
    }

    /// <summary>A whole-number param within [min, max]; <paramref name="fallback"/> when absent.</summary>
    public long? Integer(string key, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!Values.TryGetValue(key, out var value))
        {
            return fallback;
        }

        if (value is long n && n >= min && n <= max)
        {
            return n;
        }

        var what = (min, max) switch
        {
            (0, long.MaxValue) => "a non-negative integer",
            (1, long.MaxValue) => "a positive integer",
            (_, long.MaxValue) => $"an integer >= {min}",
            _ => $"an integer in {min}..{max}",
        };
        Problem(key, $"param '{key}' of {OwnerName} must be {what}");
        return null;
    }

    /// <summary>A boolean param; <paramref name="fallback"/> when absent.</summary>
    public bool? Bool(string key, bool fallback)
    {
        if (!Values.TryGetValue(key, out var value))
        {
            return fallback;
        }

        if (value is bool b)
        {
            return b;
        }

        Problem(key, $"param '{key}' of {OwnerName} must be true or false");
        return null;
    }

    /// <summary>A list of non-empty strings; null when absent (and when bad, with a problem).</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        if (!Values.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is List<object> items && items.All(i => i is string { Length: > 0 }))
        {
            return items.Cast<string>().ToList();
        }

        Problem(key, $"param '{key}' of {OwnerName} must be a list of non-empty strings");
        return null;
    }

    /// <summary>Reports every param not in <paramref name="known"/> (a typo must not be ignored).</summary>
    public void OnlyKnown(params string[] known)
    {
        foreach (var key in Values.Keys.Order(StringComparer.Ordinal))
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                Problem(key, $"unknown param '{key}' of {OwnerName} (connector type '{Connector.Type}' takes {string.Join(", ", known)})");
            }
        }
    }
}
