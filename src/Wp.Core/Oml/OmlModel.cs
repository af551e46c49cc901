using System.Buffers;
using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Oml;

/// <summary>
/// An OML model (SPEC §5.6): an explicit projection of a parsed record. Immutable; <see cref="Apply"/>
/// is thread-safe.
/// </summary>
internal sealed class OmlModel
{
    private readonly OmlStatement[] _statements;

    internal OmlModel(string name, IReadOnlyList<string> rulePatterns, string file, IReadOnlyList<OmlStatement> statements)
    {
        Name = name;
        RulePatterns = rulePatterns;
        File = file;
        _statements = [.. statements];
    }

    public string Name { get; }

    /// <summary>The first <c>rule :</c> pattern.</summary>
    public string RulePattern => RulePatterns[0];

    /// <summary>Every <c>rule :</c> line, in order (a model may claim several patterns).</summary>
    public IReadOnlyList<string> RulePatterns { get; }

    public string File { get; }

    public IReadOnlyList<OmlStatement> Statements => _statements;

    /// <summary>
    /// Projects <paramref name="input"/>: statements in order, each appending at most one field
    /// (<c>*</c> appends every remaining field). A statement whose input field is absent adds nothing.
    /// A failing cast (e.g. <c>x : digit = take(y)</c> with y = "abc") makes the whole result empty.
    /// An empty result (Count == 0) means "send to the error group"; the caller decides. Raw records
    /// are returned unchanged. Never throws.
    /// </summary>
    public Record Apply(Record input)
    {
        if (input.IsRaw)
        {
            return input;
        }

        var count = input.Count;
        var taken = ArrayPool<bool>.Shared.Rent(Math.Max(count, 1));
        try
        {
            Array.Clear(taken, 0, count);
            var output = new Record(Math.Max(_statements.Length, count));
            foreach (var st in _statements)
            {
                if (st.IsWildcard)
                {
                    for (var i = 0; i < count; i++)
                    {
                        if (!taken[i])
                        {
                            output.Add(input[i]);
                            taken[i] = st.Source == OmlSource.Take;
                        }
                    }

                    continue;
                }

                Value value;
                if (st.Source == OmlSource.Constant)
                {
                    value = st.Constant;
                }
                else
                {
                    var index = Find(input, taken, st.InputName);
                    if (index < 0)
                    {
                        continue;
                    }

                    value = input[index].Value;
                    if (st.Source == OmlSource.Take)
                    {
                        taken[index] = true;
                    }
                }

                if (st.Pipes.Count > 0)
                {
                    foreach (var pipe in st.Pipes)
                    {
                        value = pipe.Apply(value);
                    }

                    if (value.Kind == ValueKind.Ignore)
                    {
                        continue; // a pipe dropped the value (starts_with, skip_empty, …) and no on_fail gave one
                    }
                }

                if (!TryCast(value, st.Cast, out var cast))
                {
                    return new Record(0);
                }

                output.Add(st.Target, cast);
            }

            return output;
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(taken);
        }
    }

    private static int Find(Record input, bool[] taken, string name)
    {
        for (var i = 0; i < input.Count; i++)
        {
            if (!taken[i] && input[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Casts between chars and digit/float/ip/bool/time. Same kind passes through; digit → float
    /// widens; float → digit only when integral. False when the value is not of the target type.
    /// </summary>
    internal static bool TryCast(Value value, OmlCast cast, out Value result)
    {
        result = value;
        switch (cast)
        {
            case OmlCast.Auto:
                return true;
            case OmlCast.Chars:
                result = value.Kind switch
                {
                    ValueKind.String => value,
                    ValueKind.Ip => Value.String(value.TextMemory),
                    ValueKind.Ignore => value,
                    _ => Value.String(value.ToString()),
                };
                return true;
        }

        var (kind, type) = cast switch
        {
            OmlCast.Digit => (ValueKind.Int, WplType.Digit),
            OmlCast.Float => (ValueKind.Float, WplType.Float),
            OmlCast.Bool => (ValueKind.Bool, WplType.Bool),
            OmlCast.Ip => (ValueKind.Ip, WplType.Ip),
            _ => (ValueKind.DateTime, WplType.Time),
        };
        if (value.Kind == kind)
        {
            return true;
        }

        if (value.Kind == ValueKind.String)
        {
            return WplScan.TryConvert(type, value.TextMemory, out result);
        }

        if (value.Kind == ValueKind.Int && kind == ValueKind.Float)
        {
            result = Value.Float(value.AsInt);
            return true;
        }

        if (value.Kind == ValueKind.Float && kind == ValueKind.Int && value.AsFloat == Math.Floor(value.AsFloat) &&
            Math.Abs(value.AsFloat) < 9.2e18)
        {
            result = Value.Int((long)value.AsFloat);
            return true;
        }

        return false;
    }

    public override string ToString() => $"{Name} ({File})";
}
