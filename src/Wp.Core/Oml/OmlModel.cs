using System.Buffers;
using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Oml;

/// <summary>
/// An OML model (docs/oml.md): an explicit projection of a parsed record. Immutable; <see cref="Apply"/>
/// is thread-safe.
/// </summary>
internal sealed class OmlModel
{
    /// <summary>
    /// Slots an output record keeps free beyond its fields: the parse worker appends <c>wp_src_key</c>,
    /// and a record that has to regrow copies its whole field array.
    /// </summary>
    internal const int ReservedSlots = 1;

    /// <summary>Fields up to this many track "taken" on the stack, not in a pooled array.</summary>
    private const int StackTaken = 128;

    private readonly OmlStatement[] _statements;
    private readonly OmlShape _shape;
    private readonly int _fixedOutputs;
    private readonly bool _hasWildcard;

    internal OmlModel(string name, IReadOnlyList<string> rulePatterns, string file, IReadOnlyList<OmlStatement> statements)
    {
        Name = name;
        RulePatterns = rulePatterns;
        File = file;
        _statements = [.. statements];
        _shape = ShapeOf(_statements);
        _hasWildcard = _statements.Any(s => s.IsWildcard);
        _fixedOutputs = _statements.Count(s => !s.IsWildcard);
    }

    /// <summary>How <see cref="Apply"/> runs this model, decided once when it is loaded.</summary>
    internal OmlShape Shape => _shape;

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
    /// <remarks>
    /// The result may be <paramref name="input"/> itself (a model that keeps every field as it is,
    /// <c>* = take() ;</c>): the caller owns both and must not use the input as a separate record
    /// afterwards. Models that only take, read and rename fields (no constants, pipes or casts) run
    /// as a plain field projection; <see cref="ApplyGeneral"/> is the reference both fast paths agree with.
    /// </remarks>
    /// <param name="input">The parsed record.</param>
    /// <param name="lease">Where a new output record comes from (reused from an earlier batch); null: a new record.</param>
    public Record Apply(Record input, RecordLease? lease = null)
    {
        if (input.IsRaw)
        {
            return input;
        }

        return _shape switch
        {
            OmlShape.Identity => input,
            OmlShape.Projection => Project(input, lease),
            _ => ApplyGeneral(input, lease),
        };
    }

    /// <summary>Every statement is a take, a read or <c>*</c>, with no pipe and no cast: fields are only selected and renamed.</summary>
    private Record Project(Record input, RecordLease? lease)
    {
        var count = input.Count;
        var output = RecordLease.RentOrNew(lease, OutputCapacity(count));
        var pooled = count > StackTaken ? ArrayPool<bool>.Shared.Rent(count) : null;
        var taken = pooled is null ? stackalloc bool[StackTaken] : pooled;
        taken = taken[..count];
        taken.Clear();
        try
        {
            foreach (var st in _statements)
            {
                if (st.IsWildcard)
                {
                    var take = st.Source == OmlSource.Take;
                    for (var i = 0; i < count; i++)
                    {
                        if (!taken[i])
                        {
                            output.Add(input[i]);
                            taken[i] = take;
                        }
                    }

                    continue;
                }

                var name = st.InputName;
                for (var i = 0; i < count; i++)
                {
                    if (!taken[i] && string.Equals(input[i].Name, name, StringComparison.Ordinal))
                    {
                        output.Add(st.Target, input[i].Value);
                        taken[i] = st.Source == OmlSource.Take;
                        break;
                    }
                }
            }

            return output;
        }
        finally
        {
            if (pooled is not null)
            {
                ArrayPool<bool>.Shared.Return(pooled);
            }
        }
    }

    /// <summary>The general evaluation: constants, pipes and casts; the reference for the fast paths of <see cref="Apply"/>.</summary>
    internal Record ApplyGeneral(Record input, RecordLease? lease = null)
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
            var output = RecordLease.RentOrNew(lease, OutputCapacity(count));
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

    /// <summary>Every statement's field plus, with <c>*</c>, every input field; and the reserved slots (so appending never regrows).</summary>
    private int OutputCapacity(int inputCount) => (_hasWildcard ? inputCount : 0) + _fixedOutputs + ReservedSlots;

    private static OmlShape ShapeOf(OmlStatement[] statements)
    {
        if (statements.Length == 1 && statements[0].IsWildcard && statements[0].Pipes.Count == 0)
        {
            return OmlShape.Identity; // `* = take() ;` or `* = read() ;`: every field, in order, as it is
        }

        return statements.All(s => s.Source != OmlSource.Constant && s.Pipes.Count == 0 && (s.Cast == OmlCast.Auto || s.IsWildcard))
            ? OmlShape.Projection
            : OmlShape.General;
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

/// <summary>How an OML model is evaluated (see <see cref="OmlModel.Apply"/>).</summary>
internal enum OmlShape
{
    /// <summary>Constants, pipes or casts: statement by statement.</summary>
    General,

    /// <summary>Only takes, reads and renames: a field selection, no value work.</summary>
    Projection,

    /// <summary>Only <c>*</c>: the record itself.</summary>
    Identity,
}
