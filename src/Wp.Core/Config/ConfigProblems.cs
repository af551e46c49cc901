namespace Wp.Core.Config;

/// <summary>Collects every problem found while loading, so they are reported together (ARCHITECTURE practice 7).</summary>
internal sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<ConfigProblem> Items => _items;

    public void Add(string file, int? line, int? column, string message) =>
        _items.Add(new ConfigProblem(file, line, column, message));

    public void Add(string file, string message) => Add(file, null, null, message);

    /// <summary>Throws a <see cref="ConfigException"/> carrying every problem, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count > 0)
        {
            throw new ConfigException(_items.ToList());
        }
    }
}
