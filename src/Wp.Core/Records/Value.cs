using System.Globalization;
using System.Runtime.InteropServices;

namespace Wp.Core.Records;

/// <summary>
/// A typed field value. Text-backed kinds (string, IP) keep a slice of the source line rather
/// than a copy, so parsing a line allocates no per-field strings.
/// </summary>
/// <remarks>
/// 24 bytes: a text value keeps the string or char array it slices in <c>_text</c> and the slice's
/// start and length in <c>_bits</c> (which only numbers, booleans and times use otherwise), rather
/// than a <see cref="ReadOnlyMemory{T}"/> beside the bits — every record holds one per field.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 24)] // the runtime's own layout pads this to 32
internal readonly struct Value : IEquatable<Value>
{
    [FieldOffset(0)]
    private readonly object? _text; // string or char[] for text kinds, else null

    [FieldOffset(8)]
    private readonly long _bits;

    // DateTime only: the UTC offset in minutes + OffsetBias, or 0 when the input had none.
    [FieldOffset(16)]
    private readonly short _offset;

    [FieldOffset(18)]
    private readonly ValueKind _kind;

    // Text kinds only: the text is known to be printable ASCII without '"' or '\' (a formatter has nothing to escape).
    [FieldOffset(19)]
    private readonly bool _plain;

    private const short OffsetBias = 2000;

    private Value(ValueKind kind, long bits, short offset = 0)
    {
        _kind = kind;
        _bits = bits;
        _text = null;
        _offset = offset;
    }

    private Value(ValueKind kind, ReadOnlyMemory<char> text)
    {
        _kind = kind;
        _offset = 0;
        int start, length;
        if (MemoryMarshal.TryGetArray(text, out var segment)) // parsed lines are char arrays (LineBatch)
        {
            (_text, start, length) = (segment.Array, segment.Offset, segment.Count);
        }
        else if (MemoryMarshal.TryGetString(text, out var str, out start, out length))
        {
            _text = str;
        }
        else
        {
            (_text, start, length) = (text.ToString(), 0, text.Length); // a memory manager's memory: copied once
        }

        _bits = ((long)start << 32) | (uint)length;
    }

    private Value(ValueKind kind, char[] chars, int start, int length, bool plain = false)
    {
        _kind = kind;
        _offset = 0;
        _plain = plain;
        _text = chars;
        _bits = ((long)start << 32) | (uint)length;
    }

    private Value(ValueKind kind, string text)
    {
        _kind = kind;
        _offset = 0;
        _text = text;
        _bits = (uint)(text?.Length ?? 0);
    }

    public ValueKind Kind => _kind;

    public static Value Ignore => default;

    public static Value String(ReadOnlyMemory<char> text) => new(ValueKind.String, text);

    public static Value String(string text) => new(ValueKind.String, text);

    /// <summary>The string <c>chars[start..start+length]</c>; the caller never changes those chars afterwards.</summary>
    public static Value String(char[] chars, int start, int length) => new(ValueKind.String, chars, start, length);

    /// <summary>
    /// Like <see cref="String(char[], int, int)"/>, for text the caller has checked is printable ASCII
    /// without <c>"</c> or <c>\</c>: formatters then copy it without looking for characters to escape.
    /// </summary>
    public static Value PlainString(char[] chars, int start, int length) => new(ValueKind.String, chars, start, length, plain: true);

    public static Value Int(long value) => new(ValueKind.Int, value);

    public static Value Float(double value) => new(ValueKind.Float, BitConverter.DoubleToInt64Bits(value));

    public static Value Bool(bool value) => new(ValueKind.Bool, value ? 1 : 0);

    /// <summary>An IP address; the caller has validated <paramref name="text"/>.</summary>
    public static Value Ip(ReadOnlyMemory<char> text) => new(ValueKind.Ip, text);

    public static Value Ip(string text) => new(ValueKind.Ip, text);

    /// <summary>An IP address written <c>chars[start..start+length]</c> (validated, never changed afterwards).</summary>
    public static Value Ip(char[] chars, int start, int length) => new(ValueKind.Ip, chars, start, length);

    /// <summary>A wall-clock time with no offset (taken as UTC where an instant is needed).</summary>
    public static Value DateTime(DateTime value) => new(ValueKind.DateTime, value.Ticks);

    /// <summary>A wall-clock time as written, with the UTC offset it was written with (docs/configuration.md, database sinks); offsets beyond ±18 h are dropped.</summary>
    public static Value DateTime(DateTime wallClock, TimeSpan? offset) =>
        offset is { } o && Math.Abs(o.TotalMinutes) <= 18 * 60
            ? new(ValueKind.DateTime, wallClock.Ticks, (short)(o.TotalMinutes + OffsetBias))
            : DateTime(wallClock);

    public long AsInt => Bits;

    public double AsFloat => BitConverter.Int64BitsToDouble(Bits);

    public bool AsBool => Bits != 0;

    /// <summary>The wall clock as written (text formats print this).</summary>
    public DateTime AsDateTime => new(Bits, DateTimeKind.Unspecified);

    /// <summary>The UTC offset the time was written with, or null when it had none.</summary>
    public TimeSpan? Offset => _offset == 0 ? null : TimeSpan.FromMinutes(_offset - OffsetBias);

    /// <summary>The instant as UTC (typed sinks store this): wall clock minus the offset; a time without offset is taken as UTC.</summary>
    public DateTime AsUtcDateTime => new(Bits - (Offset?.Ticks ?? 0), DateTimeKind.Utc);

    /// <summary>The text of a string or IP value (empty for other kinds).</summary>
    public ReadOnlySpan<char> Text => _text switch
    {
        string s => s.AsSpan(TextStart, TextLength),
        char[] a => a.AsSpan(TextStart, TextLength),
        _ => default,
    };

    /// <summary>
    /// This value with its text copied into a string of its own when it slices a char array — a
    /// record lease's, written again once the lease is returned (<see cref="RecordLease"/>). For a
    /// copy that outlives the record it came from; other values are returned as they are.
    /// </summary>
    public Value Detached() => _text is char[] chars ? new(_kind, new string(chars, TextStart, TextLength)) : this;

    /// <summary>True for a string made by <see cref="PlainString"/>: nothing in it needs escaping. Not part of equality.</summary>
    public bool IsPlainText => _plain;

    public ReadOnlyMemory<char> TextMemory => _text switch
    {
        string s => s.AsMemory(TextStart, TextLength),
        char[] a => a.AsMemory(TextStart, TextLength),
        _ => default,
    };

    /// <summary>The number, boolean or ticks; 0 for text kinds (whose bits hold the slice).</summary>
    private long Bits => _text is null ? _bits : 0;

    private int TextStart => (int)(_bits >> 32);

    private int TextLength => (int)(uint)_bits;

    /// <summary>Human-readable rendering, as the raw and kv formats print it (strings unquoted).</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.String or ValueKind.Ip => _text is string s && TextStart == 0 && TextLength == s.Length ? s : Text.ToString(),
        ValueKind.Int => AsInt.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => AsFloat.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Bool => AsBool ? "true" : "false",
        ValueKind.DateTime => AsDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    public bool Equals(Value other) =>
        Kind == other.Kind && _offset == other._offset &&
        (_text is null && other._text is null ? _bits == other._bits : Text.SequenceEqual(other.Text));

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _text is null ? _bits : 0, _offset, string.GetHashCode(Text));

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);
}
