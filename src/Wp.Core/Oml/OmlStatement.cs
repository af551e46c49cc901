using Wp.Core.Records;

namespace Wp.Core.Oml;

internal enum OmlSource
{
    /// <summary><c>take(...)</c>: moves the field out of the remaining input.</summary>
    Take,

    /// <summary><c>read(...)</c>: copies the field, leaving it in the input.</summary>
    Read,

    /// <summary><c>chars(v)</c>, <c>digit(v)</c>, … : a constant.</summary>
    Constant,
}

/// <summary>The cast written after <c>:</c>; <see cref="Auto"/> keeps the value's own kind.</summary>
internal enum OmlCast
{
    Auto,
    Chars,
    Digit,
    Float,
    Bool,
    Ip,
    Time,
}

/// <summary>
/// One <c>target [: type] = source ;</c> statement. <see cref="Target"/> is <c>*</c> for the
/// wildcard (every remaining field, in input order).
/// </summary>
internal sealed record OmlStatement(string Target, OmlCast Cast, OmlSource Source, string? SourceField, Value Constant, int Line, int Column)
{
    public bool IsWildcard => Target == "*";

    /// <summary>The input field this statement reads: the argument, else the target name.</summary>
    public string InputName => SourceField ?? Target;

    /// <summary>Pipe functions applied to the value read (<c>read(x) | to_str</c>), in order.</summary>
    public IReadOnlyList<OmlPipe> Pipes { get; init; } = [];
}
