using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

// The plain decoder: entries in exactly the plain encoder's form, read by hand in one pass.
internal static partial class RescueEntryCodec
{
    [ThreadStatic]
    private static PlainDecoder? t_plain;

    /// <summary>Bytes a plain string cannot hold: the quote that ends it, a backslash (an escape), anything outside printable ASCII.</summary>
    private static readonly SearchValues<byte> NotPlainText = SearchValues.Create(
        [.. Enumerable.Range(0, 256).Where(b => b is < 0x20 or > 0x7E or '"' or '\\').Select(b => (byte)b)]);

    /// <summary>
    /// The common case decoded by hand: an entry in exactly the form <see cref="TryEncodePlain"/> writes
    /// (printable ASCII, no escapes, no floats). Anything else — including every malformed line —
    /// returns false and goes through the JSON reader, which accepts or reports it; so this path only
    /// ever accepts a subset of what the reader accepts, with the same result.
    /// </summary>
    private static bool TryDecodePlain(ReadOnlySpan<byte> line, RecordLease? lease, [NotNullWhen(true)] out Record? record)
    {
        record = null;
        line = line.TrimEnd(" \t\r\n"u8);
        if (line.StartsWith("{\"v\":1,\"f\":["u8))
        {
            return line.EndsWith("]}"u8) && (t_plain ??= new PlainDecoder()).TryDecodeFields(line, lease, out record);
        }

        if (line.StartsWith("{\"v\":1,\"raw\":\""u8) && line.EndsWith("\"}"u8))
        {
            var text = line[14..^2];
            if (text.IndexOfAny(NotPlainText) >= 0)
            {
                return false;
            }

            record = Record.FromRaw(Encoding.ASCII.GetString(text));
            return true;
        }

        return false;
    }

    /// <summary>
    /// One thread's state for <see cref="TryDecodePlain"/>: one pass over the line, no index scans per
    /// token. Entries of one file repeat their fields' names and kinds in the same order, so the bytes
    /// <c>,["name","kind",</c> before each value are compared with those at the same position of the
    /// previous entry first (one compare gives the interned name and the kind). String values are
    /// checked and widened to UTF-16 in the same pass, into a shared char array (a slab) that many
    /// entries' values slice, rather than one array per entry.
    /// </summary>
    private sealed class PlainDecoder
    {
        /// <summary>Chars per slab: 64 KiB, under the large object heap's threshold.</summary>
        private const int SlabChars = 32 * 1024;

        /// <summary>Field positions whose prefix is remembered; fields after these are read the long way.</summary>
        private const int MaxRemembered = 64;

        private byte[]?[] _prefixes = new byte[]?[16];
        private string?[] _names = new string?[16];
        private byte[] _kinds = new byte[16];
        private int _lastCount;

        private char[] _slab = [];
        private int _slabUsed;
        private RecordLease? _slabLease; // whose slab _slab is (null: the garbage collector's) …
        private int _slabGeneration;     // … and since which time it was taken from the pool

        // The last date seen (yyyy-MM-dd) and its ticks at midnight: a file's times share a few days.
        private ulong _dateHead;
        private ushort _dateTail;
        private long _dateTicks = -1;

        public bool TryDecodeFields(ReadOnlySpan<byte> line, RecordLease? lease, [NotNullWhen(true)] out Record? record)
        {
            if (lease != _slabLease || (lease is not null && lease.Generation != _slabGeneration))
            {
                // A slab holds the text of one lease's records only, of one use of it: it is reused exactly when they are.
                (_slab, _slabUsed, _slabLease, _slabGeneration) = ([], 0, lease, lease?.Generation ?? 0);
            }

            EnsureSlab(line.Length + Vector128<byte>.Count);
            var slab = _slab;
            var slabStart = _slabUsed;
            var decoded = TryDecodeFields(line, lease, slab, slabStart, out record);
            if (slab.Length > SlabChars)
            {
                // Made for one long entry: its record (and its lease, if any) keeps it, this thread does not.
                (_slab, _slabUsed) = ([], 0);
            }

            return decoded;
        }

        private bool TryDecodeFields(ReadOnlySpan<byte> line, RecordLease? lease, char[] slab, int slabStart, [NotNullWhen(true)] out Record? record)
        {
            record = null;
            var end = line.Length - 2; // the "]}"
            var pos = 12;              // after {"v":1,"f":[
            // A line this path gives up on leaves its rented record half-filled: unused, and emptied when the lease is returned.
            var fields = RecordLease.RentOrNew(lease, _lastCount);
            var count = 0;
            while (pos < end)
            {
                string name;
                byte kind;
                if (count < _prefixes.Length && _prefixes[count] is { } prefix && line[pos..end].StartsWith(prefix))
                {
                    name = _names[count]!;
                    kind = _kinds[count];
                    pos += prefix.Length;
                }
                else if (!TryPrefix(line, end, count, ref pos, out name, out kind))
                {
                    _slabUsed = slabStart; // nothing refers to what this entry wrote
                    return false;
                }

                switch (kind)
                {
                    case (byte)'s':
                    case (byte)'p':
                        {
                            if (line[pos] != (byte)'"')
                            {
                                goto default;
                            }

                            var length = CopyPlainText(line, pos + 1, end, slab.AsSpan(_slabUsed));
                            if (length < 0)
                            {
                                goto default;
                            }

                            fields.Add(name, kind == (byte)'s' ? Value.PlainString(slab, _slabUsed, length) : Value.Ip(slab, _slabUsed, length));
                            _slabUsed += length;
                            pos += length + 2;
                            break;
                        }

                    case (byte)'i':
                        if (!TryPlainInt(line, end, ref pos, out var l))
                        {
                            goto default;
                        }

                        fields.Add(name, Value.Int(l));
                        break;
                    case (byte)'t':
                        if (!TryPlainDateTime(line, end, ref pos, out var ticks, out var offset))
                        {
                            goto default;
                        }

                        fields.Add(name, Value.DateTime(new DateTime(ticks, DateTimeKind.Unspecified), offset));
                        break;
                    case (byte)'b':
                        if (line[pos..end].StartsWith("true"u8))
                        {
                            fields.Add(name, Value.Bool(true));
                            pos += 4;
                        }
                        else if (line[pos..end].StartsWith("false"u8))
                        {
                            fields.Add(name, Value.Bool(false));
                            pos += 5;
                        }
                        else
                        {
                            goto default;
                        }

                        break;
                    case (byte)'_' when line[pos..end].StartsWith("null"u8):
                        fields.Add(name, Value.Ignore);
                        pos += 4;
                        break;
                    default:
                        _slabUsed = slabStart; // floats and anything unexpected: the reader decides
                        return false;
                }

                if (pos >= end || line[pos++] != (byte)']')
                {
                    _slabUsed = slabStart;
                    return false;
                }

                count++;
            }

            _lastCount = count;
            record = fields;
            return true;
        }

        /// <summary>A slab with at least <paramref name="chars"/> free: the current one, or a new one.</summary>
        private void EnsureSlab(int chars)
        {
            if (_slab.Length - _slabUsed < chars)
            {
                // Uninitialised: every char a value covers is written before the value exists.
                var length = Math.Max(SlabChars, chars);
                _slab = _slabLease?.RentChars(length) ?? GC.AllocateUninitializedArray<char>(length);
                _slabUsed = 0;
            }
        }

        /// <summary>
        /// Reads <c>,["name","kind",</c> (no comma before the first field) the long way, and remembers
        /// it for field <paramref name="index"/> of the next entries.
        /// </summary>
        private bool TryPrefix(ReadOnlySpan<byte> line, int end, int index, ref int pos, out string name, out byte kind)
        {
            name = null!;
            kind = 0;
            var start = pos;
            if ((index > 0 && line[pos++] != (byte)',') || pos >= end || line[pos++] != (byte)'[' || pos >= end || line[pos] != (byte)'"')
            {
                return false;
            }

            var rest = line[(pos + 1)..end];
            var length = rest.IndexOfAny(NotPlainText);
            if (length < 0 || rest[length] != (byte)'"')
            {
                return false;
            }

            var nameBytes = rest[..length];
            pos += length + 2;
            if (!TryKind(line, end, ref pos, out kind))
            {
                return false;
            }

            name = (t_names ??= new NameCache()).Get(nameBytes);
            if (index < MaxRemembered)
            {
                if (index >= _prefixes.Length)
                {
                    var size = Math.Min(MaxRemembered, _prefixes.Length * 2);
                    Array.Resize(ref _prefixes, size);
                    Array.Resize(ref _names, size);
                    Array.Resize(ref _kinds, size);
                }

                _prefixes[index] = line[start..pos].ToArray();
                _names[index] = name;
                _kinds[index] = kind;
            }

            return true;
        }

        /// <summary>
        /// <c>"yyyy-MM-ddTHH:mm:ss[.f{1,7}][(+|-)hh:mm]"</c> at <paramref name="pos"/> (the form the encoder
        /// writes; offsets up to 18 h) as wall-clock ticks and the offset; anything else is left to the reader.
        /// </summary>
        private bool TryPlainDateTime(ReadOnlySpan<byte> line, int end, ref int pos, out long ticks, out TimeSpan? offset)
        {
            ticks = 0;
            offset = null;
            var s = line[pos..end];
            if (s.Length < 21 || s[0] != (byte)'"' || s[5] != (byte)'-' || s[8] != (byte)'-' || s[11] != (byte)'T'
                || s[14] != (byte)':' || s[17] != (byte)':')
            {
                return false;
            }

            var head = MemoryMarshal.Read<ulong>(s[1..]);
            var tail = MemoryMarshal.Read<ushort>(s[9..]);
            if (head != _dateHead || tail != _dateTail || _dateTicks < 0)
            {
                var year = Digits(s, 1, 4);
                var month = Digits(s, 6, 2);
                var day = Digits(s, 9, 2);
                if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
                {
                    return false;
                }

                (_dateHead, _dateTail, _dateTicks) = (head, tail, new DateTime(year, month, day).Ticks);
            }

            var hour = Digits(s, 12, 2);
            var minute = Digits(s, 15, 2);
            var second = Digits(s, 18, 2);
            if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
            {
                return false;
            }

            ticks = _dateTicks + (((hour * 3600L) + (minute * 60) + second) * TimeSpan.TicksPerSecond);
            var i = 20;
            if (s[i] == (byte)'.')
            {
                var first = ++i;
                var fraction = 0;
                while (i < s.Length && i - first < 7 && char.IsAsciiDigit((char)s[i]))
                {
                    fraction = (fraction * 10) + (s[i++] - '0');
                }

                if (i == first)
                {
                    return false;
                }

                for (var k = i - first; k < 7; k++)
                {
                    fraction *= 10;
                }

                ticks += fraction;
            }

            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                if (i + 7 > s.Length || s[i + 3] != (byte)':')
                {
                    return false;
                }

                var hours = Digits(s, i + 1, 2);
                var minutes = Digits(s, i + 4, 2);
                if (hours is < 0 or > 18 || minutes is < 0 or > 59)
                {
                    return false;
                }

                var o = new TimeSpan(hours, minutes, 0);
                offset = s[i] == (byte)'-' ? -o : o;
                i += 6;
            }

            if (i >= s.Length || s[i] != (byte)'"')
            {
                return false;
            }

            pos += i + 1;
            return true;
        }

        /// <summary>The number written with <paramref name="count"/> ASCII digits at <paramref name="at"/>, or -1.</summary>
        private static int Digits(ReadOnlySpan<byte> s, int at, int count)
        {
            var n = 0;
            foreach (var b in s.Slice(at, count))
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    return -1;
                }

                n = (n * 10) + (int)d;
            }

            return n;
        }
    }

    /// <summary>
    /// Copies the text of a plain JSON string whose first char is at <paramref name="pos"/> into
    /// <paramref name="chars"/> (widened to UTF-16, in the same pass that looks for its end), and
    /// returns its length; -1 when no closing quote comes before <paramref name="end"/> or the text
    /// holds a backslash or a byte outside printable ASCII (the reader decides those).
    /// </summary>
    /// <remarks>
    /// Up to 16 chars past the text's end may be written, so <paramref name="chars"/> must have room
    /// for <c>end - pos + 16</c> (checked). Bytes are read up to the end of <paramref name="line"/>.
    /// </remarks>
    private static int CopyPlainText(ReadOnlySpan<byte> line, int pos, int end, Span<char> chars)
    {
        if (chars.Length < end - pos + Vector128<byte>.Count)
        {
            return -1;
        }

        var n = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(line);
            ref var dst = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var space = Vector128.Create((byte)0x20);
            var printable = Vector128.Create((byte)(0x7E - 0x20));
            while (pos + n + Vector128<byte>.Count <= line.Length)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)(pos + n));
                var (low, high) = Vector128.Widen(v);
                low.StoreUnsafe(ref dst, (nuint)n);
                high.StoreUnsafe(ref dst, (nuint)(n + Vector128<ushort>.Count));
                var stop = Vector128.GreaterThan(v - space, printable) | Vector128.Equals(v, quote) | Vector128.Equals(v, backslash);
                if (stop != Vector128<byte>.Zero)
                {
                    var at = n + BitOperations.TrailingZeroCount(stop.ExtractMostSignificantBits());
                    return pos + at < end && line[pos + at] == (byte)'"' ? at : -1;
                }

                n += Vector128<byte>.Count;
            }
        }

        for (; pos + n < end; n++)
        {
            var b = line[pos + n];
            if (b == (byte)'"')
            {
                return n;
            }

            if (b is < 0x20 or > 0x7E or (byte)'\\')
            {
                return -1;
            }

            chars[n] = (char)b;
        }

        return -1;
    }

    /// <summary>
    /// Reads <c>,"K",</c> for the kinds the plain path decodes — one byte (<c>s i b t _</c>, and
    /// <c>f</c>, which the caller refuses) or <c>ip</c> (returned as <c>p</c>) — without a search.
    /// </summary>
    private static bool TryKind(ReadOnlySpan<byte> line, int end, ref int pos, out byte kind)
    {
        kind = 0;
        if (pos + 5 > end || line[pos] != (byte)',' || line[pos + 1] != (byte)'"')
        {
            return false;
        }

        var k = line[pos + 2];
        if (line[pos + 3] == (byte)'"' && line[pos + 4] == (byte)',')
        {
            kind = k;
            pos += 5;
            return k != (byte)'p';
        }

        if (k == (byte)'i' && line[pos + 3] == (byte)'p' && pos + 6 <= end && line[pos + 4] == (byte)'"' && line[pos + 5] == (byte)',')
        {
            kind = (byte)'p';
            pos += 6;
            return true;
        }

        return false;
    }

    /// <summary>A JSON integer that fits a long: <c>-?(0|[1-9][0-9]*)</c>, at <paramref name="pos"/>, read by hand.</summary>
    private static bool TryPlainInt(ReadOnlySpan<byte> line, int end, ref int pos, out long value)
    {
        value = 0;
        var i = pos;
        var negative = i < end && line[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var first = i;
        ulong n = 0;
        while (i < end && (uint)(line[i] - '0') is var d && d <= 9)
        {
            if (i - first == 19)
            {
                return false; // 20 digits: past any long
            }

            n = (n * 10) + d;
            i++;
        }

        var digits = i - first;
        if (digits == 0 || (digits > 1 && line[first] == (byte)'0') || (i < end && line[i] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        if (negative ? n > 1UL << 63 : n > long.MaxValue)
        {
            return false;
        }

        value = negative ? unchecked((long)(0UL - n)) : (long)n;
        pos = i;
        return true;
    }
}
