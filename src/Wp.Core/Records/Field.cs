namespace Wp.Core.Records;

/// <summary>One named value of a record. Names starting with <c>_</c> are never printed.</summary>
internal readonly record struct Field(string Name, Value Value)
{
    /// <summary>True when formatters must skip this field (ignored kind, or a name of <c>_</c>).</summary>
    public bool IsHidden => Value.Kind == ValueKind.Ignore || (Name.Length > 0 && Name[0] == '_');
}
