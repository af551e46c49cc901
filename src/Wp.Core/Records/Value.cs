using System.Globalization;

namespace Wp.Core.Records;

/// <summary>
/// A typed field value. Text-backed kinds (string, IP) keep a slice of the source line rather
/// than a copy, so parsing a line allocates no per-field strings.
/// </summary>
internal readonly struct Value : IEquatable<Value>
{
    private readonly long _bits;
    private readonly ReadOnlyMemory<char> _text;

    // DateTime only: the UTC offset in minutes + OffsetBias, or 0 when the input had none. A short
    // beside the byte-sized Kind fits in the struct's padding, so values stay 32 bytes.
    private readonly short _offset;
    private const short OffsetBias = 2000;

    private Value(ValueKind kind, long bits, ReadOnlyMemory<char> text, short offset = 0)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
        _offset = offset;
    }

    public ValueKind Kind { get; }

    public static Value Ignore => default;

    public static Value String(ReadOnlyMemory<char> text) => new(ValueKind.String, 0, text);

    public static Value String(string text) => new(ValueKind.String, 0, text.AsMemory());

    public static Value Int(long value) => new(ValueKind.Int, value, default);

    public static Value Float(double value) => new(ValueKind.Float, BitConverter.DoubleToInt64Bits(value), default);

    public static Value Bool(bool value) => new(ValueKind.Bool, value ? 1 : 0, default);

    /// <summary>An IP address; the caller has validated <paramref name="text"/>.</summary>
    public static Value Ip(ReadOnlyMemory<char> text) => new(ValueKind.Ip, 0, text);

    public static Value Ip(string text) => new(ValueKind.Ip, 0, text.AsMemory());

    /// <summary>A wall-clock time with no offset (taken as UTC where an instant is needed).</summary>
    public static Value DateTime(DateTime value) => new(ValueKind.DateTime, value.Ticks, default);

    /// <summary>A wall-clock time as written, with the UTC offset it was written with (SPEC §5.4); offsets beyond ±18 h are dropped.</summary>
    public static Value DateTime(DateTime wallClock, TimeSpan? offset) =>
        offset is { } o && Math.Abs(o.TotalMinutes) <= 18 * 60
            ? new(ValueKind.DateTime, wallClock.Ticks, default, (short)(o.TotalMinutes + OffsetBias))
            : DateTime(wallClock);

    public long AsInt => _bits;

    public double AsFloat => BitConverter.Int64BitsToDouble(_bits);

    public bool AsBool => _bits != 0;

    /// <summary>The wall clock as written (text formats print this).</summary>
    public DateTime AsDateTime => new(_bits, DateTimeKind.Unspecified);

    /// <summary>The UTC offset the time was written with, or null when it had none.</summary>
    public TimeSpan? Offset => _offset == 0 ? null : TimeSpan.FromMinutes(_offset - OffsetBias);

    /// <summary>The instant as UTC (typed sinks store this): wall clock minus the offset; a time without offset is taken as UTC.</summary>
    public DateTime AsUtcDateTime => new(_bits - (Offset?.Ticks ?? 0), DateTimeKind.Utc);

    /// <summary>The text of a string or IP value (empty for other kinds).</summary>
    public ReadOnlySpan<char> Text => _text.Span;

    public ReadOnlyMemory<char> TextMemory => _text;

    /// <summary>Human-readable rendering, as the raw and kv formats print it (strings unquoted).</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.String or ValueKind.Ip => _text.ToString(),
        ValueKind.Int => AsInt.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => AsFloat.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Bool => AsBool ? "true" : "false",
        ValueKind.DateTime => AsDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    public bool Equals(Value other) =>
        Kind == other.Kind && _bits == other._bits && _offset == other._offset && _text.Span.SequenceEqual(other._text.Span);

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _offset, string.GetHashCode(_text.Span));

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);
}
